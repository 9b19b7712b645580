import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack } from '../util';

function eniTarget() {
  return FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC);
}

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

describe('deletion protection', () => {
  test('on by default: the log group cannot be deleted until it is turned off', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget() });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { DeletionProtectionEnabled: true });
  });

  test('off on request', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', { target: eniTarget(), deletionProtection: false });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { DeletionProtectionEnabled: Match.absent() });
  });

  test('fails when removalPolicy DESTROY meets deletion protection', () => {
    const stack = testStack();
    expect(() => new FlowLogWatch(stack, 'Watch', { target: eniTarget(), removalPolicy: RemovalPolicy.DESTROY }))
      .toThrow(/^`removalPolicy` RemovalPolicy.DESTROY cannot delete a log group with deletion protection on .*set `deletionProtection: false`/);
  });
});
