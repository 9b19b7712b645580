// Archive: the S3 archive of flow logs (bucket, lifecycle, delivery) and Athena over it.
export * from './flow-log-archive-options';
export * from './flow-log-archive';
export * from './flow-log-athena';
