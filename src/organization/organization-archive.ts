import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCOUNT_ID, ORGANIZATION_ID, validateFormat, validateList } from './private/identifiers';
import { DEFAULT_COLD_STORAGE_DAYS, MIN_EXPIRATION_DAYS } from '../archive/private/archive-bucket-options';

/** S3 moves objects to colder storage classes after 30 days at the earliest. */
const MIN_COLD_STORAGE_DAYS = 30;

/** The service that writes flow logs to S3 (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html). */
const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

/**
 * Properties of a `FlowLogOrganizationArchive`. Give `organizationId` or `accountIds`.
 */
export interface FlowLogOrganizationArchiveProps {
  /**
   * Accept flow logs from every account of this organization (`aws:SourceOrgID`).
   *
   * @default - none: give `accountIds` instead
   */
  readonly organizationId?: string;

  /**
   * Accept flow logs from these accounts only (`aws:SourceAccount` and `aws:SourceArn`).
   *
   * @default - none: give `organizationId` instead
   */
  readonly accountIds?: string[];

  /**
   * How long the archive keeps flow logs: at least 365 days.
   *
   * @default Duration.days(365)
   */
  readonly expiration?: Duration;

  /**
   * When archived flow logs move to S3 Glacier Instant Retrieval: 30 days at the earliest, and
   * before `expiration`.
   *
   * @default Duration.days(90)
   */
  readonly coldStorageAfter?: Duration;

  /**
   * A customer-managed KMS key of this account to encrypt the bucket with; its policy gets a
   * statement that lets log delivery use it for the same accounts.
   *
   * @default - S3-managed keys (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where the bucket's S3 server access logs go (under `flow-log-archive/`).
   *
   * @default - no server access logs
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The bucket's name. The member accounts' watches name it in `archive.bucket`.
   *
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;

  /**
   * What happens to the bucket when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The organization's flow-log archive, for the log-archive account: an S3 bucket that accepts
 * VPC flow-log delivery from the organization's accounts only.
 *
 * - The construct owns the bucket policy: `delivery.logs.amazonaws.com` may write under
 *   `flow-logs/` (where every watch writes) and read the bucket ACL, only for deliveries of the
 *   organization (`aws:SourceOrgID`) or of the listed accounts (`aws:SourceAccount` and
 *   `aws:SourceArn`); every request without TLS is denied.
 * - ACLs are off (object ownership enforced), public access is blocked, the bucket is encrypted
 *   and versioned, kept (`RETAIN`) when removed.
 * - Lifecycle as the stack archive's: flow logs kept `expiration` (at least 365 days), moved to
 *   S3 Glacier Instant Retrieval after `coldStorageAfter`; old versions and incomplete uploads expire.
 *
 * In a member account, point a watch at it with
 * `archive: { bucket: FlowLogOrganizationArchive.fromBucketName(this, 'OrgArchive', name), athena: false }`.
 */
export class FlowLogOrganizationArchive extends Construct {
  /** Where watches write in the bucket. */
  public static readonly KEY_PREFIX = 'flow-logs/';

  /**
   * The organization archive bucket, from a member account: pass it as a watch's (or the
   * baseline's) `archive.bucket`. Nothing is created; the bucket's own policy admits the account.
   */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): s3.IBucket {
    if (!Token.isUnresolved(bucketName) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName ?? '')) {
      throw new Error(`\`bucketName\` must be an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens), got '${bucketName ?? ''}'`);
    }
    return s3.Bucket.fromBucketName(scope, id, bucketName);
  }

  /**
   * The organization archive bucket by its ARN, from a member account.
   */
  public static fromBucketArn(scope: Construct, id: string, bucketArn: string): s3.IBucket {
    if (!Token.isUnresolved(bucketArn) && !/^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketArn ?? '')) {
      throw new Error(`\`bucketArn\` must be an S3 bucket ARN (arn:aws:s3:::name), got '${bucketArn ?? ''}'`);
    }
    return s3.Bucket.fromBucketArn(scope, id, bucketArn);
  }

  /** The bucket. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FlowLogOrganizationArchiveProps) {
    super(scope, id);
    const deliveries = deliveryConditions(Stack.of(this), props);
    const expiration = props.expiration ?? Duration.days(MIN_EXPIRATION_DAYS);
    const coldStorageAfter = props.coldStorageAfter ?? Duration.days(DEFAULT_COLD_STORAGE_DAYS);
    validateDays('expiration', expiration, MIN_EXPIRATION_DAYS, undefined,
      'keep flow logs for less than a year in the log groups (retention 3 days to 6 months) instead');
    validateDays('coldStorageAfter', coldStorageAfter, MIN_COLD_STORAGE_DAYS, expiration, 'S3 moves objects after 30 days at the earliest');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // ACLs off. Log delivery's writes still succeed: with BucketOwnerEnforced, S3 accepts requests
      // whose ACL is bucket-owner-full-control and rejects other ACLs
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html); a policy
      // condition on s3:x-amz-acl would deny every write instead.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? 'flow-log-archive/' : undefined,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'FlowLogArchive',
        prefix: FlowLogOrganizationArchive.KEY_PREFIX,
        expiration,
        transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: coldStorageAfter }],
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });

    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryWrite',
      principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`${FlowLogOrganizationArchive.KEY_PREFIX}*`)],
      conditions: deliveries,
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryAclCheck',
      principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: deliveries,
    }));
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
    props.encryptionKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowFlowLogDeliveryToTheArchive',
      principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: deliveries,
    }));
  }
}

/**
 * The conditions that admit only the organization's (or the listed accounts') log deliveries
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid).
 */
function deliveryConditions(stack: Stack, props: FlowLogOrganizationArchiveProps): Record<string, unknown> {
  if ((props.organizationId === undefined) === (props.accountIds === undefined)) {
    throw new Error('give exactly one of `organizationId` and `accountIds`, got '
      + (props.organizationId === undefined ? 'neither' : `both (${props.organizationId} and ${props.accountIds!.join(', ')})`)
      + ': the archive accepts flow logs only from the organization or from the listed accounts');
  }
  if (props.organizationId !== undefined) {
    validateFormat('organizationId', props.organizationId, ORGANIZATION_ID, "an organization ID ('o-' and 10 to 32 lowercase letters or digits)");
    return { StringEquals: { 'aws:SourceOrgID': props.organizationId } };
  }
  validateList('accountIds', props.accountIds, ACCOUNT_ID, 'AWS account IDs (12 digits)');
  const accounts = props.accountIds!;
  return {
    StringEquals: { 'aws:SourceAccount': accounts },
    ArnLike: { 'aws:SourceArn': accounts.map(a => `arn:${stack.partition}:logs:*:${a}:*`) },
  };
}

function validateDays(prop: string, value: Duration, min: number, below: Duration | undefined, why: string): void {
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min || (below !== undefined && days >= below.toDays())) {
    throw new Error(`\`${prop}\` must be a whole number of days, at least ${min}${below ? ` and less than the expiration (${below.toDays()} days)` : ''}, `
      + `got ${value.toHumanString()}: ${why}`);
  }
}
