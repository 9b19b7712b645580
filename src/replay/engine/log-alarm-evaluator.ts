import { AlarmState, ComparisonOperator, evaluateAlarm, isBreaching, TreatMissingData } from './alarm-evaluator';
import { GroupTable } from './group-table';
import { QueryPartials, QueryRow, resultRows, slotOf, StreamPlan, streamPlanOf } from './logs-insights-partials';
import { AggregationExpression, LogsInsightsQuery, NotSimulatedError, parseAggregationExpression, parseLogsInsightsQuery } from './logs-insights-query';

/**
 * Offline evaluation of an `AWS::CloudWatch::LogAlarm`: its scheduled Logs Insights query run at each
 * scheduled time over the partial states replay accumulated, the AggregationExpression applied to the query's
 * results, and the M-of-N evaluation, per contributor when the expression has a `by`.
 *
 * Sources: [LA] https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html,
 * [SC] https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ScheduleConfiguration.html
 * (and /work/notes/facts-logalarm.md, which the kit's authors share).
 *
 * - Window of the execution at scheduled time T: [T - StartTimeOffset, T - EndTimeOffset], both ends included
 *   ([LA] "Log ingestion delay"; StartQuery's range is inclusive). Ingestion delay is not modelled: every
 *   record counts as queryable at its own time.
 * - Executions: at the epoch multiples of the rate (UNDOCUMENTED; [LA]'s example results are stamped 12:05:00,
 *   12:10:00, 12:15:00 for a 5-minute schedule), from the first whose window holds the first record to the last
 *   whose window holds the last one. The alarm is taken to exist before: earlier executions saw no logs.
 * - "Log Alarms evaluate the last N query executions. The alarm transitions to ALARM when M of those N
 *   executions breach the threshold" (N = QueryResultsToEvaluate, M = QueryResultsToAlarm) [LA].
 * - Without `by`: one value per execution. Missing when the window has no log events at all, or when the
 *   aggregation cannot produce a value; "count(*) on an empty result set returns 0, which is a valid
 *   datapoint" [LA]. TreatMissingData then applies as for a metric alarm whose evaluation range is exactly N
 *   (the metric-alarm evaluator, `evaluationRange: N`).
 * - With `by`: each contributor (unique combination of the `by` values) is evaluated on its own, M of N; "The
 *   alarm transitions to ALARM state if any contributor breaches"; a contributor absent from an execution's
 *   results "transitions to OK state regardless of the missing data treatment setting"; at most 500
 *   contributors per execution, "sorted alphabetically" unless `| sort asc|desc` sorts them by value [LA].
 *   UNDOCUMENTED, replay's choices: an absent execution counts as not breaching in a contributor's last N; the
 *   alarm is OK when no contributor is in ALARM once an execution has seen logs, INSUFFICIENT_DATA before.
 */

/** The settings of a log alarm that decide its state. */
export interface LogAlarmSettings {
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** N: the last N executions are evaluated. */
  readonly queryResultsToEvaluate: number;
  /** M: how many of them must breach. */
  readonly queryResultsToAlarm: number;
  /** @default 'missing' */
  readonly treatMissingData?: TreatMissingData;
  /** The schedule's rate, in seconds (a whole number of minutes). */
  readonly rateSeconds: number;
  readonly startTimeOffset: number;
  /** @default 0 */
  readonly endTimeOffset?: number;
}

/** A log alarm's query and aggregation, parsed, with what replay accumulates per record for them. */
export interface LogAlarmQuery {
  readonly query: LogsInsightsQuery;
  readonly aggregation: AggregationExpression;
  readonly plan: StreamPlan;
  /** The same text is the same accumulation: alarms with equal keys share one accumulator. */
  readonly key: string;
}

/** What one execution finds in its window (`LogAlarmExecutions.windowResult`), before the M-of-N state. */
export interface WindowResult {
  readonly at: number;
  readonly logsPresent: boolean;
  /** The most offending contributor (the only one without `by`). */
  readonly top?: ContributorValue;
  /** The contributors whose value breaches, in the evaluation order. */
  readonly breaching: readonly ContributorValue[];
  readonly partial: boolean;
  /** Every evaluated contributor, when `keepContributors`. */
  readonly contributors?: readonly ContributorValue[];
  /** Every evaluated contributor's text, when QueryResultsToEvaluate is over 1 (those in ALARM by history). */
  readonly present?: readonly string[];
}

/** One contributor's value at one execution. */
export interface ContributorValue {
  /** The `by` values joined with ', ' (e.g. `198.51.100.77` or `198.51.100.77, 10.0.1.5`); '' without `by`. */
  readonly group: string;
  readonly value: number;
}

/** One scheduled execution. */
export interface LogAlarmExecution {
  /** The scheduled time T (epoch seconds). */
  readonly at: number;
  /** The window's first and last second, both included. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Whether the log group had any record in the window. */
  readonly logsPresent: boolean;
  /** The evaluated contributors' values (kept only when asked), in the evaluation order of [LA]. */
  readonly contributors?: readonly ContributorValue[];
  /** The most offending value: the only one without `by`; with `by`, the highest (lowest for Less* operators). */
  readonly value?: number;
  /** The contributor of `value`. */
  readonly top?: string;
  /** The contributors whose value breached in this execution. */
  readonly breaching: readonly string[];
  /** Whether more contributors matched than the 500 evaluated (AWS then reports PARTIAL_DATA) [LA]. */
  readonly partial: boolean;
  /** The alarm's state after this execution. */
  readonly state: AlarmState;
}

/** A group that breached, at its worst. */
export interface LogAlarmOffender {
  readonly group: string;
  readonly value: number;
  /** The first execution (epoch seconds) at which it had that value. */
  readonly at: number;
}

export interface LogAlarmEvaluation {
  readonly executions: LogAlarmExecution[];
  /** The executions (epoch seconds) at which the alarm entered ALARM. */
  readonly enteredAlarmAt: number[];
  /** When the alarm was in ALARM: from the execution that entered it to the one that left it (or one rate past the last). */
  readonly alarmPeriods: Array<{ readonly start: number; readonly end: number }>;
  /** The breaching groups, most offending first (at most 10; none without `by`). */
  readonly topOffenders: LogAlarmOffender[];
}

/** [LA]: "Maximum 500 contributor results returned per query execution." */
const MAX_CONTRIBUTORS = 500;
const TOP_OFFENDERS = 10;
const COMPARISON_OPERATORS: readonly string[] = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const TREATMENTS: readonly string[] = ['breaching', 'notBreaching', 'ignore', 'missing'];

/**
 * Parses and compiles a log alarm's QueryString and AggregationExpression.
 *
 * @throws NotSimulatedError with the reason replay cannot evaluate them
 */
export function compileLogAlarmQuery(queryString: string, aggregationExpression: string): LogAlarmQuery {
  const query = parseLogsInsightsQuery(queryString);
  const aggregation = parseAggregationExpression(aggregationExpression);
  if (query.parsed.length === 0) {
    throw new NotSimulatedError('the query has no `parse` of the records: replay knows the fields only from the kit\'s `parse` glob');
  }
  const plan = streamPlanOf(query, aggregation);
  // Without stats, the accumulation is the aggregation itself; with stats, the query alone decides it.
  const key = query.stats === undefined ? `${queryString}\u0000${aggregationExpression}` : queryString;
  return { query, aggregation, plan, key };
}

/**
 * Checks a log alarm's settings, naming the property, the value and what replay simulates.
 *
 * @throws NotSimulatedError for settings replay cannot simulate exactly
 */
export function checkLogAlarmSettings(s: LogAlarmSettings): void {
  const end = s.endTimeOffset ?? 0;
  if (!COMPARISON_OPERATORS.includes(s.comparisonOperator)) {
    throw new NotSimulatedError(`ComparisonOperator ${JSON.stringify(s.comparisonOperator)} is not simulated (${COMPARISON_OPERATORS.join(', ')} are)`);
  }
  if (!Number.isFinite(s.threshold)) throw new NotSimulatedError(`Threshold must be a number, got ${String(s.threshold)}`);
  if (!Number.isInteger(s.queryResultsToEvaluate) || s.queryResultsToEvaluate < 1) {
    throw new NotSimulatedError(`QueryResultsToEvaluate must be a whole number of 1 or more, got ${String(s.queryResultsToEvaluate)}`);
  }
  if (!Number.isInteger(s.queryResultsToAlarm) || s.queryResultsToAlarm < 1 || s.queryResultsToAlarm > s.queryResultsToEvaluate) {
    throw new NotSimulatedError(`QueryResultsToAlarm must be a whole number from 1 to QueryResultsToEvaluate (${s.queryResultsToEvaluate}), got ${String(s.queryResultsToAlarm)}`);
  }
  if (s.treatMissingData !== undefined && !TREATMENTS.includes(s.treatMissingData)) {
    throw new NotSimulatedError(`TreatMissingData ${JSON.stringify(s.treatMissingData)} is not one of ${TREATMENTS.join(', ')}`);
  }
  if (!Number.isInteger(s.rateSeconds / 60) || s.rateSeconds < 60) {
    throw new NotSimulatedError(`the schedule's rate must be a whole number of minutes, got ${s.rateSeconds} seconds`);
  }
  for (const [name, value] of [['StartTimeOffset', s.startTimeOffset], ['EndTimeOffset', end]] as const) {
    if (!Number.isInteger(value) || value < 0 || value % 60 !== 0) {
      throw new NotSimulatedError(`${name} ${value} is not simulated: replay keeps its partial states per minute, so offsets must be whole minutes`);
    }
  }
  if (s.startTimeOffset <= end) {
    throw new NotSimulatedError(`StartTimeOffset (${s.startTimeOffset}) must be greater than EndTimeOffset (${end}) [SC]`);
  }
}

/** The epoch second range of the records replayed. */
export interface RecordRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Runs the alarm's executions over the accumulated partial states, all at once.
 *
 * @param settings the alarm's settings (checked with `checkLogAlarmSettings`)
 * @param compiled its query and aggregation
 * @param partials what replay accumulated for `compiled.plan`
 * @param range the first and last record's epoch seconds
 * @param keepContributors whether each execution keeps every contributor's value (memory grows with them)
 */
export function evaluateLogAlarm(
  settings: LogAlarmSettings, compiled: LogAlarmQuery, partials: QueryPartials, range: RecordRange, keepContributors = false,
): LogAlarmEvaluation {
  return new LogAlarmExecutions(settings, compiled, partials, keepContributors).finish(range);
}

/**
 * A log alarm's executions run as the records come in: once every record of an execution's window has been
 * read, the execution runs and the slots before the next window can be forgotten, so memory follows the
 * windows, not the input. The M-of-N state is carried from one execution to the next.
 */
export class LogAlarmExecutions {
  private readonly executions: LogAlarmExecution[] = [];
  /** Per contributor: the executions (indexes) at which it breached, the last N kept; and its worst value. */
  private readonly breaches = new Map<string, number[]>();
  private readonly worst = new Map<string, LogAlarmOffender>();
  private readonly values: Array<number | undefined> = [];
  private sawLogs = false;
  private state: AlarmState = 'INSUFFICIENT_DATA';
  /** The scheduled time of the next execution (undefined before the first record is known). */
  private nextAt: number | undefined;
  private readonly rate: number;
  private readonly startOffset: number;
  private readonly endOffset: number;
  private readonly grouped: boolean;
  private readonly lowIsWorse: boolean;
  /** On a byte range of the input: the first and last execution whose window lies in the range's own time. */
  private ownedFrom = -Infinity;
  private ownedTo = Infinity;
  /** On a byte range: the results of the executions run, applied later in order by `finish`. */
  private rangeResults: WindowResult[] | undefined;
  /** Results computed elsewhere (by the threads that read the records of their windows), by scheduled time. */
  private computed: ReadonlyMap<number, WindowResult> | undefined;
  private lastEnd = -Infinity;

  /**
   * @param settings the alarm's settings (checked with `checkLogAlarmSettings`)
   * @param compiled its query and aggregation
   * @param partials what replay accumulates for `compiled.plan`
   * @param keepContributors whether each execution keeps every contributor's value (memory grows with them)
   */
  constructor(
    private readonly settings: LogAlarmSettings, private readonly compiled: LogAlarmQuery,
    private readonly partials: QueryPartials, private readonly keepContributors = false,
  ) {
    checkLogAlarmSettings(settings);
    this.rate = settings.rateSeconds;
    this.startOffset = settings.startTimeOffset;
    this.endOffset = settings.endTimeOffset ?? 0;
    this.grouped = compiled.aggregation.by.length > 0;
    this.lowIsWorse = settings.comparisonOperator.startsWith('Less');
  }

  /** The last second of the last window run so far (-Infinity before the first execution). */
  public get lastWindowEnd(): number {
    return this.lastEnd;
  }

  /** The first slot an execution still to run reads (undefined before the first record is known). */
  public get nextSlot(): number | undefined {
    return this.nextAt === undefined ? undefined : slotOf(this.nextAt - this.startOffset);
  }

  /** On a byte range: the last slot that executions before the range's own run read (they run elsewhere). */
  public get keptThrough(): number {
    return this.ownedFrom === -Infinity ? -Infinity : slotOf(this.ownedFrom - this.rate - this.endOffset);
  }

  /**
   * For a byte range of the input read by one of several threads, whose records are known to lie between
   * `low - maxDisorder` and `high + maxDisorder` (the caller checks it once all are read): only the
   * executions whose window lies strictly between `low + maxDisorder` and `high - maxDisorder` run here,
   * since no other range has records in them; their results are kept (`rangeResults`), and the slots the
   * other executions read are not forgotten.
   */
  public ownOnly(low: number, high: number, maxDisorder: number): void {
    const rate = this.rate;
    // The first T with T - start > low + maxDisorder; the last T with T - end < high - maxDisorder.
    this.ownedFrom = low === -Infinity ? -Infinity : (Math.floor((low + maxDisorder + this.startOffset) / rate) + 1) * rate;
    this.ownedTo = high === Infinity ? Infinity : (Math.ceil((high - maxDisorder + this.endOffset) / rate) - 1) * rate;
    this.rangeResults = [];
  }

  /** On a byte range (`ownOnly`): the results of the executions run. */
  public get results(): readonly WindowResult[] {
    return this.rangeResults ?? [];
  }

  /**
   * Runs the rest of the executions as `finish` does, taking the results of those computed elsewhere (the
   * threads that read their windows' records) as they are, and computing the others from these partials.
   */
  public finishWith(range: RecordRange, computed: ReadonlyMap<number, WindowResult>): LogAlarmEvaluation {
    this.computed = computed;
    return this.finish(range);
  }

  /**
   * Runs the executions whose windows end before `before`: the caller knows every record before it has been
   * added (and that the first record, at `first`, is the earliest there will be).
   */
  public runBefore(before: number, first: number): void {
    if (this.nextAt === undefined) {
      // Fixed only once an execution runs: until then an earlier record may still come and move the first.
      const firstAt = this.ownedFrom !== -Infinity ? this.ownedFrom : Math.ceil((first + this.endOffset) / this.rate) * this.rate;
      if (firstAt - this.endOffset >= before) return;
      this.nextAt = firstAt;
    }
    while (this.nextAt - this.endOffset < before && this.nextAt <= this.ownedTo) {
      this.run(this.nextAt);
      this.nextAt += this.rate;
    }
  }

  /** Runs the rest of the executions, to the last whose window holds the last record, and returns them all. */
  public finish(range: RecordRange): LogAlarmEvaluation {
    if (range.first > range.last) {
      return { executions: [], enteredAlarmAt: [], alarmPeriods: [], topOffenders: [] };
    }
    const lastAt = Math.floor((range.last + this.startOffset) / this.rate) * this.rate;
    this.runBefore(lastAt - this.endOffset + 1, range.first);
    const executions = this.executions;
    const settings = this.settings;
    if (!this.grouped) {
      const evaluation = evaluateAlarm({
        threshold: settings.threshold,
        comparisonOperator: settings.comparisonOperator,
        evaluationPeriods: settings.queryResultsToEvaluate,
        datapointsToAlarm: settings.queryResultsToAlarm,
        treatMissingData: settings.treatMissingData ?? 'missing',
        evaluationRange: settings.queryResultsToEvaluate,
      }, this.values);
      evaluation.states.forEach((s, i) => {
        executions[i] = { ...executions[i], state: s };
      });
    }
    const enteredAlarmAt: number[] = [];
    const alarmPeriods: Array<{ start: number; end: number }> = [];
    let previous: AlarmState = 'INSUFFICIENT_DATA';
    for (const e of executions) {
      if (e.state === 'ALARM' && previous !== 'ALARM') {
        enteredAlarmAt.push(e.at);
        alarmPeriods.push({ start: e.at, end: e.at + this.rate });
      } else if (e.state === 'ALARM') {
        alarmPeriods[alarmPeriods.length - 1].end = e.at + this.rate;
      }
      previous = e.state;
    }
    const lowIsWorse = this.lowIsWorse;
    const topOffenders = [...this.worst.values()]
      .sort((a, b) => (lowIsWorse ? a.value - b.value : b.value - a.value) || a.at - b.at || (a.group < b.group ? -1 : 1))
      .slice(0, TOP_OFFENDERS);
    return { executions, enteredAlarmAt, alarmPeriods, topOffenders };
  }

  /** One execution, at scheduled time `at`. */
  private run(at: number): void {
    this.lastEnd = at - this.endOffset;
    const result = this.computed?.get(at) ?? this.windowResult(at);
    if (this.rangeResults !== undefined) this.rangeResults.push(result);
    else this.apply(result);
  }

  /**
   * What the execution at `at` finds in its window, before the alarm's M-of-N state: its contributors'
   * values, in the evaluation order of [LA], the 500 evaluated when more matched. Contributor texts are built
   * only for those a result names (the top one, the breaching ones), unless all of them are asked for.
   */
  public windowResult(at: number): WindowResult {
    const { settings, compiled, grouped, lowIsWorse } = this;
    const window = this.partials.window(slotOf(at - this.startOffset), slotOf(at - this.endOffset));
    const logsPresent = window.records > 0;
    const scored = logsPresent ? aggregate(compiled, window) : NO_CONTRIBUTORS;
    // With N > 1, a contributor present but not breaching can still be in ALARM: its text is needed.
    const everyText = this.keepContributors || (grouped && settings.queryResultsToEvaluate > 1);
    const sort = compiled.aggregation.sort;
    if (!grouped || everyText || (scored.size > MAX_CONTRIBUTORS && sort === undefined)) {
      let contributors = scored.all();
      let partial = false;
      if (grouped) {
        contributors = orderContributors(contributors, compiled.aggregation.sort);
        partial = contributors.length > MAX_CONTRIBUTORS;
        if (partial) contributors = contributors.slice(0, MAX_CONTRIBUTORS);
      }
      let top: ContributorValue | undefined;
      for (const c of contributors) {
        if (top === undefined || (lowIsWorse ? c.value < top.value : c.value > top.value)) top = c;
      }
      const breaching = contributors.filter(c => isBreaching(settings.comparisonOperator, c.value, settings.threshold));
      return {
        at,
        logsPresent,
        top,
        breaching,
        partial,
        ...(this.keepContributors ? { contributors } : {}),
        ...(everyText && grouped ? { present: contributors.map(c => c.group) } : {}),
      };
    }
    // The evaluated contributors; the top one is the most offending value, the first in the order of
    // orderContributors among equals, which is the least text (equal values sort by text in every order).
    const { comparisonOperator, threshold } = settings;
    let best = NaN;
    let bestText = '';
    const breaching: ContributorValue[] = [];
    const evaluate = (i: number) => {
      const value = scored.value(i);
      if (best !== best || (lowIsWorse ? value < best : value > best)) {
        best = value;
        bestText = scored.text(i);
      } else if (value === best) {
        const text = scored.text(i);
        if (text < bestText) bestText = text;
      }
      if (isBreaching(comparisonOperator, value, threshold)) breaching.push({ group: scored.text(i), value });
    };
    const partial = scored.size > MAX_CONTRIBUTORS;
    if (!partial) {
      for (let i = 0; i < scored.size; i++) evaluate(i);
    } else {
      const { better, cutoff, ties, room } = firstBySort(scored, sort!, MAX_CONTRIBUTORS);
      better.forEach(evaluate);
      // The ties evaluated (the first by text) matter only if their value breaches or is the top one;
      // otherwise which of them are evaluated changes nothing, and their texts are not built.
      const tiesMatter = isBreaching(comparisonOperator, cutoff, threshold) || !(lowIsWorse ? best < cutoff : best > cutoff);
      if (tiesMatter) firstByText(scored, ties, room).forEach(evaluate);
    }
    return {
      at,
      logsPresent,
      partial,
      top: scored.size > 0 ? { group: bestText, value: best } : undefined,
      breaching: orderContributors(breaching, sort),
    };
  }

  /** Carries the M-of-N state over one execution's result, in the order of the executions. */
  private apply(result: WindowResult): void {
    const { settings, grouped, lowIsWorse, breaches, worst } = this;
    const { at, logsPresent, top } = result;
    const n = settings.queryResultsToEvaluate;
    const m = settings.queryResultsToAlarm;
    const i = this.executions.length;
    this.sawLogs = this.sawLogs || logsPresent;
    if (grouped) {
      let anyInAlarm = false;
      for (const c of result.breaching) {
        let history = breaches.get(c.group);
        if (history === undefined) {
          history = [];
          breaches.set(c.group, history);
        }
        history.push(i);
        while (history[0] <= i - n) history.shift();
        if (history.length >= m) anyInAlarm = true;
        const before = worst.get(c.group);
        if (before === undefined || (lowIsWorse ? c.value < before.value : c.value > before.value)) {
          worst.set(c.group, { group: c.group, value: c.value, at });
        }
      }
      // A contributor present now but not breaching now can still be in ALARM (M of its last N).
      for (const group of result.present ?? []) {
        if (anyInAlarm) break;
        const history = breaches.get(group);
        if (history !== undefined) {
          while (history.length > 0 && history[0] <= i - n) history.shift();
          if (history.length >= m) anyInAlarm = true;
        }
      }
      this.state = anyInAlarm ? 'ALARM' : this.sawLogs ? 'OK' : 'INSUFFICIENT_DATA';
      if (i % n === 0) pruneHistories(breaches, i, n);
    } else {
      this.values.push(top?.value);
    }
    this.executions.push({
      at,
      windowStart: at - this.startOffset,
      windowEnd: at - this.endOffset,
      logsPresent,
      ...(result.contributors !== undefined ? { contributors: result.contributors } : {}),
      ...(top !== undefined ? { value: top.value, top: top.group } : {}),
      breaching: result.breaching.map(c => c.group),
      partial: result.partial,
      state: this.state,
    });
  }
}

/**
 * The first `limit` contributors in the order of orderContributors by value (`sort` given), without ordering
 * them all: those strictly better than the limit-th value (`better`, in no order), and those equal to it
 * (`ties`), of which the first `room` by text complete the `limit`.
 */
function firstBySort(scored: Scored, sort: 'asc' | 'desc', limit: number): { better: number[]; cutoff: number; ties: number[]; room: number } {
  const values = new Float64Array(scored.size);
  for (let i = 0; i < scored.size; i++) values[i] = scored.value(i);
  const cutoff = kthSmallest(values, sort === 'asc' ? limit - 1 : values.length - limit);
  const better: number[] = [];
  const ties: number[] = [];
  for (let i = 0; i < scored.size; i++) {
    const value = scored.value(i);
    if (value === cutoff) ties.push(i);
    else if (sort === 'asc' ? value < cutoff : value > cutoff) better.push(i);
  }
  return { better, cutoff, ties, room: limit - better.length };
}

/** The first `count` of these contributors by text. */
function firstByText(scored: Scored, contributors: number[], count: number): number[] {
  const texts = contributors.map(i => ({ i, text: scored.text(i) }));
  texts.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return texts.slice(0, count).map(t => t.i);
}

/**
 * The value that `values.sort()` would put at index k, found without sorting them (Hoare's selection,
 * linear on average; the middle of three as pivot). Reorders `values`. No value is NaN.
 */
export function kthSmallest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const a = values[low];
    const b = values[Math.floor((low + high) / 2)];
    const c = values[high];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    // [low, j] <= pivot <= [i, high], and any index between j and i holds the pivot itself.
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k];
  }
  return values[k];
}

/** Forgets contributors with no breach in the last N executions (they cannot be in ALARM any more). */
function pruneHistories(breaches: Map<string, number[]>, i: number, n: number): void {
  for (const [group, history] of breaches) {
    while (history.length > 0 && history[0] <= i - n) history.shift();
    if (history.length === 0) breaches.delete(group);
  }
}

/** [LA]: contributors "sorted alphabetically" by default; by value with `| sort asc|desc`. */
function orderContributors(contributors: ContributorValue[], sort: 'asc' | 'desc' | undefined): ContributorValue[] {
  return contributors.sort((a, b) => (sort === 'asc' ? a.value - b.value : sort === 'desc' ? b.value - a.value : 0)
    || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** The contributors of one window with their values, their texts built on demand. */
interface Scored {
  readonly size: number;
  value(i: number): number;
  text(i: number): string;
  /** Every contributor, texts built (in the order found). */
  all(): ContributorValue[];
}

const NO_CONTRIBUTORS: Scored = { size: 0, value: () => NaN, text: () => '', all: () => [] };

/** Contributors that are groups of a window's table: ordinals and values, a text only when asked (and once). */
function scoredGroups(table: GroupTable, ordinals: number[], values: number[]): Scored {
  const texts = new Array<string | undefined>(ordinals.length);
  const text = (i: number) => texts[i] ?? (texts[i] = table.textOf(ordinals[i]));
  return {
    size: ordinals.length,
    value: i => values[i],
    text,
    all: () => ordinals.map((_, i) => ({ group: text(i), value: values[i] })),
  };
}

function scoredList(list: ContributorValue[]): Scored {
  return { size: list.length, value: i => list[i].value, text: i => list[i].group, all: () => list };
}

/**
 * The AggregationExpression's value per contributor over one window: over the matching events when the query
 * has no `stats` (the accumulated groups are then the contributors), else over the query's result rows.
 */
function aggregate(compiled: LogAlarmQuery, window: ReturnType<QueryPartials['window']>): Scored {
  const { query, aggregation, plan } = compiled;
  const table = window.groups;
  const ordinals: number[] = [];
  const values: number[] = [];
  if (query.stats === undefined) {
    const fn = plan.functions[0].fn;
    for (let g = 0; g < table.size; g++) {
      const value = table.valueAt(g, 0, fn);
      if (value !== undefined && !(aggregation.fn === 'count' && aggregation.field !== undefined && value === 0)) {
        ordinals.push(g);
        values.push(value);
      }
    }
    if (ordinals.length === 0 && aggregation.by.length === 0 && aggregation.fn === 'count' && aggregation.field === undefined) {
      return scoredList([{ group: '', value: 0 }]); // [LA]: count(*) on an empty result set returns 0
    }
    return scoredGroups(table, ordinals, values);
  }
  const column = aggregation.field === undefined ? -1 : query.stats.functions.findIndex(f => f.name === aggregation.field);
  if (query.rowCommands.length === 0 && sameList(aggregation.by, query.stats.by) && column >= 0 && aggregation.fn !== 'count') {
    // Each result row is its own contributor (the kit's `max(value) by srcaddr` over `stats … as value by srcaddr`):
    // the aggregation of one row is the row's value (aggregateRows of one row), without building the rows.
    const fn = plan.functions[column].fn;
    for (let g = 0; g < table.size; g++) {
      const value = table.valueAt(g, column, fn);
      if (value !== undefined) {
        ordinals.push(g);
        values.push(value);
      }
    }
    return scoredGroups(table, ordinals, values);
  }
  const result: ContributorValue[] = [];
  const rows = resultRows(query, plan, window);
  const groups = new Map<string, QueryRow[]>();
  for (const row of rows) {
    const keys = aggregation.by.map(f => row.get(f));
    if (keys.some(v => v === undefined)) continue; // UNDOCUMENTED: a row without a `by` field makes no contributor
    const key = keys.join(', ');
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [row]);
    else list.push(row);
  }
  for (const [group, members] of groups) {
    const value = aggregateRows(aggregation, members);
    if (value !== undefined) result.push({ group, value });
  }
  if (aggregation.by.length === 0 && groups.size === 0 && aggregation.fn === 'count' && aggregation.field === undefined) {
    result.push({ group: '', value: 0 }); // [LA]: count(*) on an empty result set returns 0
  }
  return scoredList(result);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The aggregation over result rows; undefined when it has no value ([LA]: the field absent, no numeric value). */
function aggregateRows(aggregation: AggregationExpression, rows: QueryRow[]): number | undefined {
  const field = aggregation.field;
  if (field === undefined) return rows.length;
  let present = 0;
  let numeric = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    const v = row.get(field);
    if (v === undefined) continue;
    present++;
    const num = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
    if (num !== num) continue;
    numeric++;
    sum += num;
    if (num < min) min = num;
    if (num > max) max = num;
  }
  switch (aggregation.fn) {
    case 'count': return present > 0 ? present : undefined;
    case 'sum': return numeric > 0 ? sum : undefined;
    case 'avg': return numeric > 0 ? sum / numeric : undefined;
    case 'min': return numeric > 0 ? min : undefined;
    default: return numeric > 0 ? max : undefined;
  }
}

/**
 * The rate of a log alarm's ScheduleExpression, in seconds: `rate(N minute|minutes|hour|hours|day|days)`
 * ("Specify a rate() expression, for example rate(5 minutes)" [SC]).
 *
 * @throws NotSimulatedError for any other expression
 */
export function rateSecondsOf(scheduleExpression: string): number {
  const m = /^rate\(\s*([1-9][0-9]*)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(scheduleExpression.trim());
  if (!m) {
    throw new NotSimulatedError(`ScheduleExpression ${JSON.stringify(scheduleExpression)} is not simulated: a log alarm's schedule is `
      + 'a rate() expression such as rate(5 minutes) [SC]');
  }
  const unit = m[2].startsWith('minute') ? 60 : m[2].startsWith('hour') ? 3600 : 86400;
  return Number(m[1]) * unit;
}
