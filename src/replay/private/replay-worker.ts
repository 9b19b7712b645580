import { parentPort, workerData } from 'worker_threads';
import { openReplay, RangeReplay, RangeStopped, ReplayWorkerInput } from './parallel-replay';
import { readRecords } from '../engine/record-reader';
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
      const summary = await readRecords(input.paths, r => session.add(r.message, r.source, r.lineNumber, r.timestamp, r.fieldNames), {
        range: input.range,
        onLine: (text, start, end, source, lineNumber, fieldNames) => session.addAt(text, start, end, source, lineNumber, undefined, fieldNames),
      });
      result = { outcome: session.finishRange(), summary };
    } catch (e) {
      if (!(e instanceof RangeDisorder)) throw e;
      result = { stopped: e.message };
    }
    parentPort!.postMessage(result);
    return;
  }
  const session = replay._session(input.part);
  await readRecords(input.paths, r => session.add(r.message, r.source, r.lineNumber, r.timestamp, r.fieldNames), {
    onLine: (text, start, end, source, lineNumber, fieldNames) => session.addAt(text, start, end, source, lineNumber, undefined, fieldNames),
  });
  parentPort!.postMessage(session.finish());
}

// A failure rejects, and an unhandled rejection ends the thread with an 'error' the main thread reports.
void runPart(workerData as ReplayWorkerInput);
