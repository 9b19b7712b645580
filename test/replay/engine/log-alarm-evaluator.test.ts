import { KIT_PARSE, kitRecord, offsets } from './kit-records';
import {
  checkLogAlarmSettings, compileLogAlarmQuery, evaluateLogAlarm, kthSmallest, LogAlarmSettings, rateSecondsOf,
} from '../../../src/replay/engine/log-alarm-evaluator';
import { QueryPartials } from '../../../src/replay/engine/logs-insights-partials';
import { NotSimulatedError } from '../../../src/replay/engine/logs-insights-query';

const T = 1_700_000_100; // 22:15:00 UTC, a multiple of 300
const SCAN_QUERY = `${KIT_PARSE} | filter action = "REJECT" | stats count_distinct(dstport) as ports by srcaddr`;

type Fields = Record<string, string | number>;

function run(settings: Partial<LogAlarmSettings>, query: string, aggregation: string, records: Array<[number, Fields]>, keepContributors = true) {
  const compiled = compileLogAlarmQuery(query, aggregation);
  const partials = new QueryPartials(compiled.plan);
  for (const [end, fields] of records) {
    const record = kitRecord(end, fields);
    const { starts, ends } = offsets(record);
    partials.add(record, starts, ends, end);
  }
  const times = records.map(r => r[0]);
  return evaluateLogAlarm({
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
    queryResultsToEvaluate: 1,
    queryResultsToAlarm: 1,
    rateSeconds: 300,
    startTimeOffset: 300,
    ...settings,
  }, compiled, partials, { first: Math.min(...times), last: Math.max(...times) }, keepContributors);
}

const iso = (t: number) => new Date(t * 1000).toISOString();

test('executions fall on the multiples of the rate; each window is [T - start, T - end], both ends included', () => {
  // One record per minute from T+60 to T+600, and one exactly at T+300, the boundary of two windows.
  const records: Array<[number, Fields]> = [...Array.from({ length: 10 }, (_, i): [number, Fields] => [T + 60 + i * 60 - 10, {}]), [T + 300, {}]];
  const evaluation = run({ threshold: 0 }, `${KIT_PARSE}`, 'count(*)', records);
  // The last execution is the last whose window holds the last record (T+590).
  expect(evaluation.executions.map(e => [e.at - T, e.windowStart - T, e.windowEnd - T, e.value])).toEqual([
    [300, 0, 300, 6], // T+50, 110, 170, 230, 290 and the one at T+300
    [600, 300, 600, 6], // T+300 again, then 350, 410, 470, 530, 590
  ]);

  // The end offset moves the window back: rate 5 minutes, [T - 600, T - 300].
  const shifted = run({ threshold: 0, startTimeOffset: 600, endTimeOffset: 300 }, `${KIT_PARSE}`, 'count(*)', records);
  expect(shifted.executions.map(e => [e.at - T, e.value])).toEqual([[600, 6], [900, 6]]);
});

test('count(*) of a window with logs but no match is 0; sum of nothing is missing', () => {
  const records: Array<[number, Fields]> = [[T + 10, { action: 'ACCEPT', bytes: 5 }]];
  const count = run({ threshold: 0, comparisonOperator: 'LessThanOrEqualToThreshold' }, `${KIT_PARSE} | filter action = "REJECT"`, 'count(*)', records);
  expect(count.executions.map(e => e.value)).toEqual([0]);
  expect(count.enteredAlarmAt).toEqual([T + 300]);
  const sum = run({ threshold: 0 }, `${KIT_PARSE} | filter action = "REJECT"`, 'sum(bytes)', records);
  expect(sum.executions.map(e => e.value)).toEqual([undefined]);
  expect(sum.executions[0].state).toBe('INSUFFICIENT_DATA');
});

test('M of N over the last N executions, with a hand-made timeline of values', () => {
  // Rejected flows per 5-minute window: 150, 50, 150, 150, 50, 50, 50 (threshold 100, 2 of 3).
  const perWindow = [150, 50, 150, 150, 50, 50, 50];
  const records = perWindow.flatMap((n, w) => Array.from({ length: n }, (_, i): [number, Fields] => [T + w * 300 + 1 + (i % 299), { action: 'REJECT' }]));
  const evaluation = run({ queryResultsToEvaluate: 3, queryResultsToAlarm: 2, rateSeconds: 300, startTimeOffset: 300 },
    `${KIT_PARSE} | filter action = "REJECT"`, 'count(*)', records);
  expect(evaluation.executions.map(e => e.value)).toEqual(perWindow);
  // Breaching: X - X X - - -; 2 of the last 3 breach at the 3rd (X-X), 4th (-XX) and 5th (XX-) executions.
  expect(evaluation.executions.map(e => e.state)).toEqual(['INSUFFICIENT_DATA', 'OK', 'ALARM', 'ALARM', 'ALARM', 'OK', 'OK']);
  expect(evaluation.enteredAlarmAt).toEqual([T + 900]);
  expect(evaluation.alarmPeriods).toEqual([{ start: T + 900, end: T + 1800 }]);
});

test('missing data: windows without logs are missing; under breaching they breach', () => {
  const records: Array<[number, Fields]> = [[T + 10, { action: 'REJECT' }], [T + 1510, { action: 'REJECT' }]];
  const settings = { threshold: 0, queryResultsToEvaluate: 2, queryResultsToAlarm: 2 };
  const missing = run(settings, KIT_PARSE, 'count(*)', records);
  expect(missing.executions.map(e => e.value)).toEqual([1, undefined, undefined, undefined, undefined, 1]);
  // As for a metric alarm (its evaluator, range N): the breach 2 executions old with nothing after it alarms.
  expect(missing.executions.map(e => e.state)).toEqual(['INSUFFICIENT_DATA', 'ALARM', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA']);
  const breaching = run({ ...settings, threshold: 5, treatMissingData: 'breaching' }, KIT_PARSE, 'count(*)', records);
  expect(breaching.enteredAlarmAt).toEqual([T + 900]); // the 2nd and 3rd executions saw no logs
});

test('a burst scan by one source alarms at its first execution; its group and value are the top offender', () => {
  const scan = Array.from({ length: 400 }, (_, i): [number, Fields] => [T + 320 + (i % 40), { action: 'REJECT', srcaddr: '198.51.100.77', dstport: 1000 + i }]);
  const noise = Array.from({ length: 30 }, (_, i): [number, Fields] => [T + 10 + i * 20, { action: 'REJECT', srcaddr: '203.0.113.5', dstport: 22 + (i % 5) }]);
  const evaluation = run({ queryResultsToEvaluate: 3, queryResultsToAlarm: 1 }, SCAN_QUERY, 'max(ports) by srcaddr', [...noise, ...scan]);
  expect(evaluation.executions.map(e => [e.at - T, e.contributors])).toEqual([
    [300, [{ group: '203.0.113.5', value: 5 }]],
    [600, [{ group: '198.51.100.77', value: 400 }, { group: '203.0.113.5', value: 5 }]],
  ]);
  expect(evaluation.executions[1]).toMatchObject({ value: 400, top: '198.51.100.77', breaching: ['198.51.100.77'], state: 'ALARM' });
  expect(evaluation.enteredAlarmAt).toEqual([T + 600]);
  expect(evaluation.topOffenders).toEqual([{ group: '198.51.100.77', value: 400, at: T + 600 }]);
});

test('a contributor that disappears is OK, and the alarm with it; M of N counts its breaches in the last N executions', () => {
  // 198.51.100.77 scans 150 ports in windows 0 and 2, is absent in window 1; the other source is always there.
  const scanIn = (w: number) => Array.from({ length: 150 }, (_, i): [number, Fields] => [T + w * 300 + 1 + i, { action: 'REJECT', srcaddr: '198.51.100.77', dstport: i }]);
  const other = Array.from({ length: 5 }, (_, w): [number, Fields] => [T + w * 300 + 7, { action: 'REJECT', srcaddr: '203.0.113.5', dstport: 1 }]);
  const records = [...scanIn(0), ...scanIn(2), ...other];
  const oneOfOne = run({}, SCAN_QUERY, 'max(ports) by srcaddr', records);
  expect(oneOfOne.executions.map(e => e.state)).toEqual(['ALARM', 'OK', 'ALARM', 'OK', 'OK']);
  expect(oneOfOne.enteredAlarmAt).toEqual([T + 300, T + 900]);
  expect(oneOfOne.alarmPeriods).toEqual([{ start: T + 300, end: T + 600 }, { start: T + 900, end: T + 1200 }]);
  const twoOfThree = run({ queryResultsToEvaluate: 3, queryResultsToAlarm: 2 }, SCAN_QUERY, 'max(ports) by srcaddr', records);
  expect(twoOfThree.executions.map(e => e.state)).toEqual(['OK', 'OK', 'ALARM', 'OK', 'OK']);
  const twoOfTwo = run({ queryResultsToEvaluate: 2, queryResultsToAlarm: 2 }, SCAN_QUERY, 'max(ports) by srcaddr', records);
  expect(twoOfTwo.enteredAlarmAt).toEqual([]);
});

test('contributors are sorted alphabetically and only 500 evaluated, unless the aggregation sorts them by value', () => {
  // 501 sources with one port each, then the scanner, whose address sorts last: zz is not an address, but a group.
  const many = Array.from({ length: 501 }, (_, i): [number, Fields] => [T + 10, { action: 'REJECT', srcaddr: `10.${Math.floor(i / 256)}.${i % 256}.1`, dstport: 1 }]);
  const scanner = Array.from({ length: 200 }, (_, i): [number, Fields] => [T + 20, { action: 'REJECT', srcaddr: 'zz-scanner', dstport: i }]);
  const alphabetical = run({}, SCAN_QUERY, 'max(ports) by srcaddr', [...many, ...scanner]);
  expect(alphabetical.executions[0]).toMatchObject({ partial: true, breaching: [], state: 'OK' });
  expect(alphabetical.executions[0].contributors).toHaveLength(500);
  const byValue = run({}, SCAN_QUERY, 'max(ports) by srcaddr | sort desc', [...many, ...scanner]);
  expect(byValue.executions[0]).toMatchObject({ partial: true, breaching: ['zz-scanner'], state: 'ALARM' });
});

test('the aggregation over stats rows: count(*) counts rows, sum adds a column, by regroups', () => {
  const query = `${KIT_PARSE} | stats sum(bytes) as bytes by srcaddr, dstaddr`;
  const records: Array<[number, Fields]> = [
    [T + 1, { srcaddr: 'a', dstaddr: 'x', bytes: 10 }], [T + 2, { srcaddr: 'a', dstaddr: 'y', bytes: 20 }],
    [T + 3, { srcaddr: 'a', dstaddr: 'y', bytes: 30 }], [T + 4, { srcaddr: 'b', dstaddr: 'x', bytes: 1 }],
  ];
  expect(run({ threshold: 0 }, query, 'count(*) by srcaddr', records).executions[0].contributors)
    .toEqual([{ group: 'a', value: 2 }, { group: 'b', value: 1 }]);
  expect(run({ threshold: 0 }, query, 'sum(bytes) by srcaddr', records).executions[0].contributors)
    .toEqual([{ group: 'a', value: 60 }, { group: 'b', value: 1 }]);
  expect(run({ threshold: 0 }, query, 'max(bytes) by srcaddr, dstaddr', records).executions[0].contributors)
    .toEqual([{ group: 'a, x', value: 10 }, { group: 'a, y', value: 50 }, { group: 'b, x', value: 1 }]);
  expect(run({ threshold: 0 }, query, 'avg(bytes)', records).executions[0].value).toBe(61 / 3);
  expect(run({ threshold: 0 }, `${KIT_PARSE} | filter dstport = 1 | stats sum(bytes) as b by srcaddr`, 'count(*)', records).executions[0].value).toBe(0);
});

test('a LessThan alarm: the lowest value is the worst', () => {
  const records: Array<[number, Fields]> = [[T + 1, { srcaddr: 'a', bytes: 10 }], [T + 2, { srcaddr: 'b', bytes: 3 }]];
  const evaluation = run({ threshold: 5, comparisonOperator: 'LessThanThreshold' }, `${KIT_PARSE} | stats sum(bytes) as b by srcaddr`, 'min(b) by srcaddr', records);
  expect(evaluation.executions[0]).toMatchObject({ value: 3, top: 'b', breaching: ['b'] });
  expect(evaluation.topOffenders).toEqual([{ group: 'b', value: 3, at: T + 300 }]);
});

test('schedules are rate() expressions; settings replay cannot simulate are named', () => {
  expect(rateSecondsOf('rate(5 minutes)')).toBe(300);
  expect(rateSecondsOf('rate(1 minute)')).toBe(60);
  expect(rateSecondsOf('rate(2 hours)')).toBe(7200);
  expect(rateSecondsOf('rate(1 day)')).toBe(86400);
  expect(() => rateSecondsOf('cron(0/5 * * * ? *)')).toThrow(/^ScheduleExpression "cron\(0\/5 \* \* \* \? \*\)" is not simulated: a log alarm's schedule is a rate\(\) expression/);
  expect(() => rateSecondsOf('rate(0 minutes)')).toThrow(NotSimulatedError);
  const ok: LogAlarmSettings = { threshold: 1, comparisonOperator: 'GreaterThanThreshold', queryResultsToEvaluate: 3, queryResultsToAlarm: 2, rateSeconds: 300, startTimeOffset: 300 };
  expect(() => checkLogAlarmSettings(ok)).not.toThrow();
  expect(() => checkLogAlarmSettings({ ...ok, startTimeOffset: 90 })).toThrow('StartTimeOffset 90 is not simulated: replay keeps its partial states per minute, so offsets must be whole minutes');
  expect(() => checkLogAlarmSettings({ ...ok, endTimeOffset: 300 })).toThrow('StartTimeOffset (300) must be greater than EndTimeOffset (300) [SC]');
  expect(() => checkLogAlarmSettings({ ...ok, queryResultsToAlarm: 4 })).toThrow('QueryResultsToAlarm must be a whole number from 1 to QueryResultsToEvaluate (3), got 4');
  expect(() => checkLogAlarmSettings({ ...ok, comparisonOperator: 'LessThanLowerThreshold' as any })).toThrow(/^ComparisonOperator "LessThanLowerThreshold" is not simulated/);
  expect(() => compileLogAlarmQuery('filter action = "REJECT"', 'count(*)')).toThrow('`action` is used but no `parse` makes it');
  expect(() => compileLogAlarmQuery(SCAN_QUERY, 'max(flows) by srcaddr')).toThrow('the AggregationExpression reads `flows`, which is not a field of the query\'s results (srcaddr, ports)');
});

test('executions are stamped as ISO times by the replay: the first at the first multiple of the rate after the first record', () => {
  const evaluation = run({}, KIT_PARSE, 'count(*)', [[T + 301, {}]]);
  expect(evaluation.executions.map(e => iso(e.at))).toEqual([iso(T + 600)]);
});

test('without every contributor kept, the executions are the same: the top one, the breaching ones in order, the 500 evaluated', () => {
  // 700 sources over three windows, with few distinct values (many ties, at the 500th value too), and sources that
  // are not addresses: the top contributor among equals and the 500 evaluated are decided by text.
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const recordsOf = (sources: number) => {
    const records: Array<[number, Fields]> = [];
    for (let w = 0; w < 3; w++) {
      for (let s = 0; s < sources; s++) {
        const ports = 1 + Math.floor(random() * 4) * (s % 3 === 0 ? 1 : 2);
        const srcaddr = s % 11 === 0 ? `host-${s}` : `10.0.${s % 256}.${Math.floor(s / 256)}`;
        for (let p = 0; p < ports; p++) records.push([T + w * 300 + 1 + p, { action: 'REJECT', srcaddr, dstport: p }]);
      }
    }
    return records;
  };
  const cases: Array<[Partial<LogAlarmSettings>, string]> = [
    [{ threshold: 4 }, 'max(ports) by srcaddr | sort desc'],
    [{ threshold: 4 }, 'max(ports) by srcaddr | sort asc'],
    [{ threshold: 4 }, 'max(ports) by srcaddr'],
    [{ threshold: 3, comparisonOperator: 'LessThanThreshold' }, 'max(ports) by srcaddr | sort desc'],
    [{ threshold: 3, comparisonOperator: 'LessThanOrEqualToThreshold' }, 'max(ports) by srcaddr | sort asc'],
    [{ threshold: 5, queryResultsToEvaluate: 3, queryResultsToAlarm: 2 }, 'max(ports) by srcaddr | sort desc'],
    // Every value breaches, the 500th too: which of its ties are evaluated decides the breaching list.
    [{ threshold: 1 }, 'max(ports) by srcaddr | sort desc'],
    [{ threshold: 1 }, 'max(ports) by srcaddr | sort asc'],
  ];
  for (const [settings, aggregation] of cases) {
    for (const sources of [700, 300]) {
      const some = recordsOf(sources);
      const kept = run(settings, SCAN_QUERY, aggregation, some, true);
      const lean = run(settings, SCAN_QUERY, aggregation, some, false);
      expect(lean.executions.length).toBeGreaterThan(0);
      expect(lean.executions.some(e => e.breaching.length > 1)).toBe(true);
      expect(lean).toEqual({ ...kept, executions: kept.executions.map(({ contributors, ...e }) => e) });
    }
  }
  // The 500 were chosen among more than 500 contributors.
  expect(run({}, SCAN_QUERY, 'max(ports) by srcaddr | sort desc', recordsOf(700), false).executions.every(e => e.partial)).toBe(true);
});

test('kthSmallest finds the value sort() puts at each index: few distinct values, sorted input, reversed, one value', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const inputs = [
    Array.from({ length: 1000 }, () => Math.floor(random() * 5)), // ties everywhere, as counts of 1 are
    Array.from({ length: 777 }, () => random() * 1e9 - 5e8),
    Array.from({ length: 600 }, (_, i) => i),
    Array.from({ length: 600 }, (_, i) => 600 - i),
    Array.from({ length: 50 }, () => 3),
    [42],
  ];
  for (const input of inputs) {
    const sorted = Float64Array.from(input).sort();
    for (let k = 0; k < input.length; k += Math.max(1, Math.floor(input.length / 37))) {
      expect([k, kthSmallest(Float64Array.from(input), k)]).toEqual([k, sorted[k]]);
    }
    expect(kthSmallest(Float64Array.from(input), input.length - 1)).toBe(sorted[input.length - 1]);
  }
});
