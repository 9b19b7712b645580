import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { FlowLogReplay, FlowLogTarget, FlowLogWatch } from '../../src';
import { SCENARIO_LOG_GROUP, writeScenarioFiles } from '../examples/scenario-files';
import { threeTierVpc } from '../util';

function watchedApp() {
  const app = new App();
  const stack = new Stack(app, 'Network');
  const vpc = threeTierVpc(stack);
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });
  const refs: Record<string, string> = {};
  [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets].forEach((s, i) => {
    refs[stack.resolve(s.subnetId).Ref] = `subnet-${String(i).padStart(17, '0')}`;
  });
  return { stack, refs, privateSubnet: refs[stack.resolve(vpc.privateSubnets[0].subnetId).Ref] };
}

const T0 = 1_700_000_100; // 22:15 UTC, inside a 5-minute period starting at 1_700_000_100 - 100 % 300

/** A record in the kit's format, captured from `at` (its start, the time CloudWatch Logs gives its event) for 30 seconds. */
function record(subnet: string, at: number, o: { dstport?: number; action?: string; bytes?: number; direction?: string } = {}): string {
  return [5, '123456789012', 'eni-0123456789abcdef0', '198.51.100.9', '10.0.1.5', 40000, o.dstport ?? 443, 6, 1, o.bytes ?? 40,
    at, at + 30, o.action ?? 'ACCEPT', 'OK', 'vpc-0123456789abcdef0', subnet, 'i-0123456789abcdef0', 2, 'IPv4',
    '198.51.100.9', '10.0.1.5', o.direction ?? 'ingress', '-'].join(' ');
}

test('a port scan on a private subnet fires the rejected-flows alarm; a quiet day stays quiet', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const replay = FlowLogReplay.fromStack(stack, { refs });

  const quiet = Array.from({ length: 60 }, (_, i) => record(privateSubnet, T0 + i * 60));
  const quietResult = replay.replay(quiet);
  expect(quietResult.recordsRead).toBe(60);
  const rejectedQuiet = quietResult.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-rejected-flows')!;
  expect(rejectedQuiet).toMatchObject({ simulated: true, enteredAlarmAt: [] });

  // 150 rejected probes a minute for 15 minutes: 750 per 5-minute period, over 100 in 2 of 3 periods.
  const scan = Array.from({ length: 15 * 150 }, (_, i) => record(privateSubnet, T0 + Math.floor(i / 150) * 60, { dstport: 1000 + i, action: 'REJECT' }));
  const scanResult = replay.replay([...quiet, ...scan]);
  const rejected = scanResult.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-rejected-flows')!;
  expect(rejected.simulated).toBe(true);
  expect(rejected.enteredAlarmAt).toHaveLength(1);
  const filter = scanResult.filters.find(f => f.metricName === 'PrivateRejectedFlows')!;
  expect(filter).toMatchObject({ recordsMatched: 2250, sum: 2250 });
  expect(scanResult.filters.find(f => f.metricName === 'PublicRejectedFlows')).toMatchObject({ recordsMatched: 0 });
  expect(rejected.series.filter(d => (d.value ?? 0) > 100).length).toBeGreaterThanOrEqual(2);
});

test('one accepted SSH flow fires the SSH alarm in its period', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack, { refs }).replay([record(privateSubnet, T0, { dstport: 22, bytes: 4249 })]);
  const ssh = result.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-ssh-accepted')!;
  expect(ssh.enteredAlarmAt).toEqual([new Date(Math.floor(T0 / 300) * 300 * 1000).toISOString()]);
  expect(result.filters.find(f => f.metricName === 'PrivateSshAcceptedBytes')).toMatchObject({ recordsMatched: 1, sum: 4249 });
});

test('a record counts in the period of its start, the time CloudWatch Logs gives its event, not of its end', () => {
  // "In CloudWatch Logs, the timestamp field corresponds to the start time that's captured in the flow log
  // record" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html). T0 starts a period: this
  // flow, captured from 30 seconds before it to 10 seconds after, is in the period before.
  const { stack, refs, privateSubnet } = watchedApp();
  const straddling = record(privateSubnet, T0 - 30, { dstport: 22, bytes: 4249 }).replace(` ${T0 - 30} ${T0} `, ` ${T0 - 30} ${T0 + 10} `);
  expect(straddling).toContain(` ${T0 - 30} ${T0 + 10} ACCEPT `);
  const ssh = FlowLogReplay.fromStack(stack, { refs }).replay([straddling]).alarms.find(a => a.alarmName === 'Network-VpcWatch-private-ssh-accepted')!;
  expect(T0 % 300).toBe(0);
  expect(ssh.enteredAlarmAt).toEqual([new Date((T0 - 300) * 1000).toISOString()]);
});

test('anomaly alarms are listed as not simulated, with the reason; the delivery alarm is simulated from the records', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack, { refs }).replay([record(privateSubnet, T0)]);
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-public-egress-anomaly')).toMatchObject({
    simulated: false, alarmKind: 'ANOMALY', notSimulatedReason: 'anomaly detection: its band is learned by CloudWatch from history',
  });
  const period = T0 - (T0 % 300);
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-delivery-stopped')).toMatchObject({
    simulated: true, alarmKind: 'METRIC', enteredAlarmAt: [], series: [{ periodStart: new Date(period * 1000).toISOString(), value: 1 }],
  });
});

test('metric alarms carry their settings and the periods they spent in ALARM', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack, { refs }).replay([record(privateSubnet, T0, { dstport: 22, bytes: 4249 })]);
  const period = Math.floor(T0 / 300) * 300;
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-ssh-accepted')).toMatchObject({
    alarmKind: 'METRIC',
    comparisonOperator: expect.stringMatching(/Threshold$/),
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    alarmPeriods: [{ start: new Date(period * 1000).toISOString(), end: new Date((period + 300) * 1000).toISOString() }],
  });
});

test('without the subnet references, role filters are reported unresolved and match nothing', () => {
  const { stack, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack).replay([record(privateSubnet, T0, { action: 'REJECT' })]);
  const rejected = result.filters.find(f => f.metricName === 'PrivateRejectedFlows')!;
  expect(rejected.recordsMatched).toBe(0);
  expect(rejected.unresolved).toEqual([expect.stringMatching(/^VpcPrivateSubnet1/), expect.stringMatching(/^VpcPrivateSubnet2/)]);
  expect(result.filters.find(f => f.metricName === 'SkippedRecords')!.unresolved).toEqual([]);
});

test('counts comments and blank lines, lines that are no record, records without a timestamp and records of another format, with their line numbers', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const noTime = record(privateSubnet, T0).replace(/ \d+ \d+ ACCEPT /, ' - - ACCEPT ');
  const defaultFormat = record(privateSubnet, T0).split(' ').slice(0, 14).join(' ');
  const result = FlowLogReplay.fromStack(stack, { refs }).replay(['# header', '', 'bogus line', record(privateSubnet, T0), noTime, defaultFormat]);
  expect(result).toMatchObject({ recordsRead: 4, recordsSkipped: 2, recordsMismatched: 1, recordsMalformed: 2 });
  expect(result.problems).toEqual([
    { source: '<records>', kind: 'malformed', count: 1, lineNumbers: [3], detail: expect.stringMatching(/^not a flow-log record: field 1 'bogus'/) },
    { source: '<records>', kind: 'no-timestamp', count: 1, lineNumbers: [5], detail: 'no numeric end or start field, and no event timestamp' },
    { source: '<records>', kind: 'field-count', count: 1, lineNumbers: [6], detail: expect.stringMatching(/^14 fields where the template's format has 23/) },
  ]);
});

test('an anomaly alarm is not simulated, but its metric series is shown', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const egress = (at: number, bytes: number) => record(privateSubnet, at, { bytes, direction: 'egress' });
  const result = FlowLogReplay.fromStack(stack, { refs }).replay([egress(T0, 1000), egress(T0 + 60, 500), egress(T0 + 600, 7)]);
  const anomaly = result.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-egress-anomaly')!;
  expect(anomaly.simulated).toBe(false);
  const period = T0 - (T0 % 300);
  expect(anomaly.series).toEqual([
    { periodStart: new Date(period * 1000).toISOString(), value: 1500 },
    { periodStart: new Date((period + 300) * 1000).toISOString(), value: undefined },
    { periodStart: new Date((period + 600) * 1000).toISOString(), value: 7 },
  ]);
});

test('a filter whose references are not given leaves its alarm not simulated, and says why', () => {
  const { stack, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack).replay([record(privateSubnet, T0)]);
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-private-ssh-accepted')).toMatchObject({
    simulated: false,
    notSimulatedReason: expect.stringMatching(/^its metric filter's pattern has unresolved references: VpcPrivateSubnet1\w+, VpcPrivateSubnet2\w+ \(give their values\)$/),
  });
  // The skipped-records filter names no subnet: it is simulated.
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-skipped-records')).toMatchObject({ simulated: true });
});

test('records with quotes, brackets or runs of spaces take the general path and match as CloudWatch splits them', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const replay = FlowLogReplay.fromStack(stack, { refs });
  const ssh = record(privateSubnet, T0, { dstport: 22, bytes: 100 });
  const spaced = ssh.replace(' 22 ', '   22 ');
  const quoted = ssh.replace(' ACCEPT ', ' "ACCEPT" ');
  const bracketed = ssh.replace(' OK ', ' [OK] ');
  const result = replay.replay([ssh, spaced, quoted, bracketed, ` ${ssh}  `]);
  expect(result.filters.find(f => f.metricName === 'PrivateSshAcceptedBytes')).toMatchObject({ recordsMatched: 5, sum: 500 });
  expect(result.recordsMismatched).toBe(0);
});
test('reads a template file, and refuses one without metric filters', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
  const file = path.join(dir, 'Network.template.json');
  const assembly = (stack.node.root as App).synth();
  fs.writeFileSync(file, JSON.stringify(assembly.getStackArtifact(stack.artifactId).template));
  expect(FlowLogReplay.fromTemplateFile(file, { refs }).replay([record(privateSubnet, T0)]).recordsRead).toBe(1);
  const empty = path.join(dir, 'Empty.template.json');
  fs.writeFileSync(empty, JSON.stringify({ Resources: {} }));
  expect(() => FlowLogReplay.fromTemplateFile(empty)).toThrow('the template has no AWS::Logs::MetricFilter: nothing to replay');
});

describe('JavaScript callers get clear errors, never a TypeError', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bad-'));

  test('fromTemplateFile on a missing file or on a file that is not JSON names the file', () => {
    const missing = path.join(dir, 'Missing.template.json');
    expect(() => FlowLogReplay.fromTemplateFile(missing)).toThrow(`\`path\` '${missing}' cannot be read: no such file; give a template cdk synth wrote (cdk.out/<stack>.template.json)`);
    const broken = path.join(dir, 'Broken.template.json');
    fs.writeFileSync(broken, '{ "Resources": ');
    expect(() => FlowLogReplay.fromTemplateFile(broken)).toThrow(new RegExp(`^\`path\` '${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is not JSON \\(`));
    expect(() => FlowLogReplay.fromTemplateFile(undefined as any)).toThrow('`path` must be the path of a template file (cdk.out/<stack>.template.json), got undefined');
  });

  test('replay([42, null]) names the first record that is not a string', () => {
    const { stack, refs } = watchedApp();
    const replay = FlowLogReplay.fromStack(stack, { refs });
    expect(() => replay.replay([42, null] as any)).toThrow('`records[0]` must be a string (a flow-log record), got number 42');
    expect(() => replay.replay('5 123456789012 eni-1' as any)).toThrow("`records` must be an array of strings (flow-log records, one per element), got string '5 123456789012 eni-1'");
  });

  test('fromStack(undefined) and options of the wrong type', () => {
    const { stack } = watchedApp();
    expect(() => FlowLogReplay.fromStack(undefined as any)).toThrow('`stack` must be a Stack (aws-cdk-lib), got undefined');
    expect(() => FlowLogReplay.fromStack(stack, null as any)).toThrow('`options` must be an object ({ refs?, logGroup?, maxDisorder? }), got null');
    expect(() => FlowLogReplay.fromStack(stack, { refs: { VpcPrivateSubnet1Subnet536B997A: 7 } } as any))
      .toThrow('`options.refs.VpcPrivateSubnet1Subnet536B997A` must be a string (the deployed value of VpcPrivateSubnet1Subnet536B997A), got number 7');
  });
});

describe('maxDisorder: log alarms run as the records come in', () => {
  const { templateFile, refs: exampleRefs, scenarios: all } = writeScenarioFiles('disorder-');
  const replayWith = (maxDisorder: Duration) =>
    FlowLogReplay.fromTemplateFile(templateFile, { refs: exampleRefs, logGroup: SCENARIO_LOG_GROUP, maxDisorder });
  const records = (name: string) => all.find(s => s.name === name)!.records.filter(r => !r.startsWith('version'));

  /** How far the records are out of time order: the most a record's end is before an earlier record's, in whole minutes up. */
  const disorderOf = (lines: string[]) => {
    let newest = -Infinity;
    let most = 0;
    for (const line of lines) {
      const end = Number(line.split(' ')[11]);
      most = Math.max(most, newest - end);
      newest = Math.max(newest, end);
    }
    return Math.ceil(most / 60);
  };

  test.each(all.map(s => [s.name]))('%s: the same result whether executions run as records come in or at the end', name => {
    const asTheyCome = replayWith(Duration.minutes(disorderOf(records(name)))).replay(records(name));
    const atTheEnd = replayWith(Duration.days(7)).replay(records(name));
    expect(asTheyCome).toEqual(atTheEnd);
    expect(asTheyCome.alarms.filter(a => a.alarmKind === 'LOG' && !a.simulated)).toEqual([]);
  });

  test('a record older than executions already run makes the log alarms it falls in "not simulated", naming it', () => {
    const scan = records('neighbour-port-scan');
    const endOf = (line: string) => Number(line.split(' ')[11]);
    const last = Math.max(...scan.map(endOf));
    // The hour's first record again, after the last: past the disorder the records have, inside windows already run.
    const late = [...scan, scan[0]];
    const behind = Math.round((last - endOf(scan[0])) / 60);
    const allowed = disorderOf(scan);
    expect(behind).toBeGreaterThan(allowed + 5);
    const result = replayWith(Duration.minutes(allowed)).replay(late);
    const scanAlarm = result.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-port-scan')!;
    expect(scanAlarm.simulated).toBe(false);
    expect(scanAlarm.notSimulatedReason).toBe(`line ${late.length} of <records> is ${behind} minutes older than a record before it, more than the ${allowed} minutes `
      + 'records may be out of time order (maxDisorder, --max-disorder): the executions whose window it falls in had already run; '
      + 'sort the records by time, or allow more disorder');
    // The metric alarms are evaluated at the end, in any order.
    const inOrder = replayWith(Duration.minutes(allowed)).replay([scan[0], ...scan]);
    expect(result.alarms.filter(a => a.alarmKind !== 'LOG')).toEqual(inOrder.alarms.filter(a => a.alarmKind !== 'LOG'));
    // Allowed more disorder, the same records are simulated, and the scan alarms.
    const lenient = replayWith(Duration.hours(1)).replay(late);
    expect(lenient.alarms.find(a => a.alarmName === scanAlarm.alarmName)!.enteredAlarmAt.length).toBeGreaterThan(0);
  });
});
