import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FlowLogDeliveryRole, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack, threeTierVpc } from '../util';

function stackWithTwoWatches() {
  const stack = testStack();
  const vpc = threeTierVpc(stack);
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });
  new FlowLogWatch(stack, 'EniWatch', { target: FlowLogTarget.fromNetworkInterfaceId('eni-12345678', SubnetRole.PUBLIC) });
  return stack;
}

/** The roles VPC Flow Logs may assume (the detections' roles are the stack's others). */
function deliveryRoles(template: Template): Record<string, any> {
  return template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' } })] } },
  });
}

test('one role and one managed policy per stack, shared by every watch', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  const roles = deliveryRoles(template);
  expect(Object.keys(roles)).toHaveLength(1);
  const roleId = Object.keys(roles)[0];
  const flowLogs = template.findResources('AWS::EC2::FlowLog');
  expect(Object.values(flowLogs).map(f => f.Properties.DeliverLogsPermissionArn)).toEqual([
    { 'Fn::GetAtt': [roleId, 'Arn'] },
    { 'Fn::GetAtt': [roleId, 'Arn'] },
  ]);
});

test('each stack gets its own role', () => {
  const first = stackWithTwoWatches();
  const second = testStack('Second', first.node.scope as any);
  new FlowLogWatch(second, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId('eni-87654321', SubnetRole.PUBLIC) });
  expect(Object.keys(deliveryRoles(Template.fromStack(second)))).toHaveLength(1);
  expect(FlowLogDeliveryRole.of(first)).not.toBe(FlowLogDeliveryRole.of(second));
  expect(FlowLogDeliveryRole.of(first.node.findChild('VpcWatch'))).toBe(FlowLogDeliveryRole.of(first));
});

test('trusts vpc-flow-logs.amazonaws.com only for flow logs of its own account and Region', () => {
  Template.fromStack(stackWithTwoWatches()).hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:123456789012:vpc-flow-log/*']] } },
        },
      }],
    },
  });
});

test('grants delivery on each log group by ARN, through a managed policy, with no wildcard resource and no PassRole', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  const logGroupIds = Object.keys(template.findResources('AWS::Logs::LogGroup'));
  expect(logGroupIds).toHaveLength(2);
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [{
        Sid: 'DeliverFlowLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: logGroupIds.map(id => ({ 'Fn::GetAtt': [id, 'Arn'] })),
      }],
    },
    Roles: [{ Ref: Match.stringLikeRegexp('^FlowLogDeliveryRole') }],
  });
  template.resourceCountIs('AWS::IAM::Policy', 0);
  expect(JSON.stringify(template.toJSON())).not.toContain('iam:PassRole');
});

test('flow logs wait for the delivery policy', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  const policyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))[0];
  const flowLogs = Object.values(template.findResources('AWS::EC2::FlowLog'));
  expect(flowLogs).toHaveLength(2);
  for (const flowLog of flowLogs) {
    expect(flowLog.DependsOn).toContain(policyId);
  }
});

test('grants a log group once however often it is granted', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  FlowLogDeliveryRole.of(stack).grantDelivery(watch.logGroup);
  const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0];
  expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WatchLogGroup/), 'Arn'] });
});

test('is not created in a stack without watches', () => {
  const stack = testStack();
  new ec2.Vpc(stack, 'Vpc');
  Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
});
