// Cost: what a template's flow-log configuration costs a month at AWS's list prices (FlowLogCost, and the CLI's `flowlog-watch cost`).
export * from './flow-log-cost';
