export * from './flow-log-replay-report';
