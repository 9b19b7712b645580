#!/usr/bin/env node
import { readRecords } from './private/record-reader';
import { AlarmReplay, FlowLogReplay, ReplayResult } from './replay';

const USAGE = `Usage: flowlog-watch replay --template FILE [--ref LogicalId=value]... [--json]
                             [--expect-alarm NAME]... [--expect-quiet] [LOGFILE|DIR]...

Replays flow-log records (plain text, .gz, CloudWatch Logs export JSON, S3 files with a
header line; directories are read recursively; stdin when no file is given) against the
metric filters and static-threshold alarms of a synthesized CloudFormation template.

  --template FILE        the template (cdk.out/<stack>.template.json)
  --ref LogicalId=value  the deployed value of a reference (e.g. a subnet ID); repeatable
  --json                 print the result as JSON
  --expect-alarm NAME    exit 1 unless the alarm NAME (name or logical ID) enters ALARM; repeatable
  --expect-quiet         exit 1 if any alarm enters ALARM
  --help                 this text

Exit status: 0 as expected, 1 an expectation failed, 2 bad usage or input.`;

interface Args {
  template?: string;
  refs: Record<string, string>;
  json: boolean;
  expectAlarms: string[];
  expectQuiet: boolean;
  paths: string[];
  help: boolean;
}

/** The output streams and clock of a run; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
  readonly now?: () => number;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { refs: {}, json: false, expectAlarms: [], expectQuiet: false, paths: [], help: false };
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    return { ...args, help: true };
  }
  if (command !== 'replay') {
    throw new UsageError(`unknown command '${command}'; the command is 'replay'`);
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      return rest[++i];
    };
    switch (arg) {
      case '--template': args.template = value(); break;
      case '--ref': {
        const ref = value();
        const eq = ref.indexOf('=');
        if (eq <= 0) throw new UsageError(`--ref takes LogicalId=value, got '${ref}'`);
        args.refs[ref.slice(0, eq)] = ref.slice(eq + 1);
        break;
      }
      case '--json': args.json = true; break;
      case '--expect-alarm': args.expectAlarms.push(value()); break;
      case '--expect-quiet': args.expectQuiet = true; break;
      case '--help': case '-h': args.help = true; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  if (!args.help && !args.template) {
    throw new UsageError('--template FILE is required');
  }
  return args;
}

/**
 * Runs the command line and returns the exit status.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr(`flowlog-watch: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  let replay: FlowLogReplay;
  try {
    replay = FlowLogReplay.fromTemplateFile(args.template!, { refs: args.refs });
  } catch (e) {
    io.stderr(`flowlog-watch: cannot read the template ${args.template}: ${(e as Error).message}\n`);
    return 2;
  }

  const now = io.now ?? Date.now;
  const started = now();
  let lastProgress = started;
  let count = 0;
  const session = replay._session();
  const summary = await readRecords(args.paths, record => {
    session.add(record.message);
    if (++count % 100_000 === 0 && now() - lastProgress >= 1000) {
      lastProgress = now();
      io.stderr(`\r${count.toLocaleString('en-US')} records read…`);
    }
  }, { stdin: io.stdin });
  if (lastProgress !== started) io.stderr('\n');
  const result = session.finish();

  const failures = expectationFailures(args, result.alarms);
  if (args.json) {
    io.stdout(`${JSON.stringify({ ...result, problems: summary.problems, sources: summary.sources, expectationFailures: failures }, null, 2)}\n`);
  } else {
    io.stdout(render(result, summary.problems.map(p => `${p.source}:${p.lineNumber}: ${p.kind}: ${p.detail}`), failures));
  }
  if (result.recordsRead === 0 || summary.problems.length > 0) {
    return failures.length > 0 ? 1 : 2;
  }
  return failures.length > 0 ? 1 : 0;
}

function expectationFailures(args: Args, alarms: AlarmReplay[]): string[] {
  const failures: string[] = [];
  for (const name of args.expectAlarms) {
    const alarm = alarms.find(a => a.alarmName === name || a.logicalId === name);
    if (!alarm) failures.push(`expected alarm '${name}' is not in the template`);
    else if (!alarm.simulated) failures.push(`expected alarm '${name}' cannot be simulated: ${alarm.notSimulatedReason}`);
    else if (alarm.enteredAlarmAt.length === 0) failures.push(`expected alarm '${name}' never entered ALARM`);
  }
  if (args.expectQuiet) {
    for (const alarm of alarms.filter(a => a.enteredAlarmAt.length > 0)) {
      failures.push(`expected quiet, but '${alarm.alarmName ?? alarm.logicalId}' entered ALARM at ${alarm.enteredAlarmAt.join(', ')}`);
    }
  }
  return failures;
}

function render(result: ReplayResult, problems: string[], failures: string[]): string {
  const lines = [
    `records: ${result.recordsRead} read, ${result.recordsSkipped} skipped (blank or comment), ${result.recordsMalformed} malformed (no timestamp)`,
    '',
    'metric filters:',
    ...result.filters.map(f => `  ${f.metricName.padEnd(34)} ${String(f.recordsMatched).padStart(9)} records  sum ${f.sum}`
      + (f.unresolved.length ? `  (unresolved: ${f.unresolved.join(', ')}; pass --ref)` : '')),
    '',
    'alarms:',
    ...result.alarms.map(a => `  ${(a.alarmName ?? a.logicalId).padEnd(50)} `
      + (!a.simulated ? `not simulated: ${a.notSimulatedReason}` : a.enteredAlarmAt.length ? `ALARM at ${a.enteredAlarmAt.join(', ')}` : 'quiet')),
  ];
  if (problems.length) lines.push('', 'input problems:', ...problems.map(p => `  ${p}`));
  if (failures.length) lines.push('', 'expectations failed:', ...failures.map(f => `  ${f}`));
  return `${lines.join('\n')}\n`;
}

class UsageError extends Error {}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: t => process.stdout.write(t), stderr: t => process.stderr.write(t) })
    .then(code => process.exit(code), e => {
      process.stderr.write(`flowlog-watch: ${(e as Error).message}\n`);
      process.exit(2);
    });
}
