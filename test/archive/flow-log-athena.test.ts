import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FlowLogArchiveOptions, FlowLogFormat, FlowLogQuery, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

function archived(archive: FlowLogArchiveOptions = {}, logFormat?: FlowLogFormat) {
  const stack = testStack('TestStack', new App());
  const watch = new FlowLogWatch(stack, 'VpcWatch', {
    target: FlowLogTarget.fromVpc(threeTierVpc(stack)),
    archive,
    logFormat,
    queryDefinitions: false,
    alarms: { enabled: false },
    detections: { enabled: false },
  });
  return { stack, watch, template: Template.fromStack(stack) };
}

const TODAY = "year = date_format(current_date, '%Y') AND month = date_format(current_date, '%m') AND day = date_format(current_date, '%d')";

describe('Athena over the archive', () => {
  test('a Glue database and a workgroup per stack, results encrypted in the archive bucket', () => {
    const { stack, template } = archived();
    const bucket = JSON.parse(JSON.stringify(stack.resolve((stack.node.findChild('FlowLogArchiveBucket') as any).bucket.bucketName)));
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: '123456789012', DatabaseInput: { Name: 'flowlogs_teststack' } });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'flowlogs-TestStack',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', bucket, '/athena-results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });

  test('a table per watch: the format\'s columns and types, hourly partitions by projection, Parquet', () => {
    const { stack, template } = archived();
    const bucket = JSON.parse(JSON.stringify(stack.resolve((stack.node.findChild('FlowLogArchiveBucket') as any).bucket.bucketName)));
    const location = ['s3://', bucket, '/flow-logs/TestStack/VpcWatch/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/'];
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0] as any;
    const input = table.Properties.TableInput;
    expect(table.Properties).toMatchObject({ CatalogId: '123456789012', DatabaseName: 'flowlogs_teststack' });
    expect(input).toMatchObject({ Name: 'teststack_vpcwatch', TableType: 'EXTERNAL_TABLE' });
    expect(input.StorageDescriptor.Columns).toHaveLength(FlowLogFormat.KIT.fields.length);
    expect(input.StorageDescriptor.Columns.slice(0, 3)).toEqual([
      { Name: 'version', Type: 'int' }, { Name: 'account_id', Type: 'string' }, { Name: 'interface_id', Type: 'string' },
    ]);
    expect(input.StorageDescriptor.Columns).toEqual(expect.arrayContaining([{ Name: 'bytes', Type: 'bigint' }, { Name: 'traffic_path', Type: 'int' }]));
    expect(input.StorageDescriptor).toMatchObject({
      Location: { 'Fn::Join': ['', location] },
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    });
    expect(input.PartitionKeys).toEqual(['year', 'month', 'day', 'hour'].map(Name => ({ Name, Type: 'string' })));
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.hour.range': '0,23',
      'storage.location.template': { 'Fn::Join': ['', [...location.slice(0, -1), `${location.at(-1)}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`]] },
    });
  });

  test('named queries for the analyses, in the workgroup, over today\'s partitions of the table', () => {
    const { template } = archived();
    template.resourceCountIs('AWS::Athena::NamedQuery', FlowLogQuery.ALL.length);
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'TestStack/VpcWatch - Rejected TCP traffic',
      Database: 'flowlogs_teststack',
      WorkGroup: { Ref: Match.stringLikeRegexp('^FlowLogAthenaWorkGroup') },
      QueryString: FlowLogQuery.REJECTED_TCP_TRAFFIC.renderAthenaQuery(FlowLogFormat.KIT, '"flowlogs_teststack"."teststack_vpcwatch"'),
    });
  });

  test('a custom format: its columns, and only the queries it can answer', () => {
    const logFormat = FlowLogFormat.fromFieldNames(['version', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes',
      'start', 'end', 'action', 'log-status', 'subnet-id']);
    const { template } = archived({}, logFormat);
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0] as any;
    expect(table.Properties.TableInput.StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(logFormat.fields.map(f => f.name.replace(/-/g, '_')));
    template.resourceCountIs('AWS::Athena::NamedQuery', FlowLogQuery.ALL.filter(q => q.supports(logFormat)).length);
    expect(FlowLogQuery.ALL.filter(q => q.supports(logFormat)).length).toBe(FlowLogQuery.ALL.length - 2);
  });

  test('with a KMS key, results are SSE-KMS with it; athena: false creates none of it', () => {
    const app = new App();
    const keys = testStack('Keys', app);
    const key = new kms.Key(keys, 'Key', { enableKeyRotation: true });
    const stack = testStack('TestStack', app);
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: { encryptionKey: key } });
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: { ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } } },
    });
    const { template } = archived({ athena: false });
    for (const type of ['AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup', 'AWS::Athena::NamedQuery']) {
      template.resourceCountIs(type, 0);
    }
  });
});

describe('FlowLogQuery in Athena SQL', () => {
  const table = '"db"."t"';
  test('the analyses, over today\'s partitions, with quoted reserved words', () => {
    expect(FlowLogQuery.REJECTED_TCP_TRAFFIC.renderAthenaQuery(FlowLogFormat.KIT, table)).toBe(
      'SELECT from_unixtime("end") AS time, srcaddr, dstaddr, dstport, protocol, action, bytes\n'
      + `FROM "db"."t"\nWHERE ${TODAY} AND action = 'REJECT' AND protocol = 6\nORDER BY "end" DESC\nLIMIT 100`);
    expect(FlowLogQuery.TOP_TALKING_SUBNETS.renderAthenaQuery(FlowLogFormat.KIT, table)).toBe(
      'SELECT subnet_id, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows\n'
      + `FROM "db"."t"\nWHERE ${TODAY}\nGROUP BY subnet_id\nORDER BY bytes DESC\nLIMIT 20`);
    expect(FlowLogQuery.whoTalksToPort(5432).renderAthenaQuery(FlowLogFormat.KIT, table)).toContain(`WHERE ${TODAY} AND dstport = 5432\nGROUP BY srcaddr, dstaddr, action`);
    expect(FlowLogQuery.IPV4_VS_IPV6_BYTES.renderAthenaQuery(FlowLogFormat.KIT, table)).toContain('"type" IN (\'IPv4\', \'IPv6\')');
  });

  test('a format without the fields fails naming them', () => {
    expect(() => FlowLogQuery.IPV4_VS_IPV6_BYTES.renderAthenaQuery(FlowLogFormat.AWS_DEFAULT, table))
      .toThrow("query 'IPv4 vs IPv6 bytes' reads type, which the format does not record");
  });
});

describe('one workgroup per stack', () => {
  test('two watches archiving to different buckets, or with different keys, both with Athena, fail whatever their order', () => {
    for (const order of [['Edge', 'Core'], ['Core', 'Edge']]) {
      const stack = testStack('TestStack', new App());
      const central = s3.Bucket.fromBucketName(stack, 'Central', 'org-log-archive-123456789012');
      const archives: Record<string, FlowLogArchiveOptions> = { Edge: { bucket: central }, Core: { encryptionKey: new kms.Key(stack, 'Key') } };
      const watch = (name: string) => new FlowLogWatch(stack, `${name}Watch`, {
        target: FlowLogTarget.fromVpc(threeTierVpc(stack, name)), archive: archives[name], queryDefinitions: false,
      });
      watch(order[0]);
      expect(() => watch(order[1])).toThrow(new RegExp(`^\`archive\\.(bucket|encryptionKey)\` of TestStack/${order[1]}Watch differs from `
        + `TestStack/${order[0]}Watch's, whose archive the stack's Athena workgroup writes its results to .*or set \`archive\\.athena: false\``));
    }
  });

  test('with athena: false on one of them, both archive', () => {
    const stack = testStack('TestStack', new App());
    const central = s3.Bucket.fromBucketName(stack, 'Central', 'org-log-archive-123456789012');
    new FlowLogWatch(stack, 'EdgeWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Edge')), archive: { bucket: central }, queryDefinitions: false });
    new FlowLogWatch(stack, 'CoreWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Core')), archive: { athena: false }, queryDefinitions: false });
    Template.fromStack(stack).resourceCountIs('AWS::Athena::WorkGroup', 1);
  });

  test('two stacks whose names share their first 119 characters get two workgroup names of at most 128', () => {
    const names = ['A', 'B'].map(s => {
      const stack = testStack(`${'N'.repeat(125)}-${s}`, new App());
      new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: {}, queryDefinitions: false });
      return (Object.values(Template.fromStack(stack).findResources('AWS::Athena::WorkGroup'))[0] as any).Properties.Name as string;
    });
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) expect(name).toMatch(/^flowlogs-N+-[0-9a-f]{8}$/);
    expect(names.map(n => n.length)).toEqual([128, 128]);
  });
});
