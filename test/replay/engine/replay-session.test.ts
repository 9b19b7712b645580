import { KIT_FIELDS, KIT_PARSE, kitRecord, offsets } from './kit-records';
import { compileLogAlarmQuery, evaluateLogAlarm, LogAlarmSettings } from '../../../src/replay/engine/log-alarm-evaluator';
import { QueryPartials } from '../../../src/replay/engine/logs-insights-partials';
import { ReplaySession } from '../../../src/replay/engine/replay-session';

const T = 1_700_000_100;
const SCAN = compileLogAlarmQuery(`${KIT_PARSE} | filter action = "REJECT" | stats count_distinct(dstport) as ports by srcaddr`, 'max(ports) by srcaddr');
const SETTINGS: LogAlarmSettings = {
  threshold: 50,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  queryResultsToEvaluate: 1,
  queryResultsToAlarm: 1,
  rateSeconds: 300,
  startTimeOffset: 600,
};

/** Twelve hours, a record every 5 seconds, from 40 sources; one of them scans 200 ports in the seventh hour. */
function twelveHours(): string[] {
  const records: string[] = [];
  for (let i = 0; i < 12 * 720; i++) {
    const end = T + i * 5;
    const scanning = i >= 6 * 720 && i < 6 * 720 + 200;
    records.push(kitRecord(end, {
      srcaddr: scanning ? '198.51.100.77' : `10.0.0.${i % 40}`, dstport: scanning ? 1000 + i : 443, action: scanning || i % 3 === 0 ? 'REJECT' : 'ACCEPT',
    }));
  }
  return records;
}

/** A replay of the scan alarm alone, on records of the kit's format. */
const SCAN_PLAN = {
  filters: [],
  patterns: [],
  columns: KIT_FIELDS,
  fieldCount: KIT_FIELDS.length,
  logQueries: [SCAN],
  logAlarms: [{ query: 0, settings: SETTINGS }],
};

test('memory follows the windows: the slots kept stay bounded over twelve hours, and the result is the all-at-once one', () => {
  const session = new ReplaySession({ ...SCAN_PLAN, maxDisorderSeconds: 600 });
  const slotsKept = () => (session as unknown as { logQueries: QueryPartials[] }).logQueries[0].slots.size;
  let most = 0;
  const records = twelveHours();
  records.forEach((r, i) => {
    session.add(r, '<test>', i + 1);
    most = Math.max(most, slotsKept());
  });
  // A 10-minute window, 10 minutes of disorder and a 5-minute schedule: about 25 minutes of slots, 2 a minute.
  expect(most).toBeLessThanOrEqual(2 * 27);
  const outcome = session.finish().logAlarms[0];
  if (!('evaluation' in outcome)) throw new Error(outcome.notSimulated);

  const all = new QueryPartials(SCAN.plan);
  records.forEach(r => {
    const { starts, ends } = offsets(r);
    all.add(r, starts, ends, Number(r.split(' ')[10])); // the record's start, its time
  });
  expect(all.slots.size).toBeGreaterThan(12 * 60);
  const atTheEnd = evaluateLogAlarm(SETTINGS, SCAN, all, { first: T, last: T + (12 * 720 - 1) * 5 });
  expect(outcome.evaluation).toEqual(atTheEnd);
  expect(outcome.evaluation.topOffenders.map(o => o.group)).toEqual(['198.51.100.77']);
  expect(outcome.evaluation.executions.length).toBeGreaterThan(140);
});

test('records read in place (addAt, lines of one chunk) give what the same records added one by one give', () => {
  // Records, a line of another field count, a run of spaces and a quoted field (the general path), in one chunk.
  const lines = [...twelveHours().slice(0, 3000), '5 6 7', kitRecord(T + 100).replace(' ', '  '), kitRecord(T + 101, { interface_id: '"eni-1"' })];
  const one = new ReplaySession(SCAN_PLAN);
  lines.forEach((line, i) => one.add(line, '<test>', i + 1));
  const chunk = `${lines.join('\n')}\n`;
  const inPlace = new ReplaySession(SCAN_PLAN);
  let start = 0;
  lines.forEach((line, i) => {
    inPlace.addAt(chunk, start, start + line.length, '<test>', i + 1);
    start += line.length + 1;
  });
  const expected = one.finish();
  expect(inPlace.finish()).toEqual(expected);
  expect(expected.problems.map(p => [p.kind, p.lineNumbers])).toEqual([['field-count', [3001]]]);
  expect(expected.recordsRead).toBe(3003);
});

test('a log alarm\'s window takes the records that start in it (@timestamp is the record\'s start), whenever they end', () => {
  // A scheduled time, and 50 ports from one source that all start in its 10-minute window [at - 600, at]:
  // 25 captured from 590 to 560 seconds before it, 25 from 20 seconds before it to 40 after.
  const at = T + 3000;
  const session = new ReplaySession(SCAN_PLAN);
  const scan = (start: number, end: number, from: number) => Array.from({ length: 25 }, (_, i) =>
    kitRecord(start, { end, srcaddr: '198.51.100.77', dstport: from + i, action: 'REJECT' }));
  [...scan(at - 590, at - 560, 1000), ...scan(at - 20, at + 40, 2000)].forEach((r, i) => session.add(r, '<test>', i + 1));
  const outcome = session.finish().logAlarms[0];
  if (!('evaluation' in outcome)) throw new Error(outcome.notSimulated);
  expect(outcome.evaluation.enteredAlarmAt).toEqual([at]);
  expect(outcome.evaluation.executions.find(e => e.at === at)?.value).toBe(50);
});
