import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole, TrafficDirection } from '../../src';
import { testStack, threeTierVpc } from '../util';


function eniTarget() {
  return FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC);
}

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

  test('resources the kit adds to a fully monitored 3-AZ VPC: 38 for flow logs, alarms and detections, plus the stack\'s 13 saved queries', () => {
    const count = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    const bare = testStack();
    threeTierVpc(bare);
    const vpcOnly = count(bare);

    const withQueries = testStack();
    new FlowLogWatch(withQueries, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(withQueries)) });
    // 29 as before the detections, 7 log alarms and the stack's 2 detection roles.
    expect(count(withQueries) - vpcOnly).toBe(38 + 13);

    const withoutQueries = testStack();
    new FlowLogWatch(withoutQueries, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(withoutQueries)), queryDefinitions: false });
    expect(count(withoutQueries) - vpcOnly).toBe(38);

    // A second VPC in the stack shares the delivery role and policy, the topic, its policy and key, the detection roles and the queries.
    const two = testStack();
    new FlowLogWatch(two, 'WatchA', { target: FlowLogTarget.fromVpc(threeTierVpc(two, 'VpcA')) });
    new FlowLogWatch(two, 'WatchB', { target: FlowLogTarget.fromVpc(threeTierVpc(two, 'VpcB')) });
    expect(count(two) - 2 * vpcOnly).toBe(38 + 13 + 24 + 7);
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
    const noAlarms = vpcWatch({ alarms: { enabled: false } });
    noAlarms.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    noAlarms.template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    // The detections still notify the topic.
    noAlarms.template.resourceCountIs('AWS::SNS::Topic', 1);
    const none = vpcWatch({ alarms: { enabled: false }, detections: { enabled: false } });
    none.template.resourceCountIs('AWS::CloudWatch::LogAlarm', 0);
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

  test('fails on more than 5 alarmActions or actionsOverride actions (AlarmActions takes 5), naming the prop and the count', () => {
    const actions = (n: number) => Array.from({ length: n }, (_, i) => ({ bind: () => ({ alarmActionArn: `arn:aws:sns:us-east-1:123456789012:t${i}` }) }));
    const five = alarmsByName(vpcWatch({
      alarmActions: actions(5),
      alarms: { privateSubnets: { sshAccepted: { actionsOverride: actions(5) } }, skippedRecords: { actionsOverride: actions(5) } },
    }).template);
    expect(five['TestStack-VpcWatch-public-ssh-accepted'].AlarmActions).toHaveLength(5);
    expect(five['TestStack-VpcWatch-private-ssh-accepted'].AlarmActions).toHaveLength(5);
    expect(() => vpcWatch({ alarmActions: actions(6) }))
      .toThrow(/^`alarmActions` must list at most 5 actions \(an alarm's AlarmActions takes at most 5\), got 6: /);
    expect(() => vpcWatch({ alarms: { privateSubnets: { sshAccepted: { actionsOverride: actions(6) } } } }))
      .toThrow(/^`alarms\.privateSubnets\.sshAccepted\.actionsOverride` must list at most 5 actions .*got 6/);
    expect(() => vpcWatch({ alarms: { deliveryStopped: { actionsOverride: actions(7) } } }))
      .toThrow(/^`alarms\.deliveryStopped\.actionsOverride` must list at most 5 actions .*got 7/);
  });

  test('fails on health alarm settings out of range and a bad namespace', () => {
    expect(() => vpcWatch({ alarms: { deliveryStopped: { evaluationPeriods: 0 } } }))
      .toThrow('`alarms.deliveryStopped.evaluationPeriods` must be a whole number of 1 or more, got 0');
    expect(() => vpcWatch({ alarms: { skippedRecords: { maxSkippedRecords: -1 } } }))
      .toThrow('`alarms.skippedRecords.maxSkippedRecords` must be a number of 0 or more, got -1');
    expect(() => vpcWatch({ metricNamespace: 'AWS/Mine' }))
      .toThrow("`metricNamespace` must be 1 to 255 letters, digits or . - _ / # and space, not starting with 'AWS/', got 'AWS/Mine'");
  });

});
