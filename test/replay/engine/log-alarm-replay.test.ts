import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KIT_FIELDS, KIT_PARSE, kitRecord } from './kit-records';
import { FlowLogReplay } from '../../../src/replay';
import { main } from '../../../src/replay/cli';

const T = 1_700_000_100; // 22:15:00 UTC, a multiple of 300
const iso = (t: number) => new Date(t * 1000).toISOString();

/** A hand-written template: a log group, a metric filter, a port-scan log alarm, a delivery alarm, and log alarms replay must explain. */
const template = {
  Resources: {
    FlowLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 180 } },
    OtherLogs: { Type: 'AWS::Logs::LogGroup' },
    RejectedFilter: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'FlowLogs' },
        FilterPattern: `[${KIT_FIELDS.map(f => (f === 'action' ? 'action="REJECT"' : f)).join(', ')}]`,
        MetricTransformations: [{ MetricNamespace: 'Test', MetricName: 'Rejected', MetricValue: '1' }],
      },
    },
    PortScan: {
      Type: 'AWS::CloudWatch::LogAlarm',
      Properties: {
        AlarmName: 'port-scan',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 100,
        QueryResultsToEvaluate: 3,
        QueryResultsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        ScheduledQueryConfiguration: {
          QueryString: `${KIT_PARSE} | filter action = "REJECT" | stats count_distinct(dstport) as ports by srcaddr`,
          AggregationExpression: 'max(ports) by srcaddr | sort desc',
          LogGroupIdentifiers: [{ 'Fn::GetAtt': ['FlowLogs', 'Arn'] }],
          ScheduledQueryRoleARN: 'arn:aws:iam::123456789012:role/q',
          ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 300 },
        },
      },
    },
    DistinctInAggregation: {
      Type: 'AWS::CloudWatch::LogAlarm',
      Properties: {
        AlarmName: 'distinct-in-aggregation',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 100,
        QueryResultsToEvaluate: 1,
        QueryResultsToAlarm: 1,
        ScheduledQueryConfiguration: {
          QueryString: KIT_PARSE,
          AggregationExpression: 'count_distinct(dstport) by srcaddr',
          LogGroupIdentifiers: [{ Ref: 'FlowLogs' }],
          ScheduledQueryRoleARN: 'arn:aws:iam::123456789012:role/q',
          ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 300 },
        },
      },
    },
    ElsewhereAlarm: {
      Type: 'AWS::CloudWatch::LogAlarm',
      Properties: {
        AlarmName: 'elsewhere',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 1,
        QueryResultsToEvaluate: 1,
        QueryResultsToAlarm: 1,
        ScheduledQueryConfiguration: {
          QueryString: KIT_PARSE,
          AggregationExpression: 'count(*)',
          LogGroupIdentifiers: [{ Ref: 'OtherLogs' }],
          ScheduledQueryRoleARN: 'arn:aws:iam::123456789012:role/q',
          ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 300 },
        },
      },
    },
    DeliveryStopped: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: 'delivery-stopped',
        Namespace: 'AWS/Logs',
        MetricName: 'IncomingLogEvents',
        Dimensions: [{ Name: 'LogGroupName', Value: { Ref: 'FlowLogs' } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'breaching',
      },
    },
  },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-alarm-replay-'));
const templateFile = path.join(dir, 'template.json');
fs.writeFileSync(templateFile, JSON.stringify(template));

/** Background traffic every minute for 50 minutes, with a 30-minute gap; a scan of 400 ports from one source at T+320. */
function records(): string[] {
  const background = Array.from({ length: 50 }, (_, i) => T + 10 + i * 60).filter(t => t < T + 900 || t >= T + 2700)
    .map(t => kitRecord(t, { action: 'REJECT', srcaddr: '203.0.113.5', dstport: 22 }));
  const scan = Array.from({ length: 400 }, (_, i) => kitRecord(T + 320 + (i % 30), { action: 'REJECT', srcaddr: '198.51.100.77', dstport: 1000 + i }));
  return [...background, ...scan];
}

test('a log alarm enters ALARM at the first execution after a burst scan, and names the source', () => {
  const result = FlowLogReplay.fromTemplateFile(templateFile).replay(records());
  const scan = result.alarms.find(a => a.alarmName === 'port-scan')!;
  expect(scan).toMatchObject({
    logicalId: 'PortScan',
    simulated: true,
    alarmKind: 'LOG',
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 1,
    enteredAlarmAt: [iso(T + 600)],
    alarmPeriods: [{ start: iso(T + 600), end: iso(T + 900) }],
    topOffenders: [{ group: '198.51.100.77', value: 400, at: iso(T + 600) }],
  });
  // The top group's value per execution: 203.0.113.5's single port, then the scanner's 400, then 1 again.
  expect(scan.series.slice(0, 3)).toEqual([
    { periodStart: iso(T + 300), value: 1 }, { periodStart: iso(T + 600), value: 400 }, { periodStart: iso(T + 900), value: 1 },
  ]);
  expect(scan.series.find(d => d.periodStart === iso(T + 1500))).toEqual({ periodStart: iso(T + 1500), value: undefined }); // the gap
});

test('a log alarm replay cannot evaluate is listed as not simulated with the reason; one on another log group is not listed', () => {
  const result = FlowLogReplay.fromTemplateFile(templateFile).replay(records());
  expect(result.alarms.find(a => a.alarmName === 'distinct-in-aggregation')).toMatchObject({
    simulated: false, alarmKind: 'LOG', enteredAlarmAt: [], notSimulatedReason: expect.stringMatching(/^`count_distinct\(\)` in an AggregationExpression is not simulated/),
  });
  expect(result.alarms.find(a => a.alarmName === 'elsewhere')).toBeUndefined();
});

test('the delivery alarm is replayed from the records\' arrival: a gap of 30 minutes alarms', () => {
  const result = FlowLogReplay.fromTemplateFile(templateFile).replay(records());
  const delivery = result.alarms.find(a => a.alarmName === 'delivery-stopped')!;
  expect(delivery).toMatchObject({ simulated: true, alarmKind: 'METRIC', threshold: 1, periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3 });
  // Records until T+850, none from T+900 to T+2700: 6 periods without a datapoint. The metric-alarm evaluator looks
  // at N + 2 = 5 periods, so the alarm fires once 5 are missing (T+2100) and clears with the records of T+2700.
  expect(delivery.enteredAlarmAt).toEqual([iso(T + 2100)]);
  expect(delivery.alarmPeriods).toEqual([{ start: iso(T + 2100), end: iso(T + 2700) }]);
  expect(delivery.series[0]).toEqual({ periodStart: iso(T), value: 5 });
  expect(delivery.series[1]).toEqual({ periodStart: iso(T + 300), value: 405 });
});

test('the command line expects a log alarm by name, shows its top offender, and puts the new fields in --json', async () => {
  const capture = path.join(dir, 'scan.log');
  fs.writeFileSync(capture, records().join('\n') + '\n');
  let out = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: () => undefined };
  expect(await main(['replay', '--template', templateFile, '--expect-alarm', 'port-scan', capture], io)).toBe(0);
  expect(out).toContain(`port-scan                ALARM at ${iso(T + 600)}; top: 198.51.100.77: 400`);
  out = '';
  expect(await main(['replay', '--template', templateFile, '--json', '--expect-alarm', 'distinct-in-aggregation', capture], io)).toBe(1);
  const json = JSON.parse(out);
  expect(json.alarms.find((a: any) => a.logicalId === 'PortScan')).toMatchObject({ alarmName: 'port-scan', simulated: true, enteredAlarmAt: [iso(T + 600)] });
  expect(json.expectationFailures).toEqual([expect.stringMatching(/^expected alarm 'distinct-in-aggregation' cannot be simulated: `count_distinct\(\)`/)]);
});
