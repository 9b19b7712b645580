import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';
import { FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { main } from '../../src/replay/cli';
import { threeTierVpc } from '../util';

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
  return `5 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 ${dstport} 6 1 40 ${at} ${at + 30} ${action} OK `
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

// The alarms of the default watch that replay cannot simulate (anomaly bands): --expect-quiet passes only when they are accepted unproven.
const UNSIMULATED = ['Network-VpcWatch-public-rejected-flows-anomaly', 'Network-VpcWatch-public-egress-anomaly', 'Network-VpcWatch-private-egress-anomaly'];
const allowUnsimulated = UNSIMULATED.flatMap(name => ['--allow-unsimulated', name]);

test('a quiet hour stays quiet; expecting an alarm on it fails with exit 1', async () => {
  const quiet = await run(['replay', '--template', templateFile, ...refArgs, '--expect-quiet', ...allowUnsimulated, quietFile]);
  expect(quiet.out).not.toContain('expectations failed');
  expect(quiet.code).toBe(0);
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
  // The scan also trips the per-source port-scan detection, which names the scanner.
  expect(json.expectationFailures).toEqual([
    expect.stringContaining("expected quiet, but 'Network-VpcWatch-private-rejected-flows' entered ALARM"),
    expect.stringContaining("expected quiet, but 'Network-VpcWatch-port-scan' entered ALARM"),
    ...UNSIMULATED.map(name => expect.stringContaining(`expected quiet, but '${name}' was not simulated, so its quiet is not proven`)),
  ]);
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
  expect(err).toBe(`flowlog-watch: --template '${path.join(dir, 'nope.json')}' cannot be read: no such file; `
    + 'give a template cdk synth wrote (cdk.out/<stack>.template.json)\n');
});

describe('bad input is counted and reported with line numbers, and exits 2', () => {
  function capture(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }
  const good = (i: number) => record(T0 + i * 60, 443, 'ACCEPT');

  test('a truncated last line is field-count, a garbage line malformed, with their line numbers; the good records still count', async () => {
    const ssh = (i: number) => record(T0 + i * 60, 22, 'ACCEPT');
    const truncated = ssh(3).slice(0, 60);
    const file = capture('truncated.log', [ssh(0), 'garbage', ssh(1), ssh(2), truncated].join('\n'));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', file]);
    const json = JSON.parse(out);
    expect(code).toBe(2);
    expect(json).toMatchObject({ recordsRead: 5, recordsMismatched: 1, recordsMalformed: 1 });
    expect(json.problems).toEqual([{
      source: file,
      kind: 'malformed',
      count: 1,
      lineNumbers: [2],
      detail: expect.stringMatching(/^not a flow-log record: field 1 'garbage' is no flow-log value/),
    }, {
      source: file,
      kind: 'field-count',
      count: 1,
      lineNumbers: [5],
      // Its fields are all values: a record cut short cannot be told from a record of a shorter format.
      detail: expect.stringMatching(/^6 fields where the template's format has 23 \(version account_id .* traffic_path\): a record of another format$/),
    }]);
    expect(json.filters.find((f: any) => f.metricName === 'PrivateSshAcceptedBytes')).toMatchObject({ recordsMatched: 3, sum: 120 });
  });

  test('the text output lists the first ten line numbers and the count', async () => {
    // Records of the default format (its 14 fields) where the template's has 23.
    const defaultFormat = (i: number) => good(i).split(' ').slice(0, 14).join(' ');
    const file = capture('many-bad.log', [good(0), ...Array.from({ length: 12 }, (_, i) => defaultFormat(i))].join('\n'));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, file]);
    expect(code).toBe(2);
    expect(out).toContain('0 malformed (no flow-log record, or no timestamp), 12 of another format');
    expect(out).toContain(`${file}:2,3,4,5,6,7,8,9,10,11,…: field-count (12 records): 14 fields where the template's format has 23`);
  });

  test('a record without a numeric start or end is malformed (no-timestamp)', async () => {
    const file = capture('no-time.log', [good(0), good(1).replace(/ \d+ \d+ ACCEPT /, ' - - ACCEPT ')].join('\n'));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', file]);
    expect(code).toBe(2);
    expect(JSON.parse(out).problems).toEqual([{
      source: file, kind: 'no-timestamp', count: 1, lineNumbers: [2], detail: 'no numeric end or start field, and no event timestamp',
    }]);
  });

  test('records under a header of another format are format-mismatch; a reordered header of the same fields is remapped', async () => {
    const defaultHeader = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const other = capture('default-format.log', `${defaultHeader}\n2 123456789012 eni-1 1.2.3.4 10.0.0.1 1 22 6 1 40 ${T0} ${T0} ACCEPT OK\n`);
    const mismatch = await run(['replay', '--template', templateFile, ...refArgs, '--json', other]);
    expect(mismatch.code).toBe(2);
    expect(JSON.parse(mismatch.out).problems).toEqual([{
      source: other, kind: 'format-mismatch', count: 1, lineNumbers: [2], detail: expect.stringContaining('without vpc_id, subnet_id, instance_id'),
    }]);

    const kitHeader = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status '
      + 'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction traffic-path';
    // The same SSH record with its first two fields swapped, under a header that says so.
    const swap = (line: string) => { const f = line.split(' '); [f[0], f[1]] = [f[1], f[0]]; return f.join(' '); };
    const reordered = capture('reordered.log', `${swap(kitHeader)}\n${swap(record(T0, 22, 'ACCEPT'))}\n`);
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', reordered]);
    expect(code).toBe(0);
    expect(JSON.parse(out).filters.find((f: any) => f.metricName === 'PrivateSshAcceptedBytes')).toMatchObject({ recordsMatched: 1, sum: 40 });
  });

  test('input of an unknown format (binary, Parquet, JSON of another shape) is not-flow-log', async () => {
    const files = [
      capture('binary.log', Buffer.from([1, 2, 0, 3])),
      capture('parquet.log', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16)])),
      capture('other.json', JSON.stringify({ rows: [] })),
    ];
    const { code, out } = await run(['replay', '--template', templateFile, '--json', ...files]);
    expect(code).toBe(2);
    const json = JSON.parse(out);
    expect(json.recordsRead).toBe(0);
    expect(json.problems.map((p: any) => [path.basename(p.source), p.kind])).toEqual([
      ['binary.log', 'not-flow-log'], ['parquet.log', 'not-flow-log'], ['other.json', 'not-flow-log'],
    ]);
  });

  test('a truncated gzip reports the line reached, after replaying the records before it', async () => {
    const whole = zlib.gzipSync(Array.from({ length: 3000 }, (_, i) => good(i % 50)).join('\n') + '\n');
    const file = capture('cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', file]);
    const json = JSON.parse(out);
    expect(code).toBe(2);
    expect(json.recordsRead).toBeGreaterThan(0);
    expect(json.problems).toEqual([expect.objectContaining({ kind: 'truncated-gzip', lineNumbers: [json.recordsRead + 1] })]);
  });

  test('a CloudWatch Logs export: records without start/end take the event timestamp', async () => {
    const noTime = record(T0, 22, 'ACCEPT').replace(/ \d+ \d+ ACCEPT /, ' - - ACCEPT ');
    const file = capture('export.json', JSON.stringify({ events: [{ timestamp: T0 * 1000, message: noTime }] }));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', '--expect-alarm', 'Network-VpcWatch-private-ssh-accepted', file]);
    expect(code).toBe(0);
    expect(JSON.parse(out).alarms.find((a: any) => a.alarmName === 'Network-VpcWatch-private-ssh-accepted').enteredAlarmAt)
      .toEqual([new Date((T0 - (T0 % 300)) * 1000).toISOString()]);
  });

  test('a template without metric filters exits 2 with the reason', async () => {
    const empty = capture('Empty.template.json', JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
    const { code, err } = await run(['replay', '--template', empty, good(0)]);
    expect(code).toBe(2);
    expect(err).toContain('the template has no AWS::Logs::MetricFilter: nothing to replay');
  });

  test('a template that is not JSON exits 2', async () => {
    const broken = capture('Broken.template.json', '{ "Resources": ');
    const { code, err } = await run(['replay', '--template', broken]);
    expect(code).toBe(2);
    expect(err).toMatch(/^flowlog-watch: --template '.*Broken.template.json' is not JSON \(.*\); give a template cdk synth wrote/);
  });
});

describe('--refs and --log-group', () => {
  const refsFile = path.join(dir, 'refs.json');
  fs.writeFileSync(refsFile, JSON.stringify(Object.fromEntries(refArgs.filter((_, i) => i % 2 === 1).map(r => r.split('=')))));

  test('--refs FILE gives the references as a JSON object', async () => {
    const { code, out } = await run(['replay', '--template', templateFile, '--refs', refsFile, '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', scanFile]);
    expect(out).not.toContain('unresolved');
    expect(code).toBe(0);
  });

  test.each([
    ['{"a": 1}', 'expected a JSON object of strings'],
    ['[]', 'expected a JSON object of strings'],
    ['{', 'JSON'],
  ])('a --refs file holding %s exits 2', async (content, reason) => {
    const bad = path.join(dir, 'bad-refs.json');
    fs.writeFileSync(bad, content);
    const { code, err } = await run(['replay', '--template', templateFile, '--refs', bad, scanFile]);
    expect(code).toBe(2);
    expect(err).toContain(`--refs ${bad}: `);
    expect(err).toContain(reason);
  });

  const twoWatches = path.join(dir, 'TwoWatches.template.json');
  // Path metadata, as `cdk synth` writes it: the error names each log group's construct path too.
  const twoApp = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  const twoStack = new Stack(twoApp, 'Two');
  const twoVpc = threeTierVpc(twoStack);
  new FlowLogWatch(twoStack, 'VpcWatch', { target: FlowLogTarget.fromVpc(twoVpc) });
  new FlowLogWatch(twoStack, 'EniWatch', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC) });
  fs.writeFileSync(twoWatches, JSON.stringify(twoApp.synth().getStackArtifact(twoStack.artifactId).template));

  test('a template whose filters read several log groups needs --log-group, and the error lists them', async () => {
    const { code, err } = await run(['replay', '--template', twoWatches, scanFile]);
    expect(code).toBe(2);
    expect(err).toMatch(/the template's metric filters read 2 log groups; choose the one the records come from with the logGroup option \(--log-group\): VpcWatchLogGroup\w+ \(Two\/VpcWatch\/LogGroup\), EniWatchLogGroup\w+ \(Two\/EniWatch\/LogGroup\)/);
  });

  test('--log-group by construct path replays only that watch: its filters and alarms', async () => {
    const { code, out } = await run(['replay', '--template', twoWatches, '--log-group', 'EniWatch/LogGroup', '--json', scanFile]);
    const json = JSON.parse(out);
    expect(code).toBe(0);
    expect(json.logGroup).toMatch(/^EniWatchLogGroup/);
    expect(json.filters.map((f: any) => f.logicalId).every((id: string) => id.startsWith('EniWatch'))).toBe(true);
    expect(json.alarms.map((a: any) => a.alarmName)).toEqual(expect.arrayContaining(['Two-EniWatch-public-ssh-accepted', 'Two-EniWatch-delivery-stopped']));
    expect(json.alarms.some((a: any) => a.alarmName.startsWith('Two-VpcWatch'))).toBe(false);
    expect(json.filters.find((f: any) => f.metricName === 'PublicRejectedFlows')).toMatchObject({ recordsMatched: 2250 });
  });

  test('an unknown --log-group exits 2 with the choices', async () => {
    const { code, err } = await run(['replay', '--template', twoWatches, '--log-group', 'Nope', scanFile]);
    expect(code).toBe(2);
    expect(err).toContain("logGroup 'Nope' is not a log group the template's metric filters read; choose one of: VpcWatchLogGroup");
  });
});

describe('never passes by not looking', () => {
  function capture(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  test('--expect-quiet without the references exits 1, listing each alarm not simulated, why, and what to pass', async () => {
    const { code, out } = await run(['replay', '--template', templateFile, '--json', '--expect-quiet', quietFile]);
    const json = JSON.parse(out);
    expect(code).toBe(1);
    const unsimulated = json.alarms.filter((a: any) => !a.simulated);
    expect(unsimulated.length).toBeGreaterThan(UNSIMULATED.length);
    expect(json.expectationFailures).toHaveLength(unsimulated.length);
    expect(json.expectationFailures).toContainEqual(expect.stringMatching(
      /^expected quiet, but 'Network-VpcWatch-private-rejected-flows' was not simulated, so its quiet is not proven: its metric filter's pattern has unresolved references: VpcPrivateSubnet1Subnet\w+, VpcPrivateSubnet2Subnet\w+ \(give their values\); pass their deployed values with --ref LogicalId=value or --refs FILE$/));
  });

  test('--expect-quiet with the references still exits 1 for the anomaly alarms, until each is accepted with --allow-unsimulated', async () => {
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--expect-quiet', quietFile]);
    expect(code).toBe(1);
    expect(out).toContain("expected quiet, but 'Network-VpcWatch-public-egress-anomaly' was not simulated, so its quiet is not proven: "
      + "anomaly detection: its band is learned by CloudWatch from history; if it cannot be simulated offline and that is accepted, pass --allow-unsimulated 'Network-VpcWatch-public-egress-anomaly'");
    const allButOne = allowUnsimulated.slice(2);
    const one = await run(['replay', '--template', templateFile, ...refArgs, '--json', '--expect-quiet', ...allButOne, quietFile]);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.out).expectationFailures).toEqual([expect.stringContaining(`'${UNSIMULATED[0]}' was not simulated`)]);
  });

  test('--expect-alarm on an alarm that is not simulated fails (exit 1): not simulated is never fired', async () => {
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--expect-alarm', 'Network-VpcWatch-public-egress-anomaly', scanFile]);
    expect(code).toBe(1);
    expect(out).toContain("expected alarm 'Network-VpcWatch-public-egress-anomaly' cannot be simulated: anomaly detection");
  });

  test('a --ref naming no logical ID is a usage error (exit 2) with the near matches and the references still needed', async () => {
    const { code, err } = await run(['replay', '--template', templateFile, '--ref', 'VpcPrivateSubnet1Subnet=subnet-0aaaaaaaaaaaaaaa1', quietFile]);
    expect(code).toBe(2);
    expect(err).toMatch(/^flowlog-watch: --ref 'VpcPrivateSubnet1Subnet=subnet-0aaaaaaaaaaaaaaa1' names no logical ID of the template \(.*\); near matches: VpcPrivateSubnet1Subnet[0-9A-F]{8}\b/);
    expect(err).toMatch(/The metric filters of VpcWatchLogGroup\w+ still need: VpcPublicSubnet1Subnet\w+, /);
  });

  test('an --expect-alarm naming no alarm of the template is a usage error (exit 2) listing the alarms', async () => {
    const { code, err } = await run(['replay', '--template', templateFile, ...refArgs, '--expect-alarm', 'Network-VpcWatch-private-rejected', scanFile]);
    expect(code).toBe(2);
    expect(err).toMatch(/^flowlog-watch: --expect-alarm 'Network-VpcWatch-private-rejected' names no alarm of the template; near matches: Network-VpcWatch-private-rejected-flows\b.*; the alarms of the log group VpcWatchLogGroup\w+ \(name or logical ID\): Network-VpcWatch-public-ssh-accepted, /);
  });

  test('--expect-alarm together with --expect-quiet is a usage error (exit 2)', async () => {
    const { code, err } = await run(['replay', '--template', templateFile, '--expect-quiet', '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', scanFile]);
    expect(code).toBe(2);
    expect(err).toMatch(/^flowlog-watch: --expect-alarm \('Network-VpcWatch-private-rejected-flows'\) and --expect-quiet contradict each other/);
  });

  test('files skipped in a directory are reported, one stderr line each and in the problems: exit 2', async () => {
    const mixed = path.join(dir, 'mixed');
    capture('mixed/good.log', `${record(T0, 443, 'ACCEPT')}\n`);
    capture('mixed/flows.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16)]));
    capture('mixed/flows.csv', 'version,account-id\n');
    const { code, out, err } = await run(['replay', '--template', templateFile, ...refArgs, '--json', mixed]);
    expect(code).toBe(2);
    expect(err).toBe(`flowlog-watch: skipped ${path.join(mixed, 'flows.csv')}: not read: in a directory only *.log, *.txt, *.json and *.gz files are read; `
      + 'name the file on the command line to read it, or move it out of the directory\n'
      + `flowlog-watch: skipped ${path.join(mixed, 'flows.parquet')}: not read: a Parquet file (S3 delivery with file-format parquet); convert it to text first\n`);
    expect(JSON.parse(out).problems.map((p: any) => [path.basename(p.source), p.kind])).toEqual([['flows.csv', 'skipped-file'], ['flows.parquet', 'skipped-file']]);
  });

  test('lines that are no flow-log record are malformed, apart from records of another format', async () => {
    const file = capture('mixed-lines.log', [
      record(T0, 443, 'ACCEPT'),
      'ERROR: connection reset by peer',
      '\u0001\u0002\u0003 binary junk',
      '42',
      record(T0, 443, 'ACCEPT').split(' ').slice(0, 14).join(' '),
    ].join('\n'));
    const { code, out } = await run(['replay', '--template', templateFile, ...refArgs, '--json', file]);
    const json = JSON.parse(out);
    expect(code).toBe(2);
    expect(json).toMatchObject({ recordsRead: 5, recordsMalformed: 3, recordsMismatched: 1 });
    expect(json.problems.map((p: any) => [p.kind, p.count, p.lineNumbers])).toEqual([['malformed', 3, [2, 3, 4]], ['field-count', 1, [5]]]);
    expect(json.problems[0].detail).toBe("not a flow-log record: field 2 'connection' is no flow-log value "
      + '(a number, an IP address, -, ACCEPT/REJECT, OK/NODATA/SKIPDATA, an ID or a name such as eni-…, us-east-1, AMAZON)');
  });
});

describe('--max-disorder', () => {
  // The scan of scan.log.gz, then its first minute again after its last: 14 minutes late.
  const scan = Array.from({ length: 2250 }, (_, i) => record(T0 + Math.floor(i / 150) * 60, 1000 + i, 'REJECT'));
  const lateFile = path.join(dir, 'late.log');
  fs.writeFileSync(lateFile, [...scan, scan[0]].join('\n') + '\n');
  const portScan = (json: any) => json.alarms.find((a: any) => a.alarmName === 'Network-VpcWatch-port-scan');

  test('a record later than allowed makes the detection not simulated, naming its line; allowing more simulates it', async () => {
    const strict = await run(['replay', '--template', templateFile, ...refArgs, '--json', '--max-disorder', '5', lateFile]);
    const reason = portScan(JSON.parse(strict.out)).notSimulatedReason;
    expect(reason).toMatch(/^line 2251 of .*late\.log is 14 minutes older than a record before it, more than the 5 minutes records may be out of time order/);
    const lenient = await run(['replay', '--template', templateFile, ...refArgs, '--json', '--max-disorder', '15', lateFile]);
    expect(portScan(JSON.parse(lenient.out)).simulated).toBe(true);
    expect(portScan(JSON.parse(lenient.out)).enteredAlarmAt.length).toBeGreaterThan(0);
  });

  test('--expect-quiet does not pass on a detection it could not simulate', async () => {
    const quiet = await run(['replay', '--template', templateFile, ...refArgs, '--expect-quiet', '--max-disorder', '5', lateFile]);
    expect(quiet.code).toBe(1);
    expect(quiet.out + quiet.err).toMatch(/Network-VpcWatch-port-scan' was not simulated/);
  });
});
