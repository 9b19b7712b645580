import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FlowLogTamperAlert } from '../../src';
import { testStack } from '../util';

describe('the tamper alert', () => {
  function rules(stack: Stack): Record<string, any> {
    return Template.fromStack(stack).findResources('AWS::Events::Rule');
  }

  function patternOf(stack: Stack, idPart: string): any {
    const entry = Object.entries(rules(stack)).find(([id]) => id.includes(idPart));
    expect(entry).toBeDefined();
    return entry![1].Properties.EventPattern;
  }

  test('watches CloudTrail for DeleteFlowLogs, flow-log log-group changes and telemetry-rule changes', () => {
    const stack = testStack();
    new FlowLogTamperAlert(stack, 'Alert');
    expect(Object.keys(rules(stack))).toHaveLength(3);
    expect(patternOf(stack, 'FlowLogDeleted')).toEqual({
      'detail-type': ['AWS API Call via CloudTrail'],
      'source': ['aws.ec2'],
      'detail': { eventSource: ['ec2.amazonaws.com'], eventName: ['DeleteFlowLogs'] },
    });
    const logGroups = patternOf(stack, 'FlowLogGroupChanged');
    expect(logGroups.source).toEqual(['aws.logs']);
    expect(logGroups.detail.eventName).toEqual(['DeleteLogGroup', 'PutRetentionPolicy', 'DeleteRetentionPolicy', 'PutLogGroupDeletionProtection']);
    expect(logGroups.detail.$or).toEqual([
      { requestParameters: { logGroupName: [{ prefix: '/flowlog-watch/vpc/' }] } },
      { requestParameters: { logGroupIdentifier: [{ prefix: '/flowlog-watch/vpc/' }, { wildcard: '*:log-group:/flowlog-watch/vpc/*' }] } },
    ]);
    const telemetry = patternOf(stack, 'TelemetryRuleChanged');
    expect(telemetry.source).toEqual(['aws.observabilityadmin']);
    expect(telemetry.detail.eventName).toEqual(expect.arrayContaining(['DeleteTelemetryRuleForOrganization', 'DeleteCentralizationRuleForOrganization']));
  });

  test('notifies the stack\'s alarm topic by default, which lets EventBridge publish and use its key', () => {
    const stack = testStack();
    new FlowLogTamperAlert(stack, 'Alert');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    for (const rule of Object.values(rules(stack))) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
    }
    const topicPolicy = JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'));
    expect(topicPolicy).toMatch(/"Service":"events.amazonaws.com"/);
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(keyPolicy).toEqual(expect.arrayContaining([expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    })]));
  });

  test('takes targets of yours and log-group prefixes', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'SecOps');
    new FlowLogTamperAlert(stack, 'Alert', { targets: [new targets.SnsTopic(topic)], logGroupNamePrefixes: ['/a/', '/b/'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1); // no FlowLogAlarmTopic
    expect(patternOf(stack, 'FlowLogGroupChanged').detail.$or[0]).toEqual({ requestParameters: { logGroupName: [{ prefix: '/a/' }, { prefix: '/b/' }] } });
  });

  test('exposes its rules', () => {
    const alert = new FlowLogTamperAlert(testStack(), 'Alert');
    for (const rule of [alert.flowLogDeleted, alert.flowLogGroupChanged, alert.telemetryRuleChanged]) {
      expect(rule).toBeInstanceOf(events.Rule);
    }
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no target', () => new FlowLogTamperAlert(testStack(), 'A', { targets: [] }), /`targets` must list at least one target, got an empty list/],
    ['no prefix', () => new FlowLogTamperAlert(testStack(), 'A', { logGroupNamePrefixes: [] }), /`logGroupNamePrefixes` must list at least one .*got an empty list/],
    ['a bad prefix', () => new FlowLogTamperAlert(testStack(), 'A', { logGroupNamePrefixes: ['/flow logs/'] }),
      /`logGroupNamePrefixes\[0\]` must be letters, digits and \. - _ \/ #, got '\/flow logs\/'/],
  ])('fails on %s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
