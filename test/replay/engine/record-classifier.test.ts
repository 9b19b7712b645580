import { isFlowLogValue, whyNotFlowLogRecord } from '../../../src/replay/engine/record-classifier';
import { readSharedFlowLogs } from '../../shared-flowlogs';

test('every real record of ../shared/flowlogs/ (every format there: v2 to v8, ECS, transit gateway) is a flow-log record', () => {
  const records = readSharedFlowLogs();
  expect(records.length).toBeGreaterThan(100);
  const rejected = records.filter(r => whyNotFlowLogRecord(r.line.trim().split(/ +/)) !== undefined)
    .map(r => `${r.file}:${r.lineNumber}: ${whyNotFlowLogRecord(r.line.trim().split(/ +/))}`);
  expect(rejected).toEqual([]);
});

test.each([
  '-', '0', '1418530070', '172.31.16.139', '2001:db8:1234:a100:8d6e:3477:df66:f105', '2a02:cf40::', 'ACCEPT', 'REJECT', 'OK', 'NODATA',
  'SKIPDATA', 'IPv4', 'EFA', 'AMAZON', 'ROUTE53', 'ingress', 'egress', 'wavelength', 'eni-1235b8ca123456789', 'tgw-attach-0789ijkl',
  'us-east-1', 'use1-az4', 'arn:aws:ecs:us-east-1:000000000000:task/backend-cluster/e504f037-35c', 'payments-service',
])('%p is a flow-log value', field => {
  expect(isFlowLogValue(field)).toBe(true);
});

test.each([
  'garbage', 'x', 'connection', '"quoted"', 'a=b', 'a,b', '{', 'café', '\u0001', '',
])('%p is no flow-log value', field => {
  expect(isFlowLogValue(field)).toBe(false);
});

test.each<[string, string[], RegExp]>([
  ['a plain word', ['2', 'garbage', '3'], /^not a flow-log record: field 2 'garbage' is no flow-log value \(a number, an IP address, -, /],
  ['a control character', ['2', 'a\u0000b'], /^not a flow-log record: field 2 holds a control character \(U\+0000\); binary data or text of another kind$/],
  ['a non-ASCII character', ['naïve', '2'], /^not a flow-log record: field 1 holds a non-ASCII character \(U\+00EF\)/],
  ['a single field', ['42'], /^not a flow-log record: a single field '42'$/],
  ['no field', [], /^not a flow-log record: no field$/],
  ['a long word, abbreviated', ['x'.repeat(80)], /^not a flow-log record: field 1 'x{37}\.\.\.' is no flow-log value/],
])('%s: malformed', (_, fields, reason) => {
  expect(whyNotFlowLogRecord(fields)).toMatch(reason);
});

test('a record of another field list, or one cut short, is not malformed: its fields are values', () => {
  const kitRecord = '5 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 22 6 1 40 1700000070 1700000100 ACCEPT OK';
  expect(whyNotFlowLogRecord(kitRecord.split(' '))).toBeUndefined();
  expect(whyNotFlowLogRecord(kitRecord.split(' ').slice(0, 6))).toBeUndefined();
});
