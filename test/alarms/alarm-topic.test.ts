import { Match, Template } from 'aws-cdk-lib/assertions';
import { FlowLogAlarmTopic, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack } from '../util';

function stackWithTwoWatches() {
  const stack = testStack();
  new FlowLogWatch(stack, 'A', { target: FlowLogTarget.fromNetworkInterfaceId('eni-12345678', SubnetRole.PUBLIC) });
  new FlowLogWatch(stack, 'B', { target: FlowLogTarget.fromNetworkInterfaceId('eni-87654321', SubnetRole.PRIVATE) });
  return stack;
}

const ALARMS_OF_THIS_ACCOUNT = {
  StringEquals: { 'aws:SourceAccount': '123456789012' },
  ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*']] } },
};

test('one topic, key and topic policy per stack, shared by every watch', () => {
  const stack = stackWithTwoWatches();
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::SNS::Topic', 1);
  template.resourceCountIs('AWS::KMS::Key', 1);
  template.resourceCountIs('AWS::SNS::TopicPolicy', 1);
  expect(FlowLogAlarmTopic.of(stack.node.findChild('A'))).toBe(FlowLogAlarmTopic.of(stack));
});

test('the topic is encrypted with a rotating customer-managed key that CloudWatch alarms of this account may use', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  template.hasResourceProperties('AWS::KMS::Key', {
    EnableKeyRotation: true,
    KeyPolicy: {
      Statement: Match.arrayWith([{
        Sid: 'AllowCloudWatchAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: ALARMS_OF_THIS_ACCOUNT,
      }]),
    },
  });
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([{
        Sid: 'DenyGrantsExceptForAwsServices',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }]),
    },
  });
  expect(JSON.stringify(template.toJSON())).not.toContain('alias/aws/sns');
});

test('the topic policy lets this account\'s alarms publish and denies publishing without TLS', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        {
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
          Condition: ALARMS_OF_THIS_ACCOUNT,
        },
      ]),
    },
  });
});

test('every alarm of both watches notifies the topic', () => {
  const template = Template.fromStack(stackWithTwoWatches());
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms.length).toBeGreaterThan(4);
  for (const alarm of alarms) {
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  }
});
