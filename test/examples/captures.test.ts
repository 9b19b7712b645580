import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { writeCaptures } from '../../examples/captures';
import { main } from '../../src/replay/cli';

// What `npx projen replay-example` does, with the template synthesized in-process (path metadata on, as `cdk synth` writes it).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-captures-'));
const app = buildExampleApp(new App({ context: { 'aws:cdk:enable-path-metadata': true } }));
const network = app.node.findChild('FlowLogWatchNetwork') as Stack;
const templateFile = path.join(dir, 'FlowLogWatchNetwork.template.json');
fs.writeFileSync(templateFile, JSON.stringify(app.synth().getStackArtifact(network.artifactId).template));
const files = writeCaptures(templateFile, path.join(dir, 'captures'));

async function replay(capture: string, ...expectations: string[]) {
  let out = '';
  const code = await main(['replay', '--template', templateFile, '--log-group', 'VpcWatch/LogGroup', '--refs', files.refs, '--json', ...expectations, capture],
    { stdout: t => out += t, stderr: () => undefined });
  const json = JSON.parse(out);
  const fired = json.alarms.filter((a: any) => a.enteredAlarmAt.length > 0).map((a: any) => [a.alarmName, a.enteredAlarmAt]);
  return { code, json, fired };
}

test('the port scan fires the public SSH-accepted and the private rejected-flows alarms and the port-scan detection, and no other', async () => {
  const { code, json, fired } = await replay(files.portScan,
    '--expect-alarm', 'FlowLogWatchNetwork-VpcWatch-public-ssh-accepted', '--expect-alarm', 'FlowLogWatchNetwork-VpcWatch-private-rejected-flows');
  expect(code).toBe(0);
  expect(json).toMatchObject({ recordsRead: 4753, recordsMalformed: 0, recordsMismatched: 0, problems: [] });
  expect(fired.filter((f: any) => f[0] !== 'FlowLogWatchNetwork-VpcWatch-port-scan')).toEqual([
    // The sweep finds SSH open on the bastion at 10:05; the login follows at 10:16.
    ['FlowLogWatchNetwork-VpcWatch-public-ssh-accepted', ['2026-11-18T10:05:00.000Z', '2026-11-18T10:15:00.000Z']],
    // 750 rejected flows per 5 minutes from 10:20: the second breaching period of three raises it.
    ['FlowLogWatchNetwork-VpcWatch-private-rejected-flows', ['2026-11-18T10:25:00.000Z']],
  ]);
  // From 10:20 the bastion, a host of ours, scans the private hosts: the detection names it.
  const scan = json.alarms.find((a: any) => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-port-scan');
  expect(scan.enteredAlarmAt.length).toBeGreaterThan(0);
  expect(scan.enteredAlarmAt[0] >= '2026-11-18T10:20:00.000Z').toBe(true);
  expect(scan.topOffenders[0].group).toMatch(/^10\.0\./);
  expect(fired).toHaveLength(3);
  expect(json.filters.find((f: any) => f.metricName === 'PrivateRejectedFlows')).toMatchObject({ recordsMatched: 1500 });
  // The public reject spike is an anomaly alarm's: not simulated, its series shows the sweep.
  const anomaly = json.alarms.find((a: any) => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-public-rejected-flows-anomaly');
  expect(anomaly.simulated).toBe(false);
  expect(Math.max(...anomaly.series.map((d: any) => d.value ?? 0))).toBeGreaterThan(1000);
});

test('the quiet day fires nothing, with rejected background traffic in every role that has some', async () => {
  // Quiet is proven only for simulated alarms: the anomaly alarms are accepted unproven, by name.
  const unsimulated = ['public-rejected-flows-anomaly', 'public-egress-anomaly', 'private-egress-anomaly']
    .flatMap(alarm => ['--allow-unsimulated', `FlowLogWatchNetwork-VpcWatch-${alarm}`]);
  const { code, json, fired } = await replay(files.quietDay, '--expect-quiet', ...unsimulated);
  expect(json.expectationFailures).toEqual([]);
  expect(code).toBe(0);
  expect(fired).toEqual([]);
  expect(json).toMatchObject({ recordsRead: 26736, problems: [] });
  expect(json.filters.find((f: any) => f.metricName === 'PublicRejectedFlows').recordsMatched).toBe(720);
  expect(json.filters.find((f: any) => f.metricName === 'PrivateRejectedFlows').recordsMatched).toBe(96);
  // The 9 static alarms (the two health alarms among them) and the 7 log alarms; only the 3 anomaly bands are not simulated.
  expect(json.alarms.filter((a: any) => a.simulated)).toHaveLength(16);
});

test('the captures are the same on every run', () => {
  const again = writeCaptures(templateFile, path.join(dir, 'again'));
  for (const key of ['refs', 'quietDay', 'portScan'] as const) {
    expect(fs.readFileSync(again[key], 'utf8')).toBe(fs.readFileSync(files[key], 'utf8'));
  }
});

test('a template without subnets is refused with the file to use', () => {
  const empty = path.join(dir, 'Empty.template.json');
  fs.writeFileSync(empty, JSON.stringify({ Resources: {} }));
  expect(() => writeCaptures(empty, path.join(dir, 'none'))).toThrow('the template has no AWS::EC2::Subnet: pass the example network stack');
});
