import { FlowLogField, FlowLogFormat } from '../../src';
import { formatLineFieldNames, readSharedFlowLogs, SharedRecord } from '../shared-flowlogs';

const AWS_DEFAULT_NAMES = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

describe('built-in formats', () => {
  test('AWS_DEFAULT is the 14 version-2 fields in AWS order', () => {
    expect(FlowLogFormat.AWS_DEFAULT.fieldNames).toEqual(AWS_DEFAULT_NAMES);
  });

  test('KIT starts with the AWS_DEFAULT fields, in order', () => {
    expect(FlowLogFormat.KIT.fieldNames.slice(0, 14)).toEqual(AWS_DEFAULT_NAMES);
    expect(FlowLogFormat.KIT.fields.slice(0, 14)).toEqual(FlowLogFormat.AWS_DEFAULT.fields);
  });

  test('KIT adds the VPC, subnet, instance, TCP flags, packet addresses, direction and path', () => {
    for (const name of ['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'pkt-srcaddr', 'pkt-dstaddr', 'flow-direction', 'traffic-path']) {
      expect(FlowLogFormat.KIT.fieldNames.slice(14)).toContain(name);
    }
  });

  test('renderLogFormat renders the AWS default LogFormat string exactly', () => {
    expect(FlowLogFormat.AWS_DEFAULT.renderLogFormat()).toBe(
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} '
      + '${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    );
  });

  test('renderLogFormat renders every KIT field once, in order', () => {
    expect(FlowLogFormat.KIT.renderLogFormat()).toBe(FlowLogFormat.KIT.fieldNames.map(n => '${' + n + '}').join(' '));
  });

  test('version is the highest field version: 2 for AWS_DEFAULT, 5 for KIT', () => {
    expect(FlowLogFormat.AWS_DEFAULT.version).toBe(2);
    expect(FlowLogFormat.KIT.version).toBe(5);
    expect(FlowLogFormat.fromFields([FlowLogField.REJECT_REASON, FlowLogField.VERSION]).version).toBe(8);
    expect(FlowLogFormat.fromFieldNames(['srcaddr', 'region']).version).toBe(4);
  });
});

describe('fromFields and fromFieldNames', () => {
  test('fromFieldNames keeps the given order and resolves to the catalogue instances', () => {
    const format = FlowLogFormat.fromFieldNames(['dstport', 'srcaddr', 'action']);
    expect(format.fields).toEqual([FlowLogField.DSTPORT, FlowLogField.SRCADDR, FlowLogField.ACTION]);
    expect(format.fields[0]).toBe(FlowLogField.DSTPORT);
    expect(format.renderLogFormat()).toBe('${dstport} ${srcaddr} ${action}');
  });

  test('fromFieldNames of an unknown name throws a `logFormat` error naming the field', () => {
    expect(() => FlowLogFormat.fromFieldNames(['version', 'nope'])).toThrow(/^`logFormat`: 'nope' is not a VPC flow log field/);
  });

  test('an empty list throws', () => {
    expect(() => FlowLogFormat.fromFieldNames([])).toThrow(/^`logFormat` must list at least one field/);
    expect(() => FlowLogFormat.fromFields([])).toThrow(/^`logFormat` must list at least one field/);
  });

  test('a field listed twice throws, naming it', () => {
    expect(() => FlowLogFormat.fromFieldNames(['srcaddr', 'dstport', 'srcaddr'])).toThrow(/^`logFormat` lists the field 'srcaddr' twice/);
    expect(() => FlowLogFormat.fromFields([FlowLogField.ACTION, FlowLogField.ACTION])).toThrow(/'action' twice/);
  });

  test('the format keeps its own copy of the field list', () => {
    const fields = [FlowLogField.SRCADDR, FlowLogField.DSTADDR];
    const format = FlowLogFormat.fromFields(fields);
    fields.push(FlowLogField.ACTION);
    expect(format.fieldNames).toEqual(['srcaddr', 'dstaddr']);
  });
});

describe('indexOf and hasField', () => {
  test('indexOf is the zero-based record position, -1 when absent', () => {
    expect(FlowLogFormat.AWS_DEFAULT.indexOf(FlowLogField.VERSION)).toBe(0);
    expect(FlowLogFormat.AWS_DEFAULT.indexOf(FlowLogField.DSTPORT)).toBe(6);
    expect(FlowLogFormat.AWS_DEFAULT.indexOf(FlowLogField.LOG_STATUS)).toBe(13);
    expect(FlowLogFormat.AWS_DEFAULT.indexOf(FlowLogField.VPC_ID)).toBe(-1);
    expect(FlowLogFormat.KIT.indexOf(FlowLogField.VPC_ID)).toBe(14);
  });

  test('hasField tells whether the records carry the field', () => {
    expect(FlowLogFormat.AWS_DEFAULT.hasField(FlowLogField.ACTION)).toBe(true);
    expect(FlowLogFormat.AWS_DEFAULT.hasField(FlowLogField.FLOW_DIRECTION)).toBe(false);
    expect(FlowLogFormat.KIT.hasField(FlowLogField.FLOW_DIRECTION)).toBe(true);
    expect(FlowLogFormat.KIT.hasField(FlowLogField.TGW_ID)).toBe(false);
  });
});

describe('parseRecord', () => {
  test('returns the values by field name, as written', () => {
    expect(FlowLogFormat.AWS_DEFAULT.parseRecord(
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
    )).toEqual({
      'version': '2',
      'account-id': '123456789010',
      'interface-id': 'eni-1235b8ca123456789',
      'srcaddr': '172.31.16.139',
      'dstaddr': '172.31.16.21',
      'srcport': '20641',
      'dstport': '22',
      'protocol': '6',
      'packets': '20',
      'bytes': '4249',
      'start': '1418530010',
      'end': '1418530070',
      'action': 'ACCEPT',
      'log-status': 'OK',
    });
  });

  test('ignores leading and trailing whitespace and runs of spaces', () => {
    const format = FlowLogFormat.fromFieldNames(['srcaddr', 'dstaddr', 'action']);
    expect(format.parseRecord('  10.0.0.1   10.0.0.2 REJECT \n')).toEqual({ srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'REJECT' });
  });

  test('throws on too few or too many fields, giving both counts', () => {
    const format = FlowLogFormat.fromFieldNames(['srcaddr', 'dstaddr', 'action']);
    expect(() => format.parseRecord('10.0.0.1 10.0.0.2')).toThrow(/record has 2 fields, the format has 3 \(srcaddr dstaddr action\)/);
    expect(() => format.parseRecord('10.0.0.1 10.0.0.2 ACCEPT OK')).toThrow(/record has 4 fields, the format has 3/);
    expect(() => FlowLogFormat.AWS_DEFAULT.parseRecord('bogus line')).toThrow(/record has 2 fields, the format has 14/);
  });

  test('an empty or blank record has no fields, even for a one-field format', () => {
    const format = FlowLogFormat.fromFieldNames(['srcaddr']);
    expect(() => format.parseRecord('')).toThrow(/record has 0 fields, the format has 1/);
    expect(() => format.parseRecord('   ')).toThrow(/record has 0 fields, the format has 1/);
  });
});

describe('shared real-world flow logs (../shared/flowlogs)', () => {
  const records = readSharedFlowLogs();

  /** The record at a file's line, parsed by its declared format. */
  function parsedAt(file: string, lineNumber: number): { record: SharedRecord; values: Record<string, string> } {
    const record = records.find(r => r.file === file && r.lineNumber === lineNumber);
    if (!record) {
      throw new Error(`no data record at ${file}:${lineNumber}`);
    }
    return { record, values: record.format.parseRecord(record.line) };
  }

  const AWS_DOCS = 'aws-docs_flow-logs-records-examples.log';
  const CRIBL = 'cribl-vpc-flow-for-security-teams_VPC_Flow.log';
  const ELASTIC = 'elastic-integrations_aws-vpcflow-pipeline-tests.log';
  const OBSRVBL = 'obsrvbl-flowlogs-reader_tests.log';
  const SEKOIA = 'sekoia_automation-library_and_intake-formats.log';
  const APPENDER = 'amazon-archives_aws-vpc-flow-log-appender_event.log';

  test('the reader takes the field names of a # format: line up to its first ( note', () => {
    expect(formatLineFieldNames('# format: version srcaddr   (default v2; (x) y)')).toEqual(['version', 'srcaddr']);
    expect(formatLineFieldNames('# format: account-id bytes')).toEqual(['account-id', 'bytes']);
  });

  test('every file holds exactly the expected number of data records', () => {
    const counts: Record<string, number> = {};
    for (const r of records) {
      counts[r.file] = (counts[r.file] ?? 0) + 1;
    }
    expect(counts).toEqual({
      [APPENDER]: 2,
      [AWS_DOCS]: 27,
      [CRIBL]: 99,
      [ELASTIC]: 33,
      [OBSRVBL]: 13,
      [SEKOIA]: 23,
    });
    expect(records).toHaveLength(197);
  });

  test('every data record parses, with exactly its format\'s fields and no empty value', () => {
    const failures: string[] = [];
    for (const { file, format, line, lineNumber } of records) {
      try {
        const values = format.parseRecord(line);
        if (Object.keys(values).join(' ') !== format.fieldNames.join(' ')) {
          failures.push(`${file}:${lineNumber}: parsed fields ${Object.keys(values).join(' ')}`);
        } else if (Object.values(values).some(v => v === '' || /\s/.test(v))) {
          failures.push(`${file}:${lineNumber}: empty or blank value`);
        }
      } catch (e) {
        failures.push(`${file}:${lineNumber}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('the files use formats of every flow-log version from 2 to 8 and every size from 6 to 40 fields', () => {
    const versions = new Set(records.map(r => r.format.version));
    expect([...versions].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const sizes = new Set(records.map(r => r.format.fields.length));
    expect([...sizes].sort((a, b) => a - b)).toEqual([6, 14, 17, 18, 21, 22, 29, 36, 39, 40]);
  });

  test('AWS docs: the first record is the accepted SSH flow', () => {
    const { values } = parsedAt(AWS_DOCS, 4);
    expect(values).toMatchObject({
      'srcaddr': '172.31.16.139',
      'dstaddr': '172.31.16.21',
      'dstport': '22',
      'protocol': '6',
      'packets': '20',
      'bytes': '4249',
      'action': 'ACCEPT',
      'log-status': 'OK',
    });
    expect(parsedAt(AWS_DOCS, 5).values).toMatchObject({ dstport: '3389', action: 'REJECT' });
  });

  test('AWS docs: NODATA and SKIPDATA records carry - where there is no value', () => {
    const nodata = parsedAt(AWS_DOCS, 7).values;
    expect(nodata).toMatchObject({ 'srcaddr': '-', 'dstaddr': '-', 'dstport': '-', 'bytes': '-', 'action': '-', 'log-status': 'NODATA' });
    expect(nodata.start).toBe('1431280876');
    const skipdata = parsedAt(AWS_DOCS, 8).values;
    expect(skipdata).toMatchObject({ 'interface-id': 'eni-11111111aaaaaaaaa', 'srcaddr': '-', 'action': '-', 'log-status': 'SKIPDATA' });
  });

  test('AWS docs: the record with a double space still splits into its 21 fields', () => {
    const { record, values } = parsedAt(AWS_DOCS, 24);
    expect(record.line).toContain('43638  10.0.0.62');
    expect(record.format.fields).toHaveLength(21);
    expect(Object.keys(values)).toHaveLength(21);
    expect(values).toMatchObject({
      'dstport': '43638',
      'pkt-srcaddr': '10.0.0.62',
      'pkt-dstaddr': '52.213.180.42',
      'bytes': '967',
      'packets': '14',
      'tcp-flags': '19',
      'log-status': 'OK',
    });
  });

  test('AWS docs: the custom v3 format puts bytes before packets', () => {
    expect(parsedAt(AWS_DOCS, 16).values).toMatchObject({ 'bytes': '568', 'packets': '8', 'tcp-flags': '2', 'vpc-id': 'vpc-abcdefab012345678' });
  });

  test('AWS docs: the NAT gateway format of 6 fields, with - for a requester-managed ENI', () => {
    expect(parsedAt(AWS_DOCS, 26).values).toEqual({
      'instance-id': '-',
      'interface-id': 'eni-1235b8ca123456789',
      'srcaddr': '10.0.1.5',
      'dstaddr': '10.0.0.220',
      'pkt-srcaddr': '10.0.1.5',
      'pkt-dstaddr': '203.0.113.5',
    });
  });

  test('AWS docs: v5 records give the service, flow direction and traffic path', () => {
    const ingress = parsedAt(AWS_DOCS, 39);
    expect(ingress.record.format.version).toBe(5);
    expect(ingress.values).toMatchObject({
      'pkt-src-aws-service': 'S3',
      'pkt-dst-aws-service': '-',
      'flow-direction': 'ingress',
      'traffic-path': '-',
      'region': 'ap-southeast-2',
      'az-id': 'apse2-az3',
      'tcp-flags': '19',
      'log-status': 'OK',
    });
    expect(parsedAt(AWS_DOCS, 40).values).toMatchObject({
      'pkt-src-aws-service': '-', 'pkt-dst-aws-service': 'S3', 'flow-direction': 'egress', 'traffic-path': '8',
    });
  });

  test('cribl: a rejected scan of UDP port 1900 from a real S3 log', () => {
    const { record, values } = parsedAt(CRIBL, 3);
    expect(record.format.fieldNames).toEqual(AWS_DEFAULT_NAMES);
    expect(values).toMatchObject({
      'account-id': '216782312663',
      'interface-id': 'eni-0b2fc5457066bc156',
      'srcaddr': '89.248.165.164',
      'dstport': '1900',
      'protocol': '17',
      'bytes': '118',
      'action': 'REJECT',
      'log-status': 'OK',
    });
  });

  test('sekoia: an accepted NTP reply and a v5 egress record through the internet gateway', () => {
    expect(parsedAt(SEKOIA, 7).values).toMatchObject({
      srcaddr: '188.114.116.1', srcport: '123', dstport: '44789', protocol: '17', action: 'ACCEPT',
    });
    expect(parsedAt(SEKOIA, 29).values).toMatchObject({
      'instance-id': '-', 'region': 'eu-west-1', 'flow-direction': 'egress', 'traffic-path': '8', 'dstport': '53',
    });
  });

  test('elastic: the v8 record carries reject-reason BPA and the Transit Gateway records have no action', () => {
    const v8 = parsedAt(ELASTIC, 26);
    expect(v8.record.format.fields).toHaveLength(40);
    expect(v8.values).toMatchObject({ 'reject-reason': 'BPA', 'ecs-cluster-name': 'backend-cluster', 'log-status': 'NODATA' });
    const tgw = parsedAt(ELASTIC, 28);
    expect(tgw.record.format.hasField(FlowLogField.ACTION)).toBe(false);
    expect(tgw.values).toMatchObject({ 'tgw-id': 'tgw-0a12bc34de56f7890', 'dstport': '22', 'log-status': 'SKIPDATA', 'flow-direction': 'ingress' });
  });

  test('obsrvbl: a format without version, and millisecond timestamps kept as written', () => {
    expect(parsedAt(OBSRVBL, 21).values).toMatchObject({ 'resource-type': 'TransitGateway', 'packets-lost-ttl-expired': '16' });
    expect(parsedAt(OBSRVBL, 8).values).toMatchObject({ start: '1512564058000', end: '1512564059000', srcaddr: '-' });
  });

  test('a record parsed by the wrong format fails with both counts', () => {
    const nat = parsedAt(AWS_DOCS, 26).record;
    expect(() => FlowLogFormat.AWS_DEFAULT.parseRecord(nat.line)).toThrow(/record has 6 fields, the format has 14/);
  });
});
