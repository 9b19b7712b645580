// The public API of the cost estimate (the rest of the folder is the CLI's and the engine's).
export { FlowLogCost, FlowLogCostOptions, FlowLogCostLineItem, FlowLogCostEstimate } from './flow-log-cost';
