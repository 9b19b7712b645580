import { Duration, FeatureFlags, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { FlowLogArchiveOptions } from './flow-log-archive-options';
import { BUCKET_OPTIONS, bucketSettings } from './private/archive-bucket-options';
import { archiveBucketProps, grantKeyToLogDelivery, LOG_DELIVERY } from './private/archive-bucket-props';
import { stackSingleton } from '../private/stack-singleton';

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
    this.bucket = new s3.Bucket(this, 'Bucket', archiveBucketProps(this, options, 'archive.', [{
      id: 'AthenaResults',
      prefix: 'athena-results/',
      expiration: Duration.days(30),
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }]));
    grantKeyToLogDelivery(this, options, 'archive.', this.deliveryConditions());
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
    const conditions = this.deliveryConditions();
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`${keyPrefix}AWSLogs/aws-account-id=${stack.account}/*`)],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    if (this.prefixes.size === 1) {
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(LOG_DELIVERY)],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions,
      }));
    }
  }

  /** This account's log deliveries (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html). */
  private deliveryConditions(): { StringEquals: Record<string, unknown>; ArnLike: Record<string, unknown> } {
    const stack = Stack.of(this);
    return {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
    };
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
