'use strict';
/**
 * Runs the generic WebAssembly record stage (wasm-stage.c, built by the bench) on a file with the program
 * record-program.ts wrote (a JSON file), on one thread or on byte ranges read by worker threads:
 *
 *   node bench/private/wasm-stage.js WASM PROGRAM_JSON FILE THREADS
 *
 * Prints the awk program's lines, `filter <name> <matched> <sum>` and `query <n> <matched> <states>`, for the
 * bench to compare with awk's, and then `records <N> fields <F>`. On several threads a time slot cut in two
 * by a range's end is counted in both ranges' states, as the floor's are.
 */
const fs = require('fs');
const { isMainThread } = require('worker_threads');
const { CHUNK, answerRange, inRanges, readChunks } = require('./byte-ranges');

function part(start, end, { wasmFile, programFile, file }) {
  const program = JSON.parse(fs.readFileSync(programFile, 'utf8'));
  const stage = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)), {}).exports;
  const input = stage.buffer();
  // A view of the module's input buffer, taken again after each call, as a call that grows the memory detaches it.
  const view = () => Buffer.from(stage.memory.buffer, input, CHUNK);
  stage.init(program.fields, program.timeField);
  for (const a of program.atoms) {
    stage.add_atom(a.kind, a.field, a.a, a.b, a.number);
    for (const text of a.texts) stage.atom_literal(view().write(text, 0, 'latin1'));
    for (const n of a.numbers) stage.atom_number(n);
  }
  for (const word of program.code) stage.add_code(word);
  for (const f of program.filters) {
    stage.add_filter(f.valueField < 0 ? 0 : 1, Math.max(0, f.valueField), f.literal);
    for (const [from, to] of f.when) stage.filter_when(from, to);
  }
  for (const q of program.queries) {
    stage.add_query(q.fn, q.fnField);
    for (const [from, to] of q.when) stage.query_when(from, to);
    for (const field of q.by) stage.query_by(field);
  }
  readChunks(file, start, end, (_, length) => stage.consume(length), view);
  return {
    filters: program.filters.map((f, r) => [f.name, stage.filter_matched(r), stage.filter_sum(r)]),
    queries: program.queries.map((_, q) => [stage.query_matched(q), stage.query_states(q)]),
    records: stage.records_read(),
    fields: stage.fields_read(),
  };
}

if (isMainThread) {
  const [wasmFile, programFile, file, threadsArg] = process.argv.slice(2);
  const threads = Number(threadsArg);
  if (!wasmFile || !programFile || !file || !(threads >= 1)) {
    console.error('usage: node bench/private/wasm-stage.js WASM PROGRAM_JSON FILE THREADS');
    process.exit(2);
  }
  inRanges(__filename, threads, { wasmFile, programFile, file }, part).then(results => {
    const [first] = results;
    const total = (pick) => results.reduce((sum, r) => sum + pick(r), 0);
    const lines = first.filters.map(([name], r) => `filter ${name} ${total(x => x.filters[r][1])} ${total(x => x.filters[r][2])}`);
    first.queries.forEach((_, q) => lines.push(`query ${q} ${total(x => x.queries[q][0])} ${total(x => x.queries[q][1])}`));
    lines.push(`records ${total(x => x.records)} fields ${total(x => x.fields)}`);
    console.log(lines.join('\n'));
  });
} else {
  answerRange(part);
}
