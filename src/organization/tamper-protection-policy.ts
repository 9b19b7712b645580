import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { FlowLogOrganization } from './flow-log-organization';
import { ACCOUNT_ID, ORGANIZATIONAL_UNIT_ID, ROOT_ID } from './private/identifiers';

/** Log-group names, with * standing for any characters. */
const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9*]{1,512}$/;
/** An IAM principal ARN, wildcards allowed (ArnNotLike). */
const PRINCIPAL_ARN = /^arn:[a-z*-]+:(iam|sts)::[0-9*]{1,12}:[^\s]+$/;

/**
 * What the tamper-protection policy protects and whom it exempts.
 */
export interface FlowLogTamperProtectionOptions {
  /**
   * The principals that may still change flow logs, their log groups and the telemetry rule:
   * the platform's pipeline or break-glass role, as IAM ARNs (`*` allowed, e.g.
   * `arn:aws:iam::*:role/PlatformAdmin`). Compared with `aws:PrincipalArn`, which for an assumed
   * role is the role's ARN.
   */
  readonly exemptPrincipalArns: string[];

  /**
   * The flow-log log groups to protect, by name (`*` stands for any characters). Give the names
   * of your watches' log groups (`logGroupName`) too.
   *
   * @default - the organization telemetry rule's, ['/flowlog-watch/vpc/*']
   */
  readonly logGroupNamePatterns?: string[];
}

/**
 * Properties of a `FlowLogTamperProtectionPolicy`.
 */
export interface FlowLogTamperProtectionPolicyProps extends FlowLogTamperProtectionOptions {
  /**
   * The roots, OUs or accounts to attach the policy to.
   *
   * @default - attached to nothing: attach it yourself
   */
  readonly targetIds?: string[];

  /**
   * The policy's name.
   *
   * @default 'flowlog-watch-tamper-protection'
   */
  readonly policyName?: string;
}

/**
 * A service control policy that keeps the organization's flow logs running: it denies, to every
 * principal but the exempt ones,
 *
 * - deleting flow logs (`ec2:DeleteFlowLogs`);
 * - deleting the flow-log log groups, changing or removing their retention, and turning off their
 *   deletion protection (`logs:DeleteLogGroup`, `logs:PutRetentionPolicy`,
 *   `logs:DeleteRetentionPolicy`, `logs:PutLogGroupDeletionProtection`);
 * - deleting or changing the telemetry and centralization rules, or stopping telemetry
 *   evaluation (`observabilityadmin:…`).
 *
 * An `AWS::Organizations::Policy` of type `SERVICE_CONTROL_POLICY`, for the management account
 * (or a delegated administrator for Organizations policies). SCPs do not apply to the management
 * account itself (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 */
export class FlowLogTamperProtectionPolicy extends Construct {
  /** The most characters an SCP document may have (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html). */
  public static readonly MAX_CHARACTERS = 5120;

  /**
   * The policy document alone, e.g. to merge into an SCP of your own (SCPs are limited to 5,120
   * characters and five per target).
   */
  public static policyDocument(options: FlowLogTamperProtectionOptions): iam.PolicyDocument {
    const exempt = options?.exemptPrincipalArns;
    if (!exempt || exempt.length === 0) {
      throw new Error('`exemptPrincipalArns` must list at least one principal ARN (the platform role that may still change flow logs), '
        + 'got an empty list: without one, nobody could ever remove a flow log on purpose');
    }
    exempt.forEach((arn, i) => {
      if (!Token.isUnresolved(arn) && !PRINCIPAL_ARN.test(arn)) {
        throw new Error(`\`exemptPrincipalArns[${i}]\` must be an IAM principal ARN such as arn:aws:iam::*:role/PlatformAdmin, got '${arn}'`);
      }
    });
    const patterns = options.logGroupNamePatterns ?? [`${FlowLogOrganization.DEFAULT_LOG_GROUP_NAME_PREFIX}*`];
    if (patterns.length === 0) {
      throw new Error('`logGroupNamePatterns` must list at least one log-group name pattern, got an empty list');
    }
    patterns.forEach((p, i) => {
      if (!Token.isUnresolved(p) && !LOG_GROUP_NAME_PATTERN.test(p)) {
        throw new Error(`\`logGroupNamePatterns[${i}]\` must be a log-group name of letters, digits, . - _ / # and *, got '${p}'`);
      }
    });

    // SCPs have no Principal element: the exemption is a condition on the caller
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html).
    const unlessExempt = { ArnNotLike: { 'aws:PrincipalArn': exempt } };
    return new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'DenyFlowLogDeletion',
          effect: iam.Effect.DENY,
          actions: ['ec2:DeleteFlowLogs'],
          resources: ['*'],
          conditions: unlessExempt,
        }),
        new iam.PolicyStatement({
          sid: 'DenyFlowLogGroupTampering',
          effect: iam.Effect.DENY,
          actions: ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:PutLogGroupDeletionProtection'],
          // The partition is a wildcard so the document holds no token and its size is known at synth.
          resources: patterns.flatMap(logGroupArns),
          conditions: unlessExempt,
        }),
        new iam.PolicyStatement({
          sid: 'DenyTelemetryRuleTampering',
          effect: iam.Effect.DENY,
          actions: [
            'observabilityadmin:DeleteTelemetryRuleForOrganization',
            'observabilityadmin:UpdateTelemetryRuleForOrganization',
            'observabilityadmin:DeleteCentralizationRuleForOrganization',
            'observabilityadmin:UpdateCentralizationRuleForOrganization',
            'observabilityadmin:StopTelemetryEvaluationForOrganization',
            'observabilityadmin:DeleteTelemetryRule',
            'observabilityadmin:UpdateTelemetryRule',
          ],
          resources: ['*'],
          conditions: unlessExempt,
        }),
      ],
    });
  }

  /** The policy. */
  public readonly policy: organizations.CfnPolicy;

  /** Its document. */
  public readonly document: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: FlowLogTamperProtectionPolicyProps) {
    super(scope, id);
    this.document = FlowLogTamperProtectionPolicy.policyDocument(props);
    const targets = props.targetIds ?? [];
    targets.forEach((t, i) => {
      if (!Token.isUnresolved(t) && !(ROOT_ID.test(t) || ORGANIZATIONAL_UNIT_ID.test(t) || ACCOUNT_ID.test(t))) {
        throw new Error(`\`targetIds[${i}]\` must be a root ID (r-…), an OU ID (ou-…-…) or an account ID (12 digits), got '${t}'`);
      }
    });
    const policyName = props.policyName ?? 'flowlog-watch-tamper-protection';
    if (!Token.isUnresolved(policyName) && !/^[\s\S]{1,128}$/.test(policyName)) {
      throw new Error(`\`policyName\` must be 1 to 128 characters, got '${policyName}'`);
    }

    this.policy = new organizations.CfnPolicy(this, 'Resource', {
      name: policyName,
      type: 'SERVICE_CONTROL_POLICY',
      description: 'cdk-flowlog-watch: no one but the platform role deletes flow logs, their log groups or the telemetry rule',
      content: this.document,
      targetIds: targets.length > 0 ? targets : undefined,
    });
    this.node.addValidation({ validate: () => this.validateSize() });
  }

  private validateSize(): string[] {
    const rendered = JSON.stringify(Stack.of(this).resolve(this.document.toJSON()));
    if (/"(Ref|Fn::[A-Za-z]+)"/.test(rendered)) {
      return []; // a token's value, and so the size, is known only at deployment
    }
    return rendered.length > FlowLogTamperProtectionPolicy.MAX_CHARACTERS
      ? [`the service control policy is ${rendered.length} characters, more than the ${FlowLogTamperProtectionPolicy.MAX_CHARACTERS} an SCP may have: `
        + 'list fewer exemptPrincipalArns or logGroupNamePatterns (wildcards cover many)']
      : [];
  }
}

/**
 * The ARNs a log-group name pattern covers in an IAM policy. CloudWatch Logs authorizes most actions,
 * these four among them, on the log group's ARN with a trailing `:*`, "the ARN version that doesn't
 * include a trailing :*" being only for the tagging actions
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html): an exact
 * name gets both forms; a pattern ending in `*` already matches both.
 */
function logGroupArns(pattern: string): string[] {
  const arn = `arn:*:logs:*:*:log-group:${pattern}`;
  return pattern.endsWith('*') ? [arn] : [arn, `${arn}:*`];
}
