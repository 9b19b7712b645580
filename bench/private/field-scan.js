'use strict';
/**
 * The floor of replay's speed in Node.js on this machine: the least work any replay of a plain-text flow-log
 * file must do, and nothing else. It reads the file and finds every field of every record, scanning the
 * bytes without decoding them to strings, and parses two numbers per record (the `start` time, the `bytes`),
 * summed so that the work cannot be optimised away. No filter, no query, no alarm.
 *
 *   node bench/private/field-scan.js FILE THREADS [PUBLIC_SUBNET_ID,...]
 *
 * With THREADS > 1 the file is cut after line breaks into as many byte ranges, each scanned by a worker
 * thread, as `replay --threads N` does. Prints {"records": N, "fields": F, "sum": S}.
 *
 * Given the public subnets' IDs, it also does the table work of the two busiest detections, port scan
 * (`count_distinct(dstport) by srcaddr`) and host sweep (`count_distinct(dstaddr) by srcaddr, dstport`), on
 * the records their queries match: log status OK, TCP, flags SYN (2, 3, 6 or 7), and from a private address
 * (10/8, 172.16/12, 192.168/16, 100.64/10) in a public subnet or from anywhere in another subnet. Per
 * record, a group and a distinct value each, per time slot (2 per minute), in replay's own typed-array hash
 * index (lib/replay/engine/number-index.js: run `npx projen compile` first), and no more: no other query,
 * no filter, no execution. It then also prints `matched` (records matched) and `states` (the (slot, group)
 * states of both), which the bench checks against awk's.
 *
 * Plain JavaScript, run by `node` as it is: the bench times it as a process beside replay, awk and wc -l.
 */
const path = require('path');
const { isMainThread } = require('worker_threads');
// Replay's own hash index, so that the tables cost what replay's do.
const { NumberIndex } = require(path.join(__dirname, '..', '..', 'lib', 'replay', 'engine', 'number-index.js'));
const { LF, answerRange, inRanges, readChunks } = require('./byte-ranges');

const SPACE = 32;
const BYTES_FIELD = 9; // 0-based, in the default (version 2) and kit (version 5) layouts
const START_FIELD = 10; // a record's time, as replay reads it

function scan(file, start, end) {
  const total = { records: 0, fields: 0, sum: 0 };
  readChunks(file, start, end, (buffer, length) => {
    let records = 0;
    let fields = 0;
    let sum = 0;
    let line = 0;
    let i = 0;
    scanning: for (;;) {
      // One record from `line`: a loop per field, to its space or line break.
      let field = 0;
      let lineSum = 0;
      for (;;) {
        if (field === BYTES_FIELD || field === START_FIELD) {
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
    total.records += records;
    total.fields += fields;
    total.sum += sum;
    return line;
  });
  return total;
}

/** The ordinal of `key` in one of replay's own hash indexes, added when new. */
function ordinalOf(index, key) {
  const found = index.findOrAdd(key, index.size);
  return found === -1 ? index.size - 1 : found;
}

const PRIVATE_RANGES = [[10, 8], [172 * 256 + 16, 12], [192 * 256 + 168, 16], [100 * 256 + 64, 10]]
  .map(([prefix, bits]) => ({ network: prefix * 2 ** (32 - Math.ceil(bits / 8) * 8), unit: 2 ** (32 - bits) }));

function ipv4(buffer, start, end) {
  let value = 0;
  let octet = 0;
  for (let i = start; i < end; i++) {
    const c = buffer[i];
    if (c === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return value * 256 + octet;
}

function numberAt(buffer, start, end) {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (buffer[i] - 48);
  return value;
}

function sameBytes(buffer, start, end, bytes) {
  if (end - start !== bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buffer[start + k] !== bytes[k]) return false;
  return true;
}

/** The field scan, each field's offsets kept, and the two detections' tables (see the head of the file). */
function scanWithTables(file, start, end, publicSubnets) {
  const starts = new Int32Array(64);
  const ends = new Int32Array(64);
  const subnets = publicSubnets.map(id => Buffer.from(id));
  const scanGroups = new NumberIndex();
  const scanPorts = new NumberIndex();
  const sweepGroups = new NumberIndex();
  const sweepAddresses = new NumberIndex();
  const total = { records: 0, fields: 0, sum: 0, matched: 0, states: 0 };
  let slotNow = -1;
  readChunks(file, start, end, (buffer, length) => {
    let line = 0;
    let i = 0;
    scanning: for (;;) {
      let field = 0;
      for (;;) {
        starts[field] = i;
        while (i < length && buffer[i] > SPACE) i++;
        if (i >= length) break scanning;
        ends[field] = i;
        field++;
        if (buffer[i++] === LF) break;
      }
      total.records++;
      total.fields += field;
      line = i;
      const time = numberAt(buffer, starts[START_FIELD], ends[START_FIELD]);
      total.sum += numberAt(buffer, starts[BYTES_FIELD], ends[BYTES_FIELD]) + time;
      // Fields (0-based): 3 srcaddr, 4 dstaddr, 6 dstport, 7 protocol, 13 log-status, 15 subnet-id, 17 tcp-flags.
      const flags = numberAt(buffer, starts[17], ends[17]);
      if (buffer[starts[13]] !== 79 || numberAt(buffer, starts[7], ends[7]) !== 6 || (flags !== 2 && flags !== 3 && flags !== 6 && flags !== 7)) continue;
      const src = ipv4(buffer, starts[3], ends[3]);
      if (subnets.some(id => sameBytes(buffer, starts[15], ends[15], id))
        && !PRIVATE_RANGES.some(r => Math.floor(src / r.unit) === Math.floor(r.network / r.unit))) continue;
      total.matched++;
      const slot = Math.floor(time / 60) * 2 + (time % 60 === 0 ? 0 : 1);
      if (slot !== slotNow) {
        total.states += scanGroups.size + sweepGroups.size;
        for (const index of [scanGroups, scanPorts, sweepGroups, sweepAddresses]) index.clear();
        slotNow = slot;
      }
      const port = numberAt(buffer, starts[6], ends[6]);
      ordinalOf(scanPorts, ordinalOf(scanGroups, src) * 65536 + port);
      ordinalOf(sweepAddresses, ordinalOf(sweepGroups, src * 65536 + port) * 4294967296 + ipv4(buffer, starts[4], ends[4]));
    }
    return line;
  });
  total.states += scanGroups.size + sweepGroups.size;
  return total;
}

if (isMainThread) {
  const [file, threadsArg, subnetsArg] = process.argv.slice(2);
  const publicSubnets = subnetsArg === undefined ? undefined : subnetsArg.split(',');
  const threads = Number(threadsArg ?? 1);
  if (!file || !(threads >= 1)) {
    console.error('usage: node bench/private/field-scan.js FILE THREADS [PUBLIC_SUBNET_ID,...]');
    process.exit(2);
  }
  inRanges(__filename, threads, { file, publicSubnets }, part).then(parts => {
    const total = {};
    for (const counts of parts) for (const [name, n] of Object.entries(counts)) total[name] = (total[name] ?? 0) + n;
    console.log(JSON.stringify(total));
  });
} else {
  answerRange(part);
}

function part(start, end, { file, publicSubnets }) {
  return publicSubnets === undefined ? scan(file, start, end) : scanWithTables(file, start, end, publicSubnets);
}
