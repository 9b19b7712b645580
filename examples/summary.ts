import * as fs from 'fs';
import * as path from 'path';

/**
 * A short human summary of what a synthesized cloud assembly creates for flow logs:
 * per stack, the flow logs and their targets, the log groups with retention, and the
 * delivery role with its trust conditions and permissions.
 */
export function summarizeAssembly(assemblyDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  const lines: string[] = [];
  for (const [stackName, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8'));
    lines.push(...summarizeStack(stackName, template), '');
  }
  return lines.join('\n');
}

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string; Metadata?: any }>;

function summarizeStack(stackName: string, template: { Resources?: Resources }): string[] {
  const resources = template.Resources ?? {};
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const where = (logicalId: string) => constructPath(resources, logicalId, stackName);
  const flowLogs = ofType('AWS::EC2::FlowLog');
  const logGroups = ofType('AWS::Logs::LogGroup');

  const lines = [`${stackName}: ${Object.keys(resources).length} resources, ${flowLogs.length} flow log(s)`];
  for (const [, flowLog] of flowLogs) {
    const p = flowLog.Properties;
    const fields = String(p.LogFormat ?? '').split(' ').filter(Boolean).length;
    const destination = p.LogDestinationType === 's3'
      ? `S3 ${describeRef(p.LogDestination, where)} (${p.DestinationOptions?.FileFormat ?? 'plain-text'}`
        + `${p.DestinationOptions?.PerHourPartition ? ', hourly partitions' : ''})`
      : `log group ${describeRef(p.LogGroupName, where)}`;
    lines.push(`  flow log    ${p.ResourceType} ${describeRef(p.ResourceId, where)} -> ${destination}`
      + ` | traffic ${p.TrafficType}, aggregation ${p.MaxAggregationInterval ?? 600} s, ${fields || 14} fields`);
  }
  for (const [logicalId, logGroup] of logGroups) {
    const p = logGroup.Properties ?? {};
    lines.push(`  log group   ${where(logicalId)}: retention ${p.RetentionInDays ?? 'never expires'} days`
      + `, ${p.KmsKeyId ? 'KMS key ' + describeRef(p.KmsKeyId, where) : 'no KMS key'}`
      + `, ${logGroup.DeletionPolicy === 'Retain' ? 'kept' : 'deleted'} when removed from the stack`);
  }
  for (const [logicalId, role] of ofType('AWS::IAM::Role')) {
    const trust = role.Properties.AssumeRolePolicyDocument.Statement
      .filter((s: any) => s.Principal?.Service === 'vpc-flow-logs.amazonaws.com');
    if (trust.length === 0) continue;
    const conditions = trust.flatMap((s: any) => Object.values(s.Condition ?? {}).flatMap(c => Object.keys(c as object)));
    lines.push(`  delivery    role ${where(logicalId)}: trusts vpc-flow-logs.amazonaws.com`
      + ` when ${conditions.length ? conditions.join(' and ') : 'ANY caller (no conditions)'}`);
    for (const [policyId, policy] of ofType('AWS::IAM::ManagedPolicy')) {
      if (!(policy.Properties.Roles ?? []).some((r: any) => r.Ref === logicalId)) continue;
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const targets = [statement.Resource].flat().map((r: any) => describeRef(r, where));
        lines.push(`              managed policy ${where(policyId)}: ${[statement.Action].flat().join(', ')} on ${targets.join(', ')}`);
      }
    }
  }
  const alarmsByWatch = new Map<string, string[]>();
  for (const [logicalId] of ofType('AWS::CloudWatch::Alarm')) {
    const [watch, alarmId] = where(logicalId).split('/');
    alarmsByWatch.set(watch, [...(alarmsByWatch.get(watch) ?? []), alarmId.replace(/Alarm$/, '')]);
  }
  const filters = ofType('AWS::Logs::MetricFilter').length;
  for (const [watch, alarms] of alarmsByWatch) {
    lines.push(`  alarms      ${watch}: ${alarms.length} (${alarms.join(', ')})`);
  }
  const actions = new Set(ofType('AWS::CloudWatch::Alarm').flatMap(([, a]) => (a.Properties.AlarmActions ?? []).map((r: any) => describeRef(r, where))));
  if (alarmsByWatch.size > 0) {
    lines.push(`              ${filters} metric filters; every alarm notifies ${[...actions].join(', ') || 'NOTHING'}`);
  }
  const detectionsByWatch = new Map<string, string[]>();
  for (const [logicalId] of ofType('AWS::CloudWatch::LogAlarm')) {
    const [watch, alarmId] = where(logicalId).split('/');
    detectionsByWatch.set(watch, [...(detectionsByWatch.get(watch) ?? []), alarmId.replace(/LogAlarm$/, '')]);
  }
  for (const [watch, detections] of detectionsByWatch) {
    lines.push(`  detections  ${watch}: ${detections.length} log alarms by source (${detections.join(', ')})`);
  }
  const queries = ofType('AWS::Logs::QueryDefinition');
  if (queries.length > 0) {
    const logGroupCount = new Set(queries.flatMap(([, q]) => (q.Properties.LogGroupNames ?? []).map((r: any) => describeRef(r, where)))).size;
    const folders = new Set(queries.map(([, q]) => String(q.Properties.Name).replace(/\/[^/]*$/, '')));
    lines.push(`  queries     ${queries.length} saved Logs Insights queries in ${[...folders].join(', ')}, over ${logGroupCount} log group(s)`);
  }
  for (const [logicalId, rule] of ofType('AWS::CloudWatch::InsightRule')) {
    lines.push(`  insights    ${where(logicalId)}: Contributor Insights rule ${rule.Properties.RuleName} (${rule.Properties.RuleState})`);
  }
  for (const [logicalId, bucket] of ofType('AWS::S3::Bucket')) {
    const rule = bucket.Properties.LifecycleConfiguration?.Rules?.[0] ?? {};
    lines.push(`  archive     ${where(logicalId)}: expires after ${rule.ExpirationInDays ?? 'never'} days, `
      + `${(rule.Transitions ?? []).map((t: any) => `${t.StorageClass} after ${t.TransitionInDays} days`).join(', ') || 'no transition'}`
      + `, ${bucket.DeletionPolicy === 'Retain' ? 'kept' : 'deleted'} when removed from the stack`);
  }
  for (const [logicalId, dashboard] of ofType('AWS::CloudWatch::Dashboard')) {
    lines.push(`  dashboard   ${where(logicalId)}: ${dashboard.Properties.DashboardName ?? '(generated name)'}`);
  }
  for (const [logicalId, rule] of ofType('AWS::ObservabilityAdmin::OrganizationTelemetryRule')) {
    const r = rule.Properties.Rule ?? {};
    lines.push(`  org rule    ${where(logicalId)}: ${r.TelemetryType ?? ''} ${(r.ResourceType ?? '')} flow logs, scope ${JSON.stringify(r.Scope ?? 'organization')}`);
  }
  for (const [logicalId] of ofType('AWS::ObservabilityAdmin::OrganizationCentralizationRule')) {
    lines.push(`  org copy    ${where(logicalId)}: centralization rule into one account and Region`);
  }
  for (const [logicalId, policy] of ofType('AWS::Organizations::Policy')) {
    lines.push(`  scp         ${where(logicalId)}: ${policy.Properties.Type} ${policy.Properties.Name}`);
  }
  for (const [logicalId] of ofType('AWS::Events::Rule')) {
    lines.push(`  alert       ${where(logicalId)}: EventBridge rule on tampering with flow logs`);
  }
  return lines;
}

function constructPath(resources: Resources, logicalId: string, stackName: string): string {
  const cdkPath: string | undefined = resources[logicalId]?.Metadata?.['aws:cdk:path'];
  return cdkPath ? cdkPath.replace(`${stackName}/`, '').replace(/\/(Resource|FlowLog)$/, '') : logicalId;
}

function describeRef(value: any, where: (logicalId: string) => string): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return where(value.Ref);
  if (value?.['Fn::GetAtt']) return where(value['Fn::GetAtt'][0]);
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map((part: any) => describeRef(part, where)).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

if (require.main === module) {
  const dir = process.argv[2] ?? 'cdk.out';
  process.stdout.write(`What the example app creates (from ${dir}):\n\n${summarizeAssembly(dir)}`);
}
