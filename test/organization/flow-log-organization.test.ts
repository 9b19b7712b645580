import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  FlowLogCentralEncryption, FlowLogFormat, FlowLogOrganization, FlowLogOrganizationAdministrator, FlowLogOrganizationProps,
  FlowLogOrganizationScope, FlowLogResourceSelection,
} from '../../src';
import { testStack } from '../util';

const TELEMETRY_RULE = 'AWS::ObservabilityAdmin::OrganizationTelemetryRule';
const CENTRALIZATION_RULE = 'AWS::ObservabilityAdmin::OrganizationCentralizationRule';
const ORG = 'o-abcdefghij';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function organization(props: Partial<FlowLogOrganizationProps> = {}, stack: Stack = testStack()): { stack: Stack; org: FlowLogOrganization } {
  const org = new FlowLogOrganization(stack, 'FlowLogs', { scope: FlowLogOrganizationScope.organization(ORG), ...props });
  return { stack, org };
}

function telemetryRule(stack: Stack): any {
  const rules = Template.fromStack(stack).findResources(TELEMETRY_RULE);
  expect(Object.keys(rules)).toHaveLength(1);
  return Object.values(rules)[0].Properties;
}

describe('the organization telemetry rule', () => {
  test('turns on VPC flow logs in the kit\'s format with 1-minute aggregation and six months\' retention by default', () => {
    const { stack } = organization();
    const template = Template.fromStack(stack);
    template.resourceCountIs(TELEMETRY_RULE, 1);
    template.resourceCountIs(CENTRALIZATION_RULE, 0);
    template.hasResourceProperties(TELEMETRY_RULE, {
      RuleName: 'flowlog-watch-vpc-flow-logs',
      Rule: {
        ResourceType: 'AWS::EC2::VPC',
        TelemetryType: 'Logs',
        TelemetrySourceTypes: ['VPC_FLOW_LOGS'],
        Scope: `OrganizationId = '${ORG}'`,
        SelectionCriteria: Match.absent(),
        Regions: Match.absent(),
        AllRegions: Match.absent(),
        DestinationConfiguration: {
          DestinationType: 'cloud-watch-logs',
          DestinationPattern: '/flowlog-watch/vpc/<resourceId>',
          RetentionInDays: 180,
          KmsKeyArn: Match.absent(),
          VPCFlowLogParameters: {
            LogFormat: FlowLogFormat.KIT.renderLogFormat(),
            MaxAggregationInterval: 60,
            TrafficType: 'ALL',
          },
        },
      },
    });
    expect(telemetryRule(stack).Rule.DestinationConfiguration.VPCFlowLogParameters.LogFormat).toMatch(/^\$\{version\} \$\{account-id\} .*\$\{subnet-id\}/);
  });

  test('takes Regions, retention, a tag selection, traffic type, a key and a log-group prefix', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    organization({
      regions: ['us-east-1', 'eu-west-1'],
      retention: logs.RetentionDays.TWO_WEEKS,
      resourceSelection: FlowLogResourceSelection.tagged('flowlogs', 'on'),
      trafficType: ec2.FlowLogTrafficType.REJECT,
      encryptionKey: key,
      logGroupNamePrefix: '/org/flow-logs/',
      ruleName: 'org-flow-logs',
    }, stack);
    const rule = telemetryRule(stack);
    expect(rule.RuleName).toBe('org-flow-logs');
    expect(rule.Rule.Regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(rule.Rule.SelectionCriteria).toBe("TagKey = 'flowlogs' AND TagValue = 'on'");
    expect(rule.Rule.DestinationConfiguration).toMatchObject({
      RetentionInDays: 14,
      KmsKeyArn: KEY_ARN,
      DestinationPattern: '/org/flow-logs/<resourceId>',
      VPCFlowLogParameters: { TrafficType: 'REJECT' },
    });
  });

  test('covers every Region with allRegions', () => {
    const { stack } = organization({ allRegions: true });
    expect(telemetryRule(stack).Rule).toMatchObject({ AllRegions: true });
    expect(telemetryRule(stack).Rule.Regions).toBeUndefined();
  });

  test('scopes to OUs or accounts, each ID a clause', () => {
    const ous = organization({ scope: FlowLogOrganizationScope.organizationalUnits(['ou-ab12-abcdefgh', 'ou-ab12-12345678']) });
    expect(telemetryRule(ous.stack).Rule.Scope).toBe("OrganizationUnitId = 'ou-ab12-abcdefgh' OR OrganizationUnitId = 'ou-ab12-12345678'");
    const accounts = organization({ scope: FlowLogOrganizationScope.accounts(['111122223333']) });
    expect(telemetryRule(accounts.stack).Rule.Scope).toBe("AccountId = '111122223333'");
    const custom = organization({ scope: FlowLogOrganizationScope.fromExpression("OrganizationId = 'o-zzzzzzzzzz'") });
    expect(telemetryRule(custom.stack).Rule.Scope).toBe("OrganizationId = 'o-zzzzzzzzzz'");
  });

  test('quotes values so that a quote in a tag cannot end the filter', () => {
    expect(FlowLogResourceSelection.tagged('team', "o'brien").expression).toBe("TagKey = 'team' AND TagValue = 'o''brien'");
  });

  test('exposes the rule name, log-group prefix and format, and no central log groups without centralization', () => {
    const { org } = organization();
    expect(org.ruleName).toBe('flowlog-watch-vpc-flow-logs');
    expect(org.logGroupNamePrefix).toBe('/flowlog-watch/vpc/');
    expect(org.logFormat).toBe(FlowLogFormat.KIT);
    expect(org.centralizationRule).toBeUndefined();
    expect(org.centralLogGroups).toBeUndefined();
  });

  test('a delegated administrator deploying in its own account is accepted', () => {
    expect(() => organization({ administrator: FlowLogOrganizationAdministrator.delegatedAdministrator('123456789012') })).not.toThrow();
  });

  test('skips the checks on tokens', () => {
    const stack = testStack();
    const regions = new CfnParameter(stack, 'Regions', { type: 'CommaDelimitedList' }).valueAsList;
    const ou = new CfnParameter(stack, 'Ou').valueAsString;
    expect(() => organization({ regions, scope: FlowLogOrganizationScope.organizationalUnits([ou]) }, stack)).not.toThrow();
  });
});

describe('the centralization rule', () => {
  const central = { destinationAccountId: '111122223333', destinationRegion: 'eu-west-1' };

  test('copies the kit\'s log groups of the same scope and Regions into the destination account, AWS-owned key by default', () => {
    const { stack, org } = organization({ regions: ['us-east-1', 'eu-west-1'], centralization: central });
    const template = Template.fromStack(stack);
    template.resourceCountIs(CENTRALIZATION_RULE, 1);
    template.hasResourceProperties(CENTRALIZATION_RULE, {
      RuleName: 'flowlog-watch-vpc-flow-logs-central',
      Rule: {
        Source: {
          Regions: ['us-east-1', 'eu-west-1'],
          Scope: `OrganizationId = '${ORG}'`,
          SourceLogsConfiguration: { LogGroupSelectionCriteria: "LogGroupName LIKE '/flowlog-watch/vpc/%'", EncryptedLogGroupStrategy: 'ALLOW' },
        },
        Destination: {
          Account: '111122223333',
          Region: 'eu-west-1',
          DestinationLogsConfiguration: {
            LogsEncryptionConfiguration: { EncryptionStrategy: 'AWS_OWNED', KmsKeyArn: Match.absent(), EncryptionConflictResolutionStrategy: Match.absent() },
            BackupConfiguration: Match.absent(),
          },
        },
      },
    });
    expect(org.centralLogGroups).toEqual({ accountId: '111122223333', region: 'eu-west-1', logGroupNamePrefix: '/flowlog-watch/vpc/', logFormat: FlowLogFormat.KIT });
  });

  test('without Regions copies from the stack\'s Region; with a customer-managed key and a backup Region', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    const backupKey = kms.Key.fromKeyArn(stack, 'BackupKey', KEY_ARN.replace('eu-west-1', 'eu-central-1'));
    organization({
      centralization: {
        ...central, encryption: FlowLogCentralEncryption.customerManaged(key), backupRegion: 'eu-central-1', backupEncryptionKey: backupKey, ruleName: 'to-archive',
      },
    }, stack);
    Template.fromStack(stack).hasResourceProperties(CENTRALIZATION_RULE, {
      RuleName: 'to-archive',
      Rule: {
        Source: { Regions: ['us-east-1'] },
        Destination: {
          DestinationLogsConfiguration: {
            // Every central log group under the key, not only the copies of customer-key-encrypted ones (the default scope).
            LogsEncryptionConfiguration: {
              EncryptionStrategy: 'CUSTOMER_MANAGED', KmsKeyArn: KEY_ARN, EncryptionConflictResolutionStrategy: 'ALLOW', EncryptionScope: 'NEW_DESTINATION_LOG_GROUPS',
            },
            BackupConfiguration: { Region: 'eu-central-1', KmsKeyArn: KEY_ARN.replace('eu-west-1', 'eu-central-1') },
          },
        },
      },
    });
  });

  test('with the AWS-owned key sets no encryption scope (it is not valid with AWS_OWNED)', () => {
    const { stack } = organization({ centralization: central });
    const encryption = Object.values(Template.fromStack(stack).findResources(CENTRALIZATION_RULE))[0]
      .Properties.Rule.Destination.DestinationLogsConfiguration.LogsEncryptionConfiguration;
    expect(encryption).toEqual({ EncryptionStrategy: 'AWS_OWNED' });
  });

  test('a scope of 2,000 characters is accepted, and one more account is refused', () => {
    // Each account adds "AccountId = '123456789012' OR " (30 characters, the last without " OR "): 66 make 1,976, 67 make 2,006.
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
    const fits = FlowLogOrganizationScope.accounts(accounts(66));
    expect(fits.expression.length).toBeLessThanOrEqual(2000);
    expect(() => organization({ scope: fits, centralization: central })).not.toThrow();
    expect(() => organization({ scope: FlowLogOrganizationScope.accounts(accounts(67)), centralization: central }))
      .toThrow(/`scope` must be at most 2000 characters for the centralization rule, got 2006 \(accounts, 67 IDs\): name fewer IDs, or a wider scope/);
    // The telemetry rule alone documents no such limit.
    expect(() => organization({ scope: FlowLogOrganizationScope.accounts(accounts(67)) })).not.toThrow();
  });

  test('with allRegions copies from the sourceRegions given', () => {
    const { stack } = organization({ allRegions: true, centralization: { ...central, sourceRegions: ['us-west-2'] } });
    Template.fromStack(stack).hasResourceProperties(CENTRALIZATION_RULE, { Rule: { Source: { Regions: ['us-west-2'] } } });
  });
});

describe('the templates are schema-valid', () => {
  /** aws-cdk-lib's own CloudFormation validation, turned into errors. */
  function strictApp(): App {
    return new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  }

  test('every option on passes CloudFormation\'s resource schemas', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Org');
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    new FlowLogOrganization(stack, 'FlowLogs', {
      scope: FlowLogOrganizationScope.organizationalUnits(['ou-ab12-abcdefgh']),
      regions: ['us-east-1', 'eu-west-1'],
      resourceSelection: FlowLogResourceSelection.tagged('flowlogs', 'on'),
      encryptionKey: key,
      centralization: {
        destinationAccountId: '111122223333',
        destinationRegion: 'eu-west-1',
        encryption: FlowLogCentralEncryption.customerManaged(key),
        backupRegion: 'eu-central-1',
        backupEncryptionKey: key,
      },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('control: the same validation rejects a centralization rule with a malformed account', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Broken');
    new CfnResource(stack, 'Rule', {
      type: 'AWS::ObservabilityAdmin::OrganizationCentralizationRule',
      properties: { RuleName: 'x', Rule: { Source: { Regions: ['us-east-1'] }, Destination: { Region: 'us-east-1', Account: '1' } } },
    });
    expect(() => app.synth()).toThrow(/Account/);
  });
});

describe('bad input fails at synth with the prop, the value and what is allowed', () => {
  const central = { destinationAccountId: '111122223333', destinationRegion: 'eu-west-1' };
  test.each<[string, () => unknown, RegExp]>([
    ['no scope', () => organization({ scope: undefined as any }), /`scope` is required, got nothing: FlowLogOrganizationScope\.organization/],
    ['an empty OU list', () => FlowLogOrganizationScope.organizationalUnits([]), /`scope\.organizationalUnitIds` must list at least one value .*got an empty list/],
    ['an empty account list', () => FlowLogOrganizationScope.accounts([]), /`scope\.accountIds` must list at least one value .*got an empty list/],
    ['an empty expression', () => FlowLogOrganizationScope.fromExpression('  '), /`scope` expression must not be empty, got '  '/],
    ['an invalid organization ID', () => FlowLogOrganizationScope.organization('org-1'), /`scope\.organizationId` must be an organization ID .*got 'org-1'/],
    ['an invalid OU ID', () => FlowLogOrganizationScope.organizationalUnits(['ou-1']), /`scope\.organizationalUnitIds\[0\]` must be organizational unit IDs .*got 'ou-1'/],
    ['an invalid account ID', () => FlowLogOrganizationScope.accounts(['12345']), /`scope\.accountIds\[0\]` must be AWS account IDs \(12 digits\), got '12345'/],
    ['an account twice', () => FlowLogOrganizationScope.accounts(['111122223333', '111122223333']), /`scope\.accountIds` lists '111122223333' twice/],
    ['an invalid Region', () => organization({ regions: ['us-east-1', 'us-east'] }), /`regions\[1\]` must be Region names such as us-east-1, got 'us-east'/],
    ['a Region in capitals', () => organization({ regions: ['US-EAST-1'] }), /`regions\[0\]` must be Region names .*got 'US-EAST-1'/],
    ['an empty Region list', () => organization({ regions: [] }), /`regions` must list at least one value .*got an empty list/],
    ['a Region twice', () => organization({ regions: ['eu-west-1', 'eu-west-1'] }), /`regions` lists 'eu-west-1' twice/],
    ['regions and allRegions', () => organization({ regions: ['eu-west-1'], allRegions: true }), /`regions` and `allRegions` exclude each other, got regions eu-west-1/],
    ['a year\'s retention', () => organization({ retention: logs.RetentionDays.ONE_YEAR }),
      /`retention` must be one of 3, 5, 7, .* 180 days .*got 365 days \(RetentionDays\.ONE_YEAR\)/],
    ['one day\'s retention', () => organization({ retention: logs.RetentionDays.ONE_DAY }), /`retention` must be one of .*got 1 days/],
    ['infinite retention', () => organization({ retention: logs.RetentionDays.INFINITE }), /`retention` .*got RetentionDays\.INFINITE/],
    ['a delegated administrator without an account', () => FlowLogOrganizationAdministrator.delegatedAdministrator(''),
      /`administrator\.accountId \(a delegated administrator needs its account ID\)` must be an AWS account ID \(12 digits\), got ''/],
    ['a delegated administrator with no account at all', () => FlowLogOrganizationAdministrator.delegatedAdministrator(undefined as any),
      /a delegated administrator needs its account ID.* got nothing/],
    ['a delegated administrator of another account', () => organization({ administrator: FlowLogOrganizationAdministrator.delegatedAdministrator('111122223333') }),
      /`administrator` is the delegated administrator 111122223333, but the stack deploys in account 123456789012/],
    ['a bad rule name', () => organization({ ruleName: 'flow logs!' }), /`ruleName` must be 1 to 100 letters, digits and hyphens, got 'flow logs!'/],
    ['a bad log-group prefix', () => organization({ logGroupNamePrefix: '/flow logs/' }), /`logGroupNamePrefix` must be .*got '\/flow logs\/'/],
    ['a bad traffic type', () => organization({ trafficType: 'SOME' as any }), /`trafficType` must be one of ACCEPT, ALL, REJECT, got 'SOME'/],
    ['an empty tag key', () => FlowLogResourceSelection.tagged('', 'on'), /`resourceSelection` tag key must be 1 to 128 characters, got ''/],
    ['an empty selection', () => FlowLogResourceSelection.fromExpression(''), /`resourceSelection` expression must not be empty/],
    ['a bad destination account', () => organization({ centralization: { ...central, destinationAccountId: 'log-archive' } }),
      /`centralization\.destinationAccountId` must be an AWS account ID \(12 digits\), got 'log-archive'/],
    ['a bad destination Region', () => organization({ centralization: { ...central, destinationRegion: 'Ireland' } }),
      /`centralization\.destinationRegion` must be a Region name such as us-east-1 or eu-west-2, got 'Ireland'/],
    ['a bad source Region', () => organization({ centralization: { ...central, sourceRegions: ['eu-west-1', 'mars-1'] } }),
      /`centralization\.sourceRegions\[1\]` must be Region names .*got 'mars-1'/],
    ['allRegions without source Regions', () => organization({ allRegions: true, centralization: central }),
      /`centralization\.sourceRegions` is required with `allRegions: true`, got nothing/],
    ['the backup in the destination Region', () => organization({ centralization: { ...central, backupRegion: 'eu-west-1' } }),
      /`centralization\.backupRegion` must differ from the destination Region, got 'eu-west-1' for both/],
    ['a backup key without a backup Region', () => {
      const stack = testStack();
      organization({ centralization: { ...central, backupEncryptionKey: kms.Key.fromKeyArn(stack, 'K', KEY_ARN) } }, stack);
    }, /`centralization\.backupEncryptionKey` needs `centralization\.backupRegion`/],
    ['a customer-managed encryption without a key', () => FlowLogCentralEncryption.customerManaged(undefined as any),
      /`centralization\.encryption`: FlowLogCentralEncryption\.customerManaged\(\) needs a KMS key, got nothing/],
    ['an alias as the telemetry rule\'s key', () => {
      const stack = testStack();
      organization({ encryptionKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/flowlogs') }, stack);
    }, /`encryptionKey` must be a KMS key \(arn:\.\.\.:kms:<region>:<account>:key\/<key-id>\), got an alias \('alias\/flowlogs'\): the telemetry rule's KmsKeyArn takes no alias/],
    ['an alias ARN as the telemetry rule\'s key', () => {
      const stack = testStack();
      organization({ encryptionKey: kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111122223333:alias/flowlogs') }, stack);
    }, /`encryptionKey` must be a KMS key .*got 'arn:aws:kms:eu-west-1:111122223333:alias\/flowlogs'/],
    ['a bad centralization rule name', () => organization({ centralization: { ...central, ruleName: 'x'.repeat(101) } }),
      /`centralization\.ruleName` must be 1 to 100 letters, digits and hyphens/],
  ])('%s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
