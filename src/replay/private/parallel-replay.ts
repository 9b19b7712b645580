import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Duration } from 'aws-cdk-lib';
import { ReplayPart } from './replay-part';
import { FlowLogReplay } from '../flow-log-replay';
import { ReplayResult } from '../replay-result';

/*
 * Replay on several threads, shared by alarm rather than by input: every thread reads the whole input (from
 * the page cache, reading is the cheap part: `wc -l` is 100 times faster than a replay) and runs its share
 * of the log alarms, the first thread also the metric filters. Each log alarm is evaluated whole by one
 * thread, exactly as on one thread, so the merged result is the one-thread result by construction: no
 * partial state crosses threads, and each thread keeps its own windows only (memory stays flat).
 * Splitting the input into byte ranges would need the windows at each range's edges merged across
 * threads, with records out of time order across the edge; sharing by alarm needs none of that.
 */

/** The replay of a template file as the command line gives it (plain data, as a worker thread receives it). */
export interface ReplaySource {
  readonly template: string;
  readonly refs: Record<string, string>;
  readonly logGroup?: string;
  readonly maxDisorderMinutes?: number;
}

/** What a worker thread needs to build its part of the replay. */
export interface ReplayWorkerInput extends ReplaySource {
  readonly paths: readonly string[];
  readonly part: ReplayPart;
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
export function runReplayWorker(input: ReplayWorkerInput): Promise<ReplayResult> {
  // Compiled, the worker is the .js beside this file; under ts-jest or ts-node it is the .ts, run through ts-node.
  const js = path.join(__dirname, 'replay-worker.js');
  const compiled = fs.existsSync(js);
  const worker = new Worker(compiled ? js : path.join(__dirname, 'replay-worker.ts'), {
    workerData: input,
    execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
  });
  const result = new Promise<ReplayResult>((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: ReplayResult) => {
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
