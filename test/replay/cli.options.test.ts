import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { networkReplayFixture } from './network-replay-fixture';
import { main } from '../../src/replay/cli';
import { readTemplateModel } from '../../src/replay/engine/template-model';

// `flowlog-watch replay` never lets the last of two values win, a missing value swallow the next
// option, or an option go unused: each row is an input the command once took silently (or crashed
// on), and the message it must now give.

const { dir, file, template, privateSubnet, privateId, refs, refArgs } = networkReplayFixture('replay-cli-options-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_100;
const good = (i: number) => `5 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 443 6 1 40 ${T0 + i * 60 - 30} ${T0 + i * 60} ACCEPT OK `
  + `vpc-0123456789abcdef0 ${privateSubnet} i-0123456789abcdef0 2 IPv4 198.51.100.9 10.0.1.5 ingress -`;
const quiet = file('quiet.log', Array.from({ length: 10 }, (_, i) => good(i)).join('\n') + '\n');

/** The command line's outcome: `exit N: <stderr>` with the usage text cut, or `exit threw: <error>` when it crashed. */
async function cliOutcome(argv: string[], stdin: NodeJS.ReadableStream = Readable.from([])): Promise<string> {
  let err = '';
  try {
    const code = await main(['replay', ...argv], { stdout: () => undefined, stderr: t => err += t, stdin });
    return `exit ${code}: ${err.split('\n\nUsage:')[0]}`;
  } catch (e) {
    return `exit threw: ${(e as Error).name}: ${(e as Error).message}`;
  }
}

async function inDir<T>(run: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(cwd);
  }
}

describe('usage errors (exit 2, with the usage)', () => {
  test.each<[string, string[], string]>([
    // single-value options given twice
    ['--template twice', ['--template', template, '--template', quiet, quiet], `--template is given twice ('${template}', '${quiet}'); give it once`],
    ['--log-group twice', ['--template', template, '--log-group', 'VpcWatch/LogGroup', '--log-group', 'Other/LogGroup', quiet],
      "--log-group is given twice ('VpcWatch/LogGroup', 'Other/LogGroup'); give it once"],
    ['--max-disorder twice', ['--template', template, '--max-disorder', '60', '--max-disorder', '5', quiet], "--max-disorder is given twice ('60', '5'); give it once"],
    ['--threads twice', ['--template', template, '--threads', '2', '--threads', '4', quiet], "--threads is given twice ('2', '4'); give it once"],
    ['--html twice', ['--template', template, '--html', 'a.html', '--html', 'b.html', quiet], "--html is given twice ('a.html', 'b.html'); give it once"],
    ['--ref K=a --ref K=b', ['--template', template, '--ref', `${privateId}=subnet-a`, '--ref', `${privateId}=subnet-b`, quiet],
      `--ref ${privateId} is given twice with different values ('subnet-a', 'subnet-b'); give it once`],
    // a missing value never swallows the next option
    ['--html --json FILE', ['--template', template, '--html', '--json', quiet], "--html needs a value (a FILE), got the option '--json'"],
    ['--template --json', ['--template', '--json', quiet], "--template needs a value (a FILE), got the option '--json'"],
    ['--ref --expect-quiet', ['--template', template, '--ref', '--expect-quiet', quiet], "--ref needs a value (LogicalId=value), got the option '--expect-quiet'"],
    ['--threads at the end', ['--template', template, '--threads'], '--threads needs a value (N)'],
    // --threads on stdin
    ['--threads 8 on stdin', ['--template', template, '--threads', '8'], '--threads 8: stdin is read on one thread; give files to use threads'],
    // an empty reference
    ['--ref LogicalId= (empty)', ['--template', template, '--ref', `${privateId}=`, quiet], `--ref '${privateId}=' gives ${privateId} an empty value; give its deployed value (LogicalId=value)`],
  ])('%s', async (_, argv, message) => {
    let err = '';
    // In the temporary directory: a report written by mistake (--html) lands there.
    const code = await inDir(() => main(['replay', ...argv], { stdout: () => undefined, stderr: t => err += t, stdin: Readable.from([]) }));
    expect(err.split('\n\nUsage:')[0]).toBe(`flowlog-watch: ${message}`);
    expect(err).toContain('Usage: flowlog-watch replay');
    expect(code).toBe(2);
  });

  test('--html --json FILE writes no file named --json', async () => {
    await inDir(() => cliOutcome(['--template', template, '--html', '--json', quiet]));
    expect(fs.existsSync(path.join(dir, '--json'))).toBe(false);
  });

  test('--threads 1 on stdin, and one --ref given twice with the same value, are still taken', async () => {
    expect(await cliOutcome(['--template', template, '--threads', '1', ...refArgs, '--ref', `${privateId}=${privateSubnet}`], Readable.from([`${good(0)}\n`])))
      .toBe('exit 0: ');
  });
});

describe('--refs files', () => {
  const a = file('refs-a.json', JSON.stringify(refs));
  const b = file('refs-b.json', JSON.stringify({ [privateId]: 'subnet-other' }));
  const same = file('refs-same.json', JSON.stringify({ [privateId]: privateSubnet }));
  const empty = file('refs-empty.json', JSON.stringify({ ...refs, [privateId]: '' }));
  test.each<[string, string[], string]>([
    ['two files giving one key different values', ['--refs', a, '--refs', b],
      `--refs: the key '${privateId}' has two values: '${privateSubnet}' in ${a} and 'subnet-other' in ${b}; give it once`],
    ['a file and --ref giving one key different values', ['--refs', a, '--ref', `${privateId}=subnet-other`],
      `--ref ${privateId}=subnet-other and a --refs file (${privateId}: '${privateSubnet}') give ${privateId} different values; give one`],
    ['an empty value in a file', ['--refs', empty], `--refs ${empty}: the key '${privateId}' has an empty value (""); give its deployed value`],
  ])('%s exits 2 naming the key and the values', async (_, argv, message) => {
    expect(await cliOutcome(['--template', template, ...argv, quiet])).toBe(`exit 2: flowlog-watch: ${message}\n`);
  });

  test('two files giving one key the same value are taken', async () => {
    expect(await cliOutcome(['--template', template, '--refs', a, '--refs', same, quiet])).toBe('exit 0: ');
  });
});

describe('a metric filter the template gives without its properties', () => {
  const filter = (resource: unknown) => file('filter.template.json', JSON.stringify({ Resources: { Filter: resource } }));
  const transformation = { MetricName: 'M', MetricNamespace: 'NS', MetricValue: '1' };
  test.each<[string, unknown, string]>([
    ['no Properties', { Type: 'AWS::Logs::MetricFilter' },
      'the metric filter Filter (AWS::Logs::MetricFilter) has no Properties object (FilterPattern, LogGroupName, MetricTransformations), got undefined'],
    ['no FilterPattern', { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: 'g', MetricTransformations: [transformation] } },
      'the metric filter Filter (AWS::Logs::MetricFilter): FilterPattern must be a string (or a Ref/Fn::Join of one), got undefined'],
    ['no LogGroupName', { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: '', MetricTransformations: [transformation] } },
      'the metric filter Filter (AWS::Logs::MetricFilter): LogGroupName must be a string or a Ref, got undefined'],
    ['no MetricTransformations', { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: '', LogGroupName: 'g' } },
      'the metric filter Filter (AWS::Logs::MetricFilter): MetricTransformations must be a list of {MetricName, MetricNamespace, MetricValue}, got undefined'],
    ['no MetricName', { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: '', LogGroupName: 'g', MetricTransformations: [{ MetricNamespace: 'NS', MetricValue: '1' }] } },
      'the metric filter Filter (AWS::Logs::MetricFilter): MetricTransformations[0].MetricName must be a non-empty string, got undefined'],
    ['a MetricNamespace that is a number', { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: '', LogGroupName: 'g', MetricTransformations: [{ ...transformation, MetricNamespace: 1 }] } },
      'the metric filter Filter (AWS::Logs::MetricFilter): MetricTransformations[0].MetricNamespace must be a non-empty string, got number 1'],
    ['no MetricValue', { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: '', LogGroupName: 'g', MetricTransformations: [{ MetricName: 'M', MetricNamespace: 'NS' }] } },
      'the metric filter Filter (AWS::Logs::MetricFilter): MetricTransformations[0].MetricValue must be a string ($field or a number), got undefined'],
  ])('%s: exit 2 naming the resource', async (_, resource, message) => {
    const t = filter(resource);
    expect(await cliOutcome(['--template', t, quiet])).toBe(`exit 2: flowlog-watch: cannot replay the template ${t}: ${message}\n`);
    expect(() => readTemplateModel({ Resources: { Filter: resource as any } })).toThrow(message);
  });
});

test('a FilterPattern Fn::Join whose parts are no list is reported unresolved, not a TypeError', () => {
  const model = readTemplateModel({
    Resources: {
      Filter: {
        Type: 'AWS::Logs::MetricFilter',
        Properties: { FilterPattern: { 'Fn::Join': ['', 'x'] }, LogGroupName: 'g', MetricTransformations: [{ MetricName: 'M', MetricNamespace: 'NS', MetricValue: '1' }] },
      },
    },
  });
  expect(model.metricFilters[0]).toMatchObject({ pattern: undefined, unresolved: ['{"Fn::Join":["","x"]}'] });
});
