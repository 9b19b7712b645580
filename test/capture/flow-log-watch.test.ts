import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogField, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack, threeTierVpc } from '../util';

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
      deletionProtection: false,
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
      detections: { enabled: false },
    });
    expect(watch.logFormat.version).toBe(8);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      LogFormat: '${srcaddr} ${dstaddr} ${dstport} ${action} ${bytes} ${reject-reason}',
    });
  });

  test('AWS_DEFAULT renders the 14 version-2 fields', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), logFormat: FlowLogFormat.AWS_DEFAULT, alarms: { enabled: false }, detections: { enabled: false } });
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

  test.each(['FlowLogs:Edge', 'Flow*Logs', 'Flow$Logs'])('a metric namespace with a character metric filters reject: %p', (namespace) => {
    expect(() => new FlowLogWatch(testStack(), 'Watch', { target: eniTarget(), metricNamespace: namespace }))
      .toThrow(`\`metricNamespace\` must not contain ':', '*' or '$' (a metric filter's namespace may not), got '${namespace}'`);
  });

  test('the default metric namespace leaves out a colon of the construct path (metric filters reject it)', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'Edge:Watch', { target: eniTarget() });
    expect(watch.metricNamespace).toBe('FlowLogs/TestStack/Edge_Watch');
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'FlowLogs/TestStack/Edge_Watch' })],
    });
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
