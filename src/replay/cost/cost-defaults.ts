import { CostAssumptions } from './cost-estimate';

/**
 * The assumptions of the cost estimate that the command line and the API share, with where they come from.
 */

/** The stored/ingested ratio when nothing is measured: the AWS Pricing Calculator estimates archived logs at 15 % of the ingested volume. */
export const DEFAULT_COMPRESSION_RATIO = 0.15;

/** Objects an S3 flow log writes a day, at least: "publishes the log files to the Amazon S3 bucket at 5-minute intervals"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html). */
export const S3_OBJECTS_PER_DAY = 288;

/** "Data in Parquet format with Gzip compression takes 20 percent less storage space than plain text with Gzip compression." (same page) */
export const PARQUET_TO_GZIP_TEXT_RATIO = 0.8;

/** The days of storage shown for data nothing expires. */
export const UNBOUNDED_STORAGE_DAYS = 365;

/** The assumptions the CLI and the API share. */
export function defaultAssumptions(insightMatchFractions: Record<string, number>, compressionRatio: number): CostAssumptions {
  return {
    cloudWatchCompressionRatio: compressionRatio,
    s3GzipRatio: compressionRatio,
    parquetToGzipTextRatio: PARQUET_TO_GZIP_TEXT_RATIO,
    s3ObjectsPerDay: S3_OBJECTS_PER_DAY,
    unboundedStorageDays: UNBOUNDED_STORAGE_DAYS,
    insightMatchFractions,
    athenaRunsPerMonth: 0,
    athenaScanDays: 1,
    freeTier: false,
  };
}
