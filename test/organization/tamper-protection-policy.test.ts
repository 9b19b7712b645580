import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FlowLogTamperProtectionPolicy } from '../../src';
import { testStack } from '../util';

const PLATFORM = 'arn:aws:iam::*:role/PlatformAdmin';

describe('the tamper-protection service control policy', () => {
  test('denies flow-log deletion, log-group tampering and telemetry-rule changes to all but the exempt principals', () => {
    const stack = testStack();
    new FlowLogTamperProtectionPolicy(stack, 'Scp', { exemptPrincipalArns: [PLATFORM], targetIds: ['r-abcd', 'ou-ab12-abcdefgh', '111122223333'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    const policy = Object.values(template.findResources('AWS::Organizations::Policy'))[0].Properties;
    expect(policy).toMatchObject({ Type: 'SERVICE_CONTROL_POLICY', Name: 'flowlog-watch-tamper-protection', TargetIds: ['r-abcd', 'ou-ab12-abcdefgh', '111122223333'] });
    const statements: any[] = policy.Content.Statement;
    expect(statements.map(s => s.Sid)).toEqual(['DenyFlowLogDeletion', 'DenyFlowLogGroupTampering', 'DenyTelemetryRuleTampering']);
    for (const s of statements) {
      expect(s.Effect).toBe('Deny');
      expect(s.Principal).toBeUndefined(); // SCPs have no Principal element
      expect(s.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [PLATFORM] } });
    }
    expect(statements[0]).toMatchObject({ Action: 'ec2:DeleteFlowLogs', Resource: '*' });
    expect(statements[1]).toMatchObject({
      Action: ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:PutLogGroupDeletionProtection'],
      Resource: 'arn:*:logs:*:*:log-group:/flowlog-watch/vpc/*',
    });
    expect(statements[2].Action).toEqual(expect.arrayContaining([
      'observabilityadmin:DeleteTelemetryRuleForOrganization', 'observabilityadmin:UpdateTelemetryRuleForOrganization',
      'observabilityadmin:DeleteCentralizationRuleForOrganization', 'observabilityadmin:UpdateCentralizationRuleForOrganization',
    ]));
    expect(JSON.stringify(policy.Content).length).toBeLessThanOrEqual(FlowLogTamperProtectionPolicy.MAX_CHARACTERS);
  });

  test('protects the log groups named, and is attached to nothing without targets', () => {
    const stack = testStack();
    new FlowLogTamperProtectionPolicy(stack, 'Scp', {
      exemptPrincipalArns: [PLATFORM, 'arn:aws:iam::111122223333:role/BreakGlass'],
      logGroupNamePatterns: ['/flowlog-watch/vpc/*', '/network/flow-logs'],
      policyName: 'keep-flow-logs',
    });
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy'))[0].Properties;
    expect(policy.TargetIds).toBeUndefined();
    expect(policy.Name).toBe('keep-flow-logs');
    // CloudWatch Logs authorizes these actions on the log group's ARN with a trailing ':*': an exact name
    // gets that form too; a pattern ending in '*' already matches it.
    expect(policy.Content.Statement[1].Resource).toEqual([
      'arn:*:logs:*:*:log-group:/flowlog-watch/vpc/*', 'arn:*:logs:*:*:log-group:/network/flow-logs', 'arn:*:logs:*:*:log-group:/network/flow-logs:*',
    ]);
    expect(policy.Content.Statement[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual([PLATFORM, 'arn:aws:iam::111122223333:role/BreakGlass']);
  });

  test('policyDocument gives the same document, to merge into an SCP of your own', () => {
    const stack = testStack();
    const scp = new FlowLogTamperProtectionPolicy(stack, 'Scp', { exemptPrincipalArns: [PLATFORM] });
    const alone = FlowLogTamperProtectionPolicy.policyDocument({ exemptPrincipalArns: [PLATFORM] });
    expect(stack.resolve(alone.toJSON())).toEqual(stack.resolve(scp.document.toJSON()));
  });

  test('fails synthesis when the document exceeds the 5,120 characters of an SCP', () => {
    const app = new App();
    const stack = new Stack(app, 'Org');
    const many = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111122223333:role/platform-team-role-number-${i}`);
    new FlowLogTamperProtectionPolicy(stack, 'Scp', { exemptPrincipalArns: many });
    expect(() => app.synth()).toThrow(/the service control policy is \d+ characters, more than the 5120 an SCP may have/);
  });

  test('does not measure a document holding tokens', () => {
    const app = new App();
    const stack = new Stack(app, 'Org');
    const role = new CfnParameter(stack, 'PlatformRole').valueAsString;
    new FlowLogTamperProtectionPolicy(stack, 'Scp', { exemptPrincipalArns: [role] });
    expect(() => app.synth()).not.toThrow();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no exempt principal', () => FlowLogTamperProtectionPolicy.policyDocument({ exemptPrincipalArns: [] }),
      /`exemptPrincipalArns` must list at least one principal ARN .*got an empty list/],
    ['an exempt principal that is no ARN', () => FlowLogTamperProtectionPolicy.policyDocument({ exemptPrincipalArns: ['PlatformAdmin'] }),
      /`exemptPrincipalArns\[0\]` must be an IAM principal ARN such as arn:aws:iam::\*:role\/PlatformAdmin, got 'PlatformAdmin'/],
    ['no log-group pattern', () => FlowLogTamperProtectionPolicy.policyDocument({ exemptPrincipalArns: [PLATFORM], logGroupNamePatterns: [] }),
      /`logGroupNamePatterns` must list at least one log-group name pattern, got an empty list/],
    ['a bad log-group pattern', () => FlowLogTamperProtectionPolicy.policyDocument({ exemptPrincipalArns: [PLATFORM], logGroupNamePatterns: ['flow logs'] }),
      /`logGroupNamePatterns\[0\]` must be a log-group name .*got 'flow logs'/],
    ['a bad target', () => new FlowLogTamperProtectionPolicy(testStack(), 'Scp', { exemptPrincipalArns: [PLATFORM], targetIds: ['ou-1'] }),
      /`targetIds\[0\]` must be a root ID \(r-…\), an OU ID \(ou-…-…\) or an account ID \(12 digits\), got 'ou-1'/],
    ['an empty policy name', () => new FlowLogTamperProtectionPolicy(testStack(), 'Scp', { exemptPrincipalArns: [PLATFORM], policyName: '' }),
      /`policyName` must be 1 to 128 characters, got ''/],
  ])('fails on %s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
