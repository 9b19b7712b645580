import { Duration, Stack, Stage } from 'aws-cdk-lib';
import { replayAlarm } from './engine/alarm-replay';
import { SpaceDelimitedPattern } from './engine/filter-pattern';
import { LogAlarmQuery } from './engine/log-alarm-evaluator';
import { replayLogAlarm } from './engine/log-alarm-replay';
import { mergeRanges, ReadRange } from './engine/range-merge';
import { DEFAULT_MAX_DISORDER_SECONDS, epochSeconds, RangeOutcome, ReplayPlan, ReplaySession, SessionOutcome } from './engine/replay-session';
import { readTemplateLogAlarms, TemplateLogAlarm } from './engine/template-log-alarm';
import { readTemplateModel, TemplateAlarm, TemplateLogGroup } from './engine/template-model';
import { RecordSink, sinkOf } from './private/record-sink';
import { checkRecords, checkReplayOptions, checkStack } from './private/replay-api-validation';
import { ReplayPart } from './private/replay-part';
import { readTemplateFile } from './private/template-file';
import { ReplayResult } from './replay-result';

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

  /**
   * How far out of time order the records may come. Replay runs each log alarm's scheduled
   * executions as it reads, once the newest record is this far past the execution's window,
   * and then forgets the states the window needed: memory follows the windows, not the input.
   * A record older than an execution already run makes the log alarms whose window it falls in
   * "not simulated", with the record's line and this option named, never a wrong result.
   * Flow-log records are delivered within minutes of their end (their capture window and
   * delivery), so an export or S3 archive read in order is well within an hour.
   *
   * @default Duration.hours(1)
   */
  readonly maxDisorder?: Duration;
}

const RECORDS_SOURCE = '<records>';

/**
 * Replays flow-log records against the metric filters, static-threshold alarms and log alarms
 * (`AWS::CloudWatch::LogAlarm`) of a synthesized template, offline: which records each filter
 * matches, the metric each emits per period, when each alarm would have entered ALARM and, for a
 * log alarm grouped `by` source, which sources tripped it.
 *
 * Anomaly-detection alarms are listed as not simulated (their band is learned by CloudWatch),
 * with their metric's series; so is a log alarm whose query replay cannot evaluate, with the reason.
 */
export class FlowLogReplay {
  /**
   * The template of a stack of this app.
   */
  public static fromStack(stack: Stack, options: FlowLogReplayOptions = {}): FlowLogReplay {
    checkStack(stack);
    checkReplayOptions(options);
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
    return new FlowLogReplay(readTemplateFile(path, '`path`'), checkReplayOptions(options));
  }

  /** The log group replayed: its logical ID, or its literal name. */
  public readonly logGroup: string;
  private readonly plan: ReplayPlan;
  private readonly alarms: TemplateAlarm[];
  private readonly logAlarms: TemplateLogAlarm[];
  /** Per log alarm: the index of its query in plan.logQueries (-1: not simulated). */
  private readonly logAlarmQueries: number[];

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
    this.logAlarms = readTemplateLogAlarms(template, options.refs ?? {})
      .filter(a => a.logGroups.includes(this.logGroup) || a.logGroupsUnresolved)
      .map(a => withFormatChecked(a, this.logGroup, fieldCount));
    const logQueries: LogAlarmQuery[] = [];
    this.logAlarmQueries = this.logAlarms.map(a => {
      if (a.query === undefined) return -1;
      const shared = logQueries.findIndex(q => q.key === a.query!.key);
      return shared >= 0 ? shared : logQueries.push(a.query) - 1;
    });
    const logAlarms = this.logAlarms.flatMap((a, i) => (this.logAlarmQueries[i] >= 0 && a.settings !== undefined
      ? [{ query: this.logAlarmQueries[i], settings: a.settings }] : []));
    this.plan = { filters, patterns, columns, fieldCount, logQueries, logAlarms, maxDisorderSeconds: options.maxDisorder?.toSeconds() };
  }

  /**
   * Replays records (plain-text flow-log records, one per element; problems are reported
   * with the element's 1-based index as its line number).
   */
  public replay(records: string[]): ReplayResult {
    checkRecords(records);
    const session = this._session();
    records.forEach((record, i) => session.add(record, RECORDS_SOURCE, i + 1));
    return session.finish();
  }

  /**
   * The log alarms replayed: per alarm, the index of its query (alarms of one query share its
   * accumulator), -1 when it is not simulated.
   *
   * @internal
   */
  public _logAlarmQueries(): readonly number[] {
    return this.logAlarmQueries;
  }

  /**
   * A replay fed one record at a time, for streamed input (the command line). With a part, only
   * the metric filters (when `part.filters`) and the log alarms it names run, so that threads
   * can share the work (`_mergeParts`).
   *
   * @internal
   */
  public _session(part?: ReplayPart): RecordSink & { finish(): ReplayResult } {
    const runsFilters = part?.filters ?? true;
    const runs = (i: number) => part === undefined || part.logAlarms.includes(i);
    const queryIndexes = [...new Set(this.logAlarmQueries.filter((q, i) => q >= 0 && runs(i)))];
    const logQueries = queryIndexes.map(q => this.plan.logQueries![q]);
    const ranAlarms = this.ranAlarms(runs);
    const session = new ReplaySession({
      ...this.plan,
      ...(runsFilters ? {} : { filters: [], patterns: [] }),
      logQueries,
      logAlarms: ranAlarms.map(i => ({ query: queryIndexes.indexOf(this.logAlarmQueries[i]), settings: this.logAlarms[i].settings! })),
    });
    return { ...sinkOf(session), finish: () => this.resultOf(session.finish(), runsFilters, runs) };
  }

  /**
   * A replay of one byte range of the input, read by one of several threads: `low` is the time of the
   * range's first record, `high` the next range's (-Infinity, Infinity at the ends). Its outcome goes to
   * `_mergeRanges` with the others', in order.
   *
   * @internal
   */
  public _rangeSession(low: number, high: number): RecordSink & { finishRange(): RangeOutcome } {
    const session = new ReplaySession({ ...this.plan, range: { low, high } });
    return { ...sinkOf(session), finishRange: () => session.finishRange() };
  }

  /**
   * The result of the whole input from its byte ranges' (`_rangeSession`), in order: the one a single
   * thread finds, or why it cannot be known from them (`mergeRanges`); the input is then replayed on one.
   *
   * @internal
   */
  public _mergeRanges(ranges: readonly ReadRange[]): ReplayResult | { readonly why: string } {
    const merged = mergeRanges(this.plan, ranges, this.plan.maxDisorderSeconds ?? DEFAULT_MAX_DISORDER_SECONDS);
    if ('why' in merged) return merged;
    return this.resultOf(merged, true, () => true);
  }

  /**
   * The time of a record (epoch seconds): its `start` field, else its `end`, as the replay reads them from a
   * line of the template's format; undefined for any other line.
   *
   * @internal
   */
  public _recordTime(line: string): number | undefined {
    const fields = line.split(' ');
    if (this.plan.fieldCount === undefined || fields.length !== this.plan.fieldCount) return undefined;
    for (const name of ['start', 'end']) {
      const field = fields[this.plan.columns.indexOf(name)];
      const time = field === undefined ? undefined : epochSeconds(field, 0, field.length);
      if (time !== undefined) return time;
    }
    return undefined;
  }

  /** The indexes of the log alarms a session evaluates: those it runs that are simulated. */
  private ranAlarms(runs: (i: number) => boolean): number[] {
    return this.logAlarms.map((_, i) => i).filter(i => runs(i) && this.logAlarmQueries[i] >= 0 && this.logAlarms[i].settings !== undefined);
  }

  /** A session's outcome as the result: the filters' and metric alarms' when it ran the filters, and the log alarms it runs. */
  private resultOf(outcome: SessionOutcome, runsFilters: boolean, runs: (i: number) => boolean): ReplayResult {
    const { filters, patterns } = this.plan;
    const resolved = patterns.map(p => p !== undefined);
    const logAlarmOutcomes = new Map(this.ranAlarms(runs).map((i, k) => [i, outcome.logAlarms[k]]));
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
      filters: runsFilters ? filters.map((f, i) => ({
        logicalId: f.logicalId,
        metricName: f.metricName,
        metricValue: f.metricValue,
        recordsMatched: outcome.recordsMatched[i],
        sum: outcome.sums[i],
        unresolved: f.unresolved,
      })) : [],
      alarms: [
        ...(runsFilters ? this.alarms.map(a => replayAlarm(a, filters, resolved, outcome)) : []),
        ...this.logAlarms.flatMap((a, i) => (runs(i) ? [replayLogAlarm(a, logAlarmOutcomes.get(i), outcome)] : [])),
      ],
    };
  }

  /**
   * The result of the whole replay from the results of its parts: the first part's counts,
   * problems, filters and metric alarms (it ran the filters), every log alarm from the part that
   * ran it, in the template's order.
   *
   * @internal
   */
  public _mergeParts(parts: readonly ReplayPart[], results: readonly ReplayResult[]): ReplayResult {
    const [main] = results;
    const metricAlarms = main.alarms.filter(a => a.alarmKind !== 'LOG');
    const logAlarms = this.logAlarms.map((alarm, i) => {
      const p = parts.findIndex(part => part.logAlarms.includes(i));
      const found = p >= 0 ? results[p].alarms.find(a => a.alarmKind === 'LOG' && a.logicalId === alarm.logicalId) : undefined;
      if (found === undefined) throw new Error(`log alarm ${alarm.logicalId} was run by no part of the replay`);
      return found;
    });
    return { ...main, alarms: [...metricAlarms, ...logAlarms] };
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

/**
 * A log alarm of the replayed log group, not simulated when it also queries other log groups (their records
 * are not replayed) or when its `parse` glob does not have one `*` per field of the template's format.
 */
function withFormatChecked(alarm: TemplateLogAlarm, logGroup: string, fieldCount: number | undefined): TemplateLogAlarm {
  if (alarm.notSimulated !== undefined || alarm.query === undefined) return alarm;
  const others = alarm.logGroups.filter(g => g !== logGroup);
  const stars = alarm.query.query.parsed.length;
  const reason = others.length > 0 ? `it also queries ${others.join(', ')}, whose records are not replayed`
    : fieldCount !== undefined && stars !== fieldCount
      ? `its \`parse\` glob has ${stars} \`*\` where the records of the template's format have ${fieldCount} fields` : undefined;
  return reason === undefined ? alarm : { ...alarm, query: undefined, notSimulated: reason };
}

function metricKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace}\u0000${name}`;
}
