export * from './flow-log-cost';
