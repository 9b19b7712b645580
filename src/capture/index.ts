// Capture: what is watched (targets, subnet roles), the record format, retention, delivery, and FlowLogWatch.
export * from './subnet-role';
export * from './flow-log-field';
export * from './flow-log-format';
export * from './flow-log-target';
export * from './delivery-role';
export * from './flow-log-watch-options';
export * from './flow-log-watch';
