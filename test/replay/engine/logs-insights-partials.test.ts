import { KIT_PARSE, kitRecord, offsets } from './kit-records';
import { QueryPartials, resultRows, slotOf, slotStart, streamPlanOf } from '../../../src/replay/engine/logs-insights-partials';
import { parseAggregationExpression, parseLogsInsightsQuery } from '../../../src/replay/engine/logs-insights-query';

const T = 1_700_000_040; // 22:14:00 UTC, a whole minute

function partialsFor(body: string, aggregation = 'count(*)') {
  const query = parseLogsInsightsQuery(`${KIT_PARSE} | ${body}`);
  return { query, partials: new QueryPartials(streamPlanOf(query, parseAggregationExpression(aggregation))) };
}

function feed(partials: QueryPartials, records: Array<[number, Record<string, string | number>]>): void {
  for (const [end, fields] of records) {
    const record = kitRecord(end, fields);
    const { starts, ends } = offsets(record);
    partials.add(record, starts, ends, end);
  }
}

/** The rows as plain objects, for comparison. */
function rowsOf(query: ReturnType<typeof parseLogsInsightsQuery>, partials: QueryPartials, first: number, last: number) {
  return resultRows(query, partials.plan, partials.window(first, last)).map(row => Object.fromEntries(row));
}

test('slots: second :00 of a minute apart from its seconds :01-:59', () => {
  expect(slotOf(T)).toBe((T / 60) * 2);
  expect(slotOf(T + 1)).toBe((T / 60) * 2 + 1);
  expect(slotOf(T + 59)).toBe((T / 60) * 2 + 1);
  expect(slotOf(T + 60)).toBe((T / 60) * 2 + 2);
  expect(slotStart(slotOf(T))).toBe(T);
  expect(slotStart(slotOf(T + 30))).toBe(T + 1);
});

test('stats per source: count, exact distinct ports, sums that skip "-", maxima; only the records the filter keeps', () => {
  const { query, partials } = partialsFor('filter action = "REJECT" and dstport != 443 '
    + '| stats count_distinct(dstport) as ports, count(*) as flows, sum(bytes) as bytes, max(packets) as p by srcaddr');
  feed(partials, [
    [T + 5, { action: 'REJECT', srcaddr: '198.51.100.77', dstport: 22, bytes: 60, packets: 1 }],
    [T + 6, { action: 'REJECT', srcaddr: '198.51.100.77', dstport: 23, bytes: 40, packets: 3 }],
    [T + 7, { action: 'REJECT', srcaddr: '198.51.100.77', dstport: 22, bytes: '-', packets: 2 }],
    [T + 8, { action: 'REJECT', srcaddr: '203.0.113.5', dstport: 3389, bytes: 100, packets: 7 }],
    [T + 9, { action: 'ACCEPT', srcaddr: '203.0.113.5', dstport: 22 }], // not rejected
    [T + 10, { action: 'REJECT', srcaddr: '203.0.113.5', dstport: 443 }], // port 443
    [T + 11, { action: 'REJECT', srcaddr: '203.0.113.9', dstport: '-' }], // '-' != 443 is false: '-' is not a number
    [T + 12, { action: 'REJECT', srcaddr: '203.0.113.9', dstport: 80, bytes: '-', packets: '-' }],
  ]);
  const rows = rowsOf(query, partials, slotOf(T), slotOf(T + 59));
  expect(rows).toEqual([
    { srcaddr: '198.51.100.77', ports: 2, flows: 3, bytes: 100, p: 3 },
    { srcaddr: '203.0.113.5', ports: 1, flows: 1, bytes: 100, p: 7 },
    { srcaddr: '203.0.113.9', ports: 1, flows: 1 }, // no number to sum or to take the maximum of
  ]);
});

test('a number literal is false on "-" for every operator; a string literal compares exactly', () => {
  const count = (condition: string, fields: Record<string, string | number>) => {
    const { query, partials } = partialsFor(`filter ${condition} | stats count(*) as n`);
    feed(partials, [[T + 1, fields]]);
    return rowsOf(query, partials, slotOf(T), slotOf(T + 1)).length;
  };
  for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
    expect(count(`traffic_path ${op} 1`, { traffic_path: '-' })).toBe(0);
  }
  expect(count('not traffic_path = 1', { traffic_path: '-' })).toBe(1);
  expect(count('traffic_path != 1', { traffic_path: 8 })).toBe(1);
  expect(count('traffic_path > 1', { traffic_path: 8 })).toBe(1);
  expect(count('traffic_path <= 1', { traffic_path: 8 })).toBe(0);
  expect(count('traffic_path = "-"', { traffic_path: '-' })).toBe(1);
  expect(count('action = "accept"', { action: 'ACCEPT' })).toBe(0);
  expect(count('action != "REJECT"', { action: 'ACCEPT' })).toBe(1);
  expect(count('dstport in [22, 3389]', { dstport: 3389 })).toBe(1);
  expect(count('dstport in [22, 3389]', { dstport: 80 })).toBe(0);
  expect(count('dstport not in [22, 3389]', { dstport: 80 })).toBe(1);
  expect(count('dstport in ["22"]', { dstport: 22 })).toBe(1);
  expect(count('dstport = 22.0', { dstport: 22 })).toBe(1);
  expect(count('isIpv4InSubnet(srcaddr, "10.0.0.0/16")', { srcaddr: '10.0.200.7' })).toBe(1);
  expect(count('isIpv4InSubnet(srcaddr, "10.0.0.0/16")', { srcaddr: '10.1.0.7' })).toBe(0);
  expect(count('isIpv4InSubnet(srcaddr, "10.0.0.0/16")', { srcaddr: '-' })).toBe(0);
  expect(count('isIpv6InSubnet(srcaddr, "2001:db8::/32")', { srcaddr: '2001:db8:1::5' })).toBe(1);
  expect(count('isIpv6InSubnet(srcaddr, "2001:db8::/32")', { srcaddr: '10.0.0.1' })).toBe(0);
  expect(count('action = "REJECT" or dstport = 22 and protocol = 17', { action: 'ACCEPT', dstport: 22, protocol: 6 })).toBe(0);
  expect(count('(action = "REJECT" or dstport = 22) and protocol = 6', { action: 'ACCEPT', dstport: 22, protocol: 6 })).toBe(1);
});

test('after stats: a filter on a column, sort by it and limit keep the top rows', () => {
  const { query, partials } = partialsFor('stats count(*) as flows by srcaddr | filter flows >= 2 | sort flows desc | limit 2');
  const sources: Array<[string, number]> = [['192.0.2.1', 1], ['192.0.2.2', 5], ['192.0.2.3', 3], ['192.0.2.4', 4]];
  feed(partials, sources.flatMap(([srcaddr, n]) => Array.from({ length: n }, (_, i): [number, Record<string, string>] => [T + 1 + i, { srcaddr }])));
  expect(rowsOf(query, partials, slotOf(T), slotOf(T + 59))).toEqual([{ srcaddr: '192.0.2.2', flows: 5 }, { srcaddr: '192.0.2.4', flows: 4 }]);
});

test('a window merges its slots; a record at second :00 is in the slot that starts it', () => {
  const { query, partials } = partialsFor('stats count(*) as n, count_distinct(dstport) as ports by srcaddr');
  feed(partials, [[T, { dstport: 1 }], [T + 30, { dstport: 2 }], [T + 60, { dstport: 2 }], [T + 61, { dstport: 3 }]]);
  expect(rowsOf(query, partials, slotOf(T), slotOf(T))).toEqual([{ srcaddr: '198.51.100.9', n: 1, ports: 1 }]);
  expect(rowsOf(query, partials, slotOf(T), slotOf(T + 60))).toEqual([{ srcaddr: '198.51.100.9', n: 3, ports: 2 }]);
  expect(rowsOf(query, partials, slotOf(T + 1), slotOf(T + 61))).toEqual([{ srcaddr: '198.51.100.9', n: 3, ports: 2 }]);
  expect(partials.window(slotOf(T), slotOf(T + 120)).records).toBe(4);
});

test('two accumulators fed the two halves of the records merge into what one pass builds', () => {
  const body = 'filter action = "REJECT" | stats count_distinct(dstport) as ports, count(*) as flows, sum(bytes) as bytes, '
    + 'min(packets) as pmin, max(packets) as pmax, avg(bytes) as mean by srcaddr, dstaddr';
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const records = Array.from({ length: 3000 }, (): [number, Record<string, string | number>] => [T + random(900), {
    srcaddr: `198.51.100.${random(20)}`,
    dstaddr: `10.0.1.${random(3)}`,
    dstport: random(50),
    bytes: random(10) === 0 ? '-' : random(5000),
    packets: 1 + random(9),
    action: random(4) === 0 ? 'ACCEPT' : 'REJECT',
  }]);
  const one = partialsFor(body);
  feed(one.partials, records);
  const left = partialsFor(body);
  const right = partialsFor(body);
  feed(left.partials, records.slice(0, 1500));
  feed(right.partials, records.slice(1500));
  left.partials.mergeFrom(right.partials);

  const sorted = (rows: object[]) => rows.map(r => JSON.stringify(r)).sort();
  const first = slotOf(T);
  const last = slotOf(T + 900);
  expect(sorted(rowsOf(left.query, left.partials, first, last))).toEqual(sorted(rowsOf(one.query, one.partials, first, last)));
  for (let slot = first; slot <= last; slot += 7) {
    expect(sorted(rowsOf(left.query, left.partials, slot, slot + 9))).toEqual(sorted(rowsOf(one.query, one.partials, slot, slot + 9)));
    expect(left.partials.window(slot, slot + 9).records).toBe(one.partials.window(slot, slot + 9).records);
  }
  expect(rowsOf(one.query, one.partials, first, last).length).toBeGreaterThan(50); // the groups are many: the test can fail
});
