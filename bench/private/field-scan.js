'use strict';
/**
 * The floor of replay's speed in Node.js on this machine: the least work any replay of a plain-text flow-log
 * file must do, and nothing else. It reads the file and finds every field of every record, scanning the
 * bytes without decoding them to strings, and parses two numbers per record (the `end` time, the `bytes`),
 * summed so that the work cannot be optimised away. No filter, no query, no alarm.
 *
 *   node bench/private/field-scan.js FILE THREADS
 *
 * With THREADS > 1 the file is cut after line breaks into as many byte ranges, each scanned by a worker
 * thread, as `replay --threads N` does. Prints {"records": N, "fields": F, "sum": S}.
 *
 * Plain JavaScript, run by `node` as it is: the bench times it as a process beside replay, awk and wc -l.
 */
const fs = require('fs');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

const CHUNK = 1 << 20;
const LF = 10;
const SPACE = 32;
const BYTES_FIELD = 9; // 0-based, in the default (version 2) and kit (version 5) layouts
const END_FIELD = 11;

function scan(file, start, end) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let records = 0;
  let fields = 0;
  let sum = 0;
  let carry = 0; // the bytes of an unfinished line, moved to the buffer's start
  let position = start;
  while (position < end) {
    const read = fs.readSync(fd, buffer, carry, Math.min(CHUNK - carry, end - position), position);
    if (read <= 0) break;
    position += read;
    const length = carry + read;
    let line = 0;
    let i = 0;
    scanning: for (;;) {
      // One record from `line`: a loop per field, to its space or line break.
      let field = 0;
      let lineSum = 0;
      for (;;) {
        if (field === BYTES_FIELD || field === END_FIELD) {
          let value = 0;
          let c;
          while (i < length && (c = buffer[i]) > SPACE) {
            value = value * 10 + (c - 48);
            i++;
          }
          lineSum += value;
        } else {
          while (i < length && buffer[i] > SPACE) i++;
        }
        if (i >= length) break scanning;
        const separator = buffer[i++];
        field++;
        if (separator === LF) {
          records++;
          fields += field;
          sum += lineSum;
          line = i;
          continue scanning;
        }
      }
    }
    buffer.copy(buffer, 0, line, length);
    carry = length - line;
  }
  fs.closeSync(fd);
  return { records, fields, sum };
}

/** Cut points after line breaks: range k is [cuts[k], cuts[k + 1]). */
function cuts(file, threads) {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  const probe = Buffer.allocUnsafe(64 * 1024);
  const points = [0];
  for (let k = 1; k < threads; k++) {
    const at = Math.floor((size * k) / threads);
    const read = fs.readSync(fd, probe, 0, probe.length, at);
    const lf = probe.subarray(0, read).indexOf(LF);
    points.push(lf === -1 ? size : at + lf + 1);
  }
  fs.closeSync(fd);
  points.push(size);
  return points;
}

if (isMainThread) {
  const [file, threadsArg] = process.argv.slice(2);
  const threads = Number(threadsArg ?? 1);
  if (!file || !(threads >= 1)) {
    console.error('usage: node bench/private/field-scan.js FILE THREADS');
    process.exit(2);
  }
  const points = cuts(file, threads);
  const jobs = [];
  for (let k = 1; k < threads; k++) {
    jobs.push(new Promise((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { file, start: points[k], end: points[k + 1] } });
      worker.once('message', resolve);
      worker.once('error', reject);
    }));
  }
  const mine = scan(file, points[0], points[1]);
  Promise.all(jobs).then(others => {
    const total = [mine, ...others].reduce((a, b) => ({ records: a.records + b.records, fields: a.fields + b.fields, sum: a.sum + b.sum }));
    console.log(JSON.stringify(total));
  });
} else {
  parentPort.postMessage(scan(workerData.file, workerData.start, workerData.end));
}
