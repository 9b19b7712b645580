'use strict';
/**
 * Reading a file in byte ranges, for the bench's scans (field-scan.js, wasm-floor.js): the ranges cut after
 * line breaks, as `replay --threads N` cuts them, and each range read in chunks.
 */
const fs = require('fs');
const { Worker, parentPort, workerData } = require('worker_threads');

const CHUNK = 1 << 20;
const LF = 10;

/**
 * Reads bytes [start, end) of the file in chunks of a reused buffer. `consume(buffer, length)` scans a chunk
 * and returns where its unfinished last line starts; those bytes are carried to the start of the next chunk.
 * `bufferOf()` gives the buffer to read into (a view of WebAssembly memory must be taken again after a
 * call that may have grown the memory); by default one buffer of CHUNK bytes.
 */
function readChunks(file, start, end, consume, bufferOf) {
  const own = bufferOf === undefined ? Buffer.allocUnsafe(CHUNK) : undefined;
  const current = bufferOf ?? (() => own);
  const fd = fs.openSync(file, 'r');
  let carry = 0;
  let position = start;
  while (position < end) {
    let buffer = current();
    const read = fs.readSync(fd, buffer, carry, Math.min(buffer.length - carry, end - position), position);
    if (read <= 0) break;
    position += read;
    const length = carry + read;
    const line = consume(buffer, length);
    buffer = current();
    buffer.copy(buffer, 0, line, length);
    carry = length - line;
  }
  fs.closeSync(fd);
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

/**
 * Runs `part(start, end, data)` on `threads` byte ranges of `data.file`: the first range on this thread, each
 * other one in a worker thread running `script`, which answers with `answerRange(part)`. Resolves to the
 * parts' results, in the ranges' order.
 */
function inRanges(script, threads, data, part) {
  const points = cuts(data.file, threads);
  const others = [];
  for (let k = 1; k < threads; k++) {
    others.push(new Promise((resolve, reject) => {
      const worker = new Worker(script, { workerData: { ...data, start: points[k], end: points[k + 1] } });
      worker.once('message', resolve);
      worker.once('error', reject);
    }));
  }
  const mine = part(points[0], points[1], data);
  return Promise.all(others).then(rest => [mine, ...rest]);
}

/** In a worker thread of `inRanges`: runs `part` on the worker's range and posts the result. */
function answerRange(part) {
  parentPort.postMessage(part(workerData.start, workerData.end, workerData));
}

module.exports = { CHUNK, LF, readChunks, cuts, inRanges, answerRange };
