import { Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { FlowLogFieldDataType } from '../capture/flow-log-field';
import { FlowLogFormat } from '../capture/flow-log-format';
import { boundedName, hashedName } from '../private/resource-name';
import { stackSingleton } from '../private/stack-singleton';
import { FlowLogQuery } from '../visibility/flow-log-query';

const MAX_WORKGROUP_NAME_LENGTH = 128;

const MAX_TABLE_NAME_LENGTH = 255;

const GLUE_TYPES: Record<FlowLogFieldDataType, string> = {
  [FlowLogFieldDataType.INT_32]: 'int',
  [FlowLogFieldDataType.INT_64]: 'bigint',
  [FlowLogFieldDataType.STRING]: 'string',
};

/**
 * Athena over a stack's S3 flow-log archive: a Glue database, an Athena workgroup that writes
 * encrypted results under `athena-results/` of the archive bucket, and for each archived watch a
 * table (columns from the watch's field list, hourly partitions found by partition projection:
 * no crawler, no partition loading) with named queries for the analyses of `FlowLogQuery.ALL`.
 */
export class FlowLogAthena extends Construct {
  /** Where the workgroup writes query results in the archive bucket (the stack's bucket expires them after 30 days). */
  public static readonly RESULTS_PREFIX = 'athena-results/';

  /**
   * The stack's Athena resources over the archive bucket, created on first use.
   */
  public static of(scope: IConstruct, bucket: s3.IBucket, encryptionKey?: kms.IKey): FlowLogAthena {
    const athenaOfStack = stackSingleton(scope, 'FlowLogAthena', (c): c is FlowLogAthena => c instanceof FlowLogAthena,
      (stack, id) => new FlowLogAthena(stack, id, bucket, encryptionKey, scope.node.path));
    // One workgroup per stack, with one results location: a second watch's other bucket or key would
    // otherwise be ignored, and where results go would depend on which watch came first.
    if (athenaOfStack.resultsBucket !== bucket || athenaOfStack.resultsKey !== encryptionKey) {
      const what = athenaOfStack.resultsBucket !== bucket ? 'archive.bucket' : 'archive.encryptionKey';
      throw new Error(`\`${what}\` of ${scope.node.path} differs from ${athenaOfStack.firstWatch}'s, whose archive the stack's Athena `
        + 'workgroup writes its results to (one workgroup per stack): archive both watches to the same bucket with the same key, '
        + 'or set `archive.athena: false` on one of them');
    }
    return athenaOfStack;
  }

  /** The Glue database of the archive tables. */
  public readonly database: glue.CfnDatabase;
  /** The database's name. */
  public readonly databaseName: string;
  /** The Athena workgroup the named queries run in. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The tables, one per archived watch. */
  public readonly tables: glue.CfnTable[] = [];

  private readonly resultsBucket: s3.IBucket;
  private readonly resultsKey?: kms.IKey;
  private readonly firstWatch: string;

  private constructor(scope: Stack, id: string, bucket: s3.IBucket, encryptionKey: kms.IKey | undefined, firstWatch: string) {
    super(scope, id);
    this.resultsBucket = bucket;
    this.resultsKey = encryptionKey;
    this.firstWatch = firstWatch;
    const stackName = Token.isUnresolved(scope.stackName) ? 'stack' : scope.stackName;
    this.databaseName = `flowlogs_${stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 255);
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: scope.account,
      databaseInput: { name: this.databaseName, description: `VPC flow logs archived by cdk-flowlog-watch in ${stackName}` },
    });
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      // Athena: 1 to 128 characters of A-Z a-z 0-9 . _ - (https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html);
      // a longer stack name is cut and ends with a hash of the path, so two stacks keep two names.
      name: boundedName(`flowlogs-${stackName}`.replace(/[^A-Za-z0-9._-]/g, '-'), '', MAX_WORKGROUP_NAME_LENGTH, scope.node.path),
      description: `Queries over the VPC flow-log archive of ${stackName}`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketName}/${FlowLogAthena.RESULTS_PREFIX}`,
          encryptionConfiguration: encryptionKey
            ? { encryptionOption: 'SSE_KMS', kmsKey: encryptionKey.keyArn }
            : { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /**
   * A table over one watch's archive prefix, with its named queries.
   *
   * @param scope the watch (the table and queries are created in it)
   * @param bucket the bucket the watch archives to
   * @param keyPrefix the watch's prefix in the bucket (`flow-logs/<watch path>/`)
   * @param format the watch's record format
   */
  public addTable(scope: Construct, bucket: s3.IBucket, keyPrefix: string, format: FlowLogFormat): glue.CfnTable {
    const stack = Stack.of(this);
    const tableName = this.uniqueTableName(scope);
    const location = `s3://${bucket.bucketName}/${keyPrefix}AWSLogs/aws-account-id=${stack.account}/aws-service=vpcflowlogs/aws-region=${stack.region}/`;
    const athenaScope = new Construct(scope, 'Athena');
    const table = new glue.CfnTable(athenaScope, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: tableName,
        description: `VPC flow logs of ${scope.node.path}, archived as Parquet in hourly partitions`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'EXTERNAL': 'TRUE',
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.year.type': 'integer',
          'projection.year.range': '2020,2099',
          'projection.month.type': 'integer',
          'projection.month.range': '1,12',
          'projection.month.digits': '2',
          'projection.day.type': 'integer',
          'projection.day.range': '1,31',
          'projection.day.digits': '2',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${location}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
        },
        partitionKeys: ['year', 'month', 'day', 'hour'].map(name => ({ name, type: 'string' })),
        storageDescriptor: {
          location,
          columns: format.fields.map(f => ({ name: f.name.replace(/-/g, '_'), type: GLUE_TYPES[f.dataType] })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    table.node.addDependency(this.database);
    const qualified = `"${this.databaseName}"."${tableName}"`;
    for (const query of FlowLogQuery.ALL.filter(q => q.supports(format))) {
      const named = new athena.CfnNamedQuery(athenaScope, query.id, {
        name: `${scope.node.path} - ${query.title}`.slice(0, 128),
        description: `${query.title}, from the flow-log archive of ${scope.node.path} (today's partitions)`.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: query.renderAthenaQuery(format, qualified),
      });
      named.node.addDependency(table);
    }
    this.tables.push(table);
    return table;
  }

  /**
   * The watch's construct path in lowercase, with `_` for every character but letters, digits and
   * `_`, within 255 characters (shortened with a hash of the path beyond): what Athena can query
   * ("should be in lower case", "Special characters other than underscore (_) are not supported",
   * at most 255 — https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html).
   * Glue folds table names to lowercase (https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html),
   * so `Net-Watch` and `Net_Watch` would get the same table: the second one to ask gets a hash of its
   * path appended.
   */
  private uniqueTableName(scope: Construct): string {
    const path = scope.node.path;
    const readable = path.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const name = boundedName(readable, '', MAX_TABLE_NAME_LENGTH, path, '_');
    const taken = new Set(this.tables.map(t => (t.tableInput as glue.CfnTable.TableInputProperty).name));
    return taken.has(name) ? hashedName(readable, '', MAX_TABLE_NAME_LENGTH, path, '_') : name;
  }
}
