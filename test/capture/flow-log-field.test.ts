import { FlowLogField, FlowLogFieldDataType } from '../../src';

const AWS_DEFAULT_ORDER = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

const names = (fields: FlowLogField[]) => fields.map(f => f.name);

test('the catalogue starts with the 14 version-2 fields in AWS default order', () => {
  const all = FlowLogField.all();
  expect(names(all.slice(0, 14))).toEqual(AWS_DEFAULT_ORDER);
  expect(all.slice(0, 14).every(f => f.version === 2)).toBe(true);
  expect(all.slice(14).filter(f => f.version === 2)).toEqual([]);
});

test('the catalogue holds the 58 fields of versions 2 to 8', () => {
  expect(FlowLogField.all()).toHaveLength(58);
});

test('all() returns a copy that callers cannot use to change the catalogue', () => {
  const all = FlowLogField.all();
  all.length = 0;
  expect(FlowLogField.all()).toHaveLength(58);
});

test('fromName returns the static instance itself', () => {
  expect(FlowLogField.fromName('dstport')).toBe(FlowLogField.DSTPORT);
  expect(FlowLogField.fromName('version')).toBe(FlowLogField.VERSION);
  expect(FlowLogField.fromName('log-status')).toBe(FlowLogField.LOG_STATUS);
  expect(FlowLogField.fromName('tgw-src-eni')).toBe(FlowLogField.TGW_SRC_ENI);
  expect(FlowLogField.fromName('reject-reason')).toBe(FlowLogField.REJECT_REASON);
});

test('fromName finds every catalogued field by its name', () => {
  for (const field of FlowLogField.all()) {
    expect(FlowLogField.fromName(field.name)).toBe(field);
  }
});

test('fromName of an unknown name throws, naming it and listing the known fields', () => {
  expect(() => FlowLogField.fromName('nope')).toThrow(/'nope' is not a VPC flow log field/);
  expect(() => FlowLogField.fromName('nope')).toThrow(/known fields: version, account-id, interface-id, .*, reject-reason$/);
});

test('fromName is exact: no case folding, no ${} token, no surrounding spaces', () => {
  expect(() => FlowLogField.fromName('DSTPORT')).toThrow(/'DSTPORT'/);
  expect(() => FlowLogField.fromName('${dstport}')).toThrow(/'\$\{dstport\}'/);
  expect(() => FlowLogField.fromName(' dstport')).toThrow(/' dstport'/);
});

test('field names are unique across the catalogue', () => {
  const all = names(FlowLogField.all());
  expect(new Set(all).size).toBe(all.length);
});

test('field names are lower-case words joined by hyphens', () => {
  for (const name of names(FlowLogField.all())) {
    expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  }
});

test('versions run from 2 to 8, in catalogue order', () => {
  const versions = FlowLogField.all().map(f => f.version);
  expect([...new Set(versions)]).toEqual([2, 3, 4, 5, 6, 7, 8]);
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
});

test('each version introduces the fields AWS lists for it', () => {
  const ofVersion = (v: number) => names(FlowLogField.all().filter(f => f.version === v));
  expect(ofVersion(3)).toEqual(['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr']);
  expect(ofVersion(4)).toEqual(['region', 'az-id', 'sublocation-type', 'sublocation-id']);
  expect(ofVersion(5)).toEqual(['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path']);
  expect(ofVersion(6)).toHaveLength(18);
  expect(ofVersion(7)).toHaveLength(10);
  expect(ofVersion(7).every(n => n.startsWith('ecs-'))).toBe(true);
  expect(ofVersion(8)).toEqual(['reject-reason']);
});

test('the Transit-Gateway-only fields are exactly the tgw-*, resource-type and packets-lost-* fields', () => {
  const all = FlowLogField.all();
  const tgwOnly = names(all.filter(f => f.transitGatewayOnly));
  const byName = names(all).filter(n => n.startsWith('tgw-') || n === 'resource-type' || n.startsWith('packets-lost-'));
  expect(tgwOnly).toEqual(byName);
  expect(tgwOnly).toHaveLength(18);
  expect(all.filter(f => f.transitGatewayOnly).every(f => f.version === 6)).toBe(true);
  expect(FlowLogField.DSTPORT.transitGatewayOnly).toBe(false);
  expect(FlowLogField.TGW_ID.transitGatewayOnly).toBe(true);
});

test('data types follow AWS: ports and flags are INT_32, counters and times INT_64, the rest STRING', () => {
  expect(FlowLogField.VERSION.dataType).toBe(FlowLogFieldDataType.INT_32);
  expect(FlowLogField.DSTPORT.dataType).toBe(FlowLogFieldDataType.INT_32);
  expect(FlowLogField.PROTOCOL.dataType).toBe(FlowLogFieldDataType.INT_32);
  expect(FlowLogField.TCP_FLAGS.dataType).toBe(FlowLogFieldDataType.INT_32);
  expect(FlowLogField.TRAFFIC_PATH.dataType).toBe(FlowLogFieldDataType.INT_32);
  expect(FlowLogField.PACKETS.dataType).toBe(FlowLogFieldDataType.INT_64);
  expect(FlowLogField.BYTES.dataType).toBe(FlowLogFieldDataType.INT_64);
  expect(FlowLogField.START.dataType).toBe(FlowLogFieldDataType.INT_64);
  expect(FlowLogField.PACKETS_LOST_TTL_EXPIRED.dataType).toBe(FlowLogFieldDataType.INT_64);
  expect(FlowLogField.SRCADDR.dataType).toBe(FlowLogFieldDataType.STRING);
  expect(FlowLogField.ACTION.dataType).toBe(FlowLogFieldDataType.STRING);
});

test('toFormatToken renders ${name}', () => {
  expect(FlowLogField.DSTPORT.toFormatToken()).toBe('${dstport}');
  expect(FlowLogField.LOG_STATUS.toFormatToken()).toBe('${log-status}');
  expect(FlowLogField.PKT_SRC_AWS_SERVICE.toFormatToken()).toBe('${pkt-src-aws-service}');
  for (const field of FlowLogField.all()) {
    expect(field.toFormatToken()).toBe('${' + field.name + '}');
  }
});
