import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  FlowLogCentralDetections, FlowLogCentralDetectionsProps, FlowLogDetection, FlowLogFormat, FlowLogOrganization,
  FlowLogOrganizationScope, FlowLogReplay,
} from '../../src';
import { validateTemplate } from '../schema/cfn-schema';
import { testStack } from '../util';

const LOG_ALARM = 'AWS::CloudWatch::LogAlarm';
const GROUPS = ['/flowlog-watch/vpc/vpc-0a1b2c3d4e5f60718', '/flowlog-watch/vpc/vpc-0f1e2d3c4b5a69788'];

function central(props: Partial<FlowLogCentralDetectionsProps> = {}, stack: Stack = testStack()):
{ stack: Stack; detections: FlowLogCentralDetections } {
  const detections = new FlowLogCentralDetections(stack, 'Central', { logGroupNames: GROUPS, ...props });
  return { stack, detections };
}

function logAlarms(stack: Stack): Record<string, any> {
  const found = Template.fromStack(stack).findResources(LOG_ALARM);
  return Object.fromEntries(Object.entries(found).map(([id, r]) => [id.replace(/^Central/, '').replace(/[0-9A-F]{8}$/, ''), r.Properties]));
}

describe('the central detections', () => {
  test('create a log alarm per default detection, plus skipped records and delivery stopped', () => {
    const { stack } = central();
    expect(Object.keys(logAlarms(stack)).sort()).toEqual([
      'BruteForceLogAlarm', 'DeliveryStoppedLogAlarm', 'ExfiltrationLogAlarm', 'HostSweepLogAlarm', 'MiningPoolLogAlarm',
      'PortScanLogAlarm', 'SkippedRecordsLogAlarm',
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test.each([
    ['PortScanLogAlarm', FlowLogDetection.PORT_SCAN, 'srcaddr'],
    ['HostSweepLogAlarm', FlowLogDetection.HOST_SWEEP, 'srcaddr, dstport'],
    ['BruteForceLogAlarm', FlowLogDetection.BRUTE_FORCE, 'srcaddr, dstport'],
    ['ExfiltrationLogAlarm', FlowLogDetection.EXFILTRATION, 'srcaddr, dstaddr'],
    ['MiningPoolLogAlarm', FlowLogDetection.MINING_POOL, 'srcaddr, dstaddr, dstport'],
  ])('%s groups by account, Region and its source fields, within the 5 `by` fields', (id, detection, own) => {
    const alarm = logAlarms(central().stack)[id];
    const by = `@aws.account, @aws.region, ${own}`;
    expect(by.split(', ').length).toBeLessThanOrEqual(5);
    expect(alarm.ScheduledQueryConfiguration.AggregationExpression).toMatch(new RegExp(`^\\w+\\([\\w*]+\\) by ${by} \\| sort desc$`));
    expect(alarm.ScheduledQueryConfiguration.AggregationExpression).toBe(detection._aggregation(['@aws.account', '@aws.region']).expression);
    const stats = detection._aggregation().stats;
    if (stats) {
      expect(alarm.ScheduledQueryConfiguration.QueryString).toContain(`as value by ${by}`);
    }
    expect(alarm.ScheduledQueryConfiguration.LogGroupIdentifiers).toEqual(GROUPS);
    expect(alarm.Threshold).toBe(detection.defaultThreshold);
    expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(alarm.ScheduledQueryConfiguration.ScheduleConfiguration.StartTimeOffset).toBe(detection.defaultWindow.toSeconds());
  });

  test('scope every detection as on a public subnet: scans count internal sources only, brute force accepted or internal', () => {
    const alarms = logAlarms(central().stack);
    const query = (id: string) => alarms[id].ScheduledQueryConfiguration.QueryString as string;
    expect(query('PortScanLogAlarm')).toContain('isIpv4InSubnet(srcaddr, "10.0.0.0/8")');
    expect(query('HostSweepLogAlarm')).toContain('isIpv4InSubnet(srcaddr, "10.0.0.0/8")');
    expect(query('BruteForceLogAlarm')).toContain('(action = "ACCEPT" or (isIpv4InSubnet(srcaddr');
    expect(query('PortScanLogAlarm')).toMatch(/^parse @message "\* \* .*\n\| filter log_status = "OK" and /);
    expect(query('PortScanLogAlarm').split('\n| ')[1]).not.toContain('subnet_id');
  });

  test('skipped records: SKIPDATA counted per account, Region and interface', () => {
    const alarm = logAlarms(central().stack).SkippedRecordsLogAlarm;
    expect(alarm.ScheduledQueryConfiguration.QueryString).toMatch(/\n\| filter log_status = "SKIPDATA"$/);
    expect(alarm.ScheduledQueryConfiguration.AggregationExpression).toBe('count(*) by @aws.account, @aws.region, interface_id | sort desc');
    expect(alarm.Threshold).toBe(1);
  });

  test('delivery stopped: fewer than 1 record in 30 minutes across the log groups, missing data breaching', () => {
    const alarm = logAlarms(central().stack).DeliveryStoppedLogAlarm;
    expect(alarm).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      ScheduledQueryConfiguration: { AggregationExpression: 'count(*)', ScheduleConfiguration: { ScheduleExpression: 'rate(10 minutes)', StartTimeOffset: 1800 } },
    });
  });

  test('thresholds and windows per detection; detections and extra alarms can be left out', () => {
    const { stack } = central({
      detections: [FlowLogDetection.PORT_SCAN, FlowLogDetection.EXFILTRATION],
      portScan: { threshold: 80, window: Duration.minutes(20), schedule: Duration.minutes(10), queryResultsToEvaluate: 3, queryResultsToAlarm: 2 },
      exfiltration: { enabled: false },
      deliveryStopped: { enabled: false },
    });
    const alarms = logAlarms(stack);
    expect(Object.keys(alarms).sort()).toEqual(['PortScanLogAlarm', 'SkippedRecordsLogAlarm']);
    expect(alarms.PortScanLogAlarm).toMatchObject({
      Threshold: 80,
      QueryResultsToEvaluate: 3,
      QueryResultsToAlarm: 2,
      ScheduledQueryConfiguration: { ScheduleConfiguration: { ScheduleExpression: 'rate(10 minutes)', StartTimeOffset: 1200 } },
    });
  });

  test('the query role may read exactly the listed log groups', () => {
    const { stack } = central();
    const arns = GROUPS.map(g => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:123456789012:log-group:${g}:*`]] }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'logs.amazonaws.com' } })] }),
      Policies: [{
        PolicyName: 'Queries',
        PolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Sid: 'RunDetectionQueries', Resource: arns })] }),
      }],
    });
  });

  test('alarm actions, internal CIDRs and log lines are taken as given', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Mine');
    central({ alarmActions: [new cloudwatchActions.SnsAction(topic)], internalCidrs: ['10.20.0.0/16'], actionLogLineCount: 0 }, stack);
    const alarm = logAlarms(stack).PortScanLogAlarm;
    expect(alarm.AlarmActions).toEqual([{ Ref: Match.stringLikeRegexp('^Mine') }].map(() => expect.objectContaining({ Ref: expect.stringMatching(/^Mine/) })));
    expect(alarm.ScheduledQueryConfiguration.QueryString).toContain('isIpv4InSubnet(srcaddr, "10.20.0.0/16")');
    expect(alarm.ScheduledQueryConfiguration.QueryString).not.toContain('10.0.0.0/8');
    expect(alarm.ActionLogLineCount).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('the template is valid against CloudFormation\'s resource schemas', () => {
    const { stack } = central({ logGroupNames: Array.from({ length: 50 }, (_, i) => `/flowlog-watch/vpc/vpc-${i}`) });
    expect(validateTemplate(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('take the format of a FlowLogOrganization\'s centralized log groups', () => {
    const app = new App();
    const orgStack = new Stack(app, 'Org', { env: { account: '111111111111', region: 'us-east-1' } });
    const org = new FlowLogOrganization(orgStack, 'FlowLogs', {
      scope: FlowLogOrganizationScope.organization('o-abcdefghij'),
      logFormat: FlowLogFormat.KIT,
      centralization: { destinationAccountId: '123456789012', destinationRegion: 'us-east-1' },
    });
    const { detections } = central({ centralLogGroups: org.centralLogGroups }, testStack('Archive', app));
    expect(detections.logFormat).toBe(FlowLogFormat.KIT);
    expect(detections.logAlarms).toHaveLength(7);
  });
});

describe('bad input fails at synth with a clear message', () => {
  const many = Array.from({ length: 51 }, (_, i) => `/flowlog-watch/vpc/vpc-${i}`);
  test.each<[string, Partial<FlowLogCentralDetectionsProps>, RegExp]>([
    ['an empty log-group list', { logGroupNames: [] }, /^`logGroupNames` must list 1 to 50 centralized log groups .*got an empty list$/],
    ['more than 50 log groups', { logGroupNames: many }, /^`logGroupNames` must list at most 50 log groups .*got 51/],
    ['an invalid log-group name', { logGroupNames: ['/flowlog-watch/vpc/vpc 1'] }, /^`logGroupNames\[0\]` must be a log-group name .*got '\/flowlog-watch\/vpc\/vpc 1'$/],
    ['a log-group name with a wildcard', { logGroupNames: ['/flowlog-watch/vpc/*'] }, /^`logGroupNames\[0\]` must be a log-group name/],
    ['a log group twice', { logGroupNames: [GROUPS[0], GROUPS[0]] }, /^`logGroupNames` lists '\/flowlog-watch\/vpc\/vpc-0a1b2c3d4e5f60718' twice/],
    ['a threshold of 0', { portScan: { threshold: 0 } }, /^`portScan.threshold` must be a number above 0 .*got 0$/],
    ['a negative threshold', { skippedRecords: { threshold: -1 } }, /^`skippedRecords.threshold` must be a number above 0 .*got -1$/],
    ['a window of seconds', { exfiltration: { window: Duration.seconds(90) } }, /^`exfiltration.window` must be whole minutes .*got 1 minute 30 seconds$/],
    ['a schedule longer than the window', { hostSweep: { schedule: Duration.minutes(20) } }, /^`hostSweep.schedule` \(20 minutes\) must not be longer than `hostSweep.window`/],
    ['more results to alarm than to evaluate', { deliveryStopped: { queryResultsToEvaluate: 1, queryResultsToAlarm: 2 } }, /^`deliveryStopped.queryResultsToAlarm` \(2\) must not exceed/],
    ['a detection that needs a subnet role', { detections: [FlowLogDetection.ISOLATED_EGRESS] }, /^`detections\[0\]` must be a detection that needs no subnet role .*got IsolatedEgress/],
    ['an empty detection list', { detections: [] }, /^`detections` must list at least one detection/],
    ['options of a detection left out', { detections: [FlowLogDetection.PORT_SCAN], miningPool: { threshold: 3 } }, /^`miningPool` is set, but `detections` does not list MiningPool/],
    ['an invalid internal CIDR', { internalCidrs: ['10.0.0.0/33'] }, /^`internalCidrs` must be IPv4 CIDR blocks .*got '10.0.0.0\/33'$/],
    ['no internal CIDR', { internalCidrs: [] }, /^`internalCidrs` must list at least one IPv4 CIDR block, got an empty list$/],
    ['a port out of range', { bruteForcePorts: [70000] }, /^`bruteForcePorts` must be ports from 0 to 65535, got 70000$/],
    ['too many log lines', { actionLogLineCount: 51 }, /^`actionLogLineCount` must be a whole number from 0 to 50, got 51$/],
    ['no alarm action', { alarmActions: [] }, /^`alarmActions` must list at least one action/],
    ['six alarm actions (AlarmActions takes 5)', { alarmActions: Array.from({ length: 6 }, () => ({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:t' }) })) },
      /^`alarmActions` must list at most 5 actions \(an alarm's AlarmActions takes at most 5\), got 6/],
    ['a format without tcp-flags', { logFormat: FlowLogFormat.AWS_DEFAULT }, /^detection PortScan reads tcp-flags, which the centralized log groups' format does not record/],
  ])('fails on %s', (_what, props, message) => {
    expect(() => central(props)).toThrow(message);
  });

  test('fails when the centralized log groups are in another account or Region, or the names lack their prefix', () => {
    const groups = { accountId: '123456789012', region: 'eu-west-1', logGroupNamePrefix: '/flowlog-watch/vpc/', logFormat: FlowLogFormat.KIT };
    expect(() => central({ centralLogGroups: groups })).toThrow(/^`centralLogGroups` are in Region eu-west-1, but the stack deploys in Region us-east-1/);
    expect(() => central({ centralLogGroups: { ...groups, region: 'us-east-1' }, logGroupNames: ['/other/vpc-1'] }))
      .toThrow(/^`logGroupNames\[0\]` must start with the centralized log groups' prefix '\/flowlog-watch\/vpc\/', got '\/other\/vpc-1'$/);
  });
});

describe('replay', () => {
  const T0 = 1767225600; // 2026-01-01T00:00:00Z
  function kitRecord(fields: Partial<Record<string, string | number>>): string {
    const values: Record<string, string | number> = {
      'version': 5,
      'account-id': '210987654321',
      'interface-id': 'eni-0a1b2c3d4e5f60718',
      'srcaddr': '10.0.1.5',
      'dstaddr': '10.0.2.9',
      'srcport': 40000,
      'dstport': 22,
      'protocol': 6,
      'packets': 1,
      'bytes': 60,
      'start': T0,
      'end': T0 + 30,
      'action': 'REJECT',
      'log-status': 'OK',
      'vpc-id': 'vpc-0a1b2c3d4e5f60718',
      'subnet-id': 'subnet-0a1b2c3d4e5f60718',
      'instance-id': '-',
      'tcp-flags': 2,
      'type': 'IPv4',
      'pkt-srcaddr': '10.0.1.5',
      'pkt-dstaddr': '10.0.2.9',
      'flow-direction': 'ingress',
      'traffic-path': '-',
      ...fields,
    };
    return FlowLogFormat.KIT.fields.map(f => String(values[f.name])).join(' ');
  }

  test('reports the central log alarms as not simulated because of @aws.account, never as quiet', () => {
    const { stack } = central();
    // Replay needs a metric filter to pick the log group it replays: one on a centralized log group.
    new logs.MetricFilter(stack, 'Filter', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Central0', GROUPS[0]),
      filterPattern: logs.FilterPattern.spaceDelimited(...FlowLogFormat.KIT.fields.map(f => f.name.replace(/-/g, '_'))).whereString('action', '=', 'REJECT'),
      metricNamespace: 'Test',
      metricName: 'Records',
    });
    const scan = Array.from({ length: 60 }, (_, port) => kitRecord({ dstport: 1000 + port }));
    const result = FlowLogReplay.fromStack(stack).replay(scan);
    const alarms = Object.fromEntries(result.alarms.filter(a => a.logicalId.startsWith('Central'))
      .map(a => [a.logicalId.replace(/^Central/, '').replace(/[0-9A-F]{8}$/, ''), a]));
    const grouped = ['PortScan', 'HostSweep', 'BruteForce', 'Exfiltration', 'MiningPool', 'SkippedRecords'].map(d => `${d}LogAlarm`);
    expect(Object.keys(alarms).sort()).toEqual([...grouped, 'DeliveryStoppedLogAlarm'].sort());
    // The scan above would trip PortScan in AWS: replay must say it cannot tell, not that it stayed quiet.
    for (const id of grouped) {
      expect(alarms[id]).toMatchObject({ alarmKind: 'LOG', simulated: false, enteredAlarmAt: [], notSimulatedReason: expect.stringContaining('`@aws.account`') });
    }
  });

  test('replays delivery stopped, which reads no system field: quiet while records arrive', () => {
    const { stack } = central({ logGroupNames: [GROUPS[0]] });
    new logs.MetricFilter(stack, 'Filter', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Central0', GROUPS[0]),
      filterPattern: logs.FilterPattern.spaceDelimited(...FlowLogFormat.KIT.fields.map(f => f.name.replace(/-/g, '_'))).whereString('action', '=', 'REJECT'),
      metricNamespace: 'Test',
      metricName: 'Records',
    });
    const steady = Array.from({ length: 120 }, (_, minute) => kitRecord({ start: T0 + 60 * minute, end: T0 + 60 * minute + 30 }));
    const gap = [...steady, kitRecord({ start: T0 + 60 * 240, end: T0 + 60 * 240 + 30 })];
    const stopped = (records: string[]) => FlowLogReplay.fromStack(stack).replay(records).alarms.find(a => /DeliveryStopped/.test(a.logicalId))!;
    expect(stopped(steady)).toMatchObject({ simulated: true, enteredAlarmAt: [] });
    // The first 10-minute run whose 30-minute window holds no record after the steady minutes.
    const lastEnd = T0 + 60 * 119 + 30;
    const firstQuietRun = Math.ceil((lastEnd + 30 * 60) / 600) * 600;
    expect(stopped(gap)).toMatchObject({ simulated: true, enteredAlarmAt: [new Date(firstQuietRun * 1000).toISOString()] });
  });
});
