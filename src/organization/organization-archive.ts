import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCOUNT_ID, ORGANIZATION_ID, validateFormat, validateList } from './private/identifiers';
import { ArchiveBucketOptions } from '../archive/flow-log-archive-options';
import { archiveBucketProps, FLOW_LOG_KEY_PREFIX, grantKeyToLogDelivery, LOG_DELIVERY } from '../archive/private/archive-bucket-props';

/**
 * General purpose bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** The same page's reserved prefixes and suffixes. */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'];

/**
 * Properties of a `FlowLogOrganizationArchive`. Give `organizationId` or `accountIds`.
 */
export interface FlowLogOrganizationArchiveProps extends ArchiveBucketOptions {
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
   * The bucket's name. The member accounts' watches name it in `archive.bucket`.
   *
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;
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
  public static readonly KEY_PREFIX = FLOW_LOG_KEY_PREFIX;

  /**
   * The organization archive bucket, from a member account: pass it as a watch's (or the
   * baseline's) `archive.bucket`. Nothing is created; the bucket's own policy admits the account.
   */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): s3.IBucket {
    if (!Token.isUnresolved(bucketName) && !BUCKET_NAME.test(bucketName ?? '')) {
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
    validateBucketName('bucketName', props.bucketName);
    this.bucket = new s3.Bucket(this, 'Bucket', { ...archiveBucketProps(this, props, ''), bucketName: props.bucketName });

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
    grantKeyToLogDelivery(this, props, '', deliveries);
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

/** Throws unless the name can be a new bucket's: every naming rule of S3's general purpose buckets. */
function validateBucketName(prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const broken = !BUCKET_NAME.test(name) ? '3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit'
    : name.includes('..') ? 'no two adjacent periods'
      : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? 'not formatted as an IP address'
        : RESERVED_PREFIXES.some(p => name.startsWith(p)) ? `no reserved prefix (${RESERVED_PREFIXES.join(', ')})`
          : RESERVED_SUFFIXES.some(x => name.endsWith(x)) ? `no reserved suffix (${RESERVED_SUFFIXES.join(', ')})`
            : undefined;
  if (broken !== undefined) {
    throw new Error(`\`${prop}\` must be an S3 bucket name (${broken}: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), got '${name}'`);
  }
}
