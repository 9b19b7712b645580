/**
 * What the query of a detection needs to know besides the records' fields.
 */
export interface DetectionQueryContext {
  /** Private address space: destinations inside it stay inside the network. */
  readonly internalCidrs: string[];
  readonly allowedEgressPorts: number[];
  readonly miningPoolPorts: number[];
  readonly bruteForcePorts: number[];
}
