/**
 * The metric filters and alarms of a synthesized CloudFormation template, with the template
 * references they contain (subnet IDs in patterns, log group names) resolved through a map
 * the caller gives. What cannot be resolved is reported, never guessed.
 */
import { describeValue } from '../private/describe-value';

export interface TemplateMetricFilter {
  readonly logicalId: string;
  /** The log group it reads: the logical ID it `Ref`s, or the literal name. */
  readonly logGroup: string;
  /** The filter pattern, references resolved; undefined when one could not be. */
  readonly pattern?: string;
  readonly metricNamespace: string;
  readonly metricName: string;
  /** `$field` or a number, as written. */
  readonly metricValue: string;
  readonly defaultValue?: number;
  /** The logical IDs the pattern refers to that the map did not resolve. */
  readonly unresolved: string[];
}

export interface TemplateAlarm {
  readonly logicalId: string;
  readonly alarmName?: string;
  /** The metric it watches, when it watches one metric directly. */
  readonly metricNamespace?: string;
  readonly metricName?: string;
  readonly statistic?: string;
  readonly periodSeconds?: number;
  readonly threshold?: number;
  readonly comparisonOperator: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData?: string;
  /** Whether it alarms on an anomaly-detection band. */
  readonly anomalyDetection?: boolean;
  /** Why the alarm cannot be simulated (anomaly detection, metric math, dimensions …), if it cannot. */
  readonly notSimulated?: string;
  /** The `LogGroupName` dimension of its metric (a logical ID it `Ref`s, or a literal name), if it has one. */
  readonly logGroupDimension?: string;
  /** Whether it alarms on an anomaly detection band. */
  readonly anomaly?: boolean;
}

/** A log group that metric filters read. */
export interface TemplateLogGroup {
  /** The logical ID (or, for a log group outside the template, its literal name). */
  readonly key: string;
  /** Its construct path (`aws:cdk:path` metadata), when the template has it. */
  readonly path?: string;
}

export interface TemplateModel {
  readonly metricFilters: TemplateMetricFilter[];
  readonly alarms: TemplateAlarm[];
  /** The log groups the metric filters read, in template order. */
  readonly logGroups: TemplateLogGroup[];
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;

/**
 * Reads the metric filters and alarms of a template.
 *
 * @param template the template (parsed JSON)
 * @param refs values for `Ref`s and `Fn::GetAtt`s (`LogicalId` or `LogicalId.Attribute` to value)
 */
export function readTemplateModel(template: { Resources?: Resources }, refs: Record<string, string> = {}): TemplateModel {
  const resources = template.Resources ?? {};
  const metricFilters: TemplateMetricFilter[] = [];
  const alarms: TemplateAlarm[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::Logs::MetricFilter') {
      const transformation = checkMetricFilter(logicalId, resource.Properties);
      const unresolved: string[] = [];
      const pattern = resolveString(p.FilterPattern, refs, unresolved);
      metricFilters.push({
        logicalId,
        logGroup: refOrLiteral(p.LogGroupName),
        pattern: unresolved.length === 0 ? pattern : undefined,
        metricNamespace: String(transformation.MetricNamespace),
        metricName: String(transformation.MetricName),
        metricValue: String(transformation.MetricValue),
        defaultValue: transformation.DefaultValue === undefined ? undefined : Number(transformation.DefaultValue),
        unresolved,
      });
    } else if (resource.Type === 'AWS::CloudWatch::Alarm') {
      alarms.push(readAlarm(logicalId, p));
    }
  }
  const logGroups = [...new Set(metricFilters.map(f => f.logGroup))].map(key => {
    const path = resources[key]?.Metadata?.['aws:cdk:path'];
    return { key, ...(typeof path === 'string' ? { path } : {}) };
  });
  return { metricFilters, alarms, logGroups };
}

/**
 * The first metric transformation of a metric filter, once its properties are checked: a filter
 * pattern (a string, or a reference to resolve), a log group, and a transformation with a metric
 * name, namespace and value. Throws naming the resource and what it lacks.
 */
function checkMetricFilter(logicalId: string, properties: unknown): Record<string, any> {
  const where = `the metric filter ${logicalId} (AWS::Logs::MetricFilter)`;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new Error(`${where} has no Properties object (FilterPattern, LogGroupName, MetricTransformations), got ${describeValue(properties)}`);
  }
  const p = properties as Record<string, any>;
  if (typeof p.FilterPattern !== 'string' && !isObject(p.FilterPattern)) {
    throw new Error(`${where}: FilterPattern must be a string (or a Ref/Fn::Join of one), got ${describeValue(p.FilterPattern)}`);
  }
  if (typeof p.LogGroupName !== 'string' && !isObject(p.LogGroupName)) {
    throw new Error(`${where}: LogGroupName must be a string or a Ref, got ${describeValue(p.LogGroupName)}`);
  }
  const transformations = p.MetricTransformations;
  if (!Array.isArray(transformations) || transformations.length === 0 || !isObject(transformations[0])) {
    throw new Error(`${where}: MetricTransformations must be a list of {MetricName, MetricNamespace, MetricValue}, got ${describeValue(transformations)}`);
  }
  const t = transformations[0] as Record<string, any>;
  for (const key of ['MetricName', 'MetricNamespace']) {
    if (typeof t[key] !== 'string' || t[key] === '') {
      throw new Error(`${where}: MetricTransformations[0].${key} must be a non-empty string, got ${describeValue(t[key])}`);
    }
  }
  if (typeof t.MetricValue !== 'string' && typeof t.MetricValue !== 'number') {
    throw new Error(`${where}: MetricTransformations[0].MetricValue must be a string ($field or a number), got ${describeValue(t.MetricValue)}`);
  }
  return t;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refOrLiteral(value: unknown): string {
  if (value && typeof value === 'object' && typeof (value as { Ref?: unknown }).Ref === 'string') {
    return (value as { Ref: string }).Ref;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readAlarm(logicalId: string, p: Record<string, any>): TemplateAlarm {
  const base = {
    logicalId,
    alarmName: typeof p.AlarmName === 'string' ? p.AlarmName : undefined,
    comparisonOperator: String(p.ComparisonOperator),
    evaluationPeriods: Number(p.EvaluationPeriods),
    datapointsToAlarm: p.DatapointsToAlarm === undefined ? undefined : Number(p.DatapointsToAlarm),
    treatMissingData: p.TreatMissingData,
  };
  if (p.Metrics) {
    const metrics = p.Metrics as any[];
    const anomaly = metrics.some(m => typeof m.Expression === 'string' && m.Expression.startsWith('ANOMALY_DETECTION_BAND'));
    const stats = metrics.filter(m => m.MetricStat);
    // One metric under the band (or the math): its series can still be shown.
    const stat = stats.length === 1 && !(stats[0].MetricStat.Metric?.Dimensions?.length > 0) ? stats[0].MetricStat : undefined;
    return {
      ...base,
      anomalyDetection: anomaly,
      ...(stat ? {
        metricNamespace: stat.Metric.Namespace,
        metricName: stat.Metric.MetricName,
        statistic: stat.Stat,
        periodSeconds: Number(stat.Period),
      } : {}),
      ...(anomaly ? { anomaly } : {}),
      notSimulated: anomaly ? 'anomaly detection: its band is learned by CloudWatch from history' : 'metric math',
    };
  }
  if (p.Dimensions && (p.Dimensions as any[]).length > 0) {
    const logGroup = (p.Dimensions as any[]).find(d => d.Name === 'LogGroupName');
    // AWS/Logs IncomingLogEvents of one log group is replayed from the records' own arrival (alarm-replay.ts).
    const incoming = logGroup && p.Namespace === 'AWS/Logs' && p.MetricName === 'IncomingLogEvents' && (p.Dimensions as any[]).length === 1;
    return {
      ...base,
      metricNamespace: p.Namespace,
      metricName: p.MetricName,
      statistic: p.Statistic ?? p.ExtendedStatistic,
      periodSeconds: Number(p.Period),
      threshold: Number(p.Threshold),
      ...(logGroup ? { logGroupDimension: refOrLiteral(logGroup.Value) } : {}),
      ...(incoming ? {} : {
        notSimulated: logGroup && p.Namespace === 'AWS/Logs'
          ? `a metric CloudWatch Logs publishes itself (AWS/Logs ${p.MetricName} of the log group), not a metric filter's`
          : `a metric with dimensions (${(p.Dimensions as any[]).map(d => d.Name).join(', ')}), which no metric filter of the template emits`,
      }),
    };
  }
  return {
    ...base,
    metricNamespace: p.Namespace,
    metricName: p.MetricName,
    statistic: p.Statistic ?? p.ExtendedStatistic,
    periodSeconds: Number(p.Period),
    threshold: Number(p.Threshold),
  };
}

/**
 * A string with `Ref`, `Fn::GetAtt` and `Fn::Join` resolved; logical IDs not in the map are
 * added to `unresolved` and stand as `${LogicalId}` in the result.
 */
export function resolveString(value: unknown, refs: Record<string, string>, unresolved: string[]): string {
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value);
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string') {
      return lookup(v.Ref, refs, unresolved);
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      return lookup(v['Fn::GetAtt'].join('.'), refs, unresolved);
    }
    if (Array.isArray(v['Fn::Join']) && Array.isArray(v['Fn::Join'][1])) {
      const [separator, parts] = v['Fn::Join'];
      return (parts as unknown[]).map(part => resolveString(part, refs, unresolved)).join(String(separator));
    }
  }
  const what = JSON.stringify(value);
  unresolved.push(what);
  return `\${${what}}`;
}

function lookup(key: string, refs: Record<string, string>, unresolved: string[]): string {
  if (key in refs) {
    return refs[key];
  }
  if (!unresolved.includes(key)) {
    unresolved.push(key);
  }
  return `\${${key}}`;
}
