import * as fs from 'fs';
import { Stack, Stage } from 'aws-cdk-lib';
import { AlarmSettings, ComparisonOperator, evaluateAlarm, TreatMissingData } from './private/alarm-evaluator';
import { SpaceDelimitedPattern, splitSpaceDelimited } from './private/filter-pattern';
import { ReplaySession } from './private/replay-session';
import { readTemplateModel, TemplateAlarm, TemplateModel } from './private/template-model';

/**
 * Options of a replay's template.
 */
export interface FlowLogReplayOptions {
  /**
   * Values for the template's references (`LogicalId`, or `LogicalId.Attribute` for
   * `Fn::GetAtt`), e.g. the deployed IDs of the subnets that role filters name.
   *
   * @default - none: filters whose patterns need a reference are reported as unresolved
   */
  readonly refs?: Record<string, string>;
}

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
  /** The start times (ISO 8601) of the periods in which it entered ALARM. */
  readonly enteredAlarmAt: string[];
  /** The metric's value per period, from the first record's period to the last's (absent periods: none). */
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
 * What a replay found.
 */
export interface ReplayResult {
  /** Records read. */
  readonly recordsRead: number;
  /** Records skipped: blank lines and comments. */
  readonly recordsSkipped: number;
  /** Records without a usable timestamp (no numeric `end` or `start` field). */
  readonly recordsMalformed: number;
  /** Each metric filter of the template. */
  readonly filters: FilterReplay[];
  /** Each alarm of the template. */
  readonly alarms: AlarmReplay[];
}

/**
 * Replays flow-log records against the metric filters and static-threshold alarms of a
 * synthesized template, offline: which records each filter matches, the metric each emits
 * per period, and when each alarm would have entered ALARM.
 *
 * Anomaly-detection alarms are listed as not simulated (their band is learned by CloudWatch).
 */
export class FlowLogReplay {
  /**
   * The template of a stack of this app.
   */
  public static fromStack(stack: Stack, options: FlowLogReplayOptions = {}): FlowLogReplay {
    const stage = Stage.of(stack);
    if (!stage) {
      throw new Error(`the stack '${stack.node.path}' is not in an App or Stage, so it cannot be synthesized`);
    }
    return new FlowLogReplay(stage.synth().getStackArtifact(stack.artifactId).template, options);
  }

  /**
   * A template file (`cdk.out/<stack>.template.json`).
   */
  public static fromTemplateFile(path: string, options: FlowLogReplayOptions = {}): FlowLogReplay {
    return new FlowLogReplay(JSON.parse(fs.readFileSync(path, 'utf8')), options);
  }

  private readonly model: TemplateModel;
  private readonly patterns: Map<string, SpaceDelimitedPattern | undefined>;
  /** Where a record's time is: the `end` column, else `start`, of the template's patterns. */
  private readonly timeColumns: number[];

  private constructor(template: any, options: FlowLogReplayOptions) {
    this.model = readTemplateModel(template, options.refs ?? {});
    if (this.model.metricFilters.length === 0) {
      throw new Error('the template has no AWS::Logs::MetricFilter: nothing to replay');
    }
    this.patterns = new Map(this.model.metricFilters.map(f =>
      [f.logicalId, f.pattern === undefined ? undefined : SpaceDelimitedPattern.parse(f.pattern)]));
    const columns = [...this.patterns.values()].find(p => p !== undefined)?.columns ?? [];
    this.timeColumns = ['end', 'start'].map(name => columns.indexOf(name)).filter(i => i >= 0);
  }

  /**
   * Replays records (plain-text flow-log records, one per element).
   */
  public replay(records: string[]): ReplayResult {
    const session = this._session();
    records.forEach(record => session.add(record));
    return session.finish();
  }

  /**
   * A replay fed one record at a time, for streamed input (the command line).
   *
   * @internal
   */
  public _session(): ReplaySession {
    const filters = this.model.metricFilters;
    const matched = new Map<string, number>(filters.map(f => [f.logicalId, 0]));
    const sums = new Map<string, number>(filters.map(f => [f.logicalId, 0]));
    // Metric key -> minute -> aggregate: memory follows the time span, not the record count.
    const emitted = new Map<string, Map<number, MinuteAggregate>>();
    const span = { first: Infinity, last: -Infinity };
    const counts = { read: 0, skipped: 0, malformed: 0 };
    const add = (raw: string) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) {
        counts.skipped++;
        return;
      }
      counts.read++;
      const fields = splitSpaceDelimited(line);
      const time = this.timeOf(fields);
      if (time === undefined) {
        counts.malformed++;
        return;
      }
      span.first = Math.min(span.first, time);
      span.last = Math.max(span.last, time);
      for (const filter of filters) {
        const pattern = this.patterns.get(filter.logicalId);
        const key = metricKey(filter.metricNamespace, filter.metricName);
        if (pattern && pattern.matchesFields(fields)) {
          const value = pattern.metricValue(filter.metricValue, line);
          if (value !== undefined) {
            matched.set(filter.logicalId, matched.get(filter.logicalId)! + 1);
            sums.set(filter.logicalId, sums.get(filter.logicalId)! + value);
            emit(emitted, key, time, value);
            continue;
          }
        }
        if (filter.defaultValue !== undefined && pattern) {
          emit(emitted, key, time, filter.defaultValue);
        }
      }
    };
    const finish = (): ReplayResult => ({
      recordsRead: counts.read,
      recordsSkipped: counts.skipped,
      recordsMalformed: counts.malformed,
      filters: filters.map(f => ({
        logicalId: f.logicalId,
        metricName: f.metricName,
        recordsMatched: matched.get(f.logicalId)!,
        sum: sums.get(f.logicalId)!,
        unresolved: f.unresolved,
      })),
      alarms: this.model.alarms.map(a => replayAlarm(a, emitted, span)),
    });
    return { add, finish };
  }

  /**
   * The record's time in epoch seconds: its `end` field, else its `start`.
   */
  private timeOf(fields: string[]): number | undefined {
    for (const index of this.timeColumns) {
      if (index < fields.length && /^\d+$/.test(fields[index])) {
        const value = Number(fields[index]);
        return value > 1e11 ? Math.floor(value / 1000) : value; // some writers use milliseconds
      }
    }
    return undefined;
  }
}

function metricKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace}\u0000${name}`;
}

/** What a metric received in one minute: enough to compute every supported statistic. */
interface MinuteAggregate { sum: number; count: number; min: number; max: number }

function emit(emitted: Map<string, Map<number, MinuteAggregate>>, key: string, time: number, value: number): void {
  let minutes = emitted.get(key);
  if (!minutes) {
    minutes = new Map();
    emitted.set(key, minutes);
  }
  const minute = Math.floor(time / 60) * 60;
  const a = minutes.get(minute);
  if (a) {
    a.sum += value;
    a.count++;
    a.min = Math.min(a.min, value);
    a.max = Math.max(a.max, value);
  } else {
    minutes.set(minute, { sum: value, count: 1, min: value, max: value });
  }
}

function replayAlarm(alarm: TemplateAlarm, emitted: Map<string, Map<number, MinuteAggregate>>, span: { first: number; last: number }): AlarmReplay {
  const base = { logicalId: alarm.logicalId, alarmName: alarm.alarmName };
  const minutes = emitted.get(metricKey(alarm.metricNamespace, alarm.metricName));
  if (alarm.notSimulated || !minutes) {
    return {
      ...base,
      simulated: false,
      enteredAlarmAt: [],
      series: [],
      notSimulatedReason: alarm.notSimulated ?? 'no metric filter of the template emits its metric',
    };
  }
  // Metric-filter metrics have 1-minute resolution: a shorter alarm period counts as a minute.
  const period = Math.max(60, alarm.periodSeconds!);
  const first = Math.floor(span.first / period) * period;
  const last = Math.floor(span.last / period) * period;
  const buckets: Array<MinuteAggregate | undefined> = new Array((last - first) / period + 1).fill(undefined);
  for (const [minute, a] of minutes) {
    const i = Math.floor((minute - first) / period);
    const b = buckets[i];
    buckets[i] = b ? { sum: b.sum + a.sum, count: b.count + a.count, min: Math.min(b.min, a.min), max: Math.max(b.max, a.max) } : { ...a };
  }
  const values = buckets.map(b => b && statisticOf(alarm.statistic ?? 'Sum', b));
  const settings: AlarmSettings = {
    threshold: alarm.threshold!,
    comparisonOperator: alarm.comparisonOperator as ComparisonOperator,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    treatMissingData: (alarm.treatMissingData ?? 'missing') as TreatMissingData,
  };
  const evaluation = evaluateAlarm(settings, values);
  const iso = (i: number) => new Date((first + i * period) * 1000).toISOString();
  return {
    ...base,
    simulated: true,
    enteredAlarmAt: evaluation.changes.filter(c => c.to === 'ALARM').map(c => iso(c.periodIndex)),
    series: values.map((value, i) => ({ periodStart: iso(i), value })),
  };
}

function statisticOf(statistic: string, a: MinuteAggregate): number {
  switch (statistic) {
    case 'Sum': return a.sum;
    case 'SampleCount': return a.count;
    case 'Average': return a.sum / a.count;
    case 'Minimum': return a.min;
    case 'Maximum': return a.max;
    default: throw new Error(`statistic '${statistic}' is not supported by the replay (Sum, SampleCount, Average, Minimum, Maximum)`);
  }
}
