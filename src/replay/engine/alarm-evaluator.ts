/**
 * Offline evaluation of a static-threshold CloudWatch metric alarm, period by period.
 *
 * Given the aggregated value of each period of a metric (undefined where the period has no
 * datapoint) and an alarm's settings, computes the state the alarm is in after each period and
 * the transitions between states, following the CloudWatch User Guide:
 *
 * - [A] Alarm evaluation (states, Period / Evaluation Periods / Datapoints to Alarm):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 * - [B] Configuring how CloudWatch alarms treat missing data (the four treatments, the evaluation
 *   range, the two example tables):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * - [C] Avoiding premature transitions to alarm state (same page):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html#CloudWatch-alarms-avoiding-premature-transition
 * - [D] PutMetricAlarm (the comparison operators; DatapointsToAlarm is the M and EvaluationPeriods the N):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * - [E] An earlier revision of [B], whose tables held rows the current page no longer shows:
 *   https://github.com/awsdocs/amazon-cloudwatch-user-guide/blob/05fd32f63861ca6646c8aa5c94334fd6e0dfdbf5/doc_source/AlarmThatSendsEmail.md
 *
 * The rules, for the evaluation at period i (N = evaluationPeriods, M = datapointsToAlarm,
 * R = evaluationRange, "real" = a period with a datapoint):
 *
 * 1. CloudWatch looks at more periods than N: the evaluation range, here the R periods ending at i.
 *    Periods before index 0 count as missing. [B]: "CloudWatch attempts to retrieve a higher number of
 *    data points than the number specified as Evaluation Periods ... the evaluation range". The exact
 *    number "depends on the length of the alarm period and whether it is based on a metric with
 *    standard resolution or high resolution" and is not published; [B]'s only worked examples use a
 *    range of 5 for N = 3, so R defaults to N + 2. Set `evaluationRange: evaluationPeriods` to look at
 *    exactly the last N periods (the example tables then no longer hold).
 * 2. At least N real datapoints in the range: the N most recent of them are evaluated, reaching past
 *    gaps, and the treatment of missing data "is not needed and is ignored" [B]. ALARM when at least M
 *    of them breach, otherwise OK [A].
 * 3. Fewer than N real datapoints (k of them, b breaching): all k are evaluated and N - k are filled in
 *    with the treatment [B]:
 *    - `breaching`: ALARM when b + (N - k) >= M, otherwise OK.
 *    - `notBreaching`: ALARM when b >= M, otherwise OK.
 *    - `missing`: no real datapoint at all gives INSUFFICIENT_DATA [B]. Otherwise ALARM when b >= M;
 *      OK when some real datapoint does not breach. When every real datapoint breaches but they are
 *      fewer than M, the premature-alarm rule [C] decides: ALARM when the oldest of them is at least
 *      M periods old (the newest period being 1 period old), else the state is kept (see 5).
 *    - `ignore`: as `missing`, except that wherever `missing` would decide on missing data alone
 *      (no real datapoint, the premature-alarm rule) the current state is kept: [B] "ignore – The
 *      current alarm state is maintained", and both tables show "Retain current state" exactly there.
 * 4. [C] says the oldest breaching datapoint must be old enough "and all other more recent data
 *    points are breaching or missing". Its own 2-of-3 row `0 - X - -` stays OK although its X is
 *    3 periods old, so a non-breaching real datapoint anywhere in the range rules the premature alarm
 *    out. [E] says so in words for its row `X - - - -`: "because the oldest evaluated data point is
 *    breaching and there aren't any non-breaching data points". Age is counted within the evaluation
 *    range, as in [C]'s M-of-N paragraph ("during the evaluation range") and [E]'s `X - - - -` row.
 * 5. Where the docs are silent: the current page [C] only says that with `- - - - X` or `- - - X -`
 *    (M = 3) the alarm "does not go immediately into ALARM state"; [E] showed `- - - - X` as
 *    "Insufficient data" under `missing` for a new alarm. This module keeps the current state there
 *    under `missing` and `ignore` alike: a new alarm (INSUFFICIENT_DATA) stays INSUFFICIENT_DATA as in
 *    [E], and `missing` only ever moves to INSUFFICIENT_DATA when the whole range is missing, as [B]
 *    now words it.
 *
 * Cost: O(values.length) time, O(N) extra memory, no allocation per period.
 */

export type ComparisonOperator = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmSettings {
  /** The value each period's datapoint is compared with. */
  readonly threshold: number;
  /** How a datapoint is compared with the threshold; the datapoint is the left operand. */
  readonly comparisonOperator: ComparisonOperator;
  /** N: how many of the most recent datapoints are evaluated. A whole number of 1 or more. */
  readonly evaluationPeriods: number;
  /** M: how many evaluated datapoints must breach for ALARM. From 1 to evaluationPeriods. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default 'missing' */
  readonly treatMissingData?: TreatMissingData;
  /**
   * How many periods, ending at the evaluated one, CloudWatch looks back for real datapoints.
   * Not an alarm setting: CloudWatch derives it and does not publish how. Not part of the original brief.
   * @default evaluationPeriods + 2 (the range of the documentation's examples, 5 for 3 evaluation periods)
   */
  readonly evaluationRange?: number;
}

export interface StateChange {
  readonly periodIndex: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
}

export interface Evaluation {
  /** states[i] is the alarm state after evaluating period i. */
  readonly states: AlarmState[];
  /** The transitions, in order: one for each period whose state differs from the state before it. */
  readonly changes: StateChange[];
}

const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  'GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
];
const TREATMENTS: readonly TreatMissingData[] = ['breaching', 'notBreaching', 'ignore', 'missing'];
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** How many periods past evaluationPeriods the evaluation range reaches by default. */
const DEFAULT_EXTRA_RANGE = 2;

/**
 * Whether `value` breaches `threshold` under `operator` [D]: the value is the left operand,
 * so 'GreaterThanThreshold' breaches when value > threshold.
 */
export function isBreaching(operator: ComparisonOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: throw new Error(`\`comparisonOperator\` must be one of ${COMPARISON_OPERATORS.join(', ')}, got ${JSON.stringify(operator)}`);
  }
}

/**
 * The state of the alarm after each period. values[i] is the aggregated metric value of period i,
 * or undefined when the period has no datapoint.
 */
export function evaluateAlarm(
  settings: AlarmSettings,
  values: ReadonlyArray<number | undefined>,
  initialState: AlarmState = 'INSUFFICIENT_DATA',
): Evaluation {
  const { n, m, range, treatment, operator, threshold } = validated(settings);
  if (!STATES.includes(initialState)) {
    throw new Error(`\`initialState\` must be one of ${STATES.join(', ')}, got ${JSON.stringify(initialState)}`);
  }

  const states = new Array<AlarmState>(values.length);
  const changes: StateChange[] = [];

  // Real datapoints in the evaluation range, and how many of them breach.
  let real = 0;
  let breaching = 0;
  // The most recent N real datapoints, as a ring: their period index and whether each breaches.
  const recentIndex = new Float64Array(n);
  const recentBreach = new Uint8Array(n);
  let recentNext = 0;
  let recentBreaching = 0;

  let state = initialState;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== undefined) {
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new Error(`\`values[${i}]\` must be a number, or undefined for a period without a datapoint, got ${String(value)}`);
      }
      const breach = isBreaching(operator, value, threshold) ? 1 : 0;
      real++;
      breaching += breach;
      recentBreaching += breach - recentBreach[recentNext];
      recentBreach[recentNext] = breach;
      recentIndex[recentNext] = i;
      recentNext = recentNext + 1 === n ? 0 : recentNext + 1;
    }
    const leaving = i - range;
    if (leaving >= 0) {
      const old = values[leaving];
      if (old !== undefined) {
        real--;
        if (isBreaching(operator, old, threshold)) {
          breaching--;
        }
      }
    }

    let next: AlarmState;
    if (real >= n) {
      // Rule 2: the ring holds exactly the N most recent real datapoints, all inside the range.
      next = recentBreaching >= m ? 'ALARM' : 'OK';
    } else if (treatment === 'breaching') {
      next = breaching + (n - real) >= m ? 'ALARM' : 'OK';
    } else if (treatment === 'notBreaching') {
      next = breaching >= m ? 'ALARM' : 'OK';
    } else if (real === 0) {
      next = treatment === 'missing' ? 'INSUFFICIENT_DATA' : state;
    } else if (breaching >= m) {
      next = 'ALARM';
    } else if (breaching < real) {
      next = 'OK';
    } else {
      // Every real datapoint in the range breaches, but fewer than M: rules 4 and 5. They are the
      // `real` most recent entries of the ring (real < N), the oldest `real` slots back.
      const oldest = recentIndex[(recentNext - real + n) % n];
      const premature = i - oldest + 1 >= m;
      next = premature && treatment === 'missing' ? 'ALARM' : state;
    }

    if (next !== state) {
      changes.push({ periodIndex: i, from: state, to: next });
      state = next;
    }
    states[i] = state;
  }
  return { states, changes };
}

interface ValidSettings {
  readonly n: number;
  readonly m: number;
  readonly range: number;
  readonly treatment: TreatMissingData;
  readonly operator: ComparisonOperator;
  readonly threshold: number;
}

/** The settings with defaults applied; throws, naming the field, the value and what is allowed. */
function validated(settings: AlarmSettings): ValidSettings {
  const { threshold, comparisonOperator, evaluationPeriods } = settings;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new Error(`\`threshold\` must be a finite number, got ${String(threshold)}`);
  }
  if (!COMPARISON_OPERATORS.includes(comparisonOperator)) {
    throw new Error(`\`comparisonOperator\` must be one of ${COMPARISON_OPERATORS.join(', ')}, got ${JSON.stringify(comparisonOperator)}`);
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new Error(`\`evaluationPeriods\` must be a whole number of 1 or more, got ${String(evaluationPeriods)}`);
  }
  const datapointsToAlarm = settings.datapointsToAlarm ?? evaluationPeriods;
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw new Error(`\`datapointsToAlarm\` must be a whole number from 1 to evaluationPeriods (${evaluationPeriods}), got ${String(datapointsToAlarm)}`);
  }
  const treatMissingData = settings.treatMissingData ?? 'missing';
  if (!TREATMENTS.includes(treatMissingData)) {
    throw new Error(`\`treatMissingData\` must be one of ${TREATMENTS.join(', ')}, got ${JSON.stringify(treatMissingData)}`);
  }
  const evaluationRange = settings.evaluationRange ?? evaluationPeriods + DEFAULT_EXTRA_RANGE;
  if (!Number.isInteger(evaluationRange) || evaluationRange < evaluationPeriods) {
    throw new Error(`\`evaluationRange\` must be a whole number no smaller than evaluationPeriods (${evaluationPeriods}), got ${String(evaluationRange)}`);
  }
  return {
    n: evaluationPeriods,
    m: datapointsToAlarm,
    range: evaluationRange,
    treatment: treatMissingData,
    operator: comparisonOperator,
    threshold,
  };
}
