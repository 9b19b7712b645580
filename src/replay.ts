import * as fs from 'fs';
import { Stack, Stage } from 'aws-cdk-lib';
import { replayAlarm } from './private/alarm-replay';
import { SpaceDelimitedPattern } from './private/filter-pattern';
import { ReplayPlan, ReplaySession } from './private/replay-session';
import { readTemplateModel, TemplateAlarm, TemplateLogGroup } from './private/template-model';

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

  /**
   * The log group the records come from, when the template's metric filters read several
   * (e.g. two watches in one stack): its logical ID or its construct path (`Stack/Watch/LogGroup`,
   * with or without the stack's name). Only its filters, and the alarms on their metrics, are replayed.
   *
   * @default - the only log group the template's metric filters read; an error names the
   * choices when there are several
   */
  readonly logGroup?: string;
}

/**
 * One metric filter's outcome.
 */
export interface FilterReplay {
  /** The filter's logical ID. */
  readonly logicalId: string;
  /** Its metric's name. */
  readonly metricName: string;
  /** Its metric value as the template writes it: a field (`$bytes`) or a number (`1`). @default - not known */
  readonly metricValue?: string;
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
  /** `METRIC` (static threshold), `ANOMALY` (anomaly-detection band) or `LOG` (a log alarm on a Logs Insights query). @default - not known */
  readonly alarmKind?: string;
  /** The metric it watches. @default - none: a log alarm, or metric math */
  readonly metricName?: string;
  /** The statistic of its series (`Sum`, `Maximum` …). @default - not known */
  readonly statistic?: string;
  /**
   * What one datapoint counts: the metric filter's metric value (`$bytes`, `1`) or a log alarm's
   * aggregation (`count_distinct(dstport)`); a report infers its unit from it.
   *
   * @default - not known
   */
  readonly valueExpression?: string;
  /** Its threshold. @default - none (an anomaly band, or not known) */
  readonly threshold?: number;
  /** How a datapoint is compared with the threshold (`GreaterThanThreshold` …). @default - not known */
  readonly comparisonOperator?: string;
  /** The length of one period (or, for a log alarm, of one evaluation's schedule) in seconds. @default - not known */
  readonly periodSeconds?: number;
  /** N: the periods (or evaluations) it looks at. @default - not known */
  readonly evaluationPeriods?: number;
  /** M: how many of them must breach. @default - evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** The spans of time it spent in ALARM. @default - not known (only `enteredAlarmAt`) */
  readonly alarmPeriods?: ReplayTimeRange[];
  /** A log alarm's groups (sources) with the highest values, highest first. @default - none: not a log alarm */
  readonly topOffenders?: ReplayOffender[];
}

/**
 * A span of time.
 */
export interface ReplayTimeRange {
  /** Its start (ISO 8601). */
  readonly start: string;
  /** Its end, exclusive (ISO 8601). */
  readonly end: string;
}

/**
 * A group of a log alarm's query (e.g. a source address) and its value.
 */
export interface ReplayOffender {
  /** The group's value of the query's `by` fields, e.g. `198.51.100.77`. */
  readonly group: string;
  /** Its aggregated value. */
  readonly value: number;
  /** The start (ISO 8601) of the evaluation in which it had that value. */
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
  /** The time (ISO 8601) of the earliest record replayed. @default - no record was replayed */
  readonly firstRecordAt?: string;
  /** The time (ISO 8601) of the latest record replayed. @default - no record was replayed */
  readonly lastRecordAt?: string;
  /** The malformed and mismatched records, by source and kind, with line numbers. */
  readonly problems: ReplayProblem[];
  /** Each metric filter on the log group. */
  readonly filters: FilterReplay[];
  /** Each alarm on the metrics of those filters, or on the log group itself. */
  readonly alarms: AlarmReplay[];
}

/** The source name of the records given to `replay()`. */
const RECORDS_SOURCE = '<records>';

/**
 * Replays flow-log records against the metric filters and static-threshold alarms of a
 * synthesized template, offline: which records each filter matches, the metric each emits
 * per period, and when each alarm would have entered ALARM.
 *
 * Anomaly-detection alarms are listed as not simulated (their band is learned by CloudWatch),
 * with their metric's series.
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

  /** The log group replayed: its logical ID, or its literal name. */
  public readonly logGroup: string;
  private readonly plan: ReplayPlan;
  private readonly alarms: TemplateAlarm[];

  private constructor(template: any, options: FlowLogReplayOptions) {
    const model = readTemplateModel(template, options.refs ?? {});
    if (model.metricFilters.length === 0) {
      throw new Error('the template has no AWS::Logs::MetricFilter: nothing to replay');
    }
    this.logGroup = selectLogGroup(model.logGroups, options.logGroup);
    const filters = model.metricFilters.filter(f => f.logGroup === this.logGroup);
    const emitted = new Set(filters.map(f => metricKey(f.metricNamespace, f.metricName)));
    this.alarms = model.alarms.filter(a => a.logGroupDimension === this.logGroup || emitted.has(metricKey(a.metricNamespace, a.metricName)));
    const patterns = filters.map(f => (f.pattern === undefined ? undefined : SpaceDelimitedPattern.parse(f.pattern)));
    const columns = patterns.find(p => p !== undefined)?.columns ?? [];
    const fieldCount = columns.length > 0 && !patterns.some(p => p?.columns.includes('...')) ? columns.length : undefined;
    this.plan = { filters, patterns, columns, fieldCount };
  }

  /**
   * Replays records (plain-text flow-log records, one per element; problems are reported
   * with the element's 1-based index as its line number).
   */
  public replay(records: string[]): ReplayResult {
    const session = this._session();
    records.forEach((record, i) => session.add(record, RECORDS_SOURCE, i + 1));
    return session.finish();
  }

  /**
   * A replay fed one record at a time, for streamed input (the command line).
   *
   * @internal
   */
  public _session(): { add: ReplaySession['add']; finish(): ReplayResult } {
    const session = new ReplaySession(this.plan);
    const { filters, patterns } = this.plan;
    const resolved = patterns.map(p => p !== undefined);
    return {
      add: (record, source, lineNumber, timestamp, header) => session.add(record, source, lineNumber, timestamp, header),
      finish: () => {
        const outcome = session.finish();
        return {
          logGroup: this.logGroup,
          recordsRead: outcome.recordsRead,
          recordsSkipped: outcome.recordsSkipped,
          recordsMalformed: outcome.recordsMalformed,
          recordsMismatched: outcome.recordsMismatched,
          ...(outcome.first <= outcome.last ? {
            firstRecordAt: new Date(outcome.first * 1000).toISOString(),
            lastRecordAt: new Date(outcome.last * 1000).toISOString(),
          } : {}),
          problems: outcome.problems.map(p => ({ ...p })),
          filters: filters.map((f, i) => ({
            logicalId: f.logicalId,
            metricName: f.metricName,
            metricValue: f.metricValue,
            recordsMatched: outcome.recordsMatched[i],
            sum: outcome.sums[i],
            unresolved: f.unresolved,
          })),
          alarms: this.alarms.map(a => replayAlarm(a, filters, resolved, outcome)),
        };
      },
    };
  }
}

function selectLogGroup(logGroups: TemplateLogGroup[], wanted: string | undefined): string {
  const describe = (g: TemplateLogGroup) => (g.path ? `${g.key} (${g.path.replace(/\/Resource$/, '')})` : g.key);
  if (wanted === undefined) {
    if (logGroups.length > 1) {
      throw new Error(`the template's metric filters read ${logGroups.length} log groups; choose the one the records come from `
        + `with the logGroup option (--log-group): ${logGroups.map(describe).join(', ')}`);
    }
    return logGroups[0].key;
  }
  const found = logGroups.find(g => {
    const path = g.path?.replace(/\/Resource$/, '');
    return g.key === wanted || (path !== undefined && (path === wanted || path.slice(path.indexOf('/') + 1) === wanted));
  });
  if (!found) {
    throw new Error(`logGroup '${wanted}' is not a log group the template's metric filters read; choose one of: ${logGroups.map(describe).join(', ')}`);
  }
  return found.key;
}

function metricKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace}\u0000${name}`;
}
