import { parentPort, workerData } from 'worker_threads';
import { openReplay, RangeReplay, RangeStopped, ReplayWorkerInput } from './parallel-replay';
import { readInto } from './record-sink';
import { RangeDisorder } from '../engine/replay-session';

/**
 * A worker thread's part of a replay (parallel-replay.ts): its byte range of the file, or the whole input for
 * its share of the alarms; posts what it found.
 */
async function runPart(input: ReplayWorkerInput): Promise<void> {
  const replay = openReplay(input);
  if (input.range !== undefined) {
    const session = replay._rangeSession(input.range.low, input.range.high);
    let result: RangeReplay | RangeStopped;
    try {
      const summary = await readInto(input.paths, session, { range: input.range });
      result = { outcome: session.finishRange(), summary };
    } catch (e) {
      if (!(e instanceof RangeDisorder)) throw e;
      result = { stopped: e.message };
    }
    parentPort!.postMessage(result);
    return;
  }
  const session = replay._session(input.part);
  await readInto(input.paths, session);
  parentPort!.postMessage(session.finish());
}

// A failure rejects, and an unhandled rejection ends the thread with an 'error' the main thread reports.
void runPart(workerData as ReplayWorkerInput);
