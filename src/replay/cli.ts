#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import { runCostCommand } from './cost/cost-cli';
import { ReadSummary } from './engine/record-reader';
import { RangeDisorder } from './engine/replay-session';
import { FlowLogReplay } from './flow-log-replay';
import { checkNamesAgainstTemplate, checkOptionCombinations, notProvenQuiet, skippedFileLines } from './private/cli-validation';
import { CommandLine, UsageError } from './private/command-line';
import {
  ByteRange, openReplay, partitionReplay, planRanges, RangeReplay, RangeStopped, ReplaySource, runRangeWorker, runReplayWorker,
} from './private/parallel-replay';
import { knownInputBytes, progressLine } from './private/progress-line';
import { readInto, RecordSink } from './private/record-sink';
import { MAX_DISORDER_MINUTES } from './private/replay-api-validation';
import { readTemplateFile } from './private/template-file';
import { AlarmReplay, ReplayDatapoint, ReplayProblem, ReplayResult } from './replay-result';
import { FlowLogReplayReport } from './report';

const USAGE = `Usage: flowlog-watch replay --template FILE [--log-group ID] [--ref LogicalId=value]... [--refs FILE]
                             [--json] [--html FILE] [--expect-alarm NAME]... [--expect-quiet [--allow-unsimulated NAME]...]
                             [--max-disorder MINUTES] [--threads N] [LOGFILE|DIR]...

Replays flow-log records (plain text, .gz, CloudWatch Logs export JSON, S3 files with a
header line; directories are read recursively; stdin when no file is given) against the
metric filters, static-threshold alarms and log alarms of a synthesized CloudFormation template.

  --template FILE        the template (cdk.out/<stack>.template.json)
  --log-group ID         the log group the records come from, when the template's filters read
                         several: its logical ID or construct path (Stack/Watch/LogGroup)
  --ref LogicalId=value  the deployed value of a reference (e.g. a subnet ID); repeatable; a
                         LogicalId that is not in the template, an empty value, or one LogicalId
                         given two values is a usage error
  --refs FILE            a JSON object of such values ({"LogicalId": "value", ...}); keys not in
                         the template are noted on stderr and not used; an empty value, or a key
                         that two files (or a file and --ref) give different values, is an error
  --json                 print the result as JSON
  --html FILE            also write a report to look at: one self-contained HTML page with each
                         alarm's timeline, threshold and ALARM periods (no scripts, no network)
  --expect-alarm NAME    exit 1 unless the alarm NAME (name or logical ID) is simulated and enters
                         ALARM; repeatable
  --expect-quiet         exit 1 if any alarm enters ALARM, or is not simulated (its quiet is not proven)
  --allow-unsimulated NAME
                         with --expect-quiet: accept that the alarm NAME is not simulated (e.g. an
                         anomaly-detection alarm); repeatable
  --max-disorder MINUTES how far out of time order records may come (default 60): each log alarm's
                         execution runs once the newest record is this far past its window; an
                         older record makes the alarms it would change "not simulated"
  --threads N            threads (default: one per core, at most 8, for plain files of 64 MiB or
                         more; else 1; stdin is read on one thread, so N > 1 without a file is a
                         usage error). One plain-text file is cut into N byte ranges, one per
                         thread; several files, or one that cannot be cut (gzip, JSON), are read
                         whole by each thread, which runs a share of the log alarms. The result
                         is the same for any N
  --help                 this text

--template, --log-group, --html, --max-disorder and --threads are given once; an option's value
never starts with '--' (a missing value is an error, not the next option taken as one).

Records of another format (field count, header line), lines that are no flow-log record at all
(malformed) and records without a timestamp are counted and reported with their line numbers,
and so are empty, truncated or unreadable inputs and the files of a directory that are not read
(other than *.log, *.txt, *.json, *.gz; hidden entries are not read and not reported).

Exit status: 0 as expected; 1 an expectation failed; 2 bad usage, or input that was not all
replayed (problems are listed).

See also: flowlog-watch cost --help (the monthly AWS cost of a template's configuration).`;

const MAX_THREADS = 64;

/** What each option that takes a value takes, for the message when it is missing. */
const VALUE_OF: Record<string, string> = {
  '--template': 'a FILE',
  '--log-group': 'an ID',
  '--refs': 'a FILE',
  '--ref': 'LogicalId=value',
  '--html': 'a FILE',
  '--expect-alarm': 'a NAME',
  '--allow-unsimulated': 'a NAME',
  '--max-disorder': 'MINUTES',
  '--threads': 'N',
};
const DEFAULT_MAX_THREADS = 8;
const PARALLEL_INPUT_BYTES = 64 * 1024 * 1024;

interface Args {
  template?: string;
  logGroup?: string;
  refs: Record<string, string>;
  refsFiles: string[];
  json: boolean;
  html?: string;
  expectAlarms: string[];
  expectQuiet: boolean;
  allowUnsimulated: string[];
  maxDisorderMinutes?: number;
  threads?: number;
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
  const args: Args = { refs: {}, refsFiles: [], json: false, expectAlarms: [], expectQuiet: false, allowUnsimulated: [], paths: [], help: false };
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    return { ...args, help: true };
  }
  if (command !== 'replay') {
    throw new UsageError(`unknown command '${command}'; the commands are 'replay' and 'cost'`);
  }
  const line = new CommandLine(rest, VALUE_OF);
  const value = () => line.value();
  const once = (option: string, text: string) => line.once(option, text);
  for (let arg = line.next(); arg !== undefined; arg = line.next()) {
    switch (arg) {
      case '--template': args.template = once(arg, value()); break;
      case '--log-group': args.logGroup = once(arg, value()); break;
      case '--refs': args.refsFiles.push(value()); break;
      case '--ref': {
        const ref = value();
        const eq = ref.indexOf('=');
        if (eq <= 0) throw new UsageError(`--ref takes LogicalId=value, got '${ref}'`);
        const key = ref.slice(0, eq);
        const refValue = ref.slice(eq + 1);
        if (refValue === '') throw new UsageError(`--ref '${ref}' gives ${key} an empty value; give its deployed value (LogicalId=value)`);
        if (has(args.refs, key) && args.refs[key] !== refValue) {
          throw new UsageError(`--ref ${key} is given twice with different values ('${args.refs[key]}', '${refValue}'); give it once`);
        }
        args.refs[key] = refValue;
        break;
      }
      case '--json': args.json = true; break;
      case '--html': args.html = once(arg, value()); break;
      case '--expect-alarm': args.expectAlarms.push(value()); break;
      case '--expect-quiet': args.expectQuiet = true; break;
      case '--allow-unsimulated': args.allowUnsimulated.push(value()); break;
      case '--max-disorder': {
        const text = once(arg, value());
        const minutes = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
        if (!(minutes <= MAX_DISORDER_MINUTES)) {
          throw new UsageError(`--max-disorder takes a whole number of minutes from 0 to ${MAX_DISORDER_MINUTES} (one week), got '${text}'`);
        }
        args.maxDisorderMinutes = minutes;
        break;
      }
      case '--threads': {
        const text = once(arg, value());
        if (!/^[1-9][0-9]?$/.test(text) || Number(text) > MAX_THREADS) {
          throw new UsageError(`--threads takes a whole number from 1 to ${MAX_THREADS}, got '${text}'`);
        }
        args.threads = Number(text);
        break;
      }
      case '--help': case '-h': args.help = true; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  if (!args.help && !args.template) {
    throw new UsageError('--template FILE is required');
  }
  if (!args.help && args.paths.length === 0 && args.threads !== undefined && args.threads > 1) {
    throw new UsageError(`--threads ${args.threads}: stdin is read on one thread; give files to use threads`);
  }
  if (!args.help) checkOptionCombinations(args);
  return args;
}

/**
 * Runs the command line and returns the exit status.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'cost') {
    return runCostCommand(argv.slice(1), io);
  }
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
  let refs: Record<string, string>;
  let fileRefs: Record<string, string>;
  let template: ReturnType<typeof readTemplateFile>;
  try {
    fileRefs = readRefsFiles(args.refsFiles);
    refs = mergeRefs(fileRefs, args.refs);
    template = readTemplateFile(args.template, '--template');
  } catch (e) {
    io.stderr(`flowlog-watch: ${(e as Error).message}\n`);
    return 2;
  }
  const source = { template: args.template!, refs, logGroup: args.logGroup, maxDisorderMinutes: args.maxDisorderMinutes };
  let replay: FlowLogReplay;
  try {
    replay = openReplay(source);
  } catch (e) {
    io.stderr(`flowlog-watch: cannot replay the template ${args.template}: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    // A replay without records lists the log group's alarms and the references its filters still need.
    checkNamesAgainstTemplate(args, template, replay.replay([]), fileRefs).forEach(note => io.stderr(`flowlog-watch: ${note}\n`));
  } catch (e) {
    io.stderr(`flowlog-watch: ${(e as Error).message}\n`);
    return 2;
  }

  const totalBytes = knownInputBytes(args.paths);
  // A thread takes a few hundred milliseconds to start, so small inputs (or of unknown size: gzip) take one by default.
  const threads = args.paths.length === 0 ? 1
    : args.threads ?? (totalBytes !== undefined && totalBytes >= PARALLEL_INPUT_BYTES ? Math.min(DEFAULT_MAX_THREADS, os.cpus().length) : 1);
  const ranges = threads > 1 && args.paths.length === 1 && isFile(args.paths[0])
    ? planRanges(args.paths[0], threads, line => replay._recordTime(line)) : undefined;
  let replayed: { result: ReplayResult; summary: ReadSummary };
  try {
    replayed = ranges !== undefined ? await replayRanges(replay, source, args.paths[0], ranges, io)
      : await replayByAlarm(replay, source, args.paths, threads, io);
  } catch (e) {
    if (!(e instanceof ThreadFailure)) throw e;
    io.stderr(`flowlog-watch: a replay thread failed: ${e.message}\n`);
    return 2;
  }
  const { result, summary } = replayed;
  skippedFileLines(summary.problems).forEach(line => io.stderr(line));

  // Input problems (whole sources) and record problems (lines), in one list.
  const problems: ReplayProblem[] = [
    ...summary.problems.map(p => ({
      source: p.source, kind: p.kind, count: 1, lineNumbers: p.lineNumber > 0 ? [p.lineNumber] : [], detail: p.detail,
    })),
    ...result.problems,
  ];
  const failures = expectationFailures(args, result);
  if (args.html !== undefined) {
    try {
      fs.writeFileSync(args.html, FlowLogReplayReport.renderHtml({ ...result, problems }, { template: args.template }));
    } catch (e) {
      io.stderr(`flowlog-watch: cannot write the report --html ${args.html}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (args.json) {
    io.stdout(`${JSON.stringify({ ...result, problems, sources: summary.sources, expectationFailures: failures }, null, 2)}\n`);
  } else {
    io.stdout(render(result, problems, failures));
  }
  if (failures.length > 0) {
    return 1;
  }
  return result.recordsRead === 0 || problems.length > 0 ? 2 : 0;
}

/** Reads the records into `add`, writing the progress line on stderr (`label` before it) when reading takes long. */
async function readWithProgress(
  paths: readonly string[], sink: RecordSink, io: CliIo, options: { range?: ByteRange; label?: string } = {},
): Promise<ReadSummary> {
  const now = io.now ?? Date.now;
  const started = now();
  let lastProgress = started;
  let count = 0;
  let bytesRead = 0;
  const totalBytes = options.range !== undefined ? options.range.end - options.range.start : knownInputBytes(paths);
  const progress = (bytes: number) => {
    bytesRead += bytes;
    if (++count % 100_000 === 0 && now() - lastProgress >= 1000) {
      lastProgress = now();
      io.stderr(`\r${options.label ?? ''}${progressLine(count, lastProgress - started, bytesRead, totalBytes)}…`);
    }
  };
  try {
    return await readInto(paths, sink, { stdin: io.stdin, range: options.range }, progress);
  } finally {
    if (lastProgress !== started) io.stderr('\n');
  }
}

/** The log alarms shared by the threads, each reading the whole input (or one thread with everything). */
async function replayByAlarm(
  replay: FlowLogReplay, source: ReplaySource, paths: readonly string[], threads: number, io: CliIo,
): Promise<{ result: ReplayResult; summary: ReadSummary }> {
  const parts = partitionReplay(replay._logAlarmQueries(), threads);
  const workers = parts.slice(1).map(part => runReplayWorker({ ...source, paths, part }));
  const session = replay._session(parts[0]);
  const summary = await readWithProgress(paths, session, io);
  return { result: replay._mergeParts(parts, [session.finish(), ...await threadResults(workers)]), summary };
}

/**
 * One file read by byte range, a thread each, the ranges merged in order; replayed again on one thread when
 * the merge cannot be exact (records out of time order across ranges, a header line, an input problem).
 */
async function replayRanges(
  replay: FlowLogReplay, source: ReplaySource, file: string, ranges: readonly ByteRange[], io: CliIo,
): Promise<{ result: ReplayResult; summary: ReadSummary }> {
  const paths = [file];
  const outOfOrder = (k: number, why: string) => `byte range ${k + 1} of ${ranges.length}: ${why}`;
  // A range out of order stops every range at once: the input is replayed on one thread anyway.
  let stopped: string | undefined;
  const noteStopped = (r: RangeReplay | RangeStopped, k: number) => {
    if ('stopped' in r) stopped ??= outOfOrder(k + 1, r.stopped);
  };
  const workers = ranges.slice(1).map((range, k) => {
    const worker = runRangeWorker({ ...source, paths, range });
    void worker.result.then(r => noteStopped(r, k), () => undefined); // as soon as it stops, the main thread's range stops too
    return worker;
  });
  const session = replay._rangeSession(ranges[0].low, ranges[0].high);
  const stoppable: RecordSink = {
    add: (...record) => {
      if (stopped !== undefined) throw new RangeStop();
      session.add(...record);
    },
    addAt: (...record) => {
      if (stopped !== undefined) throw new RangeStop();
      session.addAt(...record);
    },
  };
  let first: ReadSummary | undefined;
  try {
    first = await readWithProgress(paths, stoppable, io, { range: ranges[0], label: `thread 1 of ${ranges.length}: ` });
  } catch (e) {
    if (e instanceof RangeDisorder) stopped ??= outOfOrder(0, e.message);
    else if (!(e instanceof RangeStop)) throw e;
  }
  const others = stopped === undefined ? await threadResults(workers.map(w => w.result)) : [];
  others.forEach(noteStopped);
  if (stopped !== undefined) {
    workers.forEach(w => w.stop());
    return replayAgain(replay, file, stopped, io);
  }
  // Read to its end: had the main thread's range stopped, `stopped` would say why.
  const own = first!;
  const replays = [{ outcome: session.finishRange(), summary: own }, ...others as RangeReplay[]];
  const summaries = replays.map(r => r.summary);
  let lineOffset = 0;
  const read = replays.map((r, k) => {
    const range = { outcome: r.outcome, low: ranges[k].low, lineOffset };
    lineOffset += r.summary.lines;
    return range;
  });
  const merged = summaries.some(s => s.problems.length > 0) ? { why: 'a byte range of the input has a problem to report with its line' }
    : summaries.slice(0, -1).some(s => s.headerLines > 0) ? { why: 'a header line names the fields of the records after it, in the next byte range' }
      : replay._mergeRanges(read);
  if (!('why' in merged)) {
    return { result: merged, summary: { ...own, records: sumOf(summaries.map(s => s.records)), lines: lineOffset } };
  }
  return replayAgain(replay, file, merged.why, io);
}

/** The file replayed on one thread, when its byte ranges cannot be merged exactly: why goes to stderr. */
async function replayAgain(replay: FlowLogReplay, file: string, why: string, io: CliIo): Promise<{ result: ReplayResult; summary: ReadSummary }> {
  io.stderr(`flowlog-watch: replaying ${file} again on one thread: ${why}\n`);
  const again = replay._session();
  const summary = await readWithProgress([file], again, io);
  return { result: again.finish(), summary };
}

/** Stops the main thread's range when another range stopped. */
class RangeStop extends Error {}

/** A worker thread's failure, told apart from the main thread's own errors. */
class ThreadFailure extends Error {}

async function threadResults<T>(workers: ReadonlyArray<Promise<T>>): Promise<T[]> {
  try {
    return await Promise.all(workers);
  } catch (e) {
    throw new ThreadFailure((e as Error).message);
  }
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function readRefsFiles(files: string[]): Record<string, string> {
  const refs: Record<string, string> = {};
  const fileOf: Record<string, string> = {};
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`--refs ${file}: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)
      || !Object.values(json).every(v => typeof v === 'string')) {
      throw new Error(`--refs ${file}: expected a JSON object of strings ({"LogicalId": "value", ...})`);
    }
    for (const [key, value] of Object.entries(json as Record<string, string>)) {
      if (value === '') throw new Error(`--refs ${file}: the key '${key}' has an empty value (""); give its deployed value`);
      if (has(refs, key) && refs[key] !== value) {
        throw new Error(`--refs: the key '${key}' has two values: '${refs[key]}' in ${fileOf[key]} and '${value}' in ${file}; give it once`);
      }
      refs[key] = value;
      fileOf[key] = file;
    }
  }
  return refs;
}

/** The references of --refs files and --ref options together: a key they give different values is an error. */
function mergeRefs(fileRefs: Record<string, string>, optionRefs: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(optionRefs)) {
    if (has(fileRefs, key) && fileRefs[key] !== value) {
      throw new Error(`--ref ${key}=${value} and a --refs file (${key}: '${fileRefs[key]}') give ${key} different values; give one`);
    }
  }
  return { ...fileRefs, ...optionRefs };
}

function has(record: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function expectationFailures(args: Args, result: ReplayResult): string[] {
  const alarms = result.alarms;
  const failures: string[] = [];
  for (const name of args.expectAlarms) {
    const alarm = alarms.find(a => a.alarmName === name || a.logicalId === name);
    if (!alarm) failures.push(`expected alarm '${name}' is not an alarm on the metrics or the records of the log group ${result.logGroup}`);
    else if (!alarm.simulated) failures.push(`expected alarm '${name}' cannot be simulated: ${alarm.notSimulatedReason}`);
    else if (alarm.enteredAlarmAt.length === 0) failures.push(`expected alarm '${name}' never entered ALARM`);
  }
  if (args.expectQuiet) {
    for (const alarm of alarms.filter(a => a.enteredAlarmAt.length > 0)) {
      failures.push(`expected quiet, but '${alarm.alarmName ?? alarm.logicalId}' entered ALARM at ${alarm.enteredAlarmAt.join(', ')}`);
    }
    failures.push(...notProvenQuiet(result, args.allowUnsimulated));
  }
  return failures;
}

function render(result: ReplayResult, problems: ReplayProblem[], failures: string[]): string {
  const nameWidth = Math.max(0, ...result.alarms.map(a => (a.alarmName ?? a.logicalId).length));
  const lines = [
    `log group: ${result.logGroup}`,
    `records: ${result.recordsRead} read, ${result.recordsSkipped} skipped (blank or comment), `
      + `${result.recordsMalformed} malformed (no flow-log record, or no timestamp), ${result.recordsMismatched} of another format`,
    '',
    'metric filters:',
    ...result.filters.map(f => `  ${f.metricName.padEnd(34)} ${String(f.recordsMatched).padStart(9)} records  sum ${f.sum}`
      + (f.unresolved.length ? `  (unresolved: ${f.unresolved.join(', ')}; pass --ref)` : '')),
    '',
    'alarms:',
    ...result.alarms.map(a => `  ${(a.alarmName ?? a.logicalId).padEnd(nameWidth)}  ${describeAlarm(a)}`),
  ];
  if (problems.length) lines.push('', 'input problems:', ...problems.map(describeProblem));
  if (failures.length) lines.push('', 'expectations failed:', ...failures.map(f => `  ${f}`));
  return `${lines.join('\n')}\n`;
}

function describeAlarm(a: AlarmReplay): string {
  if (a.simulated) {
    const offenders = (a.topOffenders ?? []).slice(0, 3).map(o => `${o.group}: ${o.value}`);
    return (a.enteredAlarmAt.length ? `ALARM at ${a.enteredAlarmAt.join(', ')}` : 'quiet')
      + (offenders.length ? `; top: ${offenders.join(', ')}` : '');
  }
  const peak = a.series.reduce<ReplayDatapoint | undefined>(
    (best, d) => (d.value !== undefined && (best === undefined || d.value > best.value!) ? d : best), undefined);
  return `not simulated: ${a.notSimulatedReason}${peak ? `; metric peaked at ${peak.value} in the period of ${peak.periodStart}` : ''}`;
}

function describeProblem(p: ReplayProblem): string {
  const where = p.lineNumbers.length === 0 ? p.source
    : `${p.source}:${p.lineNumbers.join(',')}${p.count > p.lineNumbers.length ? ',…' : ''}`;
  return `  ${where}: ${p.kind}${p.count > 1 ? ` (${p.count} records)` : ''}: ${p.detail}`;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: t => process.stdout.write(t), stderr: t => process.stderr.write(t) })
    // exitCode, not exit(): a piped stdout is written asynchronously, and exit() would cut it short.
    .then(code => { process.exitCode = code; }, e => {
      process.stderr.write(`flowlog-watch: ${(e as Error).message}\n`);
      process.exitCode = 2;
    });
}
