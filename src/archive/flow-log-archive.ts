import { Annotations, Duration, FeatureFlags, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { FlowLogArchiveOptions } from './flow-log-archive-options';
import { BUCKET_OPTIONS, bucketSettings, DEFAULT_COLD_STORAGE_DAYS, MIN_EXPIRATION_DAYS } from './private/archive-bucket-options';
import { validateRemovalPolicy } from '../capture/private/watch-validation';
import { requireDuration } from '../private/input-checks';
import { stackSingleton } from '../private/stack-singleton';

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
 * The S3 bucket that keeps a stack's flow logs for the long term, shared by its watches (each
 * writes under `flow-logs/<watch path>/`):
 *
 * - encrypted (S3-managed keys, or your KMS key), TLS only, public access blocked, ACLs
 *   disabled (object ownership enforced), versioned;
 * - a lifecycle that keeps flow logs `expiration` (at least 365 days), moves them to S3 Glacier
 *   Instant Retrieval after `coldStorageAfter`, and expires old versions and incomplete uploads;
 * - a policy that lets `delivery.logs.amazonaws.com` write only for this account's log
 *   deliveries (`aws:SourceAccount` and `aws:SourceArn` conditions);
 * - kept (`RETAIN`) when removed from the stack, by default.
 */
export class FlowLogArchiveBucket extends Construct {
  /**
   * The stack's archive bucket, created on first use with these options. Every watch of the
   * stack must then ask for the same options.
   */
  public static of(scope: IConstruct, options: FlowLogArchiveOptions = {}): FlowLogArchiveBucket {
    const archive = stackSingleton(scope, 'FlowLogArchiveBucket', (c): c is FlowLogArchiveBucket => c instanceof FlowLogArchiveBucket,
      (stack, id) => new FlowLogArchiveBucket(stack, id, options));
    archive.checkSameOptions(options, scope);
    return archive;
  }

  /** The bucket. */
  public readonly bucket: s3.Bucket;

  private readonly options: FlowLogArchiveOptions;
  private readonly prefixes = new Set<string>();

  private constructor(scope: Stack, id: string, options: FlowLogArchiveOptions) {
    super(scope, id);
    this.options = options;
    const expiration = options.expiration ?? Duration.days(MIN_EXPIRATION_DAYS);
    const coldStorageAfter = options.coldStorageAfter ?? Duration.days(DEFAULT_COLD_STORAGE_DAYS);
    validateDays('archive.expiration', expiration, MIN_EXPIRATION_DAYS, undefined,
      'keep flow logs for less than a year in the log group (retention 3 days to 6 months) instead');
    // "The expiration time must also be later than the transition time" (AWS::S3::Bucket Rule,
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-rule.html).
    validateDays('archive.coldStorageAfter', coldStorageAfter, MIN_COLD_STORAGE_DAYS, expiration,
      'S3 expires objects only after their transition to Glacier Instant Retrieval');
    warnOfEarlyDeletion(this, coldStorageAfter, expiration);
    validateRemovalPolicy('archive.removalPolicy', options.removalPolicy, 'an S3 bucket');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: options.encryptionKey,
      bucketKeyEnabled: options.encryptionKey ? true : undefined,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: options.serverAccessLogsBucket,
      serverAccessLogsPrefix: options.serverAccessLogsBucket ? 'flow-log-archive/' : undefined,
      removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'FlowLogArchive',
        prefix: 'flow-logs/',
        expiration,
        transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: coldStorageAfter }],
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }, {
        id: 'AthenaResults',
        prefix: 'athena-results/',
        expiration: Duration.days(30),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
  }

  /**
   * Lets VPC Flow Logs' log delivery write under the prefix (`flow-logs/<watch path>/`), for this
   * account's deliveries only.
   */
  public grantDelivery(keyPrefix: string): void {
    if (this.prefixes.has(keyPrefix)) {
      return;
    }
    this.prefixes.add(keyPrefix);
    // aws-cdk-lib's FlowLog adds the same statements when this feature flag is on.
    if (FeatureFlags.of(this).isEnabled(cxapi.S3_CREATE_DEFAULT_LOGGING_POLICY)) {
      return;
    }
    const stack = Stack.of(this);
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
    };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`${keyPrefix}AWSLogs/aws-account-id=${stack.account}/*`)],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    if (this.prefixes.size === 1) {
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions,
      }));
    }
  }

  private checkSameOptions(options: FlowLogArchiveOptions, scope: IConstruct): void {
    const asked = bucketSettings(options);
    const mine = bucketSettings(this.options);
    const different = BUCKET_OPTIONS.filter(k => asked[k] !== mine[k]);
    if (different.length > 0) {
      throw new Error(`archive options of ${scope.node.path} differ from those the stack's FlowLogArchiveBucket was created with `
        + `(${different.join(', ')}): the watches of a stack share one archive bucket, so give them the same archive options`);
    }
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
function warnOfEarlyDeletion(scope: Construct, coldStorageAfter: Duration, expiration: Duration): void {
  if (coldStorageAfter.isUnresolved() || expiration.isUnresolved()) {
    return;
  }
  const daysInGlacier = expiration.toDays() + NONCURRENT_VERSION_DAYS - coldStorageAfter.toDays();
  if (daysInGlacier < GLACIER_IR_MINIMUM_STORAGE_DAYS) {
    Annotations.of(scope).addWarningV2('cdk-flowlog-watch:glacierMinimumStorage',
      `\`archive.coldStorageAfter\` (${coldStorageAfter.toDays()} days) leaves archived flow logs ${daysInGlacier} days in S3 Glacier Instant Retrieval `
      + `before they are deleted (\`archive.expiration\` ${expiration.toDays()} days, then ${NONCURRENT_VERSION_DAYS} days as a noncurrent version), `
      + `less than its ${GLACIER_IR_MINIMUM_STORAGE_DAYS}-day minimum storage duration: each object is charged for the full ${GLACIER_IR_MINIMUM_STORAGE_DAYS} days. `
      + `Move them at least ${GLACIER_IR_MINIMUM_STORAGE_DAYS - NONCURRENT_VERSION_DAYS} days before the expiration, or keep them longer.`);
  }
}
