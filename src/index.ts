export * from './capture';
export * from './alarms';
export * from './visibility';
export * from './archive';
export * from './governance';
export * from './replay';
export * from './detections';
export * from './organization';
