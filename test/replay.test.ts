import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { FlowLogReplay, FlowLogTarget, FlowLogWatch } from '../src';
import { threeTierVpc } from './util';

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

/** A record in the kit's format. */
function record(subnet: string, at: number, o: { dstport?: number; action?: string; bytes?: number; direction?: string } = {}): string {
  return [5, '123456789012', 'eni-0123456789abcdef0', '198.51.100.9', '10.0.1.5', 40000, o.dstport ?? 443, 6, 1, o.bytes ?? 40,
    at - 30, at, o.action ?? 'ACCEPT', 'OK', 'vpc-0123456789abcdef0', subnet, 'i-0123456789abcdef0', 2, 'IPv4',
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

test('anomaly alarms and the delivery alarm are listed as not simulated, with the reason', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack, { refs }).replay([record(privateSubnet, T0)]);
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-public-egress-anomaly')).toMatchObject({
    simulated: false, notSimulatedReason: 'anomaly detection: its band is learned by CloudWatch from history',
  });
  expect(result.alarms.find(a => a.alarmName === 'Network-VpcWatch-delivery-stopped')).toMatchObject({ simulated: false });
});

test('without the subnet references, role filters are reported unresolved and match nothing', () => {
  const { stack, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack).replay([record(privateSubnet, T0, { action: 'REJECT' })]);
  const rejected = result.filters.find(f => f.metricName === 'PrivateRejectedFlows')!;
  expect(rejected.recordsMatched).toBe(0);
  expect(rejected.unresolved).toEqual([expect.stringMatching(/^VpcPrivateSubnet1/), expect.stringMatching(/^VpcPrivateSubnet2/)]);
  expect(result.filters.find(f => f.metricName === 'SkippedRecords')!.unresolved).toEqual([]);
});

test('counts comments, blank lines and records without a timestamp instead of failing', () => {
  const { stack, refs, privateSubnet } = watchedApp();
  const result = FlowLogReplay.fromStack(stack, { refs }).replay(['# header', '', 'bogus line', record(privateSubnet, T0)]);
  expect(result).toMatchObject({ recordsRead: 2, recordsSkipped: 2, recordsMalformed: 1 });
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
