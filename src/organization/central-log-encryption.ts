import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * How the centralized copies of the flow-log log groups are encrypted in the destination
 * account (`LogsEncryptionConfiguration` of
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-observabilityadmin-organizationcentralizationrule-logsencryptionconfiguration.html).
 */
export class FlowLogCentralEncryption {
  /** CloudWatch Logs' AWS-owned key (`AWS_OWNED`). */
  public static readonly AWS_OWNED = new FlowLogCentralEncryption('AWS_OWNED', undefined);

  /**
   * A customer-managed key of the destination account and Region (`CUSTOMER_MANAGED`), for every
   * central log group the rule creates, whatever key the source log group has
   * (`EncryptionScope: NEW_DESTINATION_LOG_GROUPS`). Its key policy must let CloudWatch Logs of that account
   * use it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
   * Where a destination log group already exists under the AWS-owned key, centralization still
   * goes on into it (`EncryptionConflictResolutionStrategy: ALLOW`).
   */
  public static customerManaged(key: kms.IKey): FlowLogCentralEncryption {
    if (!key) {
      throw new Error('`centralization.encryption`: FlowLogCentralEncryption.customerManaged() needs a KMS key, got nothing');
    }
    return new FlowLogCentralEncryption('CUSTOMER_MANAGED', key);
  }

  /** `AWS_OWNED` or `CUSTOMER_MANAGED`. */
  public readonly strategy: string;

  /** The customer-managed key. */
  public readonly key?: kms.IKey;

  private constructor(strategy: string, key: kms.IKey | undefined) {
    this.strategy = strategy;
    this.key = key;
  }
}
