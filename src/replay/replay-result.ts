// What a replay returns: plain structs, shared by FlowLogReplay and the engine that fills them.

/**
 * One metric filter's outcome.
 */
export interface FilterReplay {
  /** The filter's logical ID. */
  readonly logicalId: string;
  /** Its metric's name. */
  readonly metricName: string;
  /** Records it matched. */
  readonly recordsMatched: number;
  /** The sum of the values it emitted. */
  readonly sum: number;
  /** References its pattern needs that were not given (then it matched nothing). */
  readonly unresolved: string[];
}

/**
 * One alarm's outcome.
 */
export interface AlarmReplay {
  /** The alarm's logical ID. */
  readonly logicalId: string;
  /** Its name. @default - none in the template */
  readonly alarmName?: string;
  /** Whether it was simulated. */
  readonly simulated: boolean;
  /** Why it was not simulated. @default - it was */
  readonly notSimulatedReason?: string;
  /** The start times (ISO 8601) of the periods in which it entered ALARM (none when not simulated). */
  readonly enteredAlarmAt: string[];
  /**
   * Its metric's value per alarm period, with the alarm's statistic, from the first record's
   * period to the last's; also for an anomaly-detection alarm, which is not simulated. Empty
   * when no replayed metric filter emits its metric.
   */
  readonly series: ReplayDatapoint[];
}

/**
 * A metric's value in one period.
 */
export interface ReplayDatapoint {
  /** The period's start (ISO 8601). */
  readonly periodStart: string;
  /** The aggregated value. @default - no datapoint in the period */
  readonly value?: number;
}

/**
 * Records of one source that could not be replayed, for one reason.
 */
export interface ReplayProblem {
  /** The source: a file path, `<stdin>`, or `<records>` for the records given to `replay()`. */
  readonly source: string;
  /**
   * What is wrong: `field-count` (not as many fields as the template's format),
   * `no-timestamp` (no numeric `end` or `start` field, and no event timestamp) or
   * `format-mismatch` (a header line that lacks fields the template's format needs).
   */
  readonly kind: string;
  /** How many records of the source have this problem. */
  readonly count: number;
  /** The 1-based line numbers (or indexes in the list given to `replay()`) of the first ten. */
  readonly lineNumbers: number[];
  /** A sentence for a human, about the first of them. */
  readonly detail: string;
}

/**
 * What a replay found.
 */
export interface ReplayResult {
  /** The log group whose filters were replayed: its logical ID (or literal name). */
  readonly logGroup: string;
  /** Records read (not counting blank lines and comments). */
  readonly recordsRead: number;
  /** Blank lines and comments skipped. */
  readonly recordsSkipped: number;
  /** Records without a usable timestamp: no numeric `end` or `start` field, and no event timestamp. */
  readonly recordsMalformed: number;
  /** Records in another format than the template's (field count or header line): not replayed. */
  readonly recordsMismatched: number;
  /** The malformed and mismatched records, by source and kind, with line numbers. */
  readonly problems: ReplayProblem[];
  /** Each metric filter on the log group. */
  readonly filters: FilterReplay[];
  /** Each alarm on the metrics of those filters, or on the log group itself. */
  readonly alarms: AlarmReplay[];
}

/** The source name of the records given to `replay()`. */
