import { App, AspectPriority, Aspects, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogBaseline, FlowLogTarget, FlowLogWatch, SubnetRole, TrafficSignature } from '../../src';
import { testStack, threeTierVpc } from '../util';

// What synth must accept: no false rejection of tokens CloudFormation takes, nor of what AWS allows.

const ENI = 'eni-0123456789abcdef0';

function alarmsByName(stack: Stack): Record<string, any> {
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
  return Object.fromEntries(Object.values(alarms).map(a => [a.Properties.AlarmName, a.Properties]));
}

describe('tokens, where CloudFormation takes them', () => {
  test('archive expiration and coldStorageAfter as Duration.days(token) render as references', () => {
    const stack = testStack();
    const keep = new CfnParameter(stack, 'KeepDays', { type: 'Number' }).valueAsNumber;
    const cold = new CfnParameter(stack, 'ColdDays', { type: 'Number' }).valueAsNumber;
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      archive: { expiration: Duration.days(keep), coldStorageAfter: Duration.days(cold) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          ExpirationInDays: { Ref: 'KeepDays' },
          Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: { Ref: 'ColdDays' } }],
        })]),
      },
    });
  });

  test('an anomaly band width as a token goes into the band expression and the description', () => {
    const stack = testStack();
    const width = new CfnParameter(stack, 'BandWidth', { type: 'Number' }).valueAsNumber;
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      alarms: { publicSubnets: { egressAnomaly: { anomalyBandWidth: width } } },
    });
    const alarm = alarmsByName(stack)['TestStack-Watch-public-egress-anomaly'];
    const band = alarm.Metrics.find((m: any) => m.Expression !== undefined);
    expect(band.Expression).toEqual({ 'Fn::Join': ['', ['ANOMALY_DETECTION_BAND(m0, ', { Ref: 'BandWidth' }, ')']] });
    expect(JSON.stringify(alarm.AlarmDescription)).toContain('{"Ref":"BandWidth"}');
  });

  test('a period as Duration.seconds(token) becomes the alarm\'s Period (static) and its metric\'s (anomaly band)', () => {
    const stack = testStack();
    const seconds = new CfnParameter(stack, 'PeriodSeconds', { type: 'Number' }).valueAsNumber;
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      alarms: {
        publicSubnets: { sshAccepted: { period: Duration.seconds(seconds) }, egressAnomaly: { period: Duration.seconds(seconds) } },
        deliveryStopped: { period: Duration.seconds(seconds) },
      },
    });
    const alarms = alarmsByName(stack);
    expect(alarms['TestStack-Watch-public-ssh-accepted'].Period).toEqual({ Ref: 'PeriodSeconds' });
    expect(alarms['TestStack-Watch-delivery-stopped'].Period).toEqual({ Ref: 'PeriodSeconds' });
    const stat = alarms['TestStack-Watch-public-egress-anomaly'].Metrics.find((m: any) => m.MetricStat).MetricStat;
    expect(stat.Period).toEqual({ Ref: 'PeriodSeconds' });
  });

  test('evaluationPeriods as a token skips the evaluation-window check', () => {
    const stack = testStack();
    const periods = new CfnParameter(stack, 'Periods', { type: 'Number' }).valueAsNumber;
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      alarms: { publicSubnets: { sshAccepted: { evaluationPeriods: periods, datapointsToAlarm: 1 } } },
    });
    expect(alarmsByName(stack)['TestStack-Watch-public-ssh-accepted'].EvaluationPeriods).toEqual({ Ref: 'Periods' });
  });
});

describe('what AWS allows', () => {
  test.each([0, 7, 29])('coldStorageAfter of %d days: Glacier Instant Retrieval has no transition minimum', (days) => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      archive: { coldStorageAfter: Duration.days(days) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: days }] })]) },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Glacier'))).toHaveLength(0);
  });

  test('no Glacier warning at 90 days in Glacier Instant Retrieval (expiration 365, transition at day 305)', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      archive: { coldStorageAfter: Duration.days(305) },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Glacier'))).toHaveLength(0);
  });

  test('a log group name under /aws/vendedlogs/ (only aws/ without the slash is reserved)', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC), logGroupName: '/aws/vendedlogs/flowlogs' });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/flowlogs' });
  });

  test('a flowLogName of 246 characters with an archive: the archive\'s Name tag is exactly 256', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC), flowLogName: 'n'.repeat(246), archive: {} });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', { Tags: [{ Key: 'Name', Value: `${'n'.repeat(246)} (archive)` }] });
  });

  test('an evaluation window of exactly one day, and of exactly seven days with hourly periods', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
      alarms: {
        publicSubnets: { sshAccepted: { evaluationPeriods: 288 }, rejectedFlows: { enabled: true, period: Duration.hours(1), evaluationPeriods: 168 } },
      },
    });
    const alarms = alarmsByName(stack);
    expect(alarms['TestStack-Watch-public-ssh-accepted'].EvaluationPeriods).toBe(288);
    expect(alarms['TestStack-Watch-public-rejected-flows'].EvaluationPeriods).toBe(168);
  });
});

describe('traffic types: the alarms on traffic the flow log does not record are off, and an info message says so', () => {
  test('REJECT: no alarm on accepted traffic; the rejected-traffic and health alarms stay', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), trafficType: ec2.FlowLogTrafficType.REJECT });
    expect(Object.keys(alarmsByName(stack)).sort()).toEqual([
      'TestStack-Watch-delivery-stopped',
      'TestStack-Watch-isolated-rejected-flows',
      'TestStack-Watch-private-rejected-flows',
      'TestStack-Watch-public-rejected-flows-anomaly',
      'TestStack-Watch-skipped-records',
    ]);
    Annotations.fromStack(stack).hasInfo('/TestStack/Watch', Match.stringLikeRegexp('`trafficType` is REJECT: the alarms on traffic the flow log does not record are off.*publicSubnets\\.sshAccepted'));
  });

  test('ACCEPT: no alarm on rejected traffic; switching one off explicitly is fine', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromVpc(threeTierVpc(stack)),
      trafficType: ec2.FlowLogTrafficType.ACCEPT,
      alarms: { privateSubnets: { rejectedFlows: { enabled: false } } },
    });
    expect(Object.keys(alarmsByName(stack)).filter(n => n.includes('rejected'))).toEqual([]);
    expect(Object.keys(alarmsByName(stack))).toContain('TestStack-Watch-private-ssh-accepted');
  });
});

describe('flow logs per resource', () => {
  test('a second watch of a VPC with allowAdditionalFlowLog: two flow logs, within the quota', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    new FlowLogWatch(stack, 'All', { target: FlowLogTarget.fromVpc(vpc) });
    new FlowLogWatch(stack, 'Rejects', { target: FlowLogTarget.fromVpc(vpc), trafficType: ec2.FlowLogTrafficType.REJECT, allowAdditionalFlowLog: true });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 2);
  });

  test('one watch with an archive (2 flow logs of one VPC) needs no opt-in; nor a watch next to a plain ec2.FlowLog', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Archived')), archive: {} });
    const other = threeTierVpc(stack, 'Other');
    other.addFlowLog('ToS3', { destination: ec2.FlowLogDestination.toS3() });
    new FlowLogWatch(stack, 'OtherWatch', { target: FlowLogTarget.fromVpc(other) });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 4);
  });

  test('a VPC watch and a watch of one of its subnets are different resources', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });
    new FlowLogWatch(stack, 'SubnetWatch', { target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]) });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 2);
  });

  test('the same ENI ID in two Stages (two deployments) is not counted together', () => {
    const app = new App();
    for (const name of ['Dev', 'Prod']) {
      const stack = new Stack(new (require('aws-cdk-lib').Stage)(app, name), 'Network', { env: { account: '123456789012', region: 'us-east-1' } });
      new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) });
    }
    expect(() => app.synth()).not.toThrow();
  });
});

describe('shared options and lookups', () => {
  test('a baseline\'s alarm overrides for a role some VPC lacks: no warning (one options object for many VPCs)', () => {
    const stack = testStack();
    new ec2.Vpc(stack, 'Data', { maxAzs: 1, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    Aspects.of(stack).add(new FlowLogBaseline({ alarms: { publicSubnets: { sshAccepted: { maxAcceptedSshBytes: 100 } } } }), { priority: AspectPriority.MUTATING });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('unusedAlarmOverrides'))).toHaveLength(0);
  });

  test('a baseline added twice with the same options: no warning', () => {
    const app = new App();
    const stack = testStack('Network', app);
    threeTierVpc(stack);
    const options = { retention: logs.RetentionDays.ONE_MONTH };
    Aspects.of(app).add(new FlowLogBaseline(options), { priority: AspectPriority.MUTATING });
    Aspects.of(stack).add(new FlowLogBaseline({ ...options }), { priority: AspectPriority.MUTATING });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ignoredBaselineOptions'))).toHaveLength(0);
  });

  test('ec2.Vpc.fromLookup() before the lookup (placeholder IDs, missing context): not rejected', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromLookup(stack, 'Looked', { vpcId: 'vpc-0123456789abcdef0' });
    expect(() => FlowLogTarget.fromVpc(vpc)).not.toThrow();
  });

  test('a custom signature given twice under one name with the same definition: one filter', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) });
    const postgres = () => TrafficSignature.custom({ metricName: 'PostgresBytes', destinationPorts: [5432], protocol: 6 });
    watch.metric(postgres());
    watch.metric(postgres());
    const filters = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'))
      .filter(f => f.Properties.MetricTransformations[0].MetricName === 'PublicPostgresBytes');
    expect(filters).toHaveLength(1);
  });
});
