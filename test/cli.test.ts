import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';
import { FlowLogTarget, FlowLogWatch } from '../src';
import { threeTierVpc } from './util';
import { main } from '../src/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-watch-cli-'));
const app = new App();
const stack = new Stack(app, 'Network');
const vpc = threeTierVpc(stack);
new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });
const templateFile = path.join(dir, 'Network.template.json');
fs.writeFileSync(templateFile, JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template));
// Every subnet's deployed ID; the records below come from the first private subnet.
const refArgs = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets].flatMap((s, i) =>
  ['--ref', `${stack.resolve(s.subnetId).Ref}=${s === vpc.privateSubnets[0] ? 'subnet-0aaaaaaaaaaaaaaa1' : `subnet-${String(i).padStart(17, '0')}`}`]);
const captures = path.join(dir, 'captures');
fs.mkdirSync(captures);

const T0 = 1_700_000_100;
function record(at: number, dstport: number, action: string): string {
  return `5 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 ${dstport} 6 1 40 ${at - 30} ${at} ${action} OK `
    + 'vpc-0123456789abcdef0 subnet-0aaaaaaaaaaaaaaa1 i-0123456789abcdef0 2 IPv4 198.51.100.9 10.0.1.5 ingress -';
}
const quietFile = path.join(captures, 'quiet.log');
fs.writeFileSync(quietFile, ['# a quiet hour', ...Array.from({ length: 60 }, (_, i) => record(T0 + i * 60, 443, 'ACCEPT'))].join('\n') + '\n');
const scanFile = path.join(captures, 'scan.log.gz');
fs.writeFileSync(scanFile, zlib.gzipSync(Array.from({ length: 2250 }, (_, i) => record(T0 + Math.floor(i / 150) * 60, 1000 + i, 'REJECT')).join('\n') + '\n'));

async function run(argv: string[], stdin?: NodeJS.ReadableStream) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: t => out += t, stderr: t => err += t, stdin });
  return { code, out, err };
}

test('--help prints the usage', async () => {
  const { code, out } = await run(['replay', '--help']);
  expect(code).toBe(0);
  expect(out).toMatch(/^Usage: flowlog-watch replay --template FILE/);
});

test.each([
  [['replay'], '--template FILE is required'],
  [['scan'], "unknown command 'scan'"],
  [['replay', '--template', templateFile, '--ref', 'nope'], "--ref takes LogicalId=value, got 'nope'"],
  [['replay', '--template', templateFile, '--fast'], "unknown option '--fast'"],
])('bad usage %p exits 2 with the reason', async (argv, reason) => {
  const { code, err } = await run(argv);
  expect(code).toBe(2);
  expect(err).toContain(reason);
});

test('a port scan fires the private rejected-flows alarm, as expected', async () => {
  const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', scanFile]);
  expect(out).toMatch(/PrivateRejectedFlows\s+2250 records {2}sum 2250/);
  // 750 rejects in each 5-minute period from 22:15: the second breaching period (2 of 3) raises the alarm.
  expect(out).toMatch(/Network-VpcWatch-private-rejected-flows\s+ALARM at 2023-11-14T22:20:00.000Z/);
  expect(code).toBe(0);
});

test('a quiet hour stays quiet; expecting an alarm on it fails with exit 1', async () => {
  expect((await run(['replay', '--template', templateFile, ...refArgs, '--expect-quiet', quietFile])).code).toBe(0);
  const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', quietFile]);
  expect(code).toBe(1);
  expect(out).toContain("expected alarm 'Network-VpcWatch-private-rejected-flows' never entered ALARM");
});

test('--json lists each alarm with its logical ID, name and ALARM times, and each filter with its matches', async () => {
  const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', '--expect-quiet', captures]);
  const json = JSON.parse(out);
  expect(code).toBe(1);
  expect(json).toMatchObject({ recordsRead: 2310, recordsMalformed: 0, problems: [], sources: 2 });
  expect(json.alarms.find((a: any) => a.alarmName === 'Network-VpcWatch-private-rejected-flows'))
    .toMatchObject({ logicalId: expect.stringMatching(/^VpcWatchPrivateRejectedFlowsAlarm/), simulated: true, enteredAlarmAt: ['2023-11-14T22:20:00.000Z'] });
  expect(json.filters.find((f: any) => f.metricName === 'PrivateRejectedFlows')).toMatchObject({ recordsMatched: 2250, sum: 2250 });
  expect(json.expectationFailures).toEqual([expect.stringContaining("expected quiet, but 'Network-VpcWatch-private-rejected-flows' entered ALARM")]);
});

test('reads stdin when no file is given, and reports unresolved references', async () => {
  const { out } = await run(['replay', '--template', templateFile], Readable.from([record(T0, 22, 'ACCEPT') + '\n']));
  expect(out).toContain('records: 1 read');
  expect(out).toMatch(/PrivateSshAcceptedBytes\s+0 records {2}sum 0 {2}\(unresolved: .*; pass --ref\)/);
});

test('empty input is an input problem: exit 2, never a silent zero', async () => {
  const empty = path.join(dir, 'empty.txt');
  fs.writeFileSync(empty, '');
  const { code, out } = await run(['replay', '--template', templateFile, empty]);
  expect(code).toBe(2);
  expect(out).toContain('empty-file');
  fs.rmSync(empty);
});

test('a missing template exits 2 naming it', async () => {
  const { code, err } = await run(['replay', '--template', path.join(dir, 'nope.json')]);
  expect(code).toBe(2);
  expect(err).toContain('cannot read the template');
});
