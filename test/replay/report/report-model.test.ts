import { iso, metricAlarm, MINUTE, resultOf, series, T0 } from './fixtures';
import { buildReportModel } from '../../../src/replay/report/report-model';
import { BYTES, FLOWS } from '../../../src/replay/report/value-unit';

test('the header facts are the result\'s counts and the records\' time span', () => {
  const model = buildReportModel(resultOf([]), { template: 'cdk.out/Net.template.json' });
  expect(model).toMatchObject({
    template: 'cdk.out/Net.template.json',
    logGroup: 'WatchLogGroup12345678',
    recordsRead: 100,
    recordsSkipped: 1,
    recordsMalformed: 2,
    recordsMismatched: 3,
    timeSpan: { start: T0, end: T0 + 19 * MINUTE },
  });
  expect(buildReportModel(resultOf([], { firstRecordAt: undefined, lastRecordAt: undefined })).timeSpan).toBeUndefined();
});

test('a timeline keeps the series per period, with its threshold, M of N and unit', () => {
  const values = [0, 750, 750, 0];
  const [timeline] = buildReportModel(resultOf([metricAlarm({ series: series(values, 5 * MINUTE) })])).alarms;
  expect(timeline.buckets.map(b => [b.start, b.max])).toEqual(values.map((v, i) => [T0 + i * 5 * MINUTE, v]));
  expect(timeline).toMatchObject({ threshold: 100, comparison: '>', datapointsToAlarm: 2, evaluationPeriods: 3, unit: FLOWS, periodMs: 5 * MINUTE });
  expect(timeline.condition).toBe('ALARM when 2 of 3 periods of 5 minutes are > 100 flows');
  expect(timeline.peak).toEqual({ value: 750, at: T0 + 5 * MINUTE });
  expect(timeline.breachCount).toBe(2);
  expect(timeline.breaches.map(b => b.at)).toEqual([T0 + 5 * MINUTE, T0 + 10 * MINUTE]);
});

test('the ALARM spans are the alarm\'s periods in ALARM', () => {
  const alarmPeriods = [{ start: iso(T0 + 10 * MINUTE), end: iso(T0 + 20 * MINUTE) }];
  const [timeline] = buildReportModel(resultOf([metricAlarm({ enteredAlarmAt: [alarmPeriods[0].start], alarmPeriods })])).alarms;
  expect(timeline.alarmSpans).toEqual([{ start: T0 + 10 * MINUTE, end: T0 + 20 * MINUTE }]);
  expect(timeline.alarmSpansExact).toBe(true);
});

test('without its periods in ALARM, each entry into ALARM shades the period it happened in, said to be inexact', () => {
  const [timeline] = buildReportModel(resultOf([metricAlarm({ enteredAlarmAt: [iso(T0 + 5 * MINUTE)], alarmPeriods: undefined })])).alarms;
  expect(timeline.alarmSpans).toEqual([{ start: T0 + 5 * MINUTE, end: T0 + 10 * MINUTE }]);
  expect(timeline.alarmSpansExact).toBe(false);
});

test('bytes metrics are in bytes, and the threshold is written in them', () => {
  const [timeline] = buildReportModel(resultOf([metricAlarm({
    metricName: 'PrivateEgressBytes', valueExpression: '$bytes', threshold: 5 * 1024 ** 3, evaluationPeriods: 1, datapointsToAlarm: 1,
  })])).alarms;
  expect(timeline.unit).toBe(BYTES);
  expect(timeline.condition).toBe('ALARM when 1 of 1 period of 5 minutes is > 5 GiB');
});

test('a long series is downsampled to at most maxBuckets buckets and keeps its peak', () => {
  const values = Array.from({ length: 10_080 }, (_, i) => (i === 7777 ? 999 : i % 7));
  const [timeline] = buildReportModel(resultOf([metricAlarm({ series: series(values, MINUTE), periodSeconds: 60 })]), { maxBuckets: 500 }).alarms;
  expect(timeline.downsampled).toBe(true);
  expect(timeline.buckets.length).toBe(500);
  expect(Math.max(...timeline.buckets.map(b => b.max!))).toBe(999);
  expect(timeline.periods).toBe(10_080);
  expect(timeline.breachCount).toBe(1);
  expect(timeline.breaches).toEqual([]); // no markers on a downsampled chart
});

test('every chart shares the time axis of the whole report', () => {
  const short = metricAlarm({ logicalId: 'A', series: series([1, 2], 5 * MINUTE) });
  const long = metricAlarm({ logicalId: 'B', series: series([1, 2, 3, 4, 5, 6], MINUTE, T0 - 10 * MINUTE), periodSeconds: 60 });
  const model = buildReportModel(resultOf([short, long]));
  expect(model.chartSpan).toEqual({ start: T0 - 10 * MINUTE, end: T0 + 19 * MINUTE });
});

test('an alarm not simulated keeps its reason and is not given ALARM spans', () => {
  const [timeline] = buildReportModel(resultOf([metricAlarm({
    simulated: false,
    notSimulatedReason: 'anomaly detection: its band is learned by CloudWatch from history',
    alarmKind: 'ANOMALY',
    threshold: undefined,
    comparisonOperator: 'GreaterThanUpperThreshold',
    alarmPeriods: undefined,
  })])).alarms;
  expect(timeline).toMatchObject({ simulated: false, kind: 'ANOMALY', notSimulatedReason: expect.stringContaining('anomaly detection'), alarmSpans: [] });
  expect(timeline.condition).toBe('ALARM when 2 of 3 periods of 5 minutes are above the band CloudWatch learns');
});

test('a log alarm lists its top offenders, highest first, capped, and counts the rest', () => {
  const topOffenders = Array.from({ length: 15 }, (_, i) => ({ group: `198.51.100.${i}`, value: 100 + i * 10, at: iso(T0) }));
  const [timeline] = buildReportModel(resultOf([metricAlarm({
    alarmKind: 'LOG', metricName: undefined, statistic: undefined, valueExpression: 'count_distinct(dstport)', topOffenders, threshold: 200,
  })]), { maxOffenders: 4 }).alarms;
  expect(timeline.offenders.map(o => o.value)).toEqual([240, 230, 220, 210]);
  expect(timeline.offenders[0].group).toBe('198.51.100.14');
  expect(timeline.offendersOmitted).toBe(11);
  expect(timeline.periodNoun).toBe('evaluation');
  expect(timeline.condition).toBe('ALARM when 2 of 3 evaluations (every 5 minutes) have a group > 200 ports');
});

test('alarm anchors are unique HTML ids', () => {
  const model = buildReportModel(resultOf([metricAlarm(), metricAlarm(), metricAlarm({ alarmName: 'Net Watch: "x"' })]));
  expect(model.alarms.map(a => a.anchor)).toEqual(['alarm-net-watch-private-rejected-flows', 'alarm-net-watch-private-rejected-flows-2', 'alarm-net-watch-x']);
});

test('the problems listed are capped, and the rest counted', () => {
  const problems = Array.from({ length: 25 }, (_, i) => ({ source: `f${i}.log`, kind: 'field-count', count: 1, lineNumbers: [1], detail: 'x' }));
  const model = buildReportModel(resultOf([], { problems }));
  expect(model.problems).toHaveLength(20);
  expect(model.problemsOmitted).toBe(5);
});

test('a LessThan log alarm lists its lowest groups first, the most offending for it, and says its series is the lowest group\'s', () => {
  // The engine gives them most offending first: for a LessThan operator, the lowest first.
  const topOffenders = [0, 1, 2, 3, 4].map(v => ({ group: `10.0.0.${v}`, value: v, at: iso(T0) }));
  const [timeline] = buildReportModel(resultOf([metricAlarm({
    alarmKind: 'LOG',
    metricName: undefined,
    statistic: undefined,
    valueExpression: 'count(*)',
    topOffenders,
    threshold: 5,
    comparisonOperator: 'LessThanThreshold',
  })]), { maxOffenders: 2 }).alarms;
  expect(timeline.offenders.map(o => o.value)).toEqual([0, 1]);
  expect(timeline.offendersOmitted).toBe(3);
  expect(timeline.valueLabel).toMatch(/^lowest group's value per evaluation/);
});

test('alarm anchors never collide with the ids their charts derive from them (-title, -desc, -hatch)', () => {
  const names = ['Net-x title', 'Net-x', 'Net-y', 'Net-y-desc', 'Net-z-hatch', 'Net-z'];
  const model = buildReportModel(resultOf(names.map(alarmName => metricAlarm({ alarmName }))));
  const ids = model.alarms.flatMap(a => [a.anchor, `${a.anchor}-title`, `${a.anchor}-desc`, `${a.anchor}-hatch`]);
  expect(new Set(ids).size).toBe(ids.length);
});

test('a log alarm that looks at one evaluation says it in the singular', () => {
  const [timeline] = buildReportModel(resultOf([metricAlarm({
    alarmKind: 'LOG',
    metricName: undefined,
    statistic: undefined,
    valueExpression: 'count_distinct(dstport)',
    threshold: 50,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  })])).alarms;
  expect(timeline.condition).toBe('ALARM when 1 of 1 evaluation (every 5 minutes) has a group ≥ 50 ports');
});

test('an alarm period under a minute is drawn per minute, as replay evaluates a metric filter\'s 1-minute metric', () => {
  const [timeline] = buildReportModel(resultOf([metricAlarm({ periodSeconds: 10, series: series([1, 2, 3], MINUTE) })])).alarms;
  expect(timeline.buckets.map(b => b.end - b.start)).toEqual([MINUTE, MINUTE, MINUTE]);
  expect(timeline.periodMs).toBe(MINUTE);
  expect(timeline.valueLabel).toBe('PrivateRejectedFlows, Sum per 1 minute');
});
