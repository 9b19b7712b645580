import {
  checkNamesAgainstTemplate, checkOptionCombinations, ExpectationOptions, nearMatches, notProvenQuiet, skippedFileLines,
} from '../../../src/replay/private/cli-validation';
import { AlarmReplay } from '../../../src/replay/replay-result';

const NO_EXPECTATIONS: ExpectationOptions = { refs: {}, expectAlarms: [], expectQuiet: false, allowUnsimulated: [] };
const alarm = (alarmName: string, simulated: boolean, notSimulatedReason?: string): AlarmReplay =>
  ({ logicalId: `${alarmName.replace(/-/g, '')}Alarm0123ABCD`, alarmName, simulated, notSimulatedReason, enteredAlarmAt: [], series: [] });

describe('checkOptionCombinations', () => {
  test('--expect-alarm with --expect-quiet, and --allow-unsimulated without --expect-quiet, are refused', () => {
    expect(() => checkOptionCombinations({ ...NO_EXPECTATIONS, expectAlarms: ['A'], expectQuiet: true }))
      .toThrow("--expect-alarm ('A') and --expect-quiet contradict each other: give --expect-alarm NAME for the alarms the records must fire, or --expect-quiet for none, not both");
    expect(() => checkOptionCombinations({ ...NO_EXPECTATIONS, allowUnsimulated: ['B'] }))
      .toThrow("--allow-unsimulated ('B') only goes with --expect-quiet, which was not given");
    expect(() => checkOptionCombinations({ ...NO_EXPECTATIONS, expectQuiet: true, allowUnsimulated: ['B'] })).not.toThrow();
    expect(() => checkOptionCombinations({ ...NO_EXPECTATIONS, expectAlarms: ['A', 'B'] })).not.toThrow();
  });
});

describe('checkNamesAgainstTemplate', () => {
  const template = {
    Parameters: { BootstrapVersion: {} },
    Resources: {
      VpcPrivateSubnet1Subnet536B997A: { Type: 'AWS::EC2::Subnet' },
      VpcPublicSubnet1Subnet5C2D37C4: { Type: 'AWS::EC2::Subnet' },
      WatchLogGroup1234ABCD: { Type: 'AWS::Logs::LogGroup' },
      RejectsAlarm0123ABCD: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'Net-rejects' } },
      OtherAlarm0123ABCD: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'Net-other-watch-rejects' } },
    },
  };
  const replayed = {
    logGroup: 'WatchLogGroup1234ABCD',
    alarms: [{ ...alarm('Net-rejects', true), logicalId: 'RejectsAlarm0123ABCD' }],
    filters: [{ logicalId: 'F', metricName: 'M', recordsMatched: 0, sum: 0, unresolved: ['VpcPrivateSubnet1Subnet536B997A'] }],
  };
  const check = (args: Partial<ExpectationOptions>, fileRefs?: Record<string, string>) =>
    checkNamesAgainstTemplate({ ...NO_EXPECTATIONS, ...args }, template, replayed, fileRefs);

  test('resources, parameters, pseudo parameters and LogicalId.Attribute are logical IDs', () => {
    expect(check({ refs: { 'VpcPrivateSubnet1Subnet536B997A': 's', 'BootstrapVersion': '1', 'AWS::Region': 'x', 'WatchLogGroup1234ABCD.Arn': 'a' } })).toEqual([]);
  });

  test('a --ref naming nothing: the near matches (the CDK hash left out, or another case), and the references still needed', () => {
    expect(() => check({ refs: { VpcPrivateSubnet1Subnet: 'subnet-1' } })).toThrow(
      "--ref 'VpcPrivateSubnet1Subnet=subnet-1' names no logical ID of the template (a resource, a parameter, an AWS:: pseudo parameter, "
      + 'or LogicalId.Attribute); near matches: VpcPrivateSubnet1Subnet536B997A. The metric filters of WatchLogGroup1234ABCD still need: VpcPrivateSubnet1Subnet536B997A');
    expect(() => check({ refs: { vpcprivatesubnet1subnet536b997a: 's' } })).toThrow(/near matches: VpcPrivateSubnet1Subnet536B997A\./);
    expect(() => check({ refs: { 'WatchLogGroup.Arn': 'a' } })).toThrow(/near matches: WatchLogGroup1234ABCD\.Arn\./);
  });

  test('a --ref naming nothing like any logical ID lists the logical IDs', () => {
    expect(() => check({ refs: { Nope: '1' } })).toThrow(
      /names no logical ID of the template \(.*\); its logical IDs: VpcPrivateSubnet1Subnet536B997A, VpcPublicSubnet1Subnet5C2D37C4, WatchLogGroup1234ABCD, RejectsAlarm0123ABCD, OtherAlarm0123ABCD, BootstrapVersion\. /);
  });

  test('--refs file keys naming nothing are noted, not refused (a file may serve several stacks)', () => {
    expect(check({}, { Elsewhere: 'x', VpcPublicSubnet1Subnet5C2D37C4: 'subnet-2' }))
      .toEqual(['--refs: 1 key(s) name no logical ID of the template and are not used: Elsewhere']);
  });

  test('an alarm name that names no alarm lists the near matches and the alarms of the log group', () => {
    expect(() => check({ expectAlarms: ['Net-reject'] })).toThrow(
      "--expect-alarm 'Net-reject' names no alarm of the template; near matches: Net-rejects; the alarms of the log group WatchLogGroup1234ABCD (name or logical ID): Net-rejects");
    expect(() => check({ expectQuiet: true, allowUnsimulated: ['Zzz'] })).toThrow(
      "--allow-unsimulated 'Zzz' names no alarm of the template; the alarms of the log group WatchLogGroup1234ABCD (name or logical ID): Net-rejects");
    expect(() => check({ expectAlarms: ['RejectsAlarm0123ABCD', 'Net-rejects'] })).not.toThrow();
  });

  test('an alarm of the template on another log group says to choose it with --log-group', () => {
    expect(() => check({ expectAlarms: ['Net-other-watch-rejects'] })).toThrow(
      "--expect-alarm 'Net-other-watch-rejects' is an alarm of the template, but not on the metrics or records of the log group WatchLogGroup1234ABCD "
      + 'that is replayed (choose its log group with --log-group); the alarms of the log group WatchLogGroup1234ABCD (name or logical ID): Net-rejects');
  });

  test('long lists are capped, with the count', () => {
    const many = { Resources: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`Queue${i}`, { Type: 'AWS::SQS::Queue' }])) };
    expect(() => checkNamesAgainstTemplate({ ...NO_EXPECTATIONS, refs: { Zzzzzzzzzzzzzz: '1' } }, many, { ...replayed, filters: [] }))
      .toThrow(/its logical IDs: Queue0, Queue1, .*, Queue11 … \(20 in all\)$/);
  });
});

describe('notProvenQuiet', () => {
  test('each alarm not simulated is a failure with its reason and what to pass; simulated and allowed ones are not', () => {
    const failures = notProvenQuiet({
      logGroup: 'G',
      alarms: [
        alarm('Net-ssh', true),
        alarm('Net-rejects', false, "its metric filter's pattern has unresolved references: VpcPrivateSubnet1Subnet536B997A (give their values)"),
        alarm('Net-egress-anomaly', false, 'anomaly detection: its band is learned by CloudWatch from history'),
        alarm('Net-delivery', false, 'a metric CloudWatch Logs publishes itself'),
        alarm('Net-idle', false, 'no record was replayed'),
      ],
    }, ['Net-delivery']);
    expect(failures).toEqual([
      "expected quiet, but 'Net-rejects' was not simulated, so its quiet is not proven: its metric filter's pattern has unresolved references: "
        + 'VpcPrivateSubnet1Subnet536B997A (give their values); pass their deployed values with --ref LogicalId=value or --refs FILE',
      "expected quiet, but 'Net-egress-anomaly' was not simulated, so its quiet is not proven: anomaly detection: its band is learned by CloudWatch "
        + "from history; if it cannot be simulated offline and that is accepted, pass --allow-unsimulated 'Net-egress-anomaly'",
      "expected quiet, but 'Net-idle' was not simulated, so its quiet is not proven: no record was replayed; give records of the log group that can be replayed (see the input problems)",
    ]);
  });

  test('an alarm is allowed by its logical ID too', () => {
    const a = alarm('Net-egress-anomaly', false, 'anomaly detection');
    expect(notProvenQuiet({ logGroup: 'G', alarms: [a] }, [a.logicalId])).toEqual([]);
  });

  test('a log group without any alarm proves nothing', () => {
    expect(notProvenQuiet({ logGroup: 'G', alarms: [] }, [])).toEqual(['expected quiet, but the log group G has no alarm: nothing was proven quiet']);
  });
});

test('nearMatches: same but for case or hash, a prefix, a few edits; closest first, at most five', () => {
  const ids = ['VpcPrivateSubnet1Subnet536B997A', 'VpcPrivateSubnet2Subnet3788AAA1', 'VpcPublicSubnet1Subnet5C2D37C4', 'Topic'];
  expect(nearMatches('VpcPrivateSubnet1SubnetFFFFFFFF', ids)).toEqual(['VpcPrivateSubnet1Subnet536B997A']);
  expect(nearMatches('VpcPrivateSubnet', ids)).toEqual(['VpcPrivateSubnet1Subnet536B997A', 'VpcPrivateSubnet2Subnet3788AAA1']);
  expect(nearMatches('topik', ids)).toEqual(['Topic']);
  expect(nearMatches('Queue', ids)).toEqual([]);
  expect(nearMatches('Item', Array.from({ length: 9 }, (_, i) => `Item${i}`))).toHaveLength(5);
});

test('skippedFileLines: one stderr line per skipped file, other problems left to the report', () => {
  expect(skippedFileLines([
    { source: 'd/a.parquet', lineNumber: 0, kind: 'skipped-file', detail: 'not read: a Parquet file' },
    { source: 'd/b.log', lineNumber: 0, kind: 'empty-file', detail: 'the file is empty' },
  ])).toEqual(['flowlog-watch: skipped d/a.parquet: not read: a Parquet file\n']);
});
