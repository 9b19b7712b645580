import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FlowLogArchiveBucket } from './flow-log-archive';
import { FlowLogArchiveOptions } from './flow-log-archive-options';
import { FlowLogAthena } from './flow-log-athena';
import { BUCKET_OPTIONS } from './private/archive-bucket-options';
import { FLOW_LOG_KEY_PREFIX } from './private/archive-bucket-props';
import { ARCHIVE_NAME_SUFFIX, MAX_TAG_VALUE_LENGTH } from '../capture/private/watch-validation';
import { createWatchFlowLog, WatchFlowLogOptions } from '../capture/watch-flow-log';
import { describeValue, requireDuration } from '../private/input-checks';
import { boundedName } from '../private/resource-name';

/**
 * A watch's S3 archive: a second flow log of the same target, format and traffic (`ArchiveFlowLog`)
 * to the stack's `FlowLogArchiveBucket` or a bucket of the user's, as Parquet in hourly Hive
 * partitions under `flow-logs/<watch path>/`, and its Athena table.
 */
export class WatchArchive {
  /**
   * Fails on archive options that shape the stack's bucket given together with a bucket of the user's.
   */
  public static validate(archive: FlowLogArchiveOptions | undefined): void {
    if (archive === undefined) {
      return;
    }
    if (typeof archive !== 'object' || archive === null) {
      throw new Error(`\`archive\` must be an object of archive options ({} for the defaults), got ${describeValue(archive)}`);
    }
    for (const prop of ['expiration', 'coldStorageAfter'] as const) {
      if (archive[prop] !== undefined) {
        requireDuration(`archive.${prop}`, archive[prop]);
      }
    }
    if (!archive.bucket) {
      return;
    }
    const bucketOptions = BUCKET_OPTIONS.filter(k => archive[k] !== undefined);
    if (bucketOptions.length > 0) {
      throw new Error(`\`archive.${bucketOptions[0]}\` applies to the bucket the stack creates, but \`archive.bucket\` is given: `
        + 'set the lifecycle, encryption and removal policy on that bucket instead');
    }
  }

  public readonly bucket: s3.IBucket;
  public readonly flowLog: ec2.FlowLog;
  /** The Glue table over the archive (unless `athena: false`). */
  public readonly table?: glue.CfnTable;

  constructor(watch: Construct, archive: FlowLogArchiveOptions, flowLogOptions: WatchFlowLogOptions, flowLogName: string) {
    const keyPrefix = `${FLOW_LOG_KEY_PREFIX}${watch.node.path}/`;
    this.bucket = archive.bucket ?? stackArchiveBucket(watch, archive, keyPrefix);
    // The options also tell aws-cdk-lib the key layout: with @aws-cdk/aws-s3:createDefaultLoggingPolicy on,
    // it grants log delivery the Hive-compatible path (AWSLogs/aws-account-id=…) only when it knows of it.
    const destinationOptions = { fileFormat: ec2.FlowLogFileFormat.PARQUET, hiveCompatiblePartitions: true, perHourPartition: true };
    this.flowLog = createWatchFlowLog(watch, 'ArchiveFlowLog', flowLogOptions,
      ec2.FlowLogDestination.toS3(this.bucket, keyPrefix, destinationOptions), boundedName(flowLogName, ARCHIVE_NAME_SUFFIX, MAX_TAG_VALUE_LENGTH));
    // aws-cdk-lib's toS3() renders DestinationOptions with camelCase keys (aws/aws-cdk#25432), which
    // the AWS::EC2::FlowLog schema does not know: the flow log would then write plain text under
    // AWSLogs/…, outside the bucket policy's grant and the Glue table. The L1 property is set in
    // the schema's PascalCase instead, replacing whatever the L2 rendered.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-flowlog-destinationoptions.html
    (this.flowLog.node.defaultChild as ec2.CfnFlowLog).destinationOptions = {
      FileFormat: 'parquet',
      HiveCompatiblePartitions: true,
      PerHourPartition: true,
    };
    if (archive.athena ?? true) {
      this.table = FlowLogAthena.of(watch, this.bucket, archive.encryptionKey)
        .addTable(watch, this.bucket, keyPrefix, flowLogOptions.logFormat);
    }
  }
}

function stackArchiveBucket(watch: Construct, options: FlowLogArchiveOptions, keyPrefix: string): s3.IBucket {
  const archive = FlowLogArchiveBucket.of(watch, options);
  archive.grantDelivery(keyPrefix);
  return archive.bucket;
}
