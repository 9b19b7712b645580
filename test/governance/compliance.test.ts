import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogBaseline, FlowLogCompliance, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

function check(stack: Stack, props = {}) {
  Aspects.of(stack).add(new FlowLogCompliance(props), { priority: AspectPriority.READONLY });
  return Annotations.fromStack(stack);
}

test('a VPC without a VPC-level flow log is an error on the VPC that says how to fix it', () => {
  const stack = testStack();
  threeTierVpc(stack);
  check(stack).hasError('/TestStack/Vpc', 'FlowLogCompliance: the VPC TestStack/Vpc has no VPC-level flow log. '
    + "Add Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING }), or new FlowLogWatch(this, 'Watch', { target: FlowLogTarget.fromVpc(vpc) }).");
});

test('a plain CfnVPC without a flow log is an error too; a subnet-level flow log does not count', () => {
  const stack = testStack();
  new ec2.CfnVPC(stack, 'Legacy', { cidrBlock: '10.0.0.0/16' });
  const vpc = threeTierVpc(stack);
  new FlowLogWatch(stack, 'SubnetOnly', { target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]) });
  const annotations = check(stack);
  annotations.hasError('/TestStack/Legacy', Match.stringLikeRegexp('has no VPC-level flow log'));
  annotations.hasError('/TestStack/Vpc', Match.stringLikeRegexp('has no VPC-level flow log'));
});

test('an app under the baseline is compliant: no errors at all', () => {
  const app = new App();
  const stack = testStack('Network', app);
  threeTierVpc(stack);
  new ec2.CfnVPC(stack, 'Legacy', { cidrBlock: '10.0.0.0/16' });
  Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
  check(stack).hasNoError('*', Match.anyValue());
});

test('a flow log whose log group keeps logs forever or too long is an error on the log group', () => {
  const stack = testStack();
  const forever = new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
  const year = new logs.LogGroup(stack, 'Year', { retention: logs.RetentionDays.ONE_YEAR });
  const vpc = threeTierVpc(stack);
  vpc.addFlowLog('ToForever', { destination: ec2.FlowLogDestination.toCloudWatchLogs(forever) });
  const other = threeTierVpc(stack, 'Other');
  other.addFlowLog('ToYear', { destination: ec2.FlowLogDestination.toCloudWatchLogs(year) });
  const annotations = check(stack);
  annotations.hasError('/TestStack/Forever/Resource', Match.stringLikeRegexp('keeps logs forever \\(no retention\\)'));
  annotations.hasError('/TestStack/Year/Resource', 'FlowLogCompliance: the flow-log log group TestStack/Year/Resource keeps logs 365 days; '
    + 'allowed: 3, 5, 7, 14, 30, 60, 90, 120, 150, 180 days. Keep longer history in an S3 archive.');
  annotations.hasNoError('/TestStack/Vpc', Match.anyValue());
});

test('requireEncryption flags a flow-log log group without KMS, and passes one with a key', () => {
  const stack = testStack();
  new FlowLogWatch(stack, 'Plain', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'A')) });
  new FlowLogWatch(stack, 'Encrypted', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'B')), encryptionKey: new kms.Key(stack, 'Key') });
  const annotations = check(stack, { requireEncryption: true });
  annotations.hasError('/TestStack/Plain/LogGroup/Resource', Match.stringLikeRegexp('is not encrypted with a KMS key'));
  annotations.hasNoError('/TestStack/Encrypted/LogGroup/Resource', Match.anyValue());
});

test('a kit alarm stripped of its actions is an error on the alarm; other alarms are not the check\'s business', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  (watch.alarms[0].node.defaultChild as cloudwatch.CfnAlarm).alarmActions = [];
  new cloudwatch.Alarm(stack, 'Unrelated', {
    metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1,
  });
  const annotations = check(stack);
  annotations.hasError(`/${watch.alarms[0].node.path}/Resource`, Match.stringLikeRegexp('has no action, so nobody hears it'));
  annotations.hasNoError('/TestStack/Unrelated/Resource', Match.anyValue());
  expect(annotations.findError('*', Match.stringLikeRegexp('has no action'))).toHaveLength(1);
});

test('a flow log to a log group defined outside the app is a warning, not a guess', () => {
  const stack = testStack();
  const vpc = threeTierVpc(stack);
  vpc.addFlowLog('ToImported', { destination: ec2.FlowLogDestination.toCloudWatchLogs(logs.LogGroup.fromLogGroupName(stack, 'Imported', '/central/flowlogs')) });
  check(stack).hasWarning('/TestStack/Vpc/ToImported/FlowLog', Match.stringLikeRegexp('is not defined in this app; its retention cannot be checked'));
});

test('a kit alarm whose actions are disabled, or stripped by an override, is an error: nobody hears it either', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  (watch.alarms[0].node.defaultChild as cloudwatch.CfnAlarm).actionsEnabled = false;
  (watch.alarms[1].node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', []);
  const annotations = check(stack);
  annotations.hasError(`/${watch.alarms[0].node.path}/Resource`, Match.stringLikeRegexp('has its actions disabled \\(ActionsEnabled: false\\), so nobody hears it'));
  annotations.hasError(`/${watch.alarms[1].node.path}/Resource`, Match.stringLikeRegexp('has no action, so nobody hears it'));
  expect(annotations.findError('*', Match.stringLikeRegexp('nobody hears it'))).toHaveLength(2);
});

test('a detection\'s log alarm (AWS::CloudWatch::LogAlarm) without actions, or with them disabled, is an error too', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  expect(watch.logAlarms.length).toBeGreaterThan(1);
  watch.logAlarms[0].addPropertyOverride('AlarmActions', []);
  watch.logAlarms[1].addPropertyOverride('ActionsEnabled', false);
  const annotations = check(stack);
  annotations.hasError(`/${watch.logAlarms[0].node.path}`, Match.stringLikeRegexp(`the flow-log alarm ${watch.logAlarms[0].node.path} has no action`));
  annotations.hasError(`/${watch.logAlarms[1].node.path}`, Match.stringLikeRegexp('has its actions disabled'));
  expect(annotations.findError('*', Match.stringLikeRegexp('nobody hears it'))).toHaveLength(2);
});

test('a VPC whose flow log is in another stack (a monitoring stack watching it) has one: no error', () => {
  const app = new App();
  const network = testStack('Network', app);
  const monitoring = testStack('Monitoring', app);
  const vpc = threeTierVpc(network);
  new FlowLogWatch(monitoring, 'Watch', { target: FlowLogTarget.fromVpc(vpc) });
  check(network).hasNoError('/Network/Vpc', Match.anyValue());
});

test('a flow log in another stack of a VPC with the same logical ID does not count', () => {
  const app = new App();
  const a = testStack('A', app);
  const b = testStack('B', app);
  threeTierVpc(a);
  new FlowLogWatch(b, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(b)) });
  check(a).hasError('/A/Vpc', Match.stringLikeRegexp('has no VPC-level flow log'));
});
