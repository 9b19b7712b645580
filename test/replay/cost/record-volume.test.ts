import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { measureRecords } from '../../../src/replay/cost/record-volume';
import { DEFAULT_FORMAT_FIELDS, InventoryInsightRule } from '../../../src/replay/cost/template-inventory';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-volume-'));
const T0 = 1_800_000_000;

function rule(logicalId: string, filters: InventoryInsightRule['filters'], logFormat = 'CLF'): InventoryInsightRule {
  return { logicalId, enabled: true, logGroups: ['G'], logFormat, fields: { 7: 'dstport', 8: 'protocol', 13: 'action' }, filters };
}

test('bytes, records and span; the span runs from the first start to the last end; a header line sets the field order', async () => {
  // An S3-style file: a header line whose order differs from the default (start and end first).
  const file = path.join(dir, 'with-header.log');
  const header = ['start', 'end', ...DEFAULT_FORMAT_FIELDS.filter(f => f !== 'start' && f !== 'end')].join(' ');
  const records = [
    `${T0} ${T0 + 60} 2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 ACCEPT OK`,
    `${T0 + 3540} ${T0 + 3600} 2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 REJECT OK`,
  ];
  fs.writeFileSync(file, [header, ...records].join('\n') + '\n');
  const volume = await measureRecords([file], DEFAULT_FORMAT_FIELDS, []);
  expect(volume).toMatchObject({ records: 2, bytes: records[0].length + records[1].length, spanSeconds: 3600 });
  expect(volume.from).toBe(new Date(T0 * 1000).toISOString());
  expect(volume.compressedBytes).toBe(zlib.gzipSync(records.join('\n') + '\n', { level: 6 }).length);
});

test('a JSON export without start and end fields spans its events\' timestamps', async () => {
  const file = path.join(dir, 'export.json');
  fs.writeFileSync(file, JSON.stringify({ events: [{ timestamp: 1_000_000, message: 'a b' }, { timestamp: 1_600_000, message: 'c d' }] }));
  const volume = await measureRecords([file], DEFAULT_FORMAT_FIELDS, []);
  expect(volume.spanSeconds).toBe(600);
});

test('Contributor Insights filters are evaluated on the fields they name', async () => {
  const file = path.join(dir, 'rules.log');
  const line = (dstport: number, protocol: number, action: string) =>
    `2 1 eni-1 10.0.0.1 10.0.0.2 40000 ${dstport} ${protocol} 1 40 ${T0} ${T0 + 60} ${action} OK`;
  fs.writeFileSync(file, [line(22, 6, 'ACCEPT'), line(22, 17, 'REJECT'), line(443, 6, 'REJECT'), line(3389, 6, 'REJECT')].join('\n'));
  const volume = await measureRecords([file], DEFAULT_FORMAT_FIELDS, [
    rule('Rejected', [{ match: 'action', operator: 'In', operand: ['REJECT'] }]),
    rule('SshTcp', [{ match: 'dstport', operator: 'EqualTo', operand: 22 }, { match: 'protocol', operator: 'EqualTo', operand: 6 }]),
    rule('HighPorts', [{ match: 'dstport', operator: 'GreaterThan', operand: 1000 }]),
    rule('NotAccepted', [{ match: 'action', operator: 'NotIn', operand: ['ACCEPT'] }]),
    rule('All', []),
    rule('Json', [], 'JSON'),
    rule('Odd', [{ match: 'action', operator: 'Wildcard', operand: '*' }]),
  ]);
  expect(volume.insightMatches).toEqual({ Rejected: 3, SshTcp: 1, HighPorts: 1, NotAccepted: 3, All: 4 });
  expect(volume.insightNotEvaluated).toEqual({
    Json: 'its log format is JSON; flow-log records are space-delimited (CLF)',
    Odd: "its filter operator 'Wildcard' is not evaluated",
  });
});

test('input problems are returned, not thrown', async () => {
  const volume = await measureRecords([path.join(dir, 'missing.log')], DEFAULT_FORMAT_FIELDS, []);
  expect(volume.records).toBe(0);
  expect(volume.problems[0].kind).toBe('unreadable');
});
