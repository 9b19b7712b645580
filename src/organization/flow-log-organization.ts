import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FlowLogCentralEncryption } from './central-log-encryption';
import { FlowLogOrganizationAdministrator } from './organization-administrator';
import { FlowLogOrganizationScope } from './organization-scope';
import { validateAccountId, validateRegion, validateRegions } from './private/identifiers';
import { FlowLogResourceSelection } from './resource-selection';
import { FlowLogFormat } from '../capture/flow-log-format';
import { DEFAULT_RETENTION, validateRetention } from '../capture/private/retention';

/** Log-group names: letters, digits and . - _ / # (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html). */
const LOG_GROUP_NAME_PREFIX = /^[.\-_/#A-Za-z0-9]{1,400}$/;
/** Rule names (https://docs.aws.amazon.com/cloudwatch/latest/observabilityadmin/API_CreateTelemetryRuleForOrganization.html). */
const RULE_NAME = /^[0-9A-Za-z-]{1,100}$/;
/** The kit's 1-minute aggregation; the only other value VPC Flow Logs accepts is 600 seconds. */
const ONE_MINUTE = 60;
/** A centralization rule's `Source.Scope` is 1 to 2,000 characters (https://docs.aws.amazon.com/cloudwatch/latest/observabilityadmin/API_CentralizationRuleSource.html). */
const MAX_CENTRALIZATION_SCOPE_LENGTH = 2000;

/**
 * Where the organization's flow-log log groups are copied to.
 */
export interface FlowLogCentralizationOptions {
  /** The account the log groups are copied into: the security or log-archive account. */
  readonly destinationAccountId: string;

  /** The Region of that account the log groups are copied into. */
  readonly destinationRegion: string;

  /**
   * The Regions whose log groups are copied.
   *
   * @default - the telemetry rule's `regions` (required when the rule covers `allRegions`)
   */
  readonly sourceRegions?: string[];

  /**
   * How the copies are encrypted.
   *
   * @default FlowLogCentralEncryption.AWS_OWNED
   */
  readonly encryption?: FlowLogCentralEncryption;

  /**
   * A second Region of the destination account that keeps a backup copy.
   *
   * @default - no backup copy
   */
  readonly backupRegion?: string;

  /**
   * A key of the destination account in the backup Region for the backup copies.
   *
   * @default - the AWS-owned key
   */
  readonly backupEncryptionKey?: kms.IKey;

  /**
   * The name of the centralization rule.
   *
   * @default - the telemetry rule's name and `-central`
   */
  readonly ruleName?: string;
}

/**
 * Properties of a `FlowLogOrganization`.
 */
export interface FlowLogOrganizationProps {
  /**
   * The accounts whose VPCs get flow logs: the organization, OUs or accounts.
   */
  readonly scope: FlowLogOrganizationScope;

  /**
   * The account this stack deploys in: the management account, or a delegated administrator
   * (checked at synth when the stack's account is known).
   *
   * @default FlowLogOrganizationAdministrator.MANAGEMENT_ACCOUNT
   */
  readonly administrator?: FlowLogOrganizationAdministrator;

  /**
   * The Regions the rule applies in.
   *
   * @default - the Region the stack deploys in
   */
  readonly regions?: string[];

  /**
   * Apply the rule in every Region the service supports, now and later (not with `regions`).
   *
   * @default false
   */
  readonly allRegions?: boolean;

  /**
   * Only VPCs with this tag (the default: every VPC in scope).
   *
   * @default - every VPC of the accounts in scope
   */
  readonly resourceSelection?: FlowLogResourceSelection;

  /**
   * How long each VPC's log group keeps flow logs: 3 days to 6 months, as for a watch.
   *
   * @default logs.RetentionDays.SIX_MONTHS
   */
  readonly retention?: logs.RetentionDays;

  /**
   * The fields of the records.
   *
   * @default FlowLogFormat.KIT
   */
  readonly logFormat?: FlowLogFormat;

  /**
   * Which traffic to log.
   *
   * @default ec2.FlowLogTrafficType.ALL
   */
  readonly trafficType?: ec2.FlowLogTrafficType;

  /**
   * A KMS key for the log groups the rule creates in each account. Its key policy must let
   * CloudWatch Logs of every account in scope use it. A key, not an alias: the telemetry rule
   * takes only key ARNs.
   *
   * @default - CloudWatch Logs' service-owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The beginning of every log-group name the rule creates (`<prefix><vpc-id>`); the
   * centralization rule, the tamper-protection policy and the tamper alert select log groups by it.
   *
   * @default '/flowlog-watch/vpc/'
   */
  readonly logGroupNamePrefix?: string;

  /**
   * The name of the telemetry rule: letters, digits and hyphens, unique in the organization.
   *
   * @default 'flowlog-watch-vpc-flow-logs'
   */
  readonly ruleName?: string;

  /**
   * Copy the flow-log log groups into one account and Region.
   *
   * @default - no centralization rule
   */
  readonly centralization?: FlowLogCentralizationOptions;
}

/**
 * The centralized flow-log log groups, for what runs over them in the destination account
 * (saved queries, detections): the log groups named `logGroupNamePrefix`… in `accountId`'s `region`.
 */
export interface FlowLogCentralLogGroups {
  /** The destination account. */
  readonly accountId: string;
  /** The destination Region. */
  readonly region: string;
  /** The beginning of the log-group names. */
  readonly logGroupNamePrefix: string;
  /** The record format. */
  readonly logFormat: FlowLogFormat;
}

/**
 * VPC flow logs for every VPC of the organization (or of OUs or accounts), including VPCs that
 * no CDK app defines, for the management or a delegated administrator account:
 *
 * - an `AWS::ObservabilityAdmin::OrganizationTelemetryRule` that turns on, in each account and
 *   Region in scope, a flow log in the kit's format with 1-minute aggregation into a log group
 *   `<logGroupNamePrefix><vpc-id>` of bounded retention (3 days to 6 months);
 * - with `centralization`, an `AWS::ObservabilityAdmin::OrganizationCentralizationRule` that
 *   copies those log groups into one account and Region, encrypted as chosen.
 *
 * Both resource types are newer than the library's lowest aws-cdk-lib (2.197.0 has no
 * aws-observabilityadmin module), so they are written as plain `CfnResource`s.
 *
 * Before the first deployment, the management account turns on trusted access and telemetry
 * evaluation for the organization (README "Organization").
 */
export class FlowLogOrganization extends Construct {
  /** Where the telemetry rule puts each VPC's log group, by default: `<prefix><vpc-id>`. */
  public static readonly DEFAULT_LOG_GROUP_NAME_PREFIX = '/flowlog-watch/vpc/';

  /** The organization telemetry rule. */
  public readonly telemetryRule: CfnResource;

  /** The centralization rule (only with `centralization`). */
  public readonly centralizationRule?: CfnResource;

  /** The telemetry rule's name. */
  public readonly ruleName: string;

  /** The beginning of every log-group name the rule creates. */
  public readonly logGroupNamePrefix: string;

  /** The record format. */
  public readonly logFormat: FlowLogFormat;

  /** The centralized log groups (only with `centralization`). */
  public readonly centralLogGroups?: FlowLogCentralLogGroups;

  constructor(scope: Construct, id: string, props: FlowLogOrganizationProps) {
    super(scope, id);
    if (!props.scope) {
      throw new Error('`scope` is required, got nothing: FlowLogOrganizationScope.organization(orgId), '
        + '.organizationalUnits([ouId, …]) or .accounts([accountId, …])');
    }
    const retention = props.retention ?? DEFAULT_RETENTION;
    validateRetention(retention);
    this.validateAdministrator(props.administrator ?? FlowLogOrganizationAdministrator.MANAGEMENT_ACCOUNT);
    if (props.regions !== undefined) {
      validateRegions('regions', props.regions);
      if (props.allRegions) {
        throw new Error(`\`regions\` and \`allRegions\` exclude each other, got regions ${props.regions.join(', ')} and allRegions: true`);
      }
    }
    const trafficType = props.trafficType ?? ec2.FlowLogTrafficType.ALL;
    if (!Object.values(ec2.FlowLogTrafficType).includes(trafficType)) {
      throw new Error(`\`trafficType\` must be one of ${Object.values(ec2.FlowLogTrafficType).join(', ')}, got '${trafficType}'`);
    }
    this.ruleName = props.ruleName ?? 'flowlog-watch-vpc-flow-logs';
    validateRuleName('ruleName', this.ruleName);
    this.logGroupNamePrefix = props.logGroupNamePrefix ?? FlowLogOrganization.DEFAULT_LOG_GROUP_NAME_PREFIX;
    if (!Token.isUnresolved(this.logGroupNamePrefix) && !LOG_GROUP_NAME_PREFIX.test(this.logGroupNamePrefix)) {
      throw new Error(`\`logGroupNamePrefix\` must be 1 to 400 characters of letters, digits and . - _ / #, got '${this.logGroupNamePrefix}'`);
    }
    this.logFormat = props.logFormat ?? FlowLogFormat.KIT;
    if (props.encryptionKey) validateTelemetryKey(props.encryptionKey);

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-observabilityadmin-organizationtelemetryrule.html
    this.telemetryRule = new CfnResource(this, 'TelemetryRule', {
      type: 'AWS::ObservabilityAdmin::OrganizationTelemetryRule',
      properties: {
        RuleName: this.ruleName,
        Rule: {
          ResourceType: 'AWS::EC2::VPC',
          TelemetryType: 'Logs',
          TelemetrySourceTypes: ['VPC_FLOW_LOGS'],
          Scope: props.scope.expression,
          SelectionCriteria: props.resourceSelection?.expression,
          Regions: props.regions,
          AllRegions: props.allRegions ? true : undefined,
          // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-observabilityadmin-organizationtelemetryrule-telemetrydestinationconfiguration.html
          DestinationConfiguration: {
            DestinationType: 'cloud-watch-logs',
            // <resourceId> is one of the pattern's macros (API_TelemetryDestinationConfiguration).
            DestinationPattern: `${this.logGroupNamePrefix}<resourceId>`,
            RetentionInDays: retention,
            KmsKeyArn: props.encryptionKey?.keyArn,
            VPCFlowLogParameters: {
              LogFormat: this.logFormat.renderLogFormat(),
              MaxAggregationInterval: ONE_MINUTE,
              TrafficType: trafficType,
            },
          },
        },
      },
    });

    if (props.centralization) {
      const central = props.centralization;
      this.centralizationRule = this.centralize(central, props.scope, props.regions, props.allRegions ?? false);
      this.centralLogGroups = {
        accountId: central.destinationAccountId,
        region: central.destinationRegion,
        logGroupNamePrefix: this.logGroupNamePrefix,
        logFormat: this.logFormat,
      };
    }
  }

  private centralize(central: FlowLogCentralizationOptions, scope: FlowLogOrganizationScope, regions: string[] | undefined,
    allRegions: boolean): CfnResource {
    validateAccountId('centralization.destinationAccountId', central.destinationAccountId);
    validateRegion('centralization.destinationRegion', central.destinationRegion);
    if (central.sourceRegions !== undefined) {
      validateRegions('centralization.sourceRegions', central.sourceRegions);
    } else if (allRegions) {
      throw new Error('`centralization.sourceRegions` is required with `allRegions: true`, got nothing: '
        + 'a centralization rule names the Regions it copies from');
    }
    if (central.backupRegion !== undefined) {
      validateRegion('centralization.backupRegion', central.backupRegion);
      if (central.backupRegion === central.destinationRegion) {
        throw new Error(`\`centralization.backupRegion\` must differ from the destination Region, got '${central.backupRegion}' for both`);
      }
    } else if (central.backupEncryptionKey) {
      throw new Error('`centralization.backupEncryptionKey` needs `centralization.backupRegion`, got a key and no backup Region');
    }
    const ruleName = central.ruleName ?? `${this.ruleName}-central`;
    validateRuleName('centralization.ruleName', ruleName);
    const encryption = central.encryption ?? FlowLogCentralEncryption.AWS_OWNED;
    const scopeExpression = scope.expression;
    if (!Token.isUnresolved(scopeExpression) && scopeExpression.length > MAX_CENTRALIZATION_SCOPE_LENGTH) {
      throw new Error(`\`scope\` must be at most ${MAX_CENTRALIZATION_SCOPE_LENGTH} characters for the centralization rule, got `
        + `${scopeExpression.length} (${scope.kind}${scope.ids.length ? `, ${scope.ids.length} IDs` : ''}): name fewer IDs, or a wider `
        + 'scope (FlowLogOrganizationScope.organizationalUnits or .organization)');
    }

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-observabilityadmin-organizationcentralizationrule.html
    return new CfnResource(this, 'CentralizationRule', {
      type: 'AWS::ObservabilityAdmin::OrganizationCentralizationRule',
      properties: {
        RuleName: ruleName,
        Rule: {
          Source: {
            Regions: central.sourceRegions ?? regions ?? [Stack.of(this).region],
            Scope: scope.expression,
            SourceLogsConfiguration: {
              // OAM link-filter syntax (https://docs.aws.amazon.com/OAM/latest/APIReference/API_LogGroupConfiguration.html)
              LogGroupSelectionCriteria: `LogGroupName LIKE '${this.logGroupNamePrefix}%'`,
              // The kit's log groups may be under a customer-managed key (`encryptionKey`): copy those too.
              EncryptedLogGroupStrategy: 'ALLOW',
            },
          },
          Destination: {
            Account: central.destinationAccountId,
            Region: central.destinationRegion,
            DestinationLogsConfiguration: {
              LogsEncryptionConfiguration: {
                EncryptionStrategy: encryption.strategy,
                KmsKeyArn: encryption.key?.keyArn,
                EncryptionConflictResolutionStrategy: encryption.key ? 'ALLOW' : undefined,
                // Without it the key encrypts only the copies of log groups that are themselves under a
                // customer-managed key; NEW_DESTINATION_LOG_GROUPS encrypts every central log group the
                // rule creates (https://docs.aws.amazon.com/cloudwatch/latest/observabilityadmin/API_LogsEncryptionConfiguration.html).
                EncryptionScope: encryption.key ? 'NEW_DESTINATION_LOG_GROUPS' : undefined,
              },
              BackupConfiguration: central.backupRegion
                ? { Region: central.backupRegion, KmsKeyArn: central.backupEncryptionKey?.keyArn }
                : undefined,
            },
          },
        },
      },
    });
  }

  private validateAdministrator(administrator: FlowLogOrganizationAdministrator): void {
    const account = Stack.of(this).account;
    if (administrator.delegated && !Token.isUnresolved(account) && administrator.accountId !== account) {
      throw new Error(`\`administrator\` is the delegated administrator ${administrator.accountId}, but the stack deploys in account ${account}: `
        + 'organization rules are created in the management account or the delegated administrator account');
    }
  }
}

function validateRuleName(prop: string, name: string): void {
  if (!Token.isUnresolved(name) && !RULE_NAME.test(name)) {
    throw new Error(`\`${prop}\` must be 1 to 100 letters, digits and hyphens, got '${name}'`);
  }
}

/**
 * The telemetry rule's `KmsKeyArn` must name a key, not an alias: its pattern is
 * `arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:\d{12}:key/(mrk-)?[a-f0-9-]+`
 * (https://docs.aws.amazon.com/cloudwatch/latest/observabilityadmin/API_TelemetryDestinationConfiguration.html).
 */
function validateTelemetryKey(key: kms.IKey): void {
  const alias = (key as Partial<kms.IAlias>).aliasName;
  const arn = Token.isUnresolved(key.keyArn) ? undefined : key.keyArn;
  if (alias !== undefined || (arn !== undefined && !/:key\/[^/]+$/.test(arn))) {
    throw new Error('`encryptionKey` must be a KMS key (arn:...:kms:<region>:<account>:key/<key-id>), got '
      + `${alias === undefined ? `'${arn}'` : `an alias (${Token.isUnresolved(alias) ? 'a token' : `'${alias}'`})`}: `
      + 'the telemetry rule\'s KmsKeyArn takes no alias');
  }
}
