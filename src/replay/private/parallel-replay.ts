import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Duration } from 'aws-cdk-lib';
import { ReplayPart } from './replay-part';
import { ReadSummary } from '../engine/record-reader';
import { RangeOutcome } from '../engine/replay-session';
import { FlowLogReplay } from '../flow-log-replay';
import { ReplayResult } from '../replay-result';

/*
 * Replay on several threads, two ways.
 *
 * - By byte range (one plain-text file, the common case of a big input): the file is cut at line breaks into
 *   one range per thread, and each thread reads its range only, runs every filter and query on it, and runs
 *   the log alarms' executions whose windows no other range has records for. The main thread merges the
 *   ranges in order, runs the executions at the boundaries over the slots the ranges kept, and carries each
 *   alarm's M-of-N state over all the executions in order (mergeRanges): the one-thread result, exactly,
 *   when the records are in time order within maxDisorder. When they are not (or a range has a header line,
 *   or the input a problem) the merge cannot be exact, and the file is replayed again on one thread.
 * - By alarm (several files, or a file that cannot be cut): every thread reads the whole input and runs its
 *   share of the log alarms, the first thread also the metric filters; each log alarm is evaluated whole by
 *   one thread, so the merged result is the one-thread result by construction.
 */

/** The replay of a template file as the command line gives it (plain data, as a worker thread receives it). */
export interface ReplaySource {
  readonly template: string;
  readonly refs: Record<string, string>;
  readonly logGroup?: string;
  readonly maxDisorderMinutes?: number;
}

/** What a worker thread needs to build its part of the replay: its share of the alarms, or its byte range of the file. */
export interface ReplayWorkerInput extends ReplaySource {
  readonly paths: readonly string[];
  readonly part?: ReplayPart;
  readonly range?: ByteRange;
}

/** One thread's share of a file: bytes [start, end), the time of its first record (low) and of the next range's (high). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
  readonly low: number;
  readonly high: number;
}

/** What a thread that read a byte range sends back. */
export interface RangeReplay {
  readonly outcome: RangeOutcome;
  readonly summary: ReadSummary;
}

/** What a thread that stopped reading its byte range sends back: why (its records out of order). */
export interface RangeStopped {
  readonly stopped: string;
}

/** Bytes read at each cut to find the next line break and a record's time after it. */
const CUT_WINDOW_BYTES = 256 * 1024;
const LF = 10;

/**
 * A plain-text file cut into `threads` byte ranges at line breaks, each with the time of a record at its start
 * (`recordTime` of the first line that has one); undefined when it cannot be cut: gzip, a JSON export, or no
 * record found after any cut.
 */
export function planRanges(file: string, threads: number, recordTime: (line: string) => number | undefined): ByteRange[] | undefined {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const headBytes = fs.readSync(fd, head, 0, head.length, 0);
    const first = head.subarray(0, headBytes).toString('latin1').trimStart()[0];
    if ((head[0] === 0x1f && head[1] === 0x8b) || first === '{' || first === '[') return undefined;
    const starts = [0];
    const lows = [-Infinity];
    const window = Buffer.alloc(CUT_WINDOW_BYTES);
    for (let k = 1; k < threads; k++) {
      const nominal = Math.floor((size * k) / threads);
      if (nominal <= starts[starts.length - 1]) continue;
      const length = fs.readSync(fd, window, 0, window.length, nominal);
      const lf = window.subarray(0, length).indexOf(LF);
      if (lf === -1) continue;
      const timed = firstRecordTime(window.subarray(lf + 1, length), recordTime);
      if (timed === undefined || nominal + lf + 1 >= size) continue;
      starts.push(nominal + lf + 1);
      lows.push(timed);
    }
    if (starts.length < 2) return undefined;
    return starts.map((start, k) => ({ start, end: starts[k + 1] ?? size, low: lows[k], high: lows[k + 1] ?? Infinity }));
  } finally {
    fs.closeSync(fd);
  }
}

/** The time of the first whole line of `bytes` that has one. */
function firstRecordTime(bytes: Buffer, recordTime: (line: string) => number | undefined): number | undefined {
  let start = 0;
  for (let end = bytes.indexOf(LF); end !== -1; start = end + 1, end = bytes.indexOf(LF, start)) {
    const time = recordTime(bytes.toString('latin1', start, end).replace(/\r$/, ''));
    if (time !== undefined) return time;
  }
  return undefined;
}

/** The replay of the source: the same one in the main thread and in every worker. */
export function openReplay(source: ReplaySource): FlowLogReplay {
  return FlowLogReplay.fromTemplateFile(source.template, {
    refs: source.refs,
    logGroup: source.logGroup,
    ...(source.maxDisorderMinutes !== undefined ? { maxDisorder: Duration.minutes(source.maxDisorderMinutes) } : {}),
  });
}

/**
 * The log alarms shared among up to `threads` parts, the first of which also runs the metric filters.
 * Alarms of one query stay together (they share its accumulator); the queries go to the least loaded
 * part, the filters counting as one query. Log alarms that are not simulated go to the first part.
 *
 * @param logAlarmQueries per log alarm, its query's index (-1: not simulated)
 */
export function partitionReplay(logAlarmQueries: readonly number[], threads: number): ReplayPart[] {
  const queries = [...new Set(logAlarmQueries.filter(q => q >= 0))];
  const count = Math.max(1, Math.min(threads, queries.length + 1));
  const load: number[] = Array.from({ length: count }, (_, p) => (p === 0 ? 1 : 0));
  const alarms: number[][] = Array.from({ length: count }, () => []);
  const partOfQuery = new Map<number, number>();
  for (const q of queries) {
    const p = load.indexOf(Math.min(...load));
    partOfQuery.set(q, p);
    load[p]++;
  }
  logAlarmQueries.forEach((q, i) => alarms[q >= 0 ? partOfQuery.get(q)! : 0].push(i));
  return alarms.map((logAlarms, p) => ({ filters: p === 0, logAlarms }));
}

/** Runs one part of the replay on a worker thread; resolves with its result. */
export function runReplayWorker(input: ReplayWorkerInput & { readonly part: ReplayPart }): Promise<ReplayResult> {
  return runWorker<ReplayResult>(input);
}

/** Reads one byte range of the file on a worker thread: what it found, and a way to stop it (its result then never comes). */
export function runRangeWorker(
  input: ReplayWorkerInput & { readonly range: ByteRange },
): { result: Promise<RangeReplay | RangeStopped>; stop(): void } {
  let worker: Worker | undefined;
  const result = runWorker<RangeReplay | RangeStopped>(input, w => { worker = w; });
  return { result, stop: () => void worker?.terminate() };
}

function runWorker<T>(input: ReplayWorkerInput, started: (worker: Worker) => void = () => undefined): Promise<T> {
  // Compiled, the worker is the .js beside this file; under ts-jest or ts-node it is the .ts, run through ts-node.
  const js = path.join(__dirname, 'replay-worker.js');
  const compiled = fs.existsSync(js);
  const worker = new Worker(compiled ? js : path.join(__dirname, 'replay-worker.ts'), {
    workerData: input,
    execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
  });
  started(worker);
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: T) => {
      settled = true;
      resolve(message);
    });
    worker.once('error', e => {
      settled = true;
      reject(e);
    });
    worker.once('exit', code => {
      if (!settled) reject(new Error(`a replay thread stopped (exit code ${code}) before its result`));
    });
  });
  // Awaited once the main thread has read its share; until then a failure must not count as unhandled.
  result.catch(() => undefined);
  return result;
}
