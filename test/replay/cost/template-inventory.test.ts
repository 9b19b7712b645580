import { fullTemplate } from './fixtures';
import { readTemplateInventory } from '../../../src/replay/cost/template-inventory';

test('reads what costs money, with construct paths', () => {
  const inventory = readTemplateInventory(fullTemplate());
  expect(inventory.flowLogs.map(f => [f.logicalId, f.destination, f.logGroup ?? f.s3])).toEqual([
    ['FlowLog', 'cloud-watch-logs', 'LogGroup'],
    ['ArchiveFlowLog', 's3', { bucket: 'Bucket', keyPrefix: 'archive/', fileFormat: 'plain-text' }],
  ]);
  expect(inventory.flowLogs[0].fieldNames).toHaveLength(14); // no LogFormat: the default format
  expect(inventory.logGroups).toEqual([{ logicalId: 'LogGroup', path: 'Watch/LogGroup', retentionDays: 30 }]);
  expect(inventory.metrics.map(m => [m.name, m.filters])).toEqual([['A', ['FilterA', 'FilterA2']], ['B', ['FilterB']]]);
  expect(inventory.alarms.map(a => [a.logicalId, a.kind, a.alarmMetrics])).toEqual([
    ['StandardAlarm', 'standard', 1], ['HighResolutionAlarm', 'high-resolution', 1], ['AnomalyAlarm', 'anomaly-detection', 3],
  ]);
  expect(inventory.insightRules.map(r => [r.ruleName, r.enabled, r.logGroups, r.filters])).toEqual([
    ['rejected-sources', true, ['LogGroup'], [{ match: 'action', operator: 'In', operand: ['REJECT'] }]],
    ['off', false, ['x'], []],
  ]);
  expect(inventory.buckets[0].rules[1]).toEqual({
    id: 'archive', prefix: 'archive/', transitions: [{ storageClass: 'GLACIER_IR', days: 30 }], expirationDays: 60,
  });
  expect(inventory.glueTables[0]).toMatchObject({ database: 'db', name: 't', bucket: 'Bucket', keyPrefix: 'archive/AWSLogs/' });
  expect(inventory.namedQueries[0].tables).toEqual(['db.t']);
  expect(inventory.dashboards).toHaveLength(1);
});

test('a log alarm: its rate, its window (StartTimeOffset − EndTimeOffset) and the log groups it queries', () => {
  const [alarm] = readTemplateInventory(fullTemplate()).logAlarms;
  expect(alarm).toMatchObject({ alarmName: 'scan', intervalSeconds: 300, windowSeconds: 900 - 300, logGroups: ['LogGroup'] });
});

test('a log alarm without EndTimeOffset ends its window now; rates in hours and days', () => {
  const template = fullTemplate();
  const schedule = template.Resources.LogAlarm.Properties.ScheduledQueryConfiguration.ScheduleConfiguration;
  delete schedule.EndTimeOffset;
  schedule.ScheduleExpression = 'rate(2 hours)';
  expect(readTemplateInventory(template).logAlarms[0]).toMatchObject({ intervalSeconds: 7200, windowSeconds: 900 });
  schedule.ScheduleExpression = 'rate(1 day)';
  expect(readTemplateInventory(template).logAlarms[0].intervalSeconds).toBe(86_400);
});

test('metric math alarms are billed one alarm metric per metric', () => {
  const template = fullTemplate();
  template.Resources.MathAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Metrics: [
        { Id: 'e', Expression: 'a + b' },
        { Id: 'a', MetricStat: { Metric: { Namespace: 'ns', MetricName: 'A' }, Period: 60, Stat: 'Sum' } },
        { Id: 'b', MetricStat: { Metric: { Namespace: 'ns', MetricName: 'B' }, Period: 60, Stat: 'Sum' } },
      ],
    },
  };
  template.Resources.Composite = { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(x)' } };
  const alarms = readTemplateInventory(template).alarms;
  expect(alarms.find(a => a.logicalId === 'MathAlarm')).toMatchObject({ kind: 'metric-math', alarmMetrics: 2, highResolution: false });
  expect(alarms.find(a => a.logicalId === 'Composite')).toMatchObject({ kind: 'composite' });
});

type Mutation = (resources: Record<string, any>) => void;
test.each<[string, Mutation, string]>([
  ['a cron schedule', r => { r.LogAlarm.Properties.ScheduledQueryConfiguration.ScheduleConfiguration.ScheduleExpression = 'cron(0 * * * ? *)'; },
    "AWS::CloudWatch::LogAlarm LogAlarm: `ScheduleExpression` must be a rate() expression such as 'rate(5 minutes)', got 'cron(0 * * * ? *)'"],
  ['an end after the start', r => { r.LogAlarm.Properties.ScheduledQueryConfiguration.ScheduleConfiguration.EndTimeOffset = 900; },
    '`EndTimeOffset` must be between 0 and `StartTimeOffset` (900), got 900'],
  ['no start', r => { delete r.LogAlarm.Properties.ScheduledQueryConfiguration.ScheduleConfiguration.StartTimeOffset; },
    '`StartTimeOffset` must be a positive number of seconds, got undefined'],
  ['no log groups', r => { r.LogAlarm.Properties.ScheduledQueryConfiguration.LogGroupIdentifiers = []; }, '`LogGroupIdentifiers` is empty'],
  ['an infrequent-access log group', r => { r.LogGroup.Properties.LogGroupClass = 'INFREQUENT_ACCESS'; },
    '`LogGroupClass` "INFREQUENT_ACCESS" is not priced'],
  ['a Firehose destination', r => { r.FlowLog.Properties.LogDestinationType = 'kinesis-data-firehose'; },
    "`LogDestinationType` 'kinesis-data-firehose' is not priced"],
  ['an unknown storage class', r => { r.Bucket.Properties.LifecycleConfiguration.Rules[1].Transitions[0].StorageClass = 'TAPE'; },
    '`StorageClass` must be one of STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE, got "TAPE"'],
  ['a rule body that is not JSON', r => { r.Rule.Properties.RuleBody = '{'; }, 'AWS::CloudWatch::InsightRule Rule: `RuleBody` is not JSON'],
])('fails on %s', (_, mutate, reason) => {
  const template = fullTemplate();
  mutate(template.Resources);
  expect(() => readTemplateInventory(template)).toThrow(reason);
});

test('fails on something that is not a template', () => {
  expect(() => readTemplateInventory([])).toThrow('not a CloudFormation template: expected a JSON object with a `Resources` object');
  expect(() => readTemplateInventory({ Resources: 'none' })).toThrow('not a CloudFormation template');
});
