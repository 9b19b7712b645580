import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogField, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole, TrafficDirection } from '../src';
import { testStack, threeTierVpc } from './util';

const KIT_LOG_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} '
  + '${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} '
  + '${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';

function eniTarget() {
  return FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC);
}

describe('defaults', () => {
  test('a VPC-level flow log of all traffic, 1-minute aggregation, the kit format, a readable Name tag', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: { Ref: Match.stringLikeRegexp('^Vpc') },
      TrafficType: 'ALL',
      MaxAggregationInterval: 60,
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('^VpcWatchLogGroup') },
      LogFormat: KIT_LOG_FORMAT,
      Tags: [{ Key: 'Name', Value: 'TestStack/VpcWatch' }],
    });
  });

  test('a log group kept six months and retained when removed from the stack', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget() });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 180, LogGroupName: Match.absent(), KmsKeyId: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('exposes the target, its roles, the format, the retention, the log group, the flow log and the delivery role', () => {
    const stack = testStack();
    const target = FlowLogTarget.fromVpc(threeTierVpc(stack));
    const watch = new FlowLogWatch(stack, 'Watch', { target });
    expect(watch.target).toBe(target);
    expect(watch.roles).toEqual([SubnetRole.PUBLIC, SubnetRole.PRIVATE, SubnetRole.ISOLATED]);
    expect(watch.logFormat).toBe(FlowLogFormat.KIT);
    expect(watch.retention).toBe(logs.RetentionDays.SIX_MONTHS);
    expect(watch.flowLog.logGroup).toBe(watch.logGroup);
    expect(watch.flowLog.iamRole?.roleArn).toBe(watch.deliveryRole.roleArn);
  });

  test('construct IDs of the log group and the flow log stay LogGroup and FlowLog (a changed ID replaces the log group)', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'Watch', { target: eniTarget() });
    expect(watch.logGroup.node.id).toBe('LogGroup');
    expect(watch.flowLog.node.id).toBe('FlowLog');
    const ids = Object.keys(Template.fromStack(stack).toJSON().Resources);
    expect(ids).toEqual(expect.arrayContaining(['WatchLogGroupBC7916DF', 'WatchFlowLogDA86DBFA']));
  });
});

describe('targets', () => {
  test('a subnet target logs that subnet', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]) });
    expect(watch.roles).toEqual([SubnetRole.PRIVATE]);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'Subnet',
      ResourceId: stack.resolve(vpc.privateSubnets[0].subnetId),
    });
  });

  test('a network interface target logs that interface', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget() });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'NetworkInterface',
      ResourceId: 'eni-0123456789abcdef0',
    });
  });

  test('a subnet watched under another role than its VPC gives it gets a warning on the watch', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromSubnet(vpc.isolatedSubnets[0], SubnetRole.PUBLIC) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Watch', Match.stringLikeRegexp('is watched as public, but its VPC declares it isolated'));
  });

  test('fails without a target', () => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', {} as any)).toThrow(/^`target` is required/);
  });
});

describe('options', () => {
  test('retention, traffic type, aggregation interval, name, removal policy and Name tag are taken as given', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: eniTarget(),
      retention: logs.RetentionDays.THREE_DAYS,
      trafficType: ec2.FlowLogTrafficType.REJECT,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.TEN_MINUTES,
      logGroupName: '/flowlogs/edge',
      removalPolicy: RemovalPolicy.DESTROY,
      flowLogName: 'edge-eni',
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 3, LogGroupName: '/flowlogs/edge' },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'REJECT',
      MaxAggregationInterval: 600,
      Tags: [{ Key: 'Name', Value: 'edge-eni' }],
    });
  });

  test('a custom field list becomes the flow log format', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'Watch', {
      target: eniTarget(),
      logFormat: FlowLogFormat.fromFieldNames(['srcaddr', 'dstaddr', 'dstport', 'action', 'bytes', 'reject-reason']),
      alarms: { enabled: false },
    });
    expect(watch.logFormat.version).toBe(8);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      LogFormat: '${srcaddr} ${dstaddr} ${dstport} ${action} ${bytes} ${reject-reason}',
    });
  });

  test('AWS_DEFAULT renders the 14 version-2 fields', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), logFormat: FlowLogFormat.AWS_DEFAULT, alarms: { enabled: false } });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    });
  });

  test('a token log group name is not validated as a literal', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'LogGroupNameParam').valueAsString;
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), logGroupName: name });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { Ref: 'LogGroupNameParam' } });
  });
});

describe('KMS encryption', () => {
  test('encrypts the log group and lets CloudWatch Logs of the Region use the key for that log group only', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), encryptionKey: key, logGroupName: '/flowlogs/vpc' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchLogsForWatchLogGroupBC7916DF',
          Effect: 'Allow',
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: {
            ArnEquals: {
              'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:/flowlogs/vpc']] },
            },
          },
        }]),
      },
    });
  });

  test('scopes the key to the name CloudFormation will generate when no name is given', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), encryptionKey: new kms.Key(stack, 'Key') });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:TestStack-WatchLogGroupBC7916DF-*']],
              },
            },
          },
        })]),
      },
    });
  });

  test('warns that an imported key must be granted by hand', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/TestStack/Watch', Match.stringLikeRegexp("The policy of the imported key 'TestStack/Imported' cannot be changed here"));
  });
});

describe('bad input fails at synth with the prop, the value and what is allowed', () => {
  test.each([
    [logs.RetentionDays.ONE_DAY, '1 days (RetentionDays.ONE_DAY)'],
    [logs.RetentionDays.ONE_YEAR, '365 days (RetentionDays.ONE_YEAR)'],
    [logs.RetentionDays.INFINITE, 'RetentionDays.INFINITE (never expire)'],
  ])('retention %p', (retention, described) => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', { target: eniTarget(), retention })).toThrow(
      `\`retention\` must be one of 3, 5, 7, 14, 30, 60, 90, 120, 150, 180 days (RetentionDays.THREE_DAYS to RetentionDays.SIX_MONTHS), got ${described}. `
      + 'Flow logs kept longer than 6 months belong in an S3 archive, not in the log group.');
  });

  test('a Transit-Gateway-only field in the format', () => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', {
      target: eniTarget(),
      logFormat: FlowLogFormat.fromFields([FlowLogField.SRCADDR, FlowLogField.TGW_ID, FlowLogField.PACKETS_LOST_NO_ROUTE]),
    })).toThrow('`logFormat` has fields that only Transit Gateway flow logs record: tgw-id, packets-lost-no-route; '
      + 'a VPC, subnet or network interface flow log rejects them');
  });

  test('an unknown field in the format', () => {
    expect(() => FlowLogFormat.fromFieldNames(['srcaddr', 'dst-addr'])).toThrow(/^`logFormat`: 'dst-addr' is not a VPC flow log field; known fields: version, account-id/);
  });

  test('an aggregation interval other than 60 or 600 seconds', () => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', {
      target: eniTarget(),
      maxAggregationInterval: 300 as ec2.FlowLogMaxAggregationInterval,
    })).toThrow("`maxAggregationInterval` must be one of 60, 600, got '300'");
  });

  test('a traffic type that does not exist', () => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', {
      target: eniTarget(),
      trafficType: 'DROP' as ec2.FlowLogTrafficType,
    })).toThrow("`trafficType` must be one of ACCEPT, ALL, REJECT, got 'DROP'");
  });

  test.each(['flow logs', '', 'x'.repeat(513), 'logs:vpc'])('a log group name with forbidden characters or length: %p', (name) => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', { target: eniTarget(), logGroupName: name }))
      .toThrow(`\`logGroupName\` must be 1 to 512 characters of letters, digits and . - _ / #, got '${name}'`);
  });
});

test('synthesizes in an environment-agnostic stack without lookups', () => {
  const app = new App();
  const stack = new Stack(app, 'Agnostic');
  new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  const assembly = app.synth();
  expect(assembly.manifest.missing ?? []).toEqual([]);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: Match.anyValue() } })] },
  });
});

describe('alarms', () => {
  function vpcWatch(props: Partial<ConstructorParameters<typeof FlowLogWatch>[2]> = {}) {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc), ...props });
    return { stack, vpc, watch, template: Template.fromStack(stack) };
  }

  function alarmsByName(template: Template): Record<string, any> {
    return Object.fromEntries(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(a => [a.Properties.AlarmName, a.Properties]));
  }

  test('a 3-role VPC gets the role alarms of the README table and two health alarms, each with an action', () => {
    const { template, watch } = vpcWatch();
    expect(Object.keys(alarmsByName(template)).sort()).toEqual([
      'TestStack-VpcWatch-delivery-stopped',
      'TestStack-VpcWatch-isolated-external-egress',
      'TestStack-VpcWatch-isolated-rejected-flows',
      'TestStack-VpcWatch-isolated-ssh-accepted',
      'TestStack-VpcWatch-private-egress-anomaly',
      'TestStack-VpcWatch-private-egress-ceiling',
      'TestStack-VpcWatch-private-rejected-flows',
      'TestStack-VpcWatch-private-ssh-accepted',
      'TestStack-VpcWatch-public-egress-anomaly',
      'TestStack-VpcWatch-public-rejected-flows-anomaly',
      'TestStack-VpcWatch-public-ssh-accepted',
      'TestStack-VpcWatch-skipped-records',
    ]);
    expect(watch.alarms).toHaveLength(12);
    for (const alarm of Object.values(alarmsByName(template))) {
      expect(alarm.AlarmActions).toHaveLength(1);
    }
    template.resourceCountIs('AWS::Logs::MetricFilter', 10);
  });

  test('resources the kit adds to a fully monitored 3-AZ VPC: 29 for flow logs and alarms, plus the stack\'s 13 saved queries', () => {
    const count = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    const bare = testStack();
    threeTierVpc(bare);
    const vpcOnly = count(bare);

    const withQueries = testStack();
    new FlowLogWatch(withQueries, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(withQueries)) });
    expect(count(withQueries) - vpcOnly).toBe(29 + 13);

    const withoutQueries = testStack();
    new FlowLogWatch(withoutQueries, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(withoutQueries)), queryDefinitions: false });
    expect(count(withoutQueries) - vpcOnly).toBe(29);

    // A second VPC in the stack shares the delivery role and policy, the topic, its policy and key, and the queries.
    const two = testStack();
    new FlowLogWatch(two, 'WatchA', { target: FlowLogTarget.fromVpc(threeTierVpc(two, 'VpcA')) });
    new FlowLogWatch(two, 'WatchB', { target: FlowLogTarget.fromVpc(threeTierVpc(two, 'VpcB')) });
    expect(count(two) - 2 * vpcOnly).toBe(29 + 13 + 24);
  });

  test('each role metric filter matches only its own subnets, and sums the right value', () => {
    const { template, vpc, stack } = vpcWatch();
    const filter = Object.values(template.findResources('AWS::Logs::MetricFilter'))
      .find(f => f.Properties.MetricTransformations[0].MetricName === 'PrivateRejectedFlows')!;
    const pattern = JSON.stringify(filter.Properties.FilterPattern);
    for (const subnet of vpc.privateSubnets) {
      expect(pattern).toContain(JSON.stringify(stack.resolve(subnet.subnetId)));
    }
    for (const subnet of [...vpc.publicSubnets, ...vpc.isolatedSubnets]) {
      expect(pattern).not.toContain(JSON.stringify(stack.resolve(subnet.subnetId)));
    }
    expect(filter.Properties.MetricTransformations).toEqual([{
      MetricName: 'PrivateRejectedFlows', MetricNamespace: 'FlowLogs/TestStack/VpcWatch', MetricValue: '1', DefaultValue: 0,
    }]);
  });

  test('a static alarm sums its metric over the period and alarms above the threshold', () => {
    const { template } = vpcWatch();
    expect(alarmsByName(template)['TestStack-VpcWatch-private-rejected-flows']).toMatchObject({
      MetricName: 'PrivateRejectedFlows',
      Namespace: 'FlowLogs/TestStack/VpcWatch',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  test('an anomaly alarm alarms above the band, on the period asked for (the AnomalyDetectionAlarm period bug)', () => {
    const { template } = vpcWatch({ alarms: { publicSubnets: { rejectedFlowsAnomaly: { period: Duration.minutes(1), anomalyBandWidth: 4 } } } });
    const alarm = alarmsByName(template)['TestStack-VpcWatch-public-rejected-flows-anomaly'];
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: 'expr_1', EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({ Expression: 'ANOMALY_DETECTION_BAND(m0, 4)', Id: 'expr_1' }),
      expect.objectContaining({ Id: 'm0', MetricStat: { Metric: { MetricName: 'PublicRejectedFlows', Namespace: 'FlowLogs/TestStack/VpcWatch' }, Period: 60, Stat: 'Sum' } }),
    ]);
  });

  test('descriptions say what fired, why it matters for the role, and where to look first', () => {
    const { template } = vpcWatch();
    expect(alarmsByName(template)['TestStack-VpcWatch-public-ssh-accepted'].AlarmDescription).toBe(
      'Public subnets of VPC TestStack/Vpc: bytes of SSH (TCP 22) accepted inbound above 0 in 1 of 1 periods of 5 min. '
      + 'A public subnet is scanned by the internet all day: accepted SSH means a security group or network ACL lets SSH in from outside. '
      + 'First look: in TestStack/VpcWatch/LogGroup, search the log group for dstport 22 and ACCEPT to find the source addresses and interfaces, '
      + 'then the security groups that allow TCP 22.');
  });

  test('delivery stopped watches the log group\'s incoming events, missing data breaching', () => {
    const { template } = vpcWatch();
    expect(alarmsByName(template)['TestStack-VpcWatch-delivery-stopped']).toMatchObject({
      Namespace: 'AWS/Logs',
      MetricName: 'IncomingLogEvents',
      Dimensions: [{ Name: 'LogGroupName', Value: { Ref: expect.stringMatching(/^VpcWatchLogGroup/) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
    expect(alarmsByName(template)['TestStack-VpcWatch-skipped-records']).toMatchObject({ MetricName: 'SkippedRecords', Threshold: 0 });
  });

  test('a subnet or ENI watch has one role and unscoped filters', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Eni', { target: eniTarget() });
    const template = Template.fromStack(stack);
    const ssh = Object.values(template.findResources('AWS::Logs::MetricFilter'))
      .find(f => f.Properties.MetricTransformations[0].MetricName === 'PublicSshAcceptedBytes')!;
    expect(ssh.Properties.FilterPattern).toContain('subnet_id, ');
    expect(Object.keys(alarmsByName(template)).sort()).toEqual([
      'TestStack-Eni-delivery-stopped', 'TestStack-Eni-public-egress-anomaly', 'TestStack-Eni-public-rejected-flows-anomaly',
      'TestStack-Eni-public-ssh-accepted', 'TestStack-Eni-skipped-records',
    ]);
  });

  test('alarmActions replace the topic; actionsOverride replaces them for one alarm', () => {
    const pager = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:pager' }) };
    const ticket = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:ticket' }) };
    const { template, watch } = vpcWatch({ alarmActions: [ticket], alarms: { privateSubnets: { sshAccepted: { actionsOverride: [pager] } } } });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(watch.alarmTopic).toBeUndefined();
    const alarms = alarmsByName(template);
    expect(alarms['TestStack-VpcWatch-private-ssh-accepted'].AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pager']);
    expect(alarms['TestStack-VpcWatch-public-ssh-accepted'].AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:ticket']);
  });

  test('alarms can be switched off one by one or all at once', () => {
    const some = vpcWatch({
      alarms: { publicSubnets: { sshAccepted: { enabled: false } }, deliveryStopped: { enabled: false }, skippedRecords: { enabled: false } },
    });
    expect(Object.keys(alarmsByName(some.template))).toHaveLength(9);
    const none = vpcWatch({ alarms: { enabled: false } });
    none.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    none.template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    none.template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('metric methods sum one role, or every role with FILL, and create the filter they need', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    const publicSsh = watch.metricSshAcceptedBytes(SubnetRole.PUBLIC) as cloudwatch.Metric;
    expect(publicSsh).toMatchObject({ metricName: 'PublicSshAcceptedBytes', namespace: 'FlowLogs/TestStack/VpcWatch', statistic: 'Sum' });
    expect(publicSsh.period.toMinutes()).toBe(5);
    const allRejects = watch.metricRejectedFlows() as cloudwatch.MathExpression;
    expect(allRejects.expression).toBe('FILL(public, 0) + FILL(private, 0) + FILL(isolated, 0)');
    const ingress = watch.metricTransferBytes(TrafficDirection.INGRESS, SubnetRole.ISOLATED, { period: Duration.minutes(1) }) as cloudwatch.Metric;
    expect(ingress).toMatchObject({ metricName: 'IsolatedIngressBytes', statistic: 'Sum' });
    expect(ingress.period.toMinutes()).toBe(1);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 11);
  });

  test('a metric for a role the watch does not cover fails', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'Eni', { target: eniTarget() });
    expect(() => watch.metricRejectedFlows(SubnetRole.ISOLATED)).toThrow("`role` must be one of the watch's roles (public), got isolated");
  });

  test('a format without the fields an alarm needs fails, naming the alarm to switch off', () => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', { target: eniTarget(), logFormat: FlowLogFormat.AWS_DEFAULT }))
      .toThrow(/lacks 'flow-direction', which the SshAcceptedBytes signature needs .* \(alarm `alarms.publicSubnets.sshAccepted`\)$/);
  });

  test('fails on an empty alarmActions list or actionsOverride', () => {
    expect(() => vpcWatch({ alarmActions: [] })).toThrow(/^`alarmActions` must list at least one action, got an empty list/);
    expect(() => vpcWatch({ alarms: { isolatedSubnets: { sshAccepted: { actionsOverride: [] } } } }))
      .toThrow("`actionsOverride` of alarm 'IsolatedSshAcceptedAlarm' must list at least one action, got an empty list: every alarm needs an action");
  });

  test('fails on health alarm settings out of range and a bad namespace', () => {
    expect(() => vpcWatch({ alarms: { deliveryStopped: { evaluationPeriods: 0 } } }))
      .toThrow('`alarms.deliveryStopped.evaluationPeriods` must be a whole number of 1 or more, got 0');
    expect(() => vpcWatch({ alarms: { skippedRecords: { maxSkippedRecords: -1 } } }))
      .toThrow('`alarms.skippedRecords.maxSkippedRecords` must be a number of 0 or more, got -1');
    expect(() => vpcWatch({ metricNamespace: 'AWS/Mine' }))
      .toThrow("`metricNamespace` must be 1 to 255 letters, digits or . - _ / # : and space, not starting with 'AWS/' or ':', got 'AWS/Mine'");
  });

  test('fails when a role has so many subnets that the pattern would pass CloudWatch\'s 1,024 characters', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Wide', {
      vpcId: 'vpc-12345678',
      availabilityZones: ['us-east-1a'],
      privateSubnetIds: Array.from({ length: 30 }, (_, i) => `subnet-${String(i).padStart(17, '0')}`),
    });
    expect(() => new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(vpc) }))
      .toThrow(/^the filter pattern of PrivateSshAcceptedBytes would be up to \d+ characters, over CloudWatch Logs' limit of 1024/);
  });

  test('warns when the stack nears 500 resources', () => {
    const stack = testStack();
    for (let i = 0; i < 16; i++) {
      new FlowLogWatch(stack, `Watch${i}`, { target: FlowLogTarget.fromNetworkInterfaceId(`eni-${String(i).padStart(8, '0')}`, SubnetRole.PRIVATE) });
    }
    for (let i = 0; i < 290; i++) {
      new logs.LogGroup(stack, `Filler${i}`);
    }
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp("near CloudFormation's limit of 500 per stack"));
    const small = testStack();
    new FlowLogWatch(small, 'Watch', { target: eniTarget() });
    Annotations.fromStack(small).hasNoWarning('/TestStack', Match.anyValue());
  });
});

test('a key from another stack is scoped to the watch\'s stack name, not the key stack\'s', () => {
  const app = new App();
  const keys = testStack('Keys', app);
  const key = new kms.Key(keys, 'Key');
  const stack = testStack('Network', app);
  new FlowLogWatch(stack, 'Watch', { target: eniTarget(), encryptionKey: key });
  const statement = Template.fromStack(keys).toJSON().Resources.Key961B73FD.Properties.KeyPolicy.Statement
    .find((s: any) => s.Sid?.startsWith('AllowCloudWatchLogsFor'));
  expect(JSON.stringify(statement.Condition)).toContain(':log-group:Network-WatchLogGroup');
  expect(JSON.stringify(statement.Condition)).not.toContain('AWS::StackName');
});
