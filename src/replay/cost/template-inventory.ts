import { S3_STORAGE_CLASSES, S3StorageClass } from './prices';
import { rateIntervalSeconds } from './schedule-rate';
import { notATemplate } from '../private/template-file';

/**
 * What a synthesized CloudFormation template contains that costs money each month: flow logs
 * and where they deliver, log groups and their retention, metric filters' metrics, alarms by
 * billing kind, log alarms' schedules and windows, Contributor Insights rules, dashboards, the
 * S3 archive's lifecycle, Athena named queries. Read from the template's properties only.
 */
export interface TemplateInventory {
  readonly flowLogs: InventoryFlowLog[];
  readonly logGroups: InventoryLogGroup[];
  readonly metrics: InventoryMetric[];
  readonly alarms: InventoryAlarm[];
  readonly logAlarms: InventoryLogAlarm[];
  readonly insightRules: InventoryInsightRule[];
  readonly dashboards: InventoryResource[];
  readonly buckets: InventoryBucket[];
  readonly glueTables: InventoryGlueTable[];
  readonly namedQueries: InventoryNamedQuery[];
  /** Free resources the template has, by type (saved Logs Insights queries …), for the record. */
  readonly resourceCounts: Record<string, number>;
}

export interface InventoryResource {
  readonly logicalId: string;
  /** The construct path (`aws:cdk:path` metadata, without the stack's name), when the template has it. */
  readonly path?: string;
}

export interface InventoryFlowLog extends InventoryResource {
  /** What it captures (`ResourceId` as written): two flow logs of the same target carry the same records. */
  readonly target: string;
  readonly trafficType: string;
  readonly destination: 'cloud-watch-logs' | 's3';
  /** For CloudWatch Logs: the log group's logical ID (or literal name). */
  readonly logGroup?: string;
  /** For S3: the bucket's logical ID (or literal name), the key prefix and the file format. */
  readonly s3?: { readonly bucket: string; readonly keyPrefix: string; readonly fileFormat: 'plain-text' | 'parquet' };
  /** The record's field names, in order (the flow log's `LogFormat`, or the default format). */
  readonly fieldNames: string[];
}

export interface InventoryLogGroup extends InventoryResource {
  /** `RetentionInDays`; undefined when the log group never expires its events. */
  readonly retentionDays?: number;
}

export interface InventoryMetric {
  readonly namespace: string;
  readonly name: string;
  /** Dimension names of the metric filter's transformation (each value combination is a metric of its own). */
  readonly dimensions: string[];
  /** The metric filters that publish it. */
  readonly filters: string[];
}

export type AlarmBillingKind = 'standard' | 'high-resolution' | 'anomaly-detection' | 'metric-math' | 'metrics-insights' | 'composite';

export interface InventoryAlarm extends InventoryResource {
  readonly alarmName?: string;
  readonly kind: AlarmBillingKind;
  /** Whether its period is under 60 s (billed at the high-resolution price). */
  readonly highResolution: boolean;
  /** The alarm metrics it is billed for: 1; 3 for an anomaly band; one per metric of a math expression. */
  readonly alarmMetrics: number;
}

export interface InventoryLogAlarm extends InventoryResource {
  readonly alarmName?: string;
  readonly scheduleExpression: string;
  /** Seconds between two runs of its scheduled query. */
  readonly intervalSeconds: number;
  /** The query's time window: `StartTimeOffset` − `EndTimeOffset` (default 0), in seconds. */
  readonly windowSeconds: number;
  /** The log groups the query reads: logical IDs of the template's log groups, or literal names. */
  readonly logGroups: string[];
}

/** A Contributor Insights filter: `{"Match": "action", "In": ["REJECT"]}`. */
export interface InsightRuleFilter {
  readonly match: string;
  readonly operator: string;
  readonly operand: unknown;
}

export interface InventoryInsightRule extends InventoryResource {
  readonly ruleName?: string;
  readonly enabled: boolean;
  readonly logGroups: string[];
  /** `CLF` (space-delimited, fields by 1-based position) or `JSON`. */
  readonly logFormat: string;
  /** For CLF: field position → name. */
  readonly fields: Record<string, string>;
  readonly filters: InsightRuleFilter[];
}

export interface LifecycleTransition {
  readonly storageClass: S3StorageClass;
  readonly days: number;
}

export interface InventoryLifecycleRule {
  readonly id?: string;
  readonly prefix: string;
  readonly transitions: LifecycleTransition[];
  readonly expirationDays?: number;
  /** Days a version stays after it stopped being current (versioned buckets). */
  readonly noncurrentDays?: number;
}

export interface InventoryBucket extends InventoryResource {
  readonly versioned: boolean;
  /** The enabled lifecycle rules. */
  readonly rules: InventoryLifecycleRule[];
}

export interface InventoryGlueTable extends InventoryResource {
  readonly database: string;
  readonly name: string;
  /** Where its data is, when it is in a bucket of the template or a literal one. */
  readonly bucket?: string;
  readonly keyPrefix?: string;
}

export interface InventoryNamedQuery extends InventoryResource {
  readonly name?: string;
  /** `database.table` names after FROM and JOIN. */
  readonly tables: string[];
}

/** The fields of the default flow-log format (version 2), used when a flow log has no `LogFormat`. */
export const DEFAULT_FORMAT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

type Resources = Record<string, { Type?: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;

/** Reads the inventory of a parsed template. Throws on a template it cannot price (with what and why). */
export function readTemplateInventory(template: unknown): TemplateInventory {
  const resources = (template as { Resources?: unknown } | null)?.Resources ?? {};
  if (typeof template !== 'object' || template === null || Array.isArray(template) || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new Error('not a CloudFormation template: expected a JSON object with a `Resources` object');
  }
  // Resources of null, or a resource that is no object ({"Type": …, "Properties": …}): named as replay names them.
  const problem = notATemplate(template);
  if (problem) throw new Error(`not a CloudFormation template: ${problem}`);
  const inventory: { -readonly [K in keyof TemplateInventory]: TemplateInventory[K] } = {
    flowLogs: [],
    logGroups: [],
    metrics: [],
    alarms: [],
    logAlarms: [],
    insightRules: [],
    dashboards: [],
    buckets: [],
    glueTables: [],
    namedQueries: [],
    resourceCounts: {},
  };
  for (const [logicalId, resource] of Object.entries(resources as Resources)) {
    const type = resource.Type ?? '';
    inventory.resourceCounts[type] = (inventory.resourceCounts[type] ?? 0) + 1;
    const p = resource.Properties ?? {};
    const base: InventoryResource = { logicalId, ...pathOf(resource.Metadata) };
    const where = `${type} ${logicalId}`;
    switch (type) {
      case 'AWS::EC2::FlowLog': inventory.flowLogs.push(readFlowLog(base, p, where)); break;
      case 'AWS::Logs::LogGroup': inventory.logGroups.push(readLogGroup(base, p, where)); break;
      case 'AWS::Logs::MetricFilter': addMetrics(inventory.metrics, logicalId, p, where); break;
      case 'AWS::CloudWatch::Alarm': inventory.alarms.push(readAlarm(base, p)); break;
      case 'AWS::CloudWatch::CompositeAlarm':
        inventory.alarms.push({ ...base, alarmName: stringOrUndefined(p.AlarmName), kind: 'composite', highResolution: false, alarmMetrics: 1 });
        break;
      case 'AWS::CloudWatch::LogAlarm': inventory.logAlarms.push(readLogAlarm(base, p, where)); break;
      case 'AWS::CloudWatch::InsightRule': inventory.insightRules.push(readInsightRule(base, p, where)); break;
      case 'AWS::CloudWatch::Dashboard': inventory.dashboards.push(base); break;
      case 'AWS::S3::Bucket': inventory.buckets.push(readBucket(base, p, where)); break;
      case 'AWS::Glue::Table': inventory.glueTables.push(readGlueTable(base, p)); break;
      case 'AWS::Athena::NamedQuery': inventory.namedQueries.push(readNamedQuery(base, p)); break;
    }
  }
  return inventory;
}

function pathOf(metadata: Record<string, any> | undefined): { path?: string } {
  const path = metadata?.['aws:cdk:path'];
  // `Stack/Watch/LogGroup/Resource` → `Watch/LogGroup`: the names a user knows.
  return typeof path === 'string' ? { path: path.split('/').slice(1).filter(part => part !== 'Resource').join('/') } : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A CloudFormation value as a string: `Ref`s become `${LogicalId}`, `Fn::GetAtt`s
 * `${LogicalId.Attribute}`, `Fn::Join`s are joined; anything else is its JSON.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
    if (Array.isArray(v['Fn::GetAtt'])) return `\${${v['Fn::GetAtt'].join('.')}}`;
    if (typeof v['Fn::GetAtt'] === 'string') return `\${${v['Fn::GetAtt']}}`;
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'];
      return (parts as unknown[]).map(renderValue).join(String(separator));
    }
  }
  return JSON.stringify(value);
}

/** A log group named by a value: the logical ID of a `Ref` or `Fn::GetAtt … Arn`, else the literal name. */
function logGroupKey(value: unknown): string {
  const rendered = renderValue(value);
  const ref = /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}(?::\*)?$/.exec(rendered);
  if (ref) return ref[1];
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(rendered);
  return arn ? arn[1] : rendered;
}

function readFlowLog(base: InventoryResource, p: Record<string, any>, where: string): InventoryFlowLog {
  const destinationType = p.LogDestinationType ?? 'cloud-watch-logs';
  const fieldNames = typeof p.LogFormat === 'string'
    ? [...p.LogFormat.matchAll(/\$\{([a-z0-9-]+)\}/g)].map(m => m[1])
    : DEFAULT_FORMAT_FIELDS;
  const common = { ...base, target: JSON.stringify(p.ResourceId), trafficType: String(p.TrafficType ?? 'ALL'), fieldNames };
  if (destinationType === 'cloud-watch-logs') {
    const group = p.LogGroupName ?? p.LogDestination;
    if (group === undefined) throw new Error(`${where}: delivers to CloudWatch Logs but has neither \`LogGroupName\` nor \`LogDestination\``);
    return { ...common, destination: 'cloud-watch-logs', logGroup: logGroupKey(group) };
  }
  if (destinationType === 's3') {
    const rendered = renderValue(p.LogDestination);
    const bucketRef = /^\$\{([A-Za-z0-9]+)\.Arn\}(?:\/(.*))?$/.exec(rendered);
    const literal = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/.exec(rendered);
    const match = bucketRef ?? literal;
    if (!match) throw new Error(`${where}: \`LogDestination\` is not an S3 bucket ARN: ${rendered}`);
    const format = p.DestinationOptions?.FileFormat ?? p.DestinationOptions?.fileFormat ?? 'plain-text';
    if (format !== 'plain-text' && format !== 'parquet') {
      throw new Error(`${where}: \`DestinationOptions.FileFormat\` must be plain-text or parquet, got ${JSON.stringify(format)}`);
    }
    return { ...common, destination: 's3', s3: { bucket: match[1], keyPrefix: match[2] ?? '', fileFormat: format } };
  }
  throw new Error(`${where}: \`LogDestinationType\` '${destinationType}' is not priced (the estimate covers cloud-watch-logs and s3)`);
}

function readLogGroup(base: InventoryResource, p: Record<string, any>, where: string): InventoryLogGroup {
  if (p.LogGroupClass !== undefined && p.LogGroupClass !== 'STANDARD') {
    throw new Error(`${where}: \`LogGroupClass\` ${JSON.stringify(p.LogGroupClass)} is not priced (the price table has the STANDARD class)`);
  }
  const retention = p.RetentionInDays === undefined ? undefined : Number(p.RetentionInDays);
  if (retention !== undefined && !(retention > 0)) {
    throw new Error(`${where}: \`RetentionInDays\` must be a positive number of days, got ${JSON.stringify(p.RetentionInDays)}`);
  }
  return { ...base, ...(retention !== undefined ? { retentionDays: retention } : {}) };
}

function addMetrics(metrics: InventoryMetric[], logicalId: string, p: Record<string, any>, where: string): void {
  const transformations: unknown = p.MetricTransformations ?? [];
  if (!Array.isArray(transformations) || !transformations.every(t => typeof t === 'object' && t !== null && !Array.isArray(t))) {
    throw new Error(`${where}: MetricTransformations must be a list of objects ({"MetricName": …, "MetricNamespace": …}), got ${JSON.stringify(transformations)}`);
  }
  for (const t of transformations as any[]) {
    const namespace = String(t.MetricNamespace);
    const name = String(t.MetricName);
    const dimensions = ((t.Dimensions ?? []) as any[]).map(d => String(d.Key)).sort();
    const existing = metrics.find(m => m.namespace === namespace && m.name === name && m.dimensions.join() === dimensions.join());
    if (existing) existing.filters.push(logicalId);
    else metrics.push({ namespace, name, dimensions, filters: [logicalId] });
  }
}

function readAlarm(base: InventoryResource, p: Record<string, any>): InventoryAlarm {
  const alarmName = stringOrUndefined(p.AlarmName);
  if (Array.isArray(p.Metrics)) {
    const metrics = p.Metrics as any[];
    const stats = metrics.filter(m => m.MetricStat);
    const periods = [...stats.map(m => Number(m.MetricStat.Period)), ...metrics.filter(m => m.Period !== undefined).map(m => Number(m.Period))];
    const highResolution = periods.some(period => period < 60);
    const expressions = metrics.filter(m => typeof m.Expression === 'string').map(m => m.Expression as string);
    if (expressions.some(e => e.trim().startsWith('ANOMALY_DETECTION_BAND'))) {
      return { ...base, alarmName, kind: 'anomaly-detection', highResolution, alarmMetrics: 3 };
    }
    if (expressions.some(e => /^\s*SELECT\b/i.test(e))) {
      return { ...base, alarmName, kind: 'metrics-insights', highResolution, alarmMetrics: 1 };
    }
    return { ...base, alarmName, kind: 'metric-math', highResolution, alarmMetrics: Math.max(1, stats.length) };
  }
  const highResolution = Number(p.Period) < 60;
  return { ...base, alarmName, kind: highResolution ? 'high-resolution' : 'standard', highResolution, alarmMetrics: 1 };
}

function readLogAlarm(base: InventoryResource, p: Record<string, any>, where: string): InventoryLogAlarm {
  const query = p.ScheduledQueryConfiguration;
  const schedule = query?.ScheduleConfiguration;
  if (!schedule || typeof schedule.ScheduleExpression !== 'string') {
    throw new Error(`${where}: \`ScheduledQueryConfiguration.ScheduleConfiguration.ScheduleExpression\` is missing`);
  }
  const start = Number(schedule.StartTimeOffset);
  const end = schedule.EndTimeOffset === undefined ? 0 : Number(schedule.EndTimeOffset);
  if (!(start > 0)) {
    throw new Error(`${where}: \`StartTimeOffset\` must be a positive number of seconds, got ${JSON.stringify(schedule.StartTimeOffset)}`);
  }
  if (!(end >= 0 && end < start)) {
    throw new Error(`${where}: \`EndTimeOffset\` must be between 0 and \`StartTimeOffset\` (${start}), got ${JSON.stringify(schedule.EndTimeOffset)}`);
  }
  const identifiers = (query.LogGroupIdentifiers ?? []) as unknown[];
  if (identifiers.length === 0) {
    throw new Error(`${where}: \`LogGroupIdentifiers\` is empty: the data its query scans cannot be estimated`);
  }
  return {
    ...base,
    alarmName: stringOrUndefined(p.AlarmName),
    scheduleExpression: schedule.ScheduleExpression,
    intervalSeconds: rateIntervalSeconds(schedule.ScheduleExpression, where),
    windowSeconds: start - end,
    logGroups: identifiers.map(logGroupKey),
  };
}

function readInsightRule(base: InventoryResource, p: Record<string, any>, where: string): InventoryInsightRule {
  let body: any;
  try {
    body = typeof p.RuleBody === 'string' ? JSON.parse(p.RuleBody) : JSON.parse(renderValue(p.RuleBody));
  } catch (e) {
    throw new Error(`${where}: \`RuleBody\` is not JSON: ${(e as Error).message}`);
  }
  const filters = ((body?.Contribution?.Filters ?? []) as any[]).map(f => {
    const { Match: match, ...rest } = f;
    const [operator, operand] = Object.entries(rest)[0] ?? ['IsPresent', true];
    return { match: String(match), operator, operand };
  });
  return {
    ...base,
    ruleName: stringOrUndefined(p.RuleName),
    enabled: p.RuleState === undefined || p.RuleState === 'ENABLED',
    logGroups: ((body?.LogGroupNames ?? []) as string[]).map(logGroupKey),
    logFormat: String(body?.LogFormat ?? 'JSON'),
    fields: body?.Fields ?? {},
    filters,
  };
}

function readBucket(base: InventoryResource, p: Record<string, any>, where: string): InventoryBucket {
  const rules: InventoryLifecycleRule[] = [];
  for (const rule of (p.LifecycleConfiguration?.Rules ?? []) as any[]) {
    if (rule.Status !== 'Enabled') continue;
    const ruleWhere = `${where} lifecycle rule ${rule.Id ?? rules.length + 1}`;
    if (rule.ExpirationDate !== undefined || rule.TransitionDate !== undefined
      || (rule.Transitions ?? []).some((t: any) => t.TransitionDate !== undefined)) {
      throw new Error(`${ruleWhere}: dates (\`ExpirationDate\`, \`TransitionDate\`) are not priced; use days`);
    }
    const transitions = [...(rule.Transitions ?? []), ...(rule.Transition ? [rule.Transition] : [])].map((t: any) => {
      if (!S3_STORAGE_CLASSES.includes(t.StorageClass)) {
        throw new Error(`${ruleWhere}: \`StorageClass\` must be one of ${S3_STORAGE_CLASSES.join(', ')}, got ${JSON.stringify(t.StorageClass)}`);
      }
      return { storageClass: t.StorageClass as S3StorageClass, days: Number(t.TransitionInDays) };
    }).sort((a, b) => a.days - b.days);
    const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
    rules.push({
      ...(rule.Id ? { id: String(rule.Id) } : {}),
      prefix: String(rule.Prefix ?? rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? ''),
      transitions,
      ...(rule.ExpirationInDays !== undefined ? { expirationDays: Number(rule.ExpirationInDays) } : {}),
      ...(noncurrent !== undefined ? { noncurrentDays: Number(noncurrent) } : {}),
    });
  }
  return { ...base, versioned: p.VersioningConfiguration?.Status === 'Enabled', rules };
}

function readGlueTable(base: InventoryResource, p: Record<string, any>): InventoryGlueTable {
  const location = renderValue(p.TableInput?.StorageDescriptor?.Location ?? '');
  const match = /^s3:\/\/(?:\$\{([A-Za-z0-9]+)\}|([^/$]+))\/(.*)$/.exec(location);
  return {
    ...base,
    database: String(p.DatabaseName),
    name: String(p.TableInput?.Name),
    ...(match ? { bucket: match[1] ?? match[2], keyPrefix: match[3] } : {}),
  };
}

function readNamedQuery(base: InventoryResource, p: Record<string, any>): InventoryNamedQuery {
  const query = renderValue(p.QueryString ?? '');
  const database = stringOrUndefined(p.Database);
  const tables = [...query.matchAll(/\b(?:FROM|JOIN)\s+("?[\w-]+"?)(?:\.("?[\w-]+"?))?/gi)].map(m => {
    const unquote = (s: string) => s.replace(/"/g, '');
    return m[2] ? `${unquote(m[1])}.${unquote(m[2])}` : `${database ?? ''}.${unquote(m[1])}`;
  });
  return { ...base, name: stringOrUndefined(p.Name), tables: [...new Set(tables)] };
}
