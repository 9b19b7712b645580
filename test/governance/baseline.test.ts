import { App, AspectPriority, Aspects, Stack, Stage, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogBaseline, FlowLogQuery, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack, threeTierVpc } from '../util';

function withBaseline(scope: App | Stack | Stage, props = {}) {
  Aspects.of(scope).add(new FlowLogBaseline(props), { priority: AspectPriority.MUTATING });
}

test('one line watches every ec2.Vpc of every stack, with role-aware alarms and a topic and delivery role per stack', () => {
  const app = new App();
  const network = testStack('Network', app);
  const workload = testStack('Workload', app);
  threeTierVpc(network, 'Edge');
  threeTierVpc(network, 'Core');
  new ec2.Vpc(workload, 'App', { subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  withBaseline(app);

  const networkTemplate = Template.fromStack(network);
  // One delivery role and the two detection roles per stack.
  networkTemplate.resourceCountIs('AWS::EC2::FlowLog', 2);
  networkTemplate.resourceCountIs('AWS::IAM::Role', 3);
  networkTemplate.resourceCountIs('AWS::SNS::Topic', 1);
  networkTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Network-Edge-FlowLogWatch-public-ssh-accepted' });
  networkTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Network-Core-FlowLogWatch-isolated-external-egress' });

  const workloadTemplate = Template.fromStack(workload);
  workloadTemplate.resourceCountIs('AWS::EC2::FlowLog', 1);
  workloadTemplate.resourceCountIs('AWS::IAM::Role', 3);
  workloadTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Workload-App-FlowLogWatch-isolated-rejected-flows' });
  expect(JSON.stringify(workloadTemplate.toJSON())).not.toContain('Fn::ImportValue');
});

test('the watch options apply to every watch', () => {
  const stack = testStack();
  threeTierVpc(stack);
  withBaseline(stack, { retention: logs.RetentionDays.ONE_MONTH, alarms: { publicSubnets: { sshAccepted: { enabled: false } } } });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(a => a.Properties.AlarmName))
    .not.toContain('TestStack-Vpc-FlowLogWatch-public-ssh-accepted');
});

test('saved queries: one set per stack reads every VPC\'s log group; queryDefinitions: false turns them off', () => {
  const app = new App();
  const network = testStack('Network', app);
  threeTierVpc(network, 'Edge');
  threeTierVpc(network, 'Core');
  const quiet = testStack('Quiet', app);
  threeTierVpc(quiet, 'Vpc');
  withBaseline(network);
  withBaseline(quiet, { queryDefinitions: false });

  const template = Template.fromStack(network);
  template.resourceCountIs('AWS::Logs::QueryDefinition', FlowLogQuery.ALL.length);
  template.allResourcesProperties('AWS::Logs::QueryDefinition', {
    LogGroupNames: [{ Ref: Match.stringLikeRegexp('^EdgeFlowLogWatchLogGroup') }, { Ref: Match.stringLikeRegexp('^CoreFlowLogWatchLogGroup') }],
  });
  Template.fromStack(quiet).resourceCountIs('AWS::Logs::QueryDefinition', 0);
});

test('a plain CfnVPC is watched under the default role, with an info annotation saying so', () => {
  const stack = testStack();
  new ec2.CfnVPC(stack, 'Legacy', { cidrBlock: '10.9.0.0/16' });
  withBaseline(stack, { defaultRole: SubnetRole.ISOLATED });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', ResourceId: { Ref: 'Legacy' } });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'TestStack-Legacy-FlowLogWatch-isolated-external-egress' });
  const ssh = Object.values(template.findResources('AWS::Logs::MetricFilter'))
    .find(f => f.Properties.MetricTransformations[0].MetricName === 'IsolatedSshAcceptedBytes')!;
  expect(ssh.Properties.FilterPattern).toContain(' subnet_id, ');
  Annotations.fromStack(stack).hasInfo('/TestStack/Legacy', Match.stringLikeRegexp('subnet roles of TestStack/Legacy are unknown; it is watched as a whole under the isolated role'));
});

describe('idempotent', () => {
  test('adding the aspect twice, at App and Stack level, creates one flow log per VPC', () => {
    const app = new App();
    const stack = testStack('Network', app);
    threeTierVpc(stack);
    withBaseline(app);
    withBaseline(stack);
    withBaseline(stack);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 1);
    Annotations.fromStack(stack).hasInfo('/Network/Vpc', Match.stringLikeRegexp('already has a VPC-level flow log to CloudWatch Logs'));
  });

  test('a VPC watched by a FlowLogWatch, or with a flow log of its own, gets nothing new', () => {
    const stack = testStack();
    const watched = threeTierVpc(stack, 'Watched');
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(watched) });
    const own = threeTierVpc(stack, 'Own');
    own.addFlowLog('FlowLog');
    withBaseline(stack);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 2);
    Annotations.fromStack(stack).hasInfo('/TestStack/Own', Match.stringLikeRegexp('already has a VPC-level flow log .*TestStack/Own/FlowLog/FlowLog'));
  });

  test('a VPC watched by a FlowLogWatch of another stack (a monitoring stack) gets nothing new', () => {
    const app = new App();
    const network = testStack('Network', app);
    const monitoring = testStack('Monitoring', app);
    const vpc = threeTierVpc(network);
    new FlowLogWatch(monitoring, 'Watch', { target: FlowLogTarget.fromVpc(vpc) });
    withBaseline(app);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(network).resourceCountIs('AWS::EC2::FlowLog', 0);
    Template.fromStack(monitoring).resourceCountIs('AWS::EC2::FlowLog', 1);
    Annotations.fromStack(network).hasInfo('/Network/Vpc', Match.stringLikeRegexp('already has a VPC-level flow log .*Monitoring/Watch/FlowLog/FlowLog'));
  });

  test('a flow log to S3 does not count: the VPC still gets a CloudWatch one', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    vpc.addFlowLog('ToS3', { destination: ec2.FlowLogDestination.toS3() });
    withBaseline(stack);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 2);
  });
});

describe('opt-out', () => {
  test('by tag on the VPC or on a scope above it, whenever the tag aspect runs', () => {
    const app = new App();
    const stack = testStack('Network', app);
    const tagged = threeTierVpc(stack, 'Tagged');
    Tags.of(tagged).add('flowlog-watch:opt-out', 'true');
    const sandbox = testStack('Sandbox', app);
    threeTierVpc(sandbox, 'Scratch');
    Tags.of(sandbox).add('flowlog-watch:opt-out', 'true');
    threeTierVpc(stack, 'Kept');
    withBaseline(app);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 1);
    Template.fromStack(sandbox).resourceCountIs('AWS::EC2::FlowLog', 0);
    Annotations.fromStack(stack).hasInfo('/Network/Tagged', Match.stringLikeRegexp('opted out with the tag flowlog-watch:opt-out=true'));
  });

  test('a tag of another value does not opt out', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    Tags.of(vpc).add('flowlog-watch:opt-out', 'false');
    withBaseline(stack);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('by construct path glob, and by a custom tag key', () => {
    const stack = testStack();
    threeTierVpc(stack, 'Lab1');
    threeTierVpc(stack, 'Lab2');
    const custom = threeTierVpc(stack, 'Prod');
    Tags.of(custom).add('no-flowlogs', 'true');
    threeTierVpc(stack, 'Shared');
    withBaseline(stack, { excludePaths: ['**/Lab*'], optOutTagKey: 'no-flowlogs' });
    const flowLogs = Object.values(Template.fromStack(stack).findResources('AWS::EC2::FlowLog'));
    expect(flowLogs.map(f => f.Properties.ResourceId.Ref)).toEqual([expect.stringMatching(/^Shared/)]);
    Annotations.fromStack(stack).hasInfo('/TestStack/Lab1', Match.stringLikeRegexp('is excluded by path'));
  });
});

test('works across stages (added to each, as aspects do not cross Stage boundaries): each stack gets its own role and topic', () => {
  const app = new App();
  for (const name of ['Dev', 'Prod']) {
    const stage = new Stage(app, name);
    threeTierVpc(new Stack(stage, 'Network'));
    withBaseline(stage);
  }
  const assembly = app.synth();
  for (const name of ['Dev', 'Prod']) {
    const stack = assembly.getNestedAssembly(`assembly-${name}`).stacks[0];
    const types = Object.values<any>(stack.template.Resources).map(r => r.Type);
    expect(types.filter(t => t === 'AWS::EC2::FlowLog')).toHaveLength(1);
    expect(types.filter(t => t === 'AWS::IAM::Role')).toHaveLength(3); // delivery, detection queries, log lines
    expect(types.filter(t => t === 'AWS::SNS::Topic')).toHaveLength(1);
  }
});

test.each(['logGroupName', 'metricNamespace'])('fails on %s, which every VPC needs of its own', (prop) => {
  expect(() => new FlowLogBaseline({ [prop]: '/shared' })).toThrow(`\`${prop}\` cannot be given to a FlowLogBaseline, got '/shared': every VPC's watch needs one of its own`);
});

test.each([
  ['', "`optOutTagKey` must be a tag key of 1 to 128 characters, not starting with 'aws:' (reserved for AWS), got ''"],
  ['x'.repeat(129), "`optOutTagKey` must be a tag key of 1 to 128 characters, not starting with 'aws:' (reserved for AWS), got 'xxx"],
  ['AWS:opt-out', "`optOutTagKey` must be a tag key of 1 to 128 characters, not starting with 'aws:' (reserved for AWS), got 'AWS:opt-out'"],
])('fails on an optOutTagKey no VPC can carry (%#), which would never opt one out', (key, message) => {
  expect(() => new FlowLogBaseline({ optOutTagKey: key })).toThrow(message);
});

test('fails on an empty excludePaths entry, which would exclude nothing', () => {
  expect(() => new FlowLogBaseline({ excludePaths: ['Network/Lab*', ''] }))
    .toThrow("`excludePaths` must be construct path globs of at least one character, got '' at index 1");
});
