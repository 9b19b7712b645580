import { parentPort, workerData } from 'worker_threads';
import { openReplay, ReplayWorkerInput } from './parallel-replay';
import { readRecords } from '../engine/record-reader';

/** A worker thread's part of a replay (parallel-replay.ts): reads the whole input, runs its part, posts the result. */
async function runPart(input: ReplayWorkerInput): Promise<void> {
  const session = openReplay(input)._session(input.part);
  await readRecords(input.paths, record => session.add(record.message, record.source, record.lineNumber, record.timestamp, record.fieldNames));
  parentPort!.postMessage(session.finish());
}

// A failure rejects, and an unhandled rejection ends the thread with an 'error' the main thread reports.
void runPart(workerData as ReplayWorkerInput);
