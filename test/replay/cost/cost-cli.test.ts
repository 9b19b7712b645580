import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fullTemplate } from './fixtures';
import { FlowLogTarget, FlowLogWatch } from '../../../src';
import { main } from '../../../src/replay/cli';
import { runCostCommand } from '../../../src/replay/cost/cost-cli';
import { threeTierVpc } from '../../util';

const M = 730 / 24; // days in a month
const GB = 1024 ** 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-watch-cost-'));

// A hand-written template (see fixtures.ts), and a watch synthesized from the current code.
const fullFile = path.join(dir, 'full.template.json');
fs.writeFileSync(fullFile, JSON.stringify(fullTemplate()));
const app = new App();
const stack = new Stack(app, 'Workload');
new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: {}, dashboard: true, contributorInsights: true });
const watchTemplate = app.synth().getStackArtifact(stack.artifactId).template;
const watchFile = path.join(dir, 'watch.template.json');
fs.writeFileSync(watchFile, JSON.stringify(watchTemplate));

// A day of records in the default format, one a minute, every other one rejected: 1,440 records
// from `start` of the first to `end` of the last: 86,400 s.
const T0 = 1_800_000_000;
function record(minute: number): string {
  const action = minute % 2 === 0 ? 'ACCEPT' : 'REJECT';
  return `2 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 22 6 1 40 ${T0 + minute * 60} ${T0 + minute * 60 + 60} ${action} OK`;
}
const lines = Array.from({ length: 1440 }, (_, i) => record(i));
const recordsFile = path.join(dir, 'day.log');
fs.writeFileSync(recordsFile, lines.join('\n') + '\n');
const recordBytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0);

async function run(argv: string[], stdin?: NodeJS.ReadableStream) {
  let out = '';
  let err = '';
  const code = await runCostCommand(argv, { stdout: t => out += t, stderr: t => err += t, stdin });
  return { code, out, err };
}

function totalOf(text: string): number {
  const match = /^total\s+\$([\d,.]+)$/m.exec(text);
  expect(match).not.toBeNull();
  return Number(match![1].replace(/,/g, ''));
}

test('text: a line per item with quantity, unit price and monthly cost, then the total', async () => {
  const { code, out, err } = await run(['--template', fullFile, '--gb-per-day', '10', '--compression-ratio', '0.1']);
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toMatch(/^Monthly cost estimate, us-east-1 prices read on 2026-12-01 \(USD\)/);
  expect(out).toMatch(/ingestion \(vended logs\), First 10 TB — Watch\/LogGroup\s+304\.2 GB\s+\$0\.50\s+\$152\.08/);
  expect(out).toMatch(/storage — Watch\/LogGroup \[\d\]\s+30 GB-month\s+\$0\.03\s+\$0\.90/);
  expect(out).toMatch(/dashboards — 1 dashboard\(s\) \[\d\]\s+1 dashboard-month\s+\$3\.00\s+\$3\.00/);
  expect(out).toMatch(/prices no stored copy of the pricing pages showed/);
  expect(out).toMatch(/price sources:\n {2}- vendedLogsToCloudWatchLogs: https:\/\/aws\.amazon\.com\/cloudwatch\/pricing\//);
  // The printed total is the JSON total, rounded to cents.
  const json = JSON.parse((await run(['--template', fullFile, '--gb-per-day', '10', '--compression-ratio', '0.1', '--json'])).out);
  expect(totalOf(out)).toBeCloseTo(json.monthlyUsd, 2);
});

test('JSON: the line items add up to the total, and the volumes say where they come from', async () => {
  const { code, out } = await run(['--template', fullFile, '--gb-per-day', '10', '--json', '--athena-runs-per-month', '30']);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result.region).toBe('us-east-1');
  expect(result.monthlyUsd).toBeCloseTo(result.lineItems.reduce((sum: number, i: { monthlyUsd: number }) => sum + i.monthlyUsd, 0));
  expect(result.volumes['Watch/FlowLog/FlowLog']).toMatchObject({ gbPerDay: 10, origin: '--gb-per-day 10' });
  const athena = result.lineItems.find((i: { category: string }) => i.category === 'Athena');
  // 30 runs × one day of the archive: 10 GB × 0.15 (the default ratio) of gzip text, in TB, at $5.
  expect(athena.monthlyUsd).toBeCloseTo(30 * 10 * 0.15 / 1024 * 5.00);
});

test('records: the volume is measured (bytes over the span they cover), and so are the rules\' matches', async () => {
  expect(recordBytes).toBe(1440 * lines[0].length); // every record has the same length (ASCII)
  const { code, out, err } = await run(['--template', fullFile, '--json', recordsFile]);
  expect(err).toBe('');
  expect(code).toBe(0);
  const result = JSON.parse(out);
  // 1,440 records over exactly one day; the archive flow log has the same target, so the same volume.
  expect(result.volumes['Watch/FlowLog/FlowLog'].gbPerDay).toBeCloseTo(recordBytes / GB);
  expect(result.volumes.ArchiveFlowLog.gbPerDay).toBeCloseTo(recordBytes / GB);
  expect(result.volumes['Watch/FlowLog/FlowLog'].eventsPerDay).toBeCloseTo(1440);
  const ingestion = result.lineItems.find((i: { item: string }) => i.item.startsWith('ingestion'));
  expect(ingestion.monthlyUsd).toBeCloseTo(recordBytes / GB * M * 0.50);
  // The rule counts REJECT records: every other one.
  const matched = result.lineItems.find((i: { item: string }) => i.item === 'matched log events');
  expect(matched.quantity).toBeCloseTo(1440 * 0.5 * M / 1e6);
  expect(result.assumptions.some((a: string) => /^compression ratio 0\.\d+: measured/.test(a))).toBe(true);
});

test('records from stdin (-)', async () => {
  const { code, out } = await run(['--template', fullFile, '--json', '-'], Readable.from([lines.join('\n') + '\n']));
  expect(code).toBe(0);
  expect(JSON.parse(out).volumes.ArchiveFlowLog.eventsPerDay).toBeCloseTo(1440);
});

test('a watch synthesized from the current code: a metric per filter, alarms by kind, ingestion and storage', async () => {
  const { code, out } = await run(['--template', watchFile, '--gb-per-day', '2', '--json']);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  const template = Template.fromJSON(watchTemplate);
  const filters = Object.keys(template.findResources('AWS::Logs::MetricFilter')).length;
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { Metrics?: { Expression?: string }[] } }[];
  const anomaly = alarms.filter(a => a.Properties.Metrics?.some(m => m.Expression?.startsWith('ANOMALY_DETECTION_BAND'))).length;
  const retention = (Object.values(template.findResources('AWS::Logs::LogGroup'))[0] as { Properties: { RetentionInDays: number } }).Properties.RetentionInDays;
  const line = (prefix: string) => result.lineItems.find((i: { item: string }) => i.item.startsWith(prefix));
  expect(line('custom metrics').monthlyUsd).toBeCloseTo(filters * 0.30);
  expect(line('standard-resolution alarms').monthlyUsd).toBeCloseTo((alarms.length - anomaly) * 0.10);
  expect(line('anomaly-detection alarms').monthlyUsd).toBeCloseTo(anomaly * 3 * 0.10);
  expect(line('ingestion').monthlyUsd).toBeCloseTo(2 * M * 0.50);
  expect(line('storage').monthlyUsd).toBeCloseTo(2 * 0.15 * retention * 0.03);
  expect(line('delivery to S3').monthlyUsd).toBeCloseTo(2 * M * 0.25);
  expect(line('Parquet conversion').monthlyUsd).toBeCloseTo(2 * M * 0.035);
  expect(line('rules').monthlyUsd).toBeCloseTo(Object.keys(template.findResources('AWS::CloudWatch::InsightRule')).length * 0.50);
});

test('the cost command is dispatched by the flowlog-watch CLI', async () => {
  let out = '';
  const code = await main(['cost', '--template', fullFile, '--gb-per-day', '1'], { stdout: t => out += t, stderr: () => undefined });
  expect(code).toBe(0);
  expect(out).toMatch(/^Monthly cost estimate/);
});

test('--help prints the usage', async () => {
  const { code, out } = await run(['--help']);
  expect(code).toBe(0);
  expect(out).toMatch(/^Usage: flowlog-watch cost --template FILE/);
});

test.each([
  [['--gb-per-day', '1'], '--template FILE is required'],
  [['--template', fullFile], 'give the volume: --gb-per-day N, or record files'],
  [['--template', fullFile, '--gb-per-day', 'abc'], "--gb-per-day must be a number ≥ 0, got 'abc'"],
  [['--template', fullFile, '--gb-per-day', '-1'], "--gb-per-day must be a number ≥ 0, got '-1'"],
  [['--template', fullFile, '--gb-per-day', 'LogGroup='], "--gb-per-day must be a number ≥ 0, got ''"],
  [['--template', fullFile, '--gb-per-day', '1', '--gb-per-day', '2'], '--gb-per-day N is given twice'],
  [['--template', fullFile, '--gb-per-day', '1', recordsFile], 'records and --gb-per-day N both give every flow log\'s volume'],
  [['--template', fullFile, '--gb-per-day', '1', '--compression-ratio', '2'], '--compression-ratio must be a ratio in (0, 1], got 2'],
  [['--template', fullFile, '--gb-per-day', '1', '--fast'], "unknown option '--fast'"],
  [['--template', fullFile, '--region'], '--region needs a value'],
])('bad usage %p exits 2 with the reason and the usage', async (argv, reason) => {
  const { code, err } = await run(argv);
  expect(code).toBe(2);
  expect(err).toContain(reason);
  expect(err).toContain('Usage: flowlog-watch cost');
});

const notJson = path.join(dir, 'not.json');
fs.writeFileSync(notJson, '{');
const badPrices = path.join(dir, 'prices.json');
fs.writeFileSync(badPrices, '{"logStorage": {"usd": 1}}');
const empty = path.join(dir, 'empty.log');
fs.writeFileSync(empty, '');
test.each([
  [['--template', path.join(dir, 'missing.json'), '--gb-per-day', '1'], /--template .*missing\.json: cannot read it: ENOENT/],
  [['--template', notJson, '--gb-per-day', '1'], /--template .*not\.json: not JSON/],
  [['--template', fullFile, '--gb-per-day', '1', '--region', 'eu-west-1'], /--region has no price table: got 'eu-west-1'; known Regions: us-east-1/],
  [['--template', fullFile, '--gb-per-day', '1', '--prices', badPrices], /`logStorage` is not a price/],
  [['--template', fullFile, '--gb-per-day', 'Nope=1'], /`--gb-per-day` 'Nope' names no flow log or log group of the template; known: Watch\/FlowLog\/FlowLog, ArchiveFlowLog, Watch\/LogGroup/],
  [['--template', fullFile, empty], /the records could not all be read \(1 problem\(s\)\):\n {2}.*empty\.log: empty-file/],
  [['--template', fullFile, '--gb-per-day', 'Watch/LogGroup=1', '--gb-per-day', 'Nope=2'], /'Nope' names no flow log/],
])('bad input %p exits 2 with the reason', async (argv, reason) => {
  const { code, err, out } = await run(argv);
  expect(out).toBe('');
  expect(code).toBe(2);
  expect(err).toMatch(reason);
});

test('records of a template with several log groups need --log-group', async () => {
  const twoGroups = fullTemplate();
  twoGroups.Resources.OtherGroup = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } };
  twoGroups.Resources.OtherFlowLog = {
    Type: 'AWS::EC2::FlowLog', Properties: { LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: 'OtherGroup' }, ResourceId: 'vpc-2' },
  };
  const file = path.join(dir, 'two.template.json');
  fs.writeFileSync(file, JSON.stringify(twoGroups));
  const without = await run(['--template', file, recordsFile]);
  expect(without.code).toBe(2);
  expect(without.err).toContain('the template\'s flow logs deliver to 2 log groups (Watch/LogGroup, OtherGroup): say which one the records come from with --log-group');
  // With it, the other log group still needs a volume, and says so.
  const missing = await run(['--template', file, '--log-group', 'Watch/LogGroup', recordsFile]);
  expect(missing.err).toContain('no volume for the flow log(s) OtherFlowLog (to OtherGroup)');
  const both = await run(['--template', file, '--log-group', 'Stack/Watch/LogGroup', '--gb-per-day', 'OtherGroup=0.5', '--json', recordsFile]);
  expect(both.code).toBe(0);
  expect(JSON.parse(both.out).volumes.OtherFlowLog.gbPerDay).toBe(0.5);
});

test('--prices replaces prices: the table says whose they are, and the lines use them', async () => {
  const file = path.join(dir, 'tokyo.json');
  fs.writeFileSync(file, JSON.stringify({ region: 'ap-northeast-1', vendedLogsToCloudWatchLogs: { tiers: [{ usd: 0.76 }] }, logsStorage: { usd: 0.033 } }));
  const { code, out } = await run(['--template', fullFile, '--gb-per-day', '10', '--prices', file, '--json']);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result.region).toBe('ap-northeast-1');
  const line = (prefix: string) => result.lineItems.find((i: { item: string }) => i.item.startsWith(prefix));
  expect(line('ingestion').monthlyUsd).toBeCloseTo(10 * M * 0.76);
  expect(line('storage').monthlyUsd).toBeCloseTo(10 * 0.15 * 30 * 0.033);
  expect(result.sources).toContain(`logsStorage: --prices ${file}`);
});
