import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
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

describe('a key CloudWatch Logs cannot use', () => {
  test.each([
    [{ keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }, 'KeySpec RSA_2048, KeyUsage ENCRYPT_DECRYPT'],
    [{ keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY }, 'KeySpec ECC_NIST_P256, KeyUsage SIGN_VERIFY'],
    [{ keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }, 'KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC'],
  ])('fails on an asymmetric or HMAC key (%p)', (keyProps, described) => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', keyProps);
    expect(() => new FlowLogWatch(stack, 'Watch', { target: eniTarget(), encryptionKey: key })).toThrow(
      `\`encryptionKey\` must be a symmetric encryption key (KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT), got 'TestStack/Key' with ${described}: `
      + 'CloudWatch Logs supports only symmetric keys (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)');
  });

  test('a symmetric key, an imported key and a key whose spec is a token are accepted', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Explicit', {
      target: eniTarget(),
      encryptionKey: new kms.Key(stack, 'Symmetric', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }),
    });
    new FlowLogWatch(stack, 'Imported', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef1', SubnetRole.PUBLIC),
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555'),
    });
    const tokenKey = new kms.Key(stack, 'TokenKey');
    (tokenKey.node.defaultChild as kms.CfnKey).keySpec = new CfnParameter(stack, 'KeySpec').valueAsString;
    new FlowLogWatch(stack, 'Token', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef2', SubnetRole.PUBLIC), encryptionKey: tokenKey });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 3);
  });
});

describe('log group names are unique per account and Region', () => {
  test('fails at synth when two log groups of one environment get the same name', () => {
    const app = new App();
    const stack = testStack('Network', app);
    new FlowLogWatch(stack, 'Edge', { target: eniTarget(), logGroupName: '/flowlogs/edge' });
    const other = testStack('Other', app);
    new logs.LogGroup(other, 'Mine', { logGroupName: '/flowlogs/edge' });
    expect(() => app.synth()).toThrow("`logGroupName` '/flowlogs/edge' of Network/Edge is also the name of Other/Mine/Resource in 123456789012/us-east-1: "
      + 'CloudWatch Logs takes a log group name once per account and Region '
      + '(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html), so the deployment would fail. '
      + 'Give each log group a name of its own, or leave `logGroupName` out.');
  });

  test('the same name in other Regions, and names that are tokens, are fine', () => {
    const app = new App();
    new FlowLogWatch(testStack('East', app), 'Edge', { target: eniTarget(), logGroupName: '/flowlogs/edge' });
    const west = new Stack(app, 'West', { env: { account: '123456789012', region: 'us-west-2' } });
    new FlowLogWatch(west, 'Edge', { target: eniTarget(), logGroupName: '/flowlogs/edge' });
    const tokens = testStack('Tokens', app);
    new FlowLogWatch(tokens, 'A', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef2', SubnetRole.PUBLIC), logGroupName: new CfnParameter(tokens, 'Name').valueAsString });
    new FlowLogWatch(tokens, 'B', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef1', SubnetRole.PUBLIC), logGroupName: new CfnParameter(tokens, 'Name2').valueAsString });
    expect(() => app.synth()).not.toThrow();
  });
});
