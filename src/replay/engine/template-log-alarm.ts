import { compileLogAlarmQuery, LogAlarmQuery, LogAlarmSettings, checkLogAlarmSettings, rateSecondsOf } from './log-alarm-evaluator';
import { NotSimulatedError } from './logs-insights-query';
import { resolveString } from './template-model';

/**
 * The `AWS::CloudWatch::LogAlarm` resources of a synthesized template, read for replay: their query,
 * aggregation, schedule and M of N, with template references resolved through the caller's map. What cannot be
 * resolved or simulated is reported with the reason, never guessed.
 *
 * Properties: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-logalarm.html
 * (ScheduledQueryConfiguration: QueryString, AggregationExpression, LogGroupIdentifiers, ScheduleConfiguration
 * { ScheduleExpression, StartTimeOffset, EndTimeOffset }).
 */
export interface TemplateLogAlarm {
  readonly logicalId: string;
  readonly alarmName?: string;
  /** The log groups it queries: logical IDs (a `Ref` or `Fn::GetAtt` of a log group) or literal names. */
  readonly logGroups: string[];
  /** Whether some of its log groups could not be resolved (it may query the replayed one). */
  readonly logGroupsUnresolved: boolean;
  readonly threshold?: number;
  readonly comparisonOperator?: string;
  readonly queryResultsToEvaluate?: number;
  readonly queryResultsToAlarm?: number;
  readonly treatMissingData?: string;
  /** The schedule's rate in seconds, when it is a rate() expression. */
  readonly rateSeconds?: number;
  readonly startTimeOffset?: number;
  readonly endTimeOffset?: number;
  readonly actionLogLineCount?: number;
  /** The compiled query and settings, when it can be simulated. */
  readonly query?: LogAlarmQuery;
  /** What a value counts, for a report's unit: the `stats` function the aggregation reads, else the aggregation. */
  readonly valueExpression?: string;
  readonly settings?: LogAlarmSettings;
  /** Why it cannot be simulated, if it cannot. */
  readonly notSimulated?: string;
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, any> }>;

/** A literal ARN of a log group: `arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]`. */
const LOG_GROUP_ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/;

/**
 * Reads the log alarms of a template.
 *
 * @param template the template (parsed JSON)
 * @param refs values for `Ref`s and `Fn::GetAtt`s (`LogicalId` or `LogicalId.Attribute` to value)
 */
export function readTemplateLogAlarms(template: { Resources?: Resources }, refs: Record<string, string> = {}): TemplateLogAlarm[] {
  const resources = template.Resources ?? {};
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::LogAlarm')
    .map(([logicalId, r]) => readLogAlarm(logicalId, r.Properties ?? {}, resources, refs));
}

function readLogAlarm(logicalId: string, p: Record<string, any>, resources: Resources, refs: Record<string, string>): TemplateLogAlarm {
  const config = (p.ScheduledQueryConfiguration ?? {}) as Record<string, any>;
  const schedule = (config.ScheduleConfiguration ?? {}) as Record<string, any>;
  const unresolved: string[] = [];
  const alarmName = p.AlarmName === undefined ? undefined : resolveString(p.AlarmName, refs, unresolved);
  const groupsUnresolved: string[] = [];
  const logGroups = ((config.LogGroupIdentifiers ?? []) as unknown[]).map(id => logGroupOf(id, resources, refs, groupsUnresolved));
  const base = {
    logicalId,
    ...(alarmName !== undefined && unresolved.length === 0 ? { alarmName } : {}),
    logGroups,
    logGroupsUnresolved: groupsUnresolved.length > 0,
    threshold: numberOrUndefined(p.Threshold),
    comparisonOperator: typeof p.ComparisonOperator === 'string' ? p.ComparisonOperator : undefined,
    queryResultsToEvaluate: numberOrUndefined(p.QueryResultsToEvaluate),
    queryResultsToAlarm: numberOrUndefined(p.QueryResultsToAlarm),
    treatMissingData: typeof p.TreatMissingData === 'string' ? p.TreatMissingData : undefined,
    startTimeOffset: numberOrUndefined(schedule.StartTimeOffset),
    endTimeOffset: numberOrUndefined(schedule.EndTimeOffset),
    actionLogLineCount: numberOrUndefined(p.ActionLogLineCount),
  };
  try {
    if (unresolved.length + groupsUnresolved.length > 0) {
      throw new NotSimulatedError(`its name or log groups have unresolved references: ${[...unresolved, ...groupsUnresolved].join(', ')} (give their values)`);
    }
    const queryUnresolved: string[] = [];
    const queryString = resolveString(config.QueryString, refs, queryUnresolved);
    const aggregationExpression = resolveString(config.AggregationExpression, refs, queryUnresolved);
    if (queryUnresolved.length > 0) {
      throw new NotSimulatedError(`its QueryString or AggregationExpression has unresolved references: ${queryUnresolved.join(', ')} (give their values)`);
    }
    if (typeof schedule.ScheduleExpression !== 'string') throw new NotSimulatedError('its ScheduleExpression is not a literal string');
    const rateSeconds = rateSecondsOf(schedule.ScheduleExpression);
    if (base.startTimeOffset === undefined) {
      throw new NotSimulatedError('it has no StartTimeOffset, and CloudWatch documents no default for it');
    }
    for (const [name, value] of Object.entries({
      Threshold: base.threshold, QueryResultsToEvaluate: base.queryResultsToEvaluate, QueryResultsToAlarm: base.queryResultsToAlarm,
    })) {
      if (value === undefined) throw new NotSimulatedError(`its ${name} is not a literal number`);
    }
    const settings: LogAlarmSettings = {
      threshold: base.threshold!,
      comparisonOperator: base.comparisonOperator as LogAlarmSettings['comparisonOperator'],
      queryResultsToEvaluate: base.queryResultsToEvaluate!,
      queryResultsToAlarm: base.queryResultsToAlarm!,
      treatMissingData: base.treatMissingData as LogAlarmSettings['treatMissingData'],
      rateSeconds,
      startTimeOffset: base.startTimeOffset,
      endTimeOffset: base.endTimeOffset,
    };
    checkLogAlarmSettings(settings);
    const query = compileLogAlarmQuery(queryString, aggregationExpression);
    return { ...base, rateSeconds, query, settings, valueExpression: valueExpressionOf(queryString, aggregationExpression) };
  } catch (e) {
    if (!(e instanceof NotSimulatedError)) throw e;
    let rateSeconds: number | undefined;
    try {
      rateSeconds = typeof schedule.ScheduleExpression === 'string' ? rateSecondsOf(schedule.ScheduleExpression) : undefined;
    } catch {
      rateSeconds = undefined;
    }
    return { ...base, ...(rateSeconds !== undefined ? { rateSeconds } : {}), notSimulated: e.message };
  }
}

/**
 * A log group identifier as the metric filters' `LogGroupName` is read: the logical ID a `Ref` or
 * `Fn::GetAtt` (Arn) names, else the literal name (a literal ARN gives its name).
 */
function logGroupOf(id: unknown, resources: Resources, refs: Record<string, string>, unresolved: string[]): string {
  if (id && typeof id === 'object') {
    const v = id as Record<string, any>;
    if (typeof v.Ref === 'string' && resources[v.Ref]?.Type === 'AWS::Logs::LogGroup') return v.Ref;
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && resources[getAtt[0]]?.Type === 'AWS::Logs::LogGroup') return getAtt[0];
  }
  const text = resolveString(id, refs, unresolved);
  const arn = LOG_GROUP_ARN.exec(text);
  return arn ? arn[1] : text;
}

function numberOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** `max(value) by srcaddr` over `stats count_distinct(dstport) as value by srcaddr` counts `count_distinct(dstport)`. */
function valueExpressionOf(queryString: string, aggregation: string): string {
  const alias = /^\s*\w+\(\s*(\w+)\s*\)/.exec(aggregation)?.[1];
  const stats = alias ? new RegExp(`(\\w+\\([^)]*\\))\\s+as\\s+${alias}\\b`).exec(queryString) : null;
  return stats ? stats[1] : aggregation.replace(/\s+by\s.*$/, '').trim();
}
