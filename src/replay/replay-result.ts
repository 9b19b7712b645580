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
  /** Its metric value as the template writes it: a field (`$bytes`) or a number (`1`). @default - not known */
  readonly metricValue?: string;
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
   * when no replayed metric filter emits its metric. For a log alarm: per scheduled query
   * execution (`periodStart` is the execution's scheduled time), the most offending group's
   * value (the highest, the lowest for a `LessThan…` operator), or the only value without `by`.
   */
  readonly series: ReplayDatapoint[];
  /**
   * What kind of alarm it is: `METRIC` (static threshold on a metric), `ANOMALY` (anomaly
   * detection band) or `LOG` (an `AWS::CloudWatch::LogAlarm`, a scheduled Logs Insights query).
   *
   * @default - not told
   */
  readonly alarmKind?: string;
  /** The metric it watches. @default - none: a log alarm, or metric math */
  readonly metricName?: string;
  /** The statistic of its series (`Sum`, `Maximum` …). @default - not known */
  readonly statistic?: string;
  /**
   * What one datapoint counts: the metric filter's metric value (`$bytes`, `1`) or a log alarm's
   * aggregation (`max(value) by srcaddr`); a report infers its unit from it.
   *
   * @default - not known
   */
  readonly valueExpression?: string;
  /** Its threshold. @default - none (an anomaly band, or not a literal number) */
  readonly threshold?: number;
  /** Its comparison operator (`GreaterThanThreshold` …). @default - not a literal */
  readonly comparisonOperator?: string;
  /**
   * Its period in seconds; for a log alarm, the rate of its schedule.
   *
   * @default - not known (metric math, or a schedule that is not a rate)
   */
  readonly periodSeconds?: number;
  /** N: its evaluation periods; for a log alarm, QueryResultsToEvaluate. @default - not a literal number */
  readonly evaluationPeriods?: number;
  /**
   * M: the datapoints that must breach; for a log alarm, QueryResultsToAlarm.
   *
   * @default - evaluationPeriods for a metric alarm that does not set it
   */
  readonly datapointsToAlarm?: number;
  /**
   * When it was in ALARM: from the period (or execution) in which it entered ALARM to the one in
   * which it left it, or to the end of the last replayed period when it never left.
   *
   * @default - none (not simulated)
   */
  readonly alarmPeriods?: ReplayTimeRange[];
  /**
   * For a log alarm whose aggregation has `by`: the groups that breached, most offending first
   * (at most 10), each at its worst value.
   *
   * @default - none
   */
  readonly topOffenders?: ReplayOffender[];
}

/**
 * A span of time.
 */
export interface ReplayTimeRange {
  /** Its start (ISO 8601), included. */
  readonly start: string;
  /** Its end (ISO 8601), excluded. */
  readonly end: string;
}

/**
 * A group (contributor) of a log alarm that breached its threshold.
 */
export interface ReplayOffender {
  /** Its `by` values, joined with ', ' (e.g. `198.51.100.77`). */
  readonly group: string;
  /** Its worst value. */
  readonly value: number;
  /** The first scheduled execution (ISO 8601) at which it had that value. */
  readonly at: string;
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
   * What is wrong: `field-count` (a record of another format: not as many fields as the
   * template's format, each of them a flow-log value), `malformed` (not a flow-log record at
   * all: a field no flow-log field holds, such as a plain word, punctuation, binary or non-ASCII
   * characters, or a single field), `no-timestamp` (no numeric `end` or `start` field, and no
   * event timestamp) or `format-mismatch` (a header line that lacks fields the template's format
   * needs). The command line adds the problems of its input files (`empty-file`, `unreadable`,
   * `not-flow-log`, `skipped-file` …).
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
  /**
   * Records that are not flow-log records at all (`malformed`), and records without a usable
   * timestamp (`no-timestamp`: no numeric `end` or `start` field, and no event timestamp).
   */
  readonly recordsMalformed: number;
  /** Records in another format than the template's (field count or header line): not replayed. */
  readonly recordsMismatched: number;
  /** The malformed and mismatched records, by source and kind, with line numbers. */
  readonly problems: ReplayProblem[];
  /** Each metric filter on the log group. */
  readonly filters: FilterReplay[];
  /**
   * Each alarm on the metrics of those filters, or on the log group itself, then each log alarm
   * (`AWS::CloudWatch::LogAlarm`) that queries the log group.
   */
  readonly alarms: AlarmReplay[];
  /** The time (ISO 8601) of the earliest record replayed. @default - no record was replayed */
  readonly firstRecordAt?: string;
  /** The time (ISO 8601) of the latest record replayed. @default - no record was replayed */
  readonly lastRecordAt?: string;
}

/** The source name of the records given to `replay()`. */
