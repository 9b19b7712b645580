// Alarms: what metric filters count (traffic signatures), the alarm profile of each subnet role, the alarm topic.
export * from './traffic-signature';
export * from './alarm-profile';
export * from './alarm-topic';
