import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { networkReplayFixture } from './network-replay-fixture';
import { FlowLogReplay, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { main } from '../../src/replay/cli';
import { threeTierVpc } from '../util';

// The replay side's bad-input suite (issue 10, items 5 and 6): one row per invalid input, per entry
// point, each with the message it must get. A row asserts the whole outcome as one string, so that
// the same table run against older code shows what that code did: `Error: …` (a clear error, or an
// unclear one), `TypeError: …` (a crash), `accepted` (silently passed), or for the command line its
// exit status and output.

const { dir, file, stack, template, privateSubnet, refs, refArgs } = networkReplayFixture('replay-bad-input-');

// Path metadata, as `cdk synth` writes it: --log-group takes the construct path.
const twoApp = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
const twoStack = new Stack(twoApp, 'Two');
new FlowLogWatch(twoStack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(twoStack)) });
new FlowLogWatch(twoStack, 'EniWatch', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC) });
const twoWatches = file('Two.template.json', JSON.stringify(twoApp.synth().getStackArtifact(twoStack.artifactId).template));

const T0 = 1_700_000_100;
const good = (i: number) => `5 123456789012 eni-0123456789abcdef0 198.51.100.9 10.0.1.5 40000 443 6 1 40 ${T0 + i * 60 - 30} ${T0 + i * 60} ACCEPT OK `
  + `vpc-0123456789abcdef0 ${privateSubnet} i-0123456789abcdef0 2 IPv4 198.51.100.9 10.0.1.5 ingress -`;
const quiet = file('quiet.log', Array.from({ length: 10 }, (_, i) => good(i)).join('\n') + '\n');
const onlyGarbage = file('only-garbage.log', 'garbage text\nmore garbage\n');
const withLine = (name: string, line: string) => file(name, `${good(0)}\n${line}\n${good(1)}\n`);
const refsWithTypo = file('refs-typo.json', JSON.stringify({ ...refs, VpcPrivateSubnet3Subnet: 'subnet-1' }));
file('parquet-dir/good.log', `${good(0)}\n`);
file('parquet-dir/flows.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16), Buffer.from('PAR1')]));
file('csv-dir/good.log', `${good(0)}\n`);
file('csv-dir/flows.csv', 'version,account-id,interface-id\n');
fs.mkdirSync(path.join(dir, 'template-dir'));

/** The command line's outcome: `exit N: <stderr><stdout>`, or `exit threw: <error>` when it crashed. */
async function cliOutcome(argv: string[]): Promise<string> {
  let out = '';
  let err = '';
  try {
    const code = await main(['replay', ...argv], { stdout: t => out += t, stderr: t => err += t, stdin: Readable.from([]) });
    return `exit ${code}: ${err}${out}`;
  } catch (e) {
    return `exit threw: ${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('the command line (flowlog-watch replay)', () => {
  test.each<[string, string[], number, RegExp]>([
    // --expect-quiet never passes by not looking
    ['--expect-quiet without the references', ['--template', template, '--expect-quiet', quiet], 1,
      /expected quiet, but 'Network-VpcWatch-private-rejected-flows' was not simulated, so its quiet is not proven: its metric filter's pattern has unresolved references: .*; pass their deployed values with --ref LogicalId=value or --refs FILE/],
    ['--expect-quiet with anomaly alarms not simulated', ['--template', template, ...refArgs, '--expect-quiet', quiet], 1,
      /expected quiet, but 'Network-VpcWatch-public-egress-anomaly' was not simulated, so its quiet is not proven: anomaly detection: .*; if it cannot be simulated offline and that is accepted, pass --allow-unsimulated 'Network-VpcWatch-public-egress-anomaly'/],
    ['--expect-quiet over input of which no record was replayed', ['--template', template, ...refArgs, '--expect-quiet', onlyGarbage], 1,
      /expected quiet, but 'Network-VpcWatch-public-ssh-accepted' was not simulated, so its quiet is not proven: no record was replayed; give records of the log group that can be replayed/],
    ['--expect-alarm on an anomaly alarm (never simulated)', ['--template', template, ...refArgs, '--expect-alarm', 'Network-VpcWatch-public-egress-anomaly', quiet], 1,
      /expected alarm 'Network-VpcWatch-public-egress-anomaly' cannot be simulated: anomaly detection/],
    ['--expect-alarm on an alarm whose references are not given', ['--template', template, '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', quiet], 1,
      /expected alarm 'Network-VpcWatch-private-rejected-flows' cannot be simulated: its metric filter's pattern has unresolved references: VpcPrivateSubnet1Subnet/],
    // names that name nothing in the template
    ['--ref without the CDK hash of the logical ID', ['--template', template, '--ref', 'VpcPrivateSubnet1Subnet=subnet-1', quiet], 2,
      /--ref 'VpcPrivateSubnet1Subnet=subnet-1' names no logical ID of the template \(.*\); near matches: VpcPrivateSubnet1Subnet[0-9A-F]{8}/],
    ['--ref naming nothing like a logical ID', ['--template', template, '--ref', 'Nope=1', quiet], 2,
      /--ref 'Nope=1' names no logical ID of the template \(.*\); its logical IDs: Vpc[0-9A-F]{8}, /],
    ['--ref LogicalId.Attribute of no resource', ['--template', template, '--ref', 'Nope.Arn=arn:aws:x', quiet], 2,
      /--ref 'Nope.Arn=arn:aws:x' names no logical ID of the template/],
    ['--refs file with a key naming no logical ID (noted, not used)', ['--template', template, '--refs', refsWithTypo, quiet], 0,
      /--refs: 1 key\(s\) name no logical ID of the template and are not used: VpcPrivateSubnet3Subnet/],
    ['--expect-alarm naming no alarm', ['--template', template, ...refArgs, '--expect-alarm', 'nope', quiet], 2,
      /--expect-alarm 'nope' names no alarm of the template; the alarms of the log group VpcWatchLogGroup\w+ \(name or logical ID\): Network-VpcWatch-public-ssh-accepted, /],
    ['--expect-alarm with a typo in the name', ['--template', template, ...refArgs, '--expect-alarm', 'Network-VpcWatch-private-rejected-flow', quiet], 2,
      /--expect-alarm 'Network-VpcWatch-private-rejected-flow' names no alarm of the template; near matches: Network-VpcWatch-private-rejected-flows/],
    ['--expect-alarm naming an alarm of another log group', ['--template', twoWatches, '--log-group', 'EniWatch/LogGroup', '--expect-alarm', 'Two-VpcWatch-private-rejected-flows', quiet], 2,
      /--expect-alarm 'Two-VpcWatch-private-rejected-flows' is an alarm of the template, but not on the metrics or records of the log group EniWatchLogGroup\w+ that is replayed \(choose its log group with --log-group\)/],
    ['--expect-alarm together with --expect-quiet', ['--template', template, '--expect-quiet', '--expect-alarm', 'Network-VpcWatch-private-rejected-flows', quiet], 2,
      /--expect-alarm \('Network-VpcWatch-private-rejected-flows'\) and --expect-quiet contradict each other/],
    ['--allow-unsimulated without --expect-quiet', ['--template', template, '--allow-unsimulated', 'Network-VpcWatch-public-egress-anomaly', quiet], 2,
      /--allow-unsimulated \('Network-VpcWatch-public-egress-anomaly'\) only goes with --expect-quiet, which was not given/],
    ['--allow-unsimulated naming no alarm', ['--template', template, '--expect-quiet', '--allow-unsimulated', 'nope', quiet], 2,
      /--allow-unsimulated 'nope' names no alarm of the template/],
    ['--max-disorder that is no number', ['--template', template, '--max-disorder', '1h', quiet], 2,
      /--max-disorder takes a whole number of minutes from 0 to 10080 \(one week\), got '1h'/],
    ['--max-disorder over a week', ['--template', template, '--max-disorder', '10081', quiet], 2,
      /--max-disorder takes a whole number of minutes from 0 to 10080 \(one week\), got '10081'/],
    ['--threads 0', ['--template', template, '--threads', '0', quiet], 2, /--threads takes a whole number from 1 to 64, got '0'/],
    ['--threads that is no number', ['--template', template, '--threads', 'all', quiet], 2, /--threads takes a whole number from 1 to 64, got 'all'/],
    // files not read
    ['a directory with a Parquet file', ['--template', template, ...refArgs, path.join(dir, 'parquet-dir')], 2,
      /flowlog-watch: skipped .*flows\.parquet: not read: a Parquet file \(S3 delivery with file-format parquet\); convert it to text first/],
    ['a directory with a CSV file', ['--template', template, ...refArgs, path.join(dir, 'csv-dir')], 2,
      /flowlog-watch: skipped .*flows\.csv: not read: in a directory only \*\.log, \*\.txt, \*\.json and \*\.gz files are read/],
    // lines that are no flow-log record
    ['a line of garbage text', ['--template', template, ...refArgs, withLine('garbage.log', 'garbage text')], 2,
      /garbage\.log:2: malformed: not a flow-log record: field 1 'garbage' is no flow-log value/],
    ['a line of binary data', ['--template', template, ...refArgs, withLine('binary-line.log', '\u0001\u0002\u0003 \u0004')], 2,
      /binary-line\.log:2: malformed: not a flow-log record: field 1 holds a control character \(U\+0001\)/],
    ['a line of non-ASCII text', ['--template', template, ...refArgs, withLine('non-ascii.log', 'Zürich 2')], 2,
      /non-ascii\.log:2: malformed: not a flow-log record: field 1 holds a non-ASCII character \(U\+00FC\)/],
    ['a line of a single field', ['--template', template, ...refArgs, withLine('single-field.log', '42')], 2,
      /single-field\.log:2: malformed: not a flow-log record: a single field '42'/],
    // the template file
    ['a missing template', ['--template', path.join(dir, 'Missing.template.json'), quiet], 2,
      /--template '.*Missing\.template\.json' cannot be read: no such file; give a template cdk synth wrote/],
    ['a template that is a directory', ['--template', path.join(dir, 'template-dir'), quiet], 2,
      /--template '.*template-dir' cannot be read: a directory, not a file/],
    ['a template that is not JSON', ['--template', file('Broken.template.json', '{ "Resources": '), quiet], 2,
      /--template '.*Broken\.template\.json' is not JSON \(/],
    ['a template that is a JSON array', ['--template', file('Array.template.json', '[]'), quiet], 2,
      /--template '.*Array\.template\.json' is not a CloudFormation template: expected a JSON object with Resources, got an array of 0/],
    ['a template whose Resources is a string', ['--template', file('StringResources.template.json', '{"Resources": "none"}'), quiet], 2,
      /--template '.*StringResources\.template\.json' is not a CloudFormation template: Resources must be an object of resources, got string 'none'/],
    ['a template with a null resource', ['--template', file('NullResource.template.json', '{"Resources": {"Filter": null}}'), quiet], 2,
      /--template '.*NullResource\.template\.json' is not a CloudFormation template: Resources\.Filter must be an object/],
  ])('%s', async (_, argv, code, message) => {
    expect(await cliOutcome(argv)).toMatch(new RegExp(`^exit ${code}: [\\s\\S]*${message.source}`));
  });
});

/** An entry point's outcome: `Error: …` / `TypeError: …` for what it threw, the first problem it reported, or `accepted`. */
function outcome(call: () => unknown): string {
  try {
    const problem = (call() as { problems?: Array<{ kind: string; detail: string }> } | undefined)?.problems?.[0];
    return problem ? `problem ${problem.kind}: ${problem.detail}` : 'accepted';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('FlowLogReplay.fromStack', () => {
  test.each<[string, unknown, unknown, RegExp]>([
    ['no stack', undefined, undefined, /^Error: `stack` must be a Stack \(aws-cdk-lib\), got undefined$/],
    ['a null stack', null, undefined, /^Error: `stack` must be a Stack \(aws-cdk-lib\), got null$/],
    ['an App instead of a stack', new App(), undefined, /^Error: `stack` must be a Stack \(aws-cdk-lib\), got an object \(App\)$/],
    ['null options', stack, null, /^Error: `options` must be an object \(\{ refs\?, logGroup\?, maxDisorder\? \}\), got null$/],
    ['options that are a string', stack, 'VpcWatch/LogGroup', /^Error: `options` must be an object \(\{ refs\?, logGroup\?, maxDisorder\? \}\), got string 'VpcWatch\/LogGroup'$/],
    ['an unknown option', stack, { ref: refs }, /^Error: `options` has no option 'ref'; the options are refs, logGroup, maxDisorder$/],
    ['refs that are a string', stack, { refs: 'subnet-1' }, /^Error: `options.refs` must be an object of strings \(\{ LogicalId: 'value' \}\), got string 'subnet-1'$/],
    ['a ref value that is a number', stack, { refs: { ...refs, VpcPublicSubnet1Subnet5C2D37C4: 1 } }, /^Error: `options.refs.VpcPublicSubnet1Subnet5C2D37C4` must be a string .*, got number 1$/],
    ['a logGroup that is a number', stack, { logGroup: 1 }, /^Error: `options.logGroup` must be a log group's logical ID or construct path, got number 1$/],
    ['a maxDisorder that is a number', stack, { maxDisorder: 60 }, /^Error: `options.maxDisorder` must be a Duration \(Duration.minutes\(90\)\), got number 60$/],
    ['a maxDisorder in seconds', stack, { maxDisorder: Duration.seconds(90) },
      /^Error: `options.maxDisorder` must be a whole number of minutes from 0 to 10080 \(one week\), got 1 minute 30 seconds$/],
    ['a maxDisorder over a week', stack, { maxDisorder: Duration.days(8) },
      /^Error: `options.maxDisorder` must be a whole number of minutes from 0 to 10080 \(one week\), got 8 days$/],
  ])('%s', (_, theStack, options, message) => {
    expect(outcome(() => FlowLogReplay.fromStack(theStack as any, options as any))).toMatch(message);
  });
});

describe('FlowLogReplay.fromTemplateFile', () => {
  test.each<[string, unknown, unknown, RegExp]>([
    ['no path', undefined, undefined, /^Error: `path` must be the path of a template file \(cdk.out\/<stack>.template.json\), got undefined$/],
    ['a path that is a number', 42, undefined, /^Error: `path` must be the path of a template file .*, got number 42$/],
    ['an empty path', '', undefined, /^Error: `path` must be the path of a template file .*, got string ''$/],
    ['a missing file', path.join(dir, 'Missing.template.json'), undefined, /^Error: `path` '.*Missing\.template\.json' cannot be read: no such file; /],
    ['a directory', path.join(dir, 'template-dir'), undefined, /^Error: `path` '.*template-dir' cannot be read: a directory, not a file; /],
    ['a file that is not JSON', path.join(dir, 'Broken.template.json'), undefined, /^Error: `path` '.*Broken\.template\.json' is not JSON \(/],
    ['a file holding JSON null', file('Null.template.json', 'null'), undefined,
      /^Error: `path` '.*Null\.template\.json' is not a CloudFormation template: expected a JSON object with Resources, got null$/],
    ['a file with a null resource', path.join(dir, 'NullResource.template.json'), undefined,
      /^Error: `path` '.*NullResource\.template\.json' is not a CloudFormation template: Resources\.Filter must be an object/],
    ['options that are a string', template, 'refs', /^Error: `options` must be an object \(\{ refs\?, logGroup\?, maxDisorder\? \}\), got string 'refs'$/],
    ['refs that are an array', template, { refs: [privateSubnet] }, /^Error: `options.refs` must be an object of strings .*, got an array of 1$/],
  ])('%s', (_, file_, options, message) => {
    expect(outcome(() => FlowLogReplay.fromTemplateFile(file_ as any, options as any))).toMatch(message);
  });
});

describe('FlowLogReplay.replay', () => {
  const replay = FlowLogReplay.fromStack(stack, { refs });
  test.each<[string, unknown, RegExp]>([
    ['no records', undefined, /^Error: `records` must be an array of strings \(flow-log records, one per element\), got undefined$/],
    ['one string instead of an array', good(0), /^Error: `records` must be an array of strings .*, got string '5 123456789012 /],
    ['an object instead of an array', { records: [good(0)] }, /^Error: `records` must be an array of strings .*, got an object$/],
    ['[42, null]', [42, null], /^Error: `records\[0\]` must be a string \(a flow-log record\), got number 42$/],
    ['[null]', [null], /^Error: `records\[0\]` must be a string \(a flow-log record\), got null$/],
    ['a number after a record', [good(0), 7], /^Error: `records\[1\]` must be a string \(a flow-log record\), got number 7$/],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in the array', [good(0), , good(1)], /^Error: `records\[1\]` must be a string \(a flow-log record\), got undefined$/],
    ['a Buffer instead of a string', [Buffer.from(good(0))], /^Error: `records\[0\]` must be a string \(a flow-log record\), got an object \(Buffer\)$/],
    ['a record of garbage text', ['garbage text'], /^problem malformed: not a flow-log record: field 1 'garbage' is no flow-log value/],
    ['a record of binary data', ['\u0000\u0001 \u0002'], /^problem malformed: not a flow-log record: field 1 holds a control character \(U\+0000\)/],
    ['a record of a single field', ['1700000100'], /^problem malformed: not a flow-log record: a single field '1700000100'$/],
  ])('%s', (_, records, message) => {
    expect(outcome(() => replay.replay(records as any))).toMatch(message);
  });
});
