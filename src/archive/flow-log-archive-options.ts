import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The options of an archive bucket the kit creates: the stack's `FlowLogArchiveBucket`, or the
 * organization's `FlowLogOrganizationArchive`.
 */
export interface ArchiveBucketOptions {
  /**
   * How long the archive keeps flow logs: at least 365 days, in whole days (a token too, given
   * as `Duration.days(token)`).
   *
   * @default Duration.days(365)
   */
  readonly expiration?: Duration;

  /**
   * When archived flow logs move to S3 Glacier Instant Retrieval (cheaper to keep, still read
   * by Athena): a whole number of days from 0 (S3 sets no minimum for this storage class), and
   * before `expiration`. Glacier Instant Retrieval charges 90 days of storage at least: a warning
   * says when objects would be deleted sooner (less than 60 days before `expiration`, as deleted
   * objects are kept 30 days as noncurrent versions).
   *
   * @default Duration.days(90)
   */
  readonly coldStorageAfter?: Duration;

  /**
   * A customer-managed KMS key to encrypt the archive bucket with, with an S3 bucket key. Its
   * policy gets a statement that lets log delivery use it, for the deliveries the bucket accepts
   * (an imported key's policy is its owner's: a warning says what to add).
   *
   * @default - S3-managed keys (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Where the bucket's S3 server access logs go (under `flow-log-archive/`), e.g. your
   * organization's access-log bucket. The kit does not create a bucket for them: that bucket
   * would need access logs of its own.
   *
   * @default - no server access logs (cdk-nag's S3 logging rules report the bucket)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * What happens to the bucket when it leaves the stack: `RETAIN`, `DESTROY` or
   * `RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation keeps no snapshots of buckets: `SNAPSHOT` fails).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Options of a watch's S3 archive.
 */
export interface FlowLogArchiveOptions extends ArchiveBucketOptions {
  /**
   * An existing bucket to archive to, e.g. a central log-archive account's. Its policy must
   * let `delivery.logs.amazonaws.com` write under `flow-logs/` (an imported bucket's policy
   * cannot be changed from here), and its lifecycle and encryption are its owner's.
   *
   * @default - the stack's `FlowLogArchiveBucket`, created on first use
   */
  readonly bucket?: s3.IBucket;

  /**
   * Athena over the archive: a Glue database and an Athena workgroup per stack (results
   * encrypted, under `athena-results/` of the bucket), and per watch a table with partition
   * projection and named queries (`FlowLogAthena`).
   *
   * @default true
   */
  readonly athena?: boolean;
}
