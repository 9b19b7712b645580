import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { FlowLogArchiveOptions } from '../flow-log-archive-options';

/** Keeping flow logs for less than a year is the log group's job (3 days to 6 months). */
export const MIN_EXPIRATION_DAYS = 365;
export const DEFAULT_COLD_STORAGE_DAYS = 90;

/** The archive options that shape the bucket the stack creates (and mean nothing with `archive.bucket`). */
export const BUCKET_OPTIONS = ['expiration', 'coldStorageAfter', 'encryptionKey', 'serverAccessLogsBucket', 'removalPolicy'] as const;

/** Each bucket option with its default applied, durations in days: equal values make the same bucket. */
export function bucketSettings(options: FlowLogArchiveOptions): Record<typeof BUCKET_OPTIONS[number], unknown> {
  return {
    expiration: (options.expiration ?? Duration.days(MIN_EXPIRATION_DAYS)).toDays({ integral: false }),
    coldStorageAfter: (options.coldStorageAfter ?? Duration.days(DEFAULT_COLD_STORAGE_DAYS)).toDays({ integral: false }),
    encryptionKey: options.encryptionKey,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  };
}
