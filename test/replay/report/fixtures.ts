import type { AlarmReplay, ReplayResult } from '../../../src/replay/replay-result';

/** Test data for the report: results built the way FlowLogReplay builds them. */
export const T0 = Date.UTC(2026, 10, 18, 10);
export const MINUTE = 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function series(values: Array<number | undefined>, periodMs: number, start: number = T0) {
  return values.map((value, i) => ({ periodStart: iso(start + i * periodMs), ...(value === undefined ? {} : { value }) }));
}

export function metricAlarm(overrides: Partial<AlarmReplay> = {}): AlarmReplay {
  return {
    logicalId: 'RejectedAlarm0A1B2C3D',
    alarmName: 'Net-Watch-private-rejected-flows',
    simulated: true,
    enteredAlarmAt: [],
    series: series([0, 0, 0, 0], 5 * MINUTE),
    alarmKind: 'METRIC',
    metricName: 'PrivateRejectedFlows',
    statistic: 'Sum',
    valueExpression: '1',
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    alarmPeriods: [],
    ...overrides,
  };
}

export function resultOf(alarms: AlarmReplay[], overrides: Partial<ReplayResult> = {}): ReplayResult {
  return {
    logGroup: 'WatchLogGroup12345678',
    recordsRead: 100,
    recordsSkipped: 1,
    recordsMalformed: 2,
    recordsMismatched: 3,
    firstRecordAt: iso(T0),
    lastRecordAt: iso(T0 + 19 * MINUTE),
    problems: [],
    filters: [],
    alarms,
    ...overrides,
  };
}
