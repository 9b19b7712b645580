import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fullTemplate } from './fixtures';
import { runCostCommand } from '../../../src/replay/cost/cost-cli';

// `flowlog-watch cost` never clamps, ignores, overrides or falls back: each row is an input the
// command once took silently (or crashed on), and the message it must now give.

const GB = 1024 ** 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-watch-cost-strict-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
const template = file('full.template.json', JSON.stringify(fullTemplate()));

// A day of records in the default format, one a minute.
const T0 = 1_800_000_000;
const record = (minute: number) =>
  `2 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 22 6 1 40 ${T0 + minute * 60} ${T0 + minute * 60 + 60} REJECT OK`;
const dayLines = Array.from({ length: 1440 }, (_, i) => record(i));
const records = file('day.log', dayLines.join('\n') + '\n');

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCostCommand(argv, { stdout: t => out += t, stderr: t => err += t });
  return { code, out, err };
}

/** The outcome as one string: `exit N: <stderr>` (the usage text cut), to match a whole row against. */
async function outcome(argv: string[]): Promise<string> {
  const { code, err } = await run(argv);
  return `exit ${code}: ${err.split('\n\nUsage:')[0]}`;
}

/** What a number that is no plain decimal gets after its value. */
const DECIMAL = ' (a plain decimal number, like 5, 0.5 or 2e3)';

const pricesFile = (name: string, prices: unknown) => file(name, JSON.stringify(prices));

describe('usage errors', () => {
  test.each<[string, string[], string]>([
    // a missing value never swallows the next option
    ['--template FILE swallowing --json', ['--template', '--json', '--gb-per-day', '1'], "--template needs a value (a FILE), got the option '--json'"],
    ['--gb-per-day swallowing --json', ['--template', template, '--gb-per-day', '--json'], "--gb-per-day needs a value ([KEY=]N), got the option '--json'"],
    ['--region at the end', ['--template', template, '--gb-per-day', '1', '--region'], '--region needs a value (a REGION)'],
    // plain decimals only
    ['--gb-per-day 0x10', ['--template', template, '--gb-per-day', '0x10'], "--gb-per-day must be a number ≥ 0, got '0x10' (a plain decimal number, like 5, 0.5 or 2e3)"],
    ['--gb-per-day 0b11', ['--template', template, '--gb-per-day', '0b11'], `--gb-per-day must be a number ≥ 0, got '0b11'${DECIMAL}`],
    ['--gb-per-day 0o7', ['--template', template, '--gb-per-day', '0o7'], `--gb-per-day must be a number ≥ 0, got '0o7'${DECIMAL}`],
    ['--gb-per-day " 5 "', ['--template', template, '--gb-per-day', ' 5 '], `--gb-per-day must be a number ≥ 0, got ' 5 '${DECIMAL}`],
    ['--gb-per-day -1 (a decimal, below 0)', ['--template', template, '--gb-per-day', '-1'], "--gb-per-day must be a number ≥ 0, got '-1'"],
    ['--gb-per-day Infinity', ['--template', template, '--gb-per-day', 'Infinity'], `--gb-per-day must be a number ≥ 0, got 'Infinity'${DECIMAL}`],
    ['--gb-per-day KEY=0x10', ['--template', template, '--gb-per-day', 'Watch/LogGroup=0x10'], `--gb-per-day must be a number ≥ 0, got '0x10'${DECIMAL}`],
    ['--compression-ratio 0x1', ['--template', template, '--gb-per-day', '1', '--compression-ratio', '0x1'], `--compression-ratio must be a number > 0, got '0x1'${DECIMAL}`],
    ['--record-bytes +100', ['--template', template, '--gb-per-day', '1', '--record-bytes', '+100'], `--record-bytes must be a number > 0, got '+100'${DECIMAL}`],
    ['--athena-runs-per-month 1_000', ['--template', template, '--gb-per-day', '1', '--athena-runs-per-month', '1_000'], `--athena-runs-per-month must be a number ≥ 0, got '1_000'${DECIMAL}`],
    ['--athena-scan-days 0o7', ['--template', template, '--gb-per-day', '1', '--athena-scan-days', '0o7'], `--athena-scan-days must be a number > 0, got '0o7'${DECIMAL}`],
    // given twice
    ['--gb-per-day N twice', ['--template', template, '--gb-per-day', '5', '--gb-per-day', '6'], "--gb-per-day N is given twice ('5', '6'); use KEY=N for one flow log or log group"],
    ['--gb-per-day KEY=N twice', ['--template', template, '--gb-per-day', 'Watch/LogGroup=1', '--gb-per-day', 'Watch/LogGroup=2'],
      "--gb-per-day Watch/LogGroup is given twice ('Watch/LogGroup=1', 'Watch/LogGroup=2'); give it once"],
    ['--template twice', ['--template', template, '--template', 'other.json', '--gb-per-day', '1'], `--template is given twice ('${template}', 'other.json'); give it once`],
    ['--compression-ratio twice', ['--template', template, '--gb-per-day', '1', '--compression-ratio', '0.1', '--compression-ratio', '0.2'],
      "--compression-ratio is given twice ('0.1', '0.2'); give it once"],
    ['--region twice', ['--template', template, '--gb-per-day', '1', '--region', 'us-east-1', '--region', 'eu-west-1'], "--region is given twice ('us-east-1', 'eu-west-1'); give it once"],
    ['--log-group twice', ['--template', template, '--log-group', 'a', '--log-group', 'b', records], "--log-group is given twice ('a', 'b'); give it once"],
    ['--prices twice', ['--template', template, '--gb-per-day', '1', '--prices', 'a.json', '--prices', 'b.json'], "--prices is given twice ('a.json', 'b.json'); give it once"],
    ['--record-bytes twice', ['--template', template, '--gb-per-day', '1', '--record-bytes', '100', '--record-bytes', '120'], "--record-bytes is given twice ('100', '120'); give it once"],
    ['--athena-runs-per-month twice', ['--template', template, '--gb-per-day', '1', '--athena-runs-per-month', '1', '--athena-runs-per-month', '2'],
      "--athena-runs-per-month is given twice ('1', '2'); give it once"],
    ['--athena-scan-days twice', ['--template', template, '--gb-per-day', '1', '--athena-scan-days', '1', '--athena-scan-days', '7'],
      "--athena-scan-days is given twice ('1', '7'); give it once"],
    // --log-group without records
    ['--log-group with --gb-per-day', ['--template', template, '--gb-per-day', '1', '--log-group', 'Watch/LogGroup'],
      "--log-group 'Watch/LogGroup' names the log group the records come from, and no records are given; for a figure, name the flow log or log group in --gb-per-day KEY=N"],
  ])('%s', async (_, argv, message) => {
    const { code, err, out } = await run(argv);
    expect(out).toBe('');
    expect(code).toBe(2);
    expect(err.split('\n\nUsage:')[0]).toBe(`flowlog-watch cost: ${message}`);
    expect(err).toContain('Usage: flowlog-watch cost');
  });

  test('plain decimals are still taken: 5, 0.5, .5, 5., 2e-1', async () => {
    for (const n of ['5', '0.5', '.5', '5.', '2e-1']) {
      const { code, out } = await run(['--template', template, '--gb-per-day', n, '--json']);
      expect(code).toBe(0);
      expect(JSON.parse(out).volumes['Watch/FlowLog/FlowLog'].gbPerDay).toBe(Number(n));
    }
  });
});

describe('volumes', () => {
  test('two --gb-per-day keys naming one target (a log group by path and its flow log by logical ID) are an error naming both', async () => {
    expect(await outcome(['--template', template, '--gb-per-day', 'Watch/LogGroup=20', '--gb-per-day', 'FlowLog=1'])).toBe(
      "exit 2: flowlog-watch cost: `--gb-per-day` 'Watch/LogGroup=20' and 'FlowLog=1' both give the volume of Watch/FlowLog/FlowLog (to Watch/LogGroup); give one\n");
    // The S3 archive flow log of the same VPC carries the same records: the same target.
    expect(await outcome(['--template', template, '--gb-per-day', 'ArchiveFlowLog=2', '--gb-per-day', 'Watch/LogGroup=20'])).toBe(
      "exit 2: flowlog-watch cost: `--gb-per-day` 'ArchiveFlowLog=2' and 'Watch/LogGroup=20' both give the volume of Watch/FlowLog/FlowLog (to Watch/LogGroup); give one\n");
  });

  test('records and --gb-per-day KEY=N for the same log group are an error, not the figure silently replaced', async () => {
    expect(await outcome(['--template', template, '--gb-per-day', 'Watch/LogGroup=20', records])).toBe(
      'exit 2: flowlog-watch cost: records and `--gb-per-day` Watch/LogGroup=20 both give the volume of Watch/FlowLog/FlowLog (to Watch/LogGroup); give one\n');
  });

  // A second log group whose flow log writes another field order (start and end first).
  const twoGroups = fullTemplate();
  const reordered = ['start', 'end', 'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'action', 'log-status'];
  twoGroups.Resources.OtherGroup = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 }, Metadata: { 'aws:cdk:path': 'Stack/Other/LogGroup/Resource' } };
  twoGroups.Resources.OtherFlowLog = {
    Type: 'AWS::EC2::FlowLog',
    Properties: {
      LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: 'OtherGroup' }, ResourceId: 'vpc-2', LogFormat: reordered.map(f => `\${${f}}`).join(' '),
    },
    Metadata: { 'aws:cdk:path': 'Stack/Other/FlowLog' },
  };
  const twoFile = file('two.template.json', JSON.stringify(twoGroups));
  const otherLines = dayLines.map(l => {
    const t = l.split(' ');
    return [t[10], t[11], ...t.slice(0, 10), t[12], t[13]].join(' ');
  });
  const otherRecords = file('other.log', otherLines.join('\n') + '\n');

  test('--log-group naming a flow log by construct path measures the records in that flow log\'s format', async () => {
    for (const name of ['Other/FlowLog', 'OtherFlowLog', 'Other/LogGroup', 'Stack/Other/LogGroup']) {
      const { code, out, err } = await run(['--template', twoFile, '--log-group', name, '--gb-per-day', 'Watch/LogGroup=1', '--json', otherRecords]);
      expect(err).toBe('');
      expect(code).toBe(0);
      const volume = JSON.parse(out).volumes['Other/FlowLog'];
      expect(volume.origin).toMatch(/^measured: 1,440 records/);
      expect(volume.gbPerDay).toBeCloseTo(otherLines.reduce((sum, l) => sum + l.length, 0) / GB, 12);
    }
  });

  test('an unknown --log-group is an error listing the names known, before any record is read', async () => {
    expect(await outcome(['--template', twoFile, '--log-group', 'Nope', '--gb-per-day', 'Watch/LogGroup=1', path.join(dir, 'missing.log')])).toBe(
      "exit 2: flowlog-watch cost: `--log-group` 'Nope' names no flow log or log group of the template; known: "
      + 'Watch/FlowLog/FlowLog, ArchiveFlowLog, Other/FlowLog, Watch/LogGroup, Other/LogGroup\n');
  });

  test('records of a template without flow logs: the reason, not a crash', async () => {
    const noFlowLogs = file('none.template.json', JSON.stringify({ Resources: { LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} } } }));
    expect(await outcome(['--template', noFlowLogs, records])).toBe(
      'exit 2: flowlog-watch cost: the template has no AWS::EC2::FlowLog: there is nothing to estimate\n');
  });
});

describe('--prices', () => {
  test.each<[string, unknown, string]>([
    ['a band after the last (two bands without upTo)', { customMetrics: { tiers: [{ usd: 0.3 }, { usd: 0.1 }] } },
      '`customMetrics`.tiers[0].upTo must be a number > 0 (bands end above 0; only the last band omits it), got undefined'],
    ['a last band with an upTo', { customMetrics: { tiers: [{ upTo: 10, usd: 0.3 }] } },
      '`customMetrics`.tiers[0].upTo must be omitted: the last band has no end (it prices every unit past the band before), got 10'],
    ['bands out of order', { customMetrics: { tiers: [{ upTo: 100, usd: 0.3 }, { upTo: 50, usd: 0.2 }, { usd: 0.1 }] } },
      '`customMetrics`.tiers[1].upTo must be a number > 100 (the end of band 0; only the last band omits it), got 50'],
    ['a band ending at 0', { customMetrics: { tiers: [{ upTo: 0, usd: 0.3 }, { usd: 0.1 }] } },
      '`customMetrics`.tiers[0].upTo must be a number > 0 (bands end above 0; only the last band omits it), got 0'],
    ['a band ending at a negative number', { s3Storage: { STANDARD: { tiers: [{ upTo: -5, usd: 0.3 }, { usd: 0.1 }] } } },
      '`s3Storage`.STANDARD.tiers[0].upTo must be a number > 0 (bands end above 0; only the last band omits it), got -5'],
    ['a label that is no string', { customMetrics: { tiers: [{ usd: 0.3, label: 1 }] } }, '`customMetrics`.tiers[0].label must be a string, got 1'],
    ['an unknown key in a price', { logsStorage: { usdPerGb: 0.033 } }, '`logsStorage`.usdPerGb is not a field of this price; its fields: usd'],
    ['an unknown key beside usd', { logsStorage: { usd: 0.033, unit: 'GB' } }, '`logsStorage`.unit is not a field of this price; its fields: usd'],
    ['an unknown key in a tiered price', { customMetrics: { usd: 0.3 } }, '`customMetrics`.usd is not a field of this price; its fields: tiers'],
    ['an unknown key in a band', { customMetrics: { tiers: [{ usd: 0.3, upto: 10 }] } }, '`customMetrics`.tiers[0].upto is not a field of this price; its fields: upTo, usd, label'],
  ])('%s', async (_, prices, message) => {
    const name = pricesFile('prices.json', prices);
    expect(await outcome(['--template', template, '--gb-per-day', '1', '--prices', name])).toBe(`exit 2: flowlog-watch cost: --prices ${name}: ${message}\n`);
  });

  test('increasing bands, the last without upTo (or null), are taken', async () => {
    const name = pricesFile('good.json', { customMetrics: { tiers: [{ upTo: 10, usd: 0.3, label: 'First 10' }, { upTo: 20, usd: 0.2 }, { upTo: null, usd: 0.1 }] } });
    const { code, err } = await run(['--template', template, '--gb-per-day', '1', '--prices', name]);
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

describe('messages', () => {
  test('a template with a null resource is named, not a TypeError', async () => {
    const nullResource = file('null.template.json', '{"Resources":{"X":null}}');
    expect(await outcome(['--template', nullResource, '--gb-per-day', '1'])).toBe(
      `exit 2: flowlog-watch cost: --template ${nullResource}: not a CloudFormation template: Resources.X must be an object ({"Type": …, "Properties": …}), got null\n`);
  });

  test('a template with Resources null is named, not estimated as empty', async () => {
    const nullResources = file('null-resources.template.json', '{"Resources":null}');
    expect(await outcome(['--template', nullResources, '--gb-per-day', '1'])).toBe(
      `exit 2: flowlog-watch cost: --template ${nullResources}: not a CloudFormation template: Resources must be an object of resources, got null\n`);
  });

  test('a metric filter whose transformations are not objects is named, not a TypeError', async () => {
    const broken = file('null-transformation.template.json', '{"Resources":{"F":{"Type":"AWS::Logs::MetricFilter","Properties":{"MetricTransformations":[null]}}}}');
    expect(await outcome(['--template', broken, '--gb-per-day', '1'])).toBe(
      `exit 2: flowlog-watch cost: --template ${broken}: AWS::Logs::MetricFilter F: MetricTransformations must be a list of objects ({"MetricName": …, "MetricNamespace": …}), got [null]\n`);
  });

  test('an unknown --region names the option', async () => {
    expect(await outcome(['--template', template, '--gb-per-day', '1', '--region', 'eu-west-1'])).toBe(
      "exit 2: flowlog-watch cost: --region has no price table: got 'eu-west-1'; known Regions: us-east-1 (give another Region's prices with --prices FILE)\n");
  });
});
