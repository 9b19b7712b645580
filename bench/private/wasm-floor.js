'use strict';
/**
 * Runs the WebAssembly floor (wasm-floor.c, built by the bench) on a file, on one thread or on byte ranges
 * read by worker threads, as `replay --threads N` does:
 *
 *   node bench/private/wasm-floor.js WASM FILE THREADS PUBLIC_IDS PRIVATE_IDS ISOLATED_IDS
 *
 * (each *_IDS a comma-separated list of subnet IDs). Prints the awk program's lines, `filter <name>
 * <matched> <sum>` and `query <n> <matched> <states>`, for the bench to compare with awk's, and then
 * `records <N> fields <F>`. On several threads a time slot cut in two by a range's end is
 * counted in both ranges' states, as the field scan's are.
 */
const fs = require('fs');
const { isMainThread } = require('worker_threads');
const { CHUNK, answerRange, inRanges, readChunks } = require('./byte-ranges');

// In the order of the watch's metric filters, and of wasm-floor.c's counts.
const FILTERS = ['PublicSshAcceptedBytes', 'PublicRejectedFlows', 'PublicEgressBytes', 'PrivateSshAcceptedBytes', 'PrivateRejectedFlows',
  'PrivateEgressBytes', 'IsolatedSshAcceptedBytes', 'IsolatedRejectedFlows', 'IsolatedExternalEgressBytes', 'SkippedRecords'];
const QUERIES = 7;
const RESULTS = 36;

function part(start, end, { wasmFile, file, subnetsByRole }) {
  // AssemblyScript's modules import `env.abort`; clang's import nothing.
  const imports = { env: { abort: () => { throw new Error(`${wasmFile} aborted`); } } };
  const floor = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)), imports).exports;
  const input = floor.buffer();
  // A view of the module's input buffer, taken again after each call, as a call that grows the memory detaches it.
  const view = () => Buffer.from(floor.memory.buffer, input, CHUNK);
  floor.init();
  subnetsByRole.forEach((ids, role) => {
    for (const id of ids) {
      view().write(id, 0, 'latin1');
      floor.add_subnet(id.length, role);
    }
  });
  readChunks(file, start, end, (_, length) => floor.consume(length), view);
  return Array.from({ length: RESULTS }, (_, k) => floor.result(k));
}

if (isMainThread) {
  const [wasmFile, file, threadsArg, ...roles] = process.argv.slice(2);
  const threads = Number(threadsArg);
  if (!wasmFile || !file || !(threads >= 1) || roles.length !== 3) {
    console.error('usage: node bench/private/wasm-floor.js WASM FILE THREADS PUBLIC_IDS PRIVATE_IDS ISOLATED_IDS');
    process.exit(2);
  }
  const subnetsByRole = roles.map(ids => ids.split(','));
  inRanges(__filename, threads, { wasmFile, file, subnetsByRole }, part).then(([mine, ...others]) => {
    const r = mine.map((value, k) => others.reduce((sum, other) => sum + other[k], value));
    const lines = FILTERS.map((name, k) => `filter ${name} ${r[k]} ${r[10 + k]}`);
    for (let q = 0; q < QUERIES; q++) lines.push(`query ${q} ${r[20 + q]} ${r[27 + q]}`);
    lines.push(`records ${r[34]} fields ${r[35]}`);
    console.log(lines.join('\n'));
  });
} else {
  answerRange(part);
}
