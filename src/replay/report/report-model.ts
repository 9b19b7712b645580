import { downsample, MAX_BUCKETS, SeriesBucket } from './series-downsampling';
import { formatValue, PLAIN, unitOf, ValueUnit } from './value-unit';
import { AlarmReplay, ReplayProblem, ReplayResult } from '../replay-result';

/**
 * What a replay report shows, computed from a replay result and nothing else: the header's
 * facts, one timeline per alarm (downsampled series, threshold, ALARM spans, M of N, unit),
 * each metric filter's totals. Times are epoch milliseconds.
 */
export interface ReportModel {
  readonly title: string;
  readonly template?: string;
  readonly logGroup: string;
  readonly recordsRead: number;
  readonly recordsSkipped: number;
  readonly recordsMalformed: number;
  readonly recordsMismatched: number;
  /** The time the records cover (first to last record); undefined when none was replayed. */
  readonly timeSpan?: TimeSpan;
  /** The span every timeline's time axis shows, so that their times line up. */
  readonly chartSpan?: TimeSpan;
  readonly problems: ReplayProblem[];
  /** Problems left out of `problems` by the cap. */
  readonly problemsOmitted: number;
  readonly alarms: AlarmTimeline[];
  readonly filters: FilterTotals[];
}

export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

export interface AlarmTimeline {
  /** Unique in the page, usable as an HTML id. */
  readonly anchor: string;
  readonly name: string;
  readonly logicalId: string;
  /** `METRIC`, `ANOMALY` or `LOG`. */
  readonly kind: string;
  readonly simulated: boolean;
  readonly notSimulatedReason?: string;
  readonly enteredAlarmAt: number[];
  /** What its chart's values are, for the axis label: `PublicSshAcceptedBytes, Sum per 5 minutes`. */
  readonly valueLabel: string;
  readonly unit: ValueUnit;
  /** Whether its values are whole numbers (counts and sums of them; an average is not). */
  readonly wholeNumbers: boolean;
  readonly periodMs: number;
  /** `evaluation` for a log alarm, else `period`. */
  readonly periodNoun: string;
  readonly threshold?: number;
  /** `>`, `≥`, `<`, `≤`, or words for an anomaly band. */
  readonly comparison?: string;
  /** The alarm's condition in words: `ALARM when 2 of 3 periods of 5 minutes are > 100 flows`. */
  readonly condition?: string;
  readonly datapointsToAlarm?: number;
  readonly evaluationPeriods?: number;
  /** The series in at most MAX_BUCKETS buckets. */
  readonly buckets: SeriesBucket[];
  /** Periods in the series, and how many have a datapoint. */
  readonly periods: number;
  readonly datapoints: number;
  readonly downsampled: boolean;
  /** Periods whose datapoint breaches the threshold. */
  readonly breachCount: number;
  /** Those periods' starts and values, when the series is not downsampled (then each is drawn as a marker). */
  readonly breaches: Array<{ readonly at: number; readonly value: number }>;
  /** The largest value and the start of its period. */
  readonly peak?: { readonly value: number; readonly at: number };
  /** The spans it was in ALARM. */
  readonly alarmSpans: TimeSpan[];
  /** False when only the entry times were known: each span is then the one period it entered ALARM in. */
  readonly alarmSpansExact: boolean;
  readonly offenders: Array<{ readonly group: string; readonly value: number; readonly at: number }>;
  readonly offendersOmitted: number;
}

export interface FilterTotals {
  readonly logicalId: string;
  readonly metricName: string;
  readonly metricValue?: string;
  readonly unit: ValueUnit;
  readonly recordsMatched: number;
  readonly sum: number;
  readonly unresolved: string[];
}

export interface ReportModelOptions {
  readonly title?: string;
  readonly template?: string;
  /** @default 10 */
  readonly maxOffenders?: number;
  /** @default MAX_BUCKETS */
  readonly maxBuckets?: number;
  /** @default 20 */
  readonly maxProblems?: number;
}

const BREACHES: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

const COMPARISONS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  GreaterThanUpperThreshold: 'above the band',
  LessThanLowerThreshold: 'below the band',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
};

export function buildReportModel(result: ReplayResult, options: ReportModelOptions = {}): ReportModel {
  const maxOffenders = options.maxOffenders ?? 10;
  const maxProblems = options.maxProblems ?? 20;
  const timeSpan = result.firstRecordAt !== undefined && result.lastRecordAt !== undefined
    ? { start: Date.parse(result.firstRecordAt), end: Date.parse(result.lastRecordAt) } : undefined;
  const anchors = new Set<string>();
  const maxBuckets = options.maxBuckets ?? MAX_BUCKETS;
  const alarms = result.alarms.map(a => timelineOf(a, anchorOf(a.alarmName ?? a.logicalId, anchors), maxOffenders, maxBuckets));
  const spans = [
    ...alarms.filter(a => a.buckets.length > 0).map(a => ({ start: a.buckets[0].start, end: a.buckets[a.buckets.length - 1].end })),
    ...(timeSpan ? [timeSpan] : []),
  ];
  return {
    title: options.title ?? `Flow-log replay of ${result.logGroup}`,
    template: options.template,
    logGroup: result.logGroup,
    recordsRead: result.recordsRead,
    recordsSkipped: result.recordsSkipped,
    recordsMalformed: result.recordsMalformed,
    recordsMismatched: result.recordsMismatched,
    timeSpan,
    chartSpan: spans.length === 0 ? undefined
      : { start: Math.min(...spans.map(s => s.start)), end: Math.max(...spans.map(s => s.end)) },
    problems: result.problems.slice(0, maxProblems),
    problemsOmitted: Math.max(0, result.problems.length - maxProblems),
    alarms,
    filters: result.filters.map(f => ({
      logicalId: f.logicalId,
      metricName: f.metricName,
      metricValue: f.metricValue,
      unit: unitOf(f.metricValue, f.metricName),
      recordsMatched: f.recordsMatched,
      sum: f.sum,
      unresolved: f.unresolved,
    })),
  };
}

function timelineOf(a: AlarmReplay, anchor: string, maxOffenders: number, maxBuckets: number): AlarmTimeline {
  const kind = a.alarmKind ?? 'METRIC';
  const log = kind === 'LOG';
  const points = a.series.map(d => ({ at: Date.parse(d.periodStart), value: d.value }));
  // The series' own spacing first: replay evaluates a metric alarm of a period under a minute per minute
  // (a metric filter's metric has 1-minute resolution).
  const periodMs = points.length > 1 ? points[1].at - points[0].at
    : a.periodSeconds !== undefined ? (log ? a.periodSeconds : Math.max(60, a.periodSeconds)) * 1000 : 60_000;
  const unit = unitOf(a.valueExpression, a.metricName, a.statistic);
  const comparison = a.comparisonOperator === undefined ? undefined : COMPARISONS[a.comparisonOperator] ?? a.comparisonOperator;
  const periodNoun = log ? 'evaluation' : 'period';
  const n = a.evaluationPeriods;
  const m = a.datapointsToAlarm ?? n;
  const plural = n === 1 ? '' : 's';
  const limit = a.threshold !== undefined ? formatValue(a.threshold, unit) : kind === 'ANOMALY' ? 'CloudWatch learns' : undefined;
  const condition = n === undefined || comparison === undefined || limit === undefined ? undefined
    : log ? `ALARM when ${m} of ${n} evaluation${plural} (every ${durationText(periodMs)}) ${n === 1 ? 'has' : 'have'} a group ${comparison} ${limit}`
      : `ALARM when ${m} of ${n} period${plural} of ${durationText(periodMs)} ${n === 1 ? 'is' : 'are'} ${comparison} ${limit}`;

  let peak: AlarmTimeline['peak'];
  let datapoints = 0;
  for (const p of points) {
    if (p.value !== undefined) {
      datapoints++;
      if (peak === undefined || p.value > peak.value) peak = { value: p.value, at: p.at };
    }
  }
  const breachesThreshold = a.threshold !== undefined && a.comparisonOperator !== undefined ? BREACHES[a.comparisonOperator] : undefined;
  const breaching = breachesThreshold === undefined ? []
    : points.filter(p => p.value !== undefined && breachesThreshold(p.value, a.threshold!)) as Array<{ at: number; value: number }>;
  const downsampled = points.length > maxBuckets;
  const spansExact = a.alarmPeriods !== undefined;
  const alarmSpans = spansExact
    ? a.alarmPeriods!.map(r => ({ start: Date.parse(r.start), end: Date.parse(r.end) }))
    : a.enteredAlarmAt.map(t => ({ start: Date.parse(t), end: Date.parse(t) + periodMs }));
  // Most offending first, as the engine gives them: the lowest first for a `LessThan…` operator.
  const lowIsWorse = /^LessThan/.test(a.comparisonOperator ?? '');
  const offenders = [...(a.topOffenders ?? [])].sort((x, y) => (lowIsWorse ? x.value - y.value : y.value - x.value));
  const statistic = a.statistic ? `, ${a.statistic} per ${durationText(periodMs)}` : '';
  return {
    anchor,
    name: a.alarmName ?? a.logicalId,
    logicalId: a.logicalId,
    kind,
    simulated: a.simulated,
    notSimulatedReason: a.notSimulatedReason,
    enteredAlarmAt: a.enteredAlarmAt.map(t => Date.parse(t)),
    valueLabel: log ? `${lowIsWorse ? 'lowest' : 'top'} group's value per evaluation (every ${durationText(periodMs)})`
      : `${a.metricName ?? 'metric'}${statistic}`,
    unit,
    wholeNumbers: a.statistic !== 'Average' && unit !== PLAIN,
    periodMs,
    periodNoun,
    threshold: a.threshold,
    comparison,
    condition,
    datapointsToAlarm: m,
    evaluationPeriods: n,
    buckets: downsample(points, periodMs, maxBuckets),
    periods: points.length,
    datapoints,
    downsampled,
    breachCount: breaching.length,
    breaches: downsampled ? [] : breaching,
    peak,
    alarmSpans,
    alarmSpansExact: spansExact,
    offenders: offenders.slice(0, maxOffenders).map(o => ({ group: o.group, value: o.value, at: Date.parse(o.at) })),
    offendersOmitted: Math.max(0, offenders.length - maxOffenders),
  };
}

/** How many times or spans a sentence lists before it counts the rest. */
export const MAX_LISTED = 10;

/** `a, b, c`, or `a, b, c and 290 more` past `max` items. */
export function listText(items: readonly string[], max: number = MAX_LISTED): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${(items.length - max).toLocaleString('en-US')} more` : shown;
}

/** `5 minutes`, `1 hour`, `90 seconds`. */
export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** The ids a chart derives from its alarm's anchor (svg-chart.ts): they must be unique in the page too. */
const DERIVED_IDS = ['', '-title', '-desc', '-hatch'];

/** A lower-case slug of the name, made unique among those given out, with the ids derived from it. */
function anchorOf(name: string, taken: Set<string>): string {
  const slug = `alarm-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  let anchor = slug;
  for (let k = 2; DERIVED_IDS.some(d => taken.has(`${anchor}${d}`)); k++) {
    anchor = `${slug}-${k}`;
  }
  DERIVED_IDS.forEach(d => taken.add(`${anchor}${d}`));
  return anchor;
}
