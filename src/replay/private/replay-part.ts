/**
 * The share of a replay one thread runs: the metric filters (and their alarms) or not, and
 * which log alarms (indexes among the replayed log group's).
 */
export interface ReplayPart {
  readonly filters: boolean;
  readonly logAlarms: readonly number[];
}
