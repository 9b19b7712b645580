import { Annotations, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_COLD_STORAGE_DAYS, MIN_EXPIRATION_DAYS } from './archive-bucket-options';
import { validateRemovalPolicy } from '../../capture/private/watch-validation';
import { requireDuration } from '../../private/input-checks';
import { ArchiveBucketOptions } from '../flow-log-archive-options';

/** Where flow logs are written in an archive bucket, and what its flow-log lifecycle rule covers. */
export const FLOW_LOG_KEY_PREFIX = 'flow-logs/';
/** The service that writes flow logs to S3 (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html). */
export const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

/**
 * Transition to GLACIER_IR: "If the specified storage class is INTELLIGENT_TIERING, GLACIER_IR, GLACIER,
 * or DEEP_ARCHIVE, valid values are 0 or positive integers" (the 30-day minimum is for STANDARD_IA and
 * ONEZONE_IA only): https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
 */
const MIN_COLD_STORAGE_DAYS = 0;
/**
 * S3 Glacier Instant Retrieval's minimum storage duration: an object deleted sooner is charged for
 * the rest of the 90 days. https://docs.aws.amazon.com/AmazonS3/latest/userguide/glacier-storage-classes.html
 */
const GLACIER_IR_MINIMUM_STORAGE_DAYS = 90;
/** How long the bucket keeps a version after it stops being current (an expired object is one). */
const NONCURRENT_VERSION_DAYS = 30;

/**
 * The props of an archive bucket, the stack's or the organization's, checked: encrypted (S3-managed
 * keys or the KMS key), TLS only, public access blocked, ACLs off, versioned, kept by default, and a
 * lifecycle rule that keeps flow logs `expiration` days and moves them to Glacier Instant Retrieval
 * after `coldStorageAfter`.
 *
 * @param scope where a warning about Glacier's minimum storage duration goes
 * @param options the bucket options given
 * @param propPrefix how messages name the options' parent (`archive.` for a watch's, '' for the props of a construct)
 * @param otherRules lifecycle rules after the flow-log one
 */
export function archiveBucketProps(
  scope: Construct, options: ArchiveBucketOptions, propPrefix: string, otherRules: s3.LifecycleRule[] = [],
): s3.BucketProps {
  const expiration = options.expiration ?? Duration.days(MIN_EXPIRATION_DAYS);
  const coldStorageAfter = options.coldStorageAfter ?? Duration.days(DEFAULT_COLD_STORAGE_DAYS);
  validateDays(`${propPrefix}expiration`, expiration, MIN_EXPIRATION_DAYS, undefined,
    'keep flow logs for less than a year in the log groups (retention 3 days to 6 months) instead');
  // "The expiration time must also be later than the transition time" (AWS::S3::Bucket Rule,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-rule.html).
  validateDays(`${propPrefix}coldStorageAfter`, coldStorageAfter, MIN_COLD_STORAGE_DAYS, expiration,
    'S3 expires objects only after their transition to Glacier Instant Retrieval');
  warnOfEarlyDeletion(scope, propPrefix, coldStorageAfter, expiration);
  validateRemovalPolicy(`${propPrefix}removalPolicy`, options.removalPolicy, 'an S3 bucket');
  return {
    encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: options.encryptionKey ? true : undefined,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    // ACLs off. Log delivery's writes still succeed: with BucketOwnerEnforced, S3 accepts requests
    // whose ACL is bucket-owner-full-control and rejects other ACLs
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsBucket ? 'flow-log-archive/' : undefined,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
    lifecycleRules: [{
      id: 'FlowLogArchive',
      prefix: FLOW_LOG_KEY_PREFIX,
      expiration,
      transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: coldStorageAfter }],
      noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }, ...otherRules],
  };
}

/**
 * Lets log delivery use the archive's KMS key for the deliveries the bucket policy admits: "If the
 * bucket has server-side encryption using a customer managed AWS KMS key, you must also add the key
 * policy for your customer managed key"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html; the
 * statement: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html). An
 * imported key's policy cannot be changed from here: a warning says what its owner must add.
 */
export function grantKeyToLogDelivery(
  scope: Construct, options: ArchiveBucketOptions, propPrefix: string, conditions: Record<string, unknown>,
): void {
  const key = options.encryptionKey;
  if (key === undefined) {
    return;
  }
  const statement = new iam.PolicyStatement({
    sid: 'AllowFlowLogDeliveryToTheArchive',
    principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions,
  });
  if (!key.addToResourcePolicy(statement).statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-flowlog-watch:archiveKeyPolicy',
      `\`${propPrefix}encryptionKey\` is an imported key, whose policy cannot be changed from here: add a statement that allows `
      + `${LOG_DELIVERY} ${statement.actions.join(', ')} to its key policy, or VPC Flow Logs cannot write to the archive`);
  }
}

/**
 * Throws unless the duration is a whole number of days, at least `min` and less than `below`.
 * A token is not checked, but must be given in days (S3's lifecycle unit: a token cannot be converted).
 */
function validateDays(prop: string, value: Duration, min: number, below: Duration | undefined, why: string): void {
  requireDuration(prop, value);
  const days = daysOf(prop, value);
  if (Token.isUnresolved(days)) {
    return;
  }
  const limit = below !== undefined && !below.isUnresolved() ? below.toDays() : undefined;
  if (!Number.isInteger(days) || days < min || (limit !== undefined && days >= limit)) {
    throw new Error(`\`${prop}\` must be a whole number of days, at least ${min}${limit !== undefined ? ` and less than the expiration (${limit} days)` : ''}, `
      + `got ${value.toHumanString()}: ${why}`);
  }
}

function daysOf(prop: string, value: Duration): number {
  try {
    return value.toDays({ integral: false });
  } catch {
    throw new Error(`\`${prop}\` given as a token must be Duration.days(token), as S3 lifecycle rules count in days, got ${value.toHumanString()}`);
  }
}

/**
 * Warns when objects leave Glacier Instant Retrieval before its 90-day minimum storage duration,
 * which is charged anyway. Objects reach it at `coldStorageAfter`; the versioned bucket expires the
 * current version at `expiration` (in a versioned bucket, "This makes the current version noncurrent":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html)
 * and deletes it for good 30 days later (`noncurrentVersionExpiration`).
 */
function warnOfEarlyDeletion(scope: Construct, propPrefix: string, coldStorageAfter: Duration, expiration: Duration): void {
  if (coldStorageAfter.isUnresolved() || expiration.isUnresolved()) {
    return;
  }
  const daysInGlacier = expiration.toDays() + NONCURRENT_VERSION_DAYS - coldStorageAfter.toDays();
  if (daysInGlacier < GLACIER_IR_MINIMUM_STORAGE_DAYS) {
    Annotations.of(scope).addWarningV2('cdk-flowlog-watch:glacierMinimumStorage',
      `\`${propPrefix}coldStorageAfter\` (${coldStorageAfter.toDays()} days) leaves archived flow logs ${daysInGlacier} days in S3 Glacier Instant Retrieval `
      + `before they are deleted (\`${propPrefix}expiration\` ${expiration.toDays()} days, then ${NONCURRENT_VERSION_DAYS} days as a noncurrent version), `
      + `less than its ${GLACIER_IR_MINIMUM_STORAGE_DAYS}-day minimum storage duration: each object is charged for the full ${GLACIER_IR_MINIMUM_STORAGE_DAYS} days. `
      + `Move them at least ${GLACIER_IR_MINIMUM_STORAGE_DAYS - NONCURRENT_VERSION_DAYS} days before the expiration, or keep them longer.`);
  }
}
