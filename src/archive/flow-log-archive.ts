import { Duration, FeatureFlags, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { FlowLogArchiveOptions } from './flow-log-archive-options';
import { BUCKET_OPTIONS, bucketSettings, DEFAULT_COLD_STORAGE_DAYS, MIN_EXPIRATION_DAYS } from './private/archive-bucket-options';
import { stackSingleton } from '../private/stack-singleton';

/** S3 moves objects to colder storage classes after 30 days at the earliest. */
const MIN_COLD_STORAGE_DAYS = 30;


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
    validateDays('archive.coldStorageAfter', coldStorageAfter, MIN_COLD_STORAGE_DAYS, expiration, 'S3 moves objects after 30 days at the earliest');

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
        noncurrentVersionExpiration: Duration.days(30),
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

function validateDays(prop: string, value: Duration, min: number, below: Duration | undefined, why: string): void {
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min || (below !== undefined && days >= below.toDays())) {
    throw new Error(`\`${prop}\` must be a whole number of days, at least ${min}${below ? ` and less than the expiration (${below.toDays()} days)` : ''}, `
      + `got ${value.toHumanString()}: ${why}`);
  }
}
