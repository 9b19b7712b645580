import { FlowLogFormat, SubnetRole, TrafficAction, TrafficSignature } from '../../src';
import { SpaceDelimitedPattern } from '../../src/replay/engine/filter-pattern';
import { readSharedFlowLogs, SharedRecord } from '../shared-flowlogs';

// Proof that each filter pattern counts exactly what its name says: every pattern the kit
// renders is evaluated, with a faithful CloudWatch Logs evaluator, over real third-party
// records (../shared/flowlogs) and synthetic ones, and compared with a plain predicate
// written here independently of the pattern code.

type Fields = Record<string, string>;
const num = (value: string | undefined) => value !== undefined && value !== '' && value !== '-' && !isNaN(Number(value)) ? Number(value) : undefined;
const ok = (r: Fields) => r['log-status'] === 'OK';

const SSH_ANY_DIRECTION = TrafficSignature.custom({ metricName: 'SshAcceptedAnyDirection', protocol: 6, destinationPorts: [22], action: TrafficAction.ACCEPT });

interface Reference {
  readonly signature: TrafficSignature;
  readonly matches: (r: Fields) => boolean;
  readonly value: (r: Fields) => number | undefined;
}

const bytes = (r: Fields) => num(r.bytes);
const REFERENCES: Reference[] = [
  { signature: TrafficSignature.SSH_ACCEPTED_BYTES, value: bytes, matches: r => ok(r) && num(r.protocol) === 6 && num(r.dstport) === 22 && r.action === 'ACCEPT' && r['flow-direction'] === 'ingress' },
  { signature: SSH_ANY_DIRECTION, value: bytes, matches: r => ok(r) && num(r.protocol) === 6 && num(r.dstport) === 22 && r.action === 'ACCEPT' },
  { signature: TrafficSignature.RDP_ACCEPTED_BYTES, value: bytes, matches: r => ok(r) && num(r.protocol) === 6 && num(r.dstport) === 3389 && r.action === 'ACCEPT' && r['flow-direction'] === 'ingress' },
  { signature: TrafficSignature.REJECTED_FLOWS, value: () => 1, matches: r => ok(r) && r.action === 'REJECT' },
  { signature: TrafficSignature.REJECTED_PACKETS, value: r => num(r.packets), matches: r => ok(r) && r.action === 'REJECT' },
  { signature: TrafficSignature.EGRESS_BYTES, value: bytes, matches: r => ok(r) && r.action === 'ACCEPT' && r['flow-direction'] === 'egress' },
  { signature: TrafficSignature.INGRESS_BYTES, value: bytes, matches: r => ok(r) && r.action === 'ACCEPT' && r['flow-direction'] === 'ingress' },
  {
    signature: TrafficSignature.EXTERNAL_EGRESS_BYTES,
    value: bytes,
    matches: r => ok(r) && r.action === 'ACCEPT' && r['flow-direction'] === 'egress' && (num(r['traffic-path']) ?? 0) > 1 && num(r['traffic-path']) !== 7,
  },
  { signature: TrafficSignature.SKIPPED_RECORDS, value: () => 1, matches: r => r['log-status'] === 'SKIPDATA' },
];

interface Outcome { evaluated: number; matched: string[]; sum: number; mismatches: string[] }

function replay(reference: Reference, records: Array<{ format: FlowLogFormat; line: string; where: string }>, subnetIds?: string[]): Outcome {
  const outcome: Outcome = { evaluated: 0, matched: [], sum: 0, mismatches: [] };
  const patterns = new Map<FlowLogFormat, SpaceDelimitedPattern>();
  const metricValue = reference.signature.renderMetricValue();
  for (const record of records) {
    const fits = reference.signature.requiredFields(subnetIds !== undefined).every(f => record.format.hasField(f));
    if (!fits) continue;
    if (!patterns.has(record.format)) {
      patterns.set(record.format, SpaceDelimitedPattern.parse(reference.signature.renderPattern(record.format, subnetIds)));
    }
    const pattern = patterns.get(record.format)!;
    const fields = record.format.parseRecord(record.line);
    const expected = reference.matches(fields) && (subnetIds === undefined || subnetIds.includes(fields['subnet-id']));
    const actual = pattern.matchesEvent(record.line);
    outcome.evaluated++;
    if (actual !== expected) {
      outcome.mismatches.push(`${record.where}: pattern ${actual ? 'matches' : 'misses'} ${record.line}`);
    }
    if (actual) {
      outcome.matched.push(record.where);
      const value = pattern.metricValue(metricValue, record.line);
      expect(value).toBe(reference.value(fields));
      outcome.sum += value ?? 0;
    }
  }
  return outcome;
}

describe('real third-party records (../shared/flowlogs)', () => {
  const shared = readSharedFlowLogs().map((r: SharedRecord) => ({ format: r.format, line: r.line, where: `${r.file}:${r.lineNumber}` }));

  test.each(REFERENCES.map(r => [r.signature.metricName, r] as const))('%s matches exactly the records its predicate names', (_name, reference) => {
    const outcome = replay(reference, shared);
    expect(outcome.mismatches).toEqual([]);
  });

  // The counts pin the result, so a pattern that silently stops matching fails too. They were
  // cross-checked with awk on the files (e.g. 6 accepted TCP/22 records summing 34,706 bytes,
  // 88 OK REJECT records summing 345 packets, 13 SKIPDATA records). Only v5 records carry
  // flow-direction, and none of them is accepted SSH: the direction-less SSH signature proves
  // the port, protocol and action conditions on the v2 records.
  test.each([
    ['SshAcceptedBytes', 18, 0, 0],
    ['SshAcceptedAnyDirection', 172, 6, 34706],
    ['RdpAcceptedBytes', 18, 0, 0],
    ['RejectedFlows', 176, 88, 88],
    ['RejectedPackets', 172, 88, 345],
    ['EgressBytes', 18, 4, 47058],
    ['IngressBytes', 18, 4, 48438],
    ['ExternalEgressBytes', 18, 2, 544],
    ['SkippedRecords', 186, 13, 13],
  ])('%s: %d records fit its format, %d match, summing %d', (name, evaluated, matched, sum) => {
    const outcome = replay(REFERENCES.find(r => r.signature.metricName === name)!, shared);
    expect([outcome.evaluated, outcome.matched.length, outcome.sum]).toEqual([evaluated, matched, sum]);
  });

  test('the SSH conditions match the AWS documentation\'s accepted SSH records (IPv4 and IPv6) and only port 22', () => {
    const outcome = replay(REFERENCES[1], shared);
    expect(outcome.matched).toEqual(expect.arrayContaining(['aws-docs_flow-logs-records-examples.log:4', 'aws-docs_flow-logs-records-examples.log:13']));
    for (const where of outcome.matched) {
      const record = shared.find(r => r.where === where)!;
      expect(record.format.parseRecord(record.line).dstport).toBe('22');
    }
  });

  test('NODATA and SKIPDATA records never count as traffic', () => {
    const silent = shared.filter(r => / (NODATA|SKIPDATA)$/.test(r.line) || / (NODATA|SKIPDATA) /.test(r.line));
    expect(silent.length).toBeGreaterThanOrEqual(6);
    for (const reference of REFERENCES.filter(r => r.signature !== TrafficSignature.SKIPPED_RECORDS)) {
      expect(replay(reference, silent).matched).toEqual([]);
    }
  });
});

describe('synthetic records of a VPC with three roles, in the kit format', () => {
  const SUBNETS: Record<string, string[]> = {
    public: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    private: ['subnet-0bbbbbbbbbbbbbbb1'],
    isolated: ['subnet-0ccccccccccccccc1'],
  };
  const format = FlowLogFormat.KIT;

  // version account interface srcaddr dstaddr srcport dstport protocol packets bytes start end action status vpc subnet instance flags type psrc pdst direction path
  interface Synthetic {
    src?: string;
    dstport?: number;
    protocol?: number;
    packets?: number;
    bytes?: number;
    action?: string;
    status?: string;
    direction?: string;
    path?: string;
  }
  function record(subnet: string, o: Synthetic): string {
    if (o.status === 'NODATA' || o.status === 'SKIPDATA') {
      return `5 123456789012 eni-0123456789abcdef0 - - - - - - - 1700000000 1700000060 - ${o.status} vpc-0123456789abcdef0 ${subnet} - - - - - - -`;
    }
    return [5, '123456789012', 'eni-0123456789abcdef0', o.src ?? '203.0.113.7', '10.0.1.5', 50000, o.dstport ?? 443, o.protocol ?? 6,
      o.packets ?? 10, o.bytes ?? 1000, 1700000000, 1700000060, o.action ?? 'ACCEPT', 'OK', 'vpc-0123456789abcdef0', subnet, 'i-0123456789abcdef0',
      2, 'IPv4', o.src ?? '203.0.113.7', '10.0.1.5', o.direction ?? 'ingress', o.path ?? '-'].join(' ');
  }

  const records = Object.entries(SUBNETS).flatMap(([role, subnets]) => subnets.flatMap(subnet => [
    record(subnet, { dstport: 22, bytes: 4249 }),
    record(subnet, { dstport: 22, bytes: 100, action: 'REJECT' }),
    record(subnet, { dstport: 22, bytes: 7, protocol: 17 }),
    record(subnet, { dstport: 2222, bytes: 50 }),
    record(subnet, { dstport: 3389, bytes: 3000 }),
    record(subnet, { dstport: 443, bytes: 9000, direction: 'egress', path: '1' }),
    record(subnet, { dstport: 443, bytes: 70000, direction: 'egress', path: '8' }),
    record(subnet, { dstport: 443, bytes: 500, direction: 'egress', path: '7' }),
    record(subnet, { dstport: 5432, packets: 3, action: 'REJECT' }),
    record(subnet, { status: 'NODATA' }),
    record(subnet, { status: 'SKIPDATA' }),
  ].map(line => ({ format, line, where: `${role} ${subnet}` }))));

  test.each(SubnetRole.all().map(r => [r.name, r] as const))('the %s filters count only their own subnets\' records', (roleName) => {
    for (const reference of REFERENCES) {
      const outcome = replay(reference, records, SUBNETS[roleName]);
      expect(outcome.mismatches).toEqual([]);
      for (const where of outcome.matched) {
        expect(where.startsWith(`${roleName} `)).toBe(true);
      }
    }
  });

  test.each([
    ['SshAcceptedBytes', 'public', 2, 8498],
    ['SshAcceptedBytes', 'private', 1, 4249],
    ['RdpAcceptedBytes', 'isolated', 1, 3000],
    ['RejectedFlows', 'public', 4, 4],
    ['RejectedPackets', 'private', 2, 13],
    ['EgressBytes', 'private', 3, 79500],
    ['ExternalEgressBytes', 'isolated', 1, 70000],
    ['SkippedRecords', 'public', 2, 2],
  ])('%s of the %s role: %d records, summing %d', (name, roleName, matched, sum) => {
    const outcome = replay(REFERENCES.find(r => r.signature.metricName === name)!, records, SUBNETS[roleName as string]);
    expect([outcome.matched.length, outcome.sum]).toEqual([matched, sum]);
  });
});
