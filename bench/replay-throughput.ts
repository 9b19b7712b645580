/**
 * Replay throughput: `flowlog-watch replay` against `awk` doing the same per-record work (every metric
 * filter's and every log alarm's conditions, the filters' counts and sums, the queries' `stats` per time slot
 * and group) on the same file, and `wc -l`, side by side in one run.
 *
 *   npx ts-node --project test/tsconfig.json bench/replay-throughput.ts [--records N] [--hours H] [--runs R] [--keep]
 *
 * 1. Synthesizes the example app's network stack (a 3-AZ VPC with public, private and isolated
 *    subnets watched by `FlowLogWatch` with its defaults), and writes its template and the subnets' references.
 * 2. Generates N records (default 3,000,000) in the kit's format (23 fields, version 5) over the
 *    nine subnets and H hours (default 24): 10 % REJECT, 1 % accepted TCP to port 22, 20 % egress to the internet, the rest
 *    inbound HTTPS.
 * 3. Runs, R times each (default 3), alternating which goes first, and keeps the fastest run:
 *    - replay: `node lib/replay/cli.js replay --template … --log-group … --refs … --json FILE` (run `npx projen compile` first),
 *      on one thread and on two (`--threads 2`, the default on this 2-core machine for a file this size: the file
 *      cut into two byte ranges, read a thread each and merged; the same result checked, and the run fails if the
 *      merge fell back to one thread): every
 *      metric filter of the VPC watch (10) and its 7 log alarms on every record, per-minute aggregation, alarm evaluation;
 *    - awk: the program bench/private/awk-equivalent.ts writes from the same template: the same conditions,
 *      counts, sums and per-slot group states (it does not run the alarms' executions);
 *    - `wc -l`: the ceiling for reading the file at all;
 *    - the field scan (bench/private/field-scan.js), on one thread and on two: the floor of any replay in Node.js,
 *      which reads the file and finds every field of every record, bytes never decoded to strings, and does
 *      nothing else (no filter, no query, no alarm). Replay cannot be faster than it on this machine;
 *    - the field scan with the tables of the two busiest detections (port scan and host sweep: a group and a
 *      distinct value each per matching record, per time slot, in replay's own hash index), on one thread and
 *      on two: the floor of a replay in Node.js that keeps those detections' states exactly in hash tables;
 *    - the WebAssembly floor (bench/private/wasm-floor.c, compiled here by the project's @yowasp/clang), on one
 *      thread and on two: awk's per-record work for this watch (every filter and query condition, count, sum and
 *      per-slot group), written by hand in C for WebAssembly: what a replay engine compiled to WebAssembly could
 *      reach at best;
 *    - the generic WebAssembly stage (bench/private/wasm-stage.c), on one thread and on two: the same per-record
 *      work, but generic over the template: the conditions, `by` fields and aggregates read at start-up as a
 *      program (bench/private/record-program.ts writes it from the template, as the awk program is written),
 *      not written out in C. Its time over the floor's is what reading the conditions from the template costs.
 *    Each run's time is wall-clock, including process start-up; peak RSS comes from `/usr/bin/time` when present.
 * 4. Checks that replay, awk and the generator agree on every filter's matched records and sum, and that the
 *    field scan found every record and its 23 fields, and the tables the same matched records and (slot, group)
 *    states as awk's port-scan and host-sweep queries, and the WebAssembly floor and the generic stage printed awk's
 *    very lines (on two threads, the same matched records and at least awk's states) (else exits 1), and writes
 *    bench/results/replay-throughput-N-Hh.json.
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { awkEquivalent } from './private/awk-equivalent';
import { recordProgram } from './private/record-program';
import { NetworkStack } from '../examples/app';
import { FlowLogWatch } from '../src';
import { LogAlarmQuery } from '../src/replay/engine/log-alarm-evaluator';
import { readTemplateLogAlarms } from '../src/replay/engine/template-log-alarm';
import { readTemplateModel } from '../src/replay/engine/template-model';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const RECORDS = option('--records', 3_000_000);
const RUNS = option('--runs', 3);
/** The time span of the records: more records over more hours keep the traffic's density, and show what memory follows. */
const HOURS = option('--hours', 24);
const KEEP = args.includes('--keep'); // keep the generated files (for profiling)
const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'replay', 'cli.js');
const FIELD_SCAN = path.join(__dirname, 'private', 'field-scan.js');
const WASM_FLOOR = path.join(__dirname, 'private', 'wasm-floor.js');
const WASM_FLOOR_SOURCE = path.join(__dirname, 'private', 'wasm-floor.c');
const WASM_STAGE = path.join(__dirname, 'private', 'wasm-stage.js');
const WASM_STAGE_SOURCE = path.join(__dirname, 'private', 'wasm-stage.c');
const WASM_STAGE_EXPORTS = 'consume,buffer,init,add_atom,atom_literal,atom_number,add_code,add_filter,filter_when,add_query,query_when,query_by,'
  + 'filter_matched,filter_sum,query_matched,query_states,records_read,fields_read';
const BUILD_WASM = path.join(__dirname, 'private', 'build-wasm.mjs');
const ROLES = ['Public', 'Private', 'Isolated'] as const;

function main(): void {
  if (!fs.existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run 'npx projen compile' first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  try {
    const { templateFile, refsFile, logGroup, subnets } = writeTemplate(dir);
    const logFile = path.join(dir, 'records.log');
    const generated = generate(logFile, subnets);
    console.log(`${RECORDS.toLocaleString('en-US')} records over ${HOURS} hours, ${(generated.bytes / 1e6).toFixed(0)} MB, in ${logFile}`);

    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const refs = JSON.parse(fs.readFileSync(refsFile, 'utf8'));
    const filters = readTemplateModel(template, refs).metricFilters.filter(f => f.logGroup === logGroup);
    const queries = new Map<string, LogAlarmQuery>();
    for (const a of readTemplateLogAlarms(template, refs).filter(l => l.logGroups.includes(logGroup))) {
      if (a.query === undefined) throw new Error(`log alarm ${a.logicalId} is not simulated: ${a.notSimulated}`);
      queries.set(a.query.key, a.query);
    }
    const awkProgram = awkEquivalent(filters, [...queries.values()]);
    fs.writeFileSync(path.join(dir, 'equivalent.awk'), awkProgram);

    const replayCommand = ['node', CLI, 'replay', '--template', templateFile, '--log-group', logGroup, '--refs', refsFile, '--json', logFile];
    const oneThreadCommand = [...replayCommand.slice(0, 3), '--threads', '1', ...replayCommand.slice(3)];
    const twoThreadCommand = [...replayCommand.slice(0, 3), '--threads', '2', ...replayCommand.slice(3)];
    const awkCommand = ['awk', awkProgram, logFile];
    const wcCommand = ['wc', '-l', logFile];
    const commands: Record<string, string[]> = {
      'replay --threads 1': oneThreadCommand,
      'replay --threads 2': twoThreadCommand,
      'awk': awkCommand,
      'wc -l': wcCommand,
      'field scan, 1 thread': ['node', FIELD_SCAN, logFile, '1'],
      'field scan, 2 threads': ['node', FIELD_SCAN, logFile, '2'],
      'field scan + 2 detections\' tables, 1 thread': ['node', FIELD_SCAN, logFile, '1', subnets.Public.join(',')],
      'field scan + 2 detections\' tables, 2 threads': ['node', FIELD_SCAN, logFile, '2', subnets.Public.join(',')],
    };
    const wasm = buildWasm(WASM_FLOOR_SOURCE, path.join(dir, 'wasm-floor.wasm'), 'consume,buffer,init,add_subnet,result');
    const roles = ROLES.map(role => subnets[role].join(','));
    commands['WebAssembly floor, 1 thread'] = ['node', WASM_FLOOR, wasm.file, logFile, '1', ...roles];
    commands['WebAssembly floor, 2 threads'] = ['node', WASM_FLOOR, wasm.file, logFile, '2', ...roles];
    const stage = buildWasm(WASM_STAGE_SOURCE, path.join(dir, 'wasm-stage.wasm'), WASM_STAGE_EXPORTS);
    const programFile = path.join(dir, 'record-program.json');
    fs.writeFileSync(programFile, JSON.stringify(recordProgram(filters, [...queries.values()], 23)));
    commands['WebAssembly stage (generic), 1 thread'] = ['node', WASM_STAGE, stage.file, programFile, logFile, '1'];
    commands['WebAssembly stage (generic), 2 threads'] = ['node', WASM_STAGE, stage.file, programFile, logFile, '2'];
    const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map(k => [k, []]));
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? Object.keys(commands) : Object.keys(commands).reverse();
      for (const which of order) runs[which].push(run(commands[which]));
    }
    const replay = fastest(runs['replay --threads 1']);
    const twoThreads = fastest(runs['replay --threads 2']);
    const awk = fastest(runs.awk);
    const wc = fastest(runs['wc -l']);
    const scan = fastest(runs['field scan, 1 thread']);
    const scanTwoThreads = fastest(runs['field scan, 2 threads']);
    const tables = fastest(runs['field scan + 2 detections\' tables, 1 thread']);
    const tablesTwoThreads = fastest(runs['field scan + 2 detections\' tables, 2 threads']);

    const replayed = JSON.parse(replay.stdout);
    const found = filterTotals(replayed);
    const expected = awkFilterTotals(awk.stdout);
    if (JSON.stringify(found) !== JSON.stringify(expected) || JSON.stringify(JSON.parse(twoThreads.stdout).alarms) !== JSON.stringify(replayed.alarms)
      || JSON.stringify(replayTotals(replayed)) !== JSON.stringify(generated.totals)) {
      console.error('replay, awk and the generator disagree:', { replay: found, awk: expected, generator: generated.totals });
      process.exit(1);
    }
    // The tables' work is the port-scan and host-sweep queries' (the first two): the same records, the same states
    // on one thread (on two, a slot cut in two by the cut is counted in both halves).
    const [portScan, hostSweep] = awkQueryStates(awk.stdout).slice(0, 2).map(line => line.split(' ').map(Number));
    const tabled = JSON.parse(tables.stdout);
    if (portScan[1] !== hostSweep[1] || tabled.matched !== portScan[1] || JSON.parse(tablesTwoThreads.stdout).matched !== portScan[1]
      || tabled.states !== portScan[2] + hostSweep[2]) {
      console.error(`the field scan's tables found ${tabled.matched} records and ${tabled.states} states, awk's queries ${portScan} and ${hostSweep}`);
      process.exit(1);
    }
    const wasmFloor = fastest(runs['WebAssembly floor, 1 thread']);
    const wasmFloorTwoThreads = fastest(runs['WebAssembly floor, 2 threads']);
    checkWasmFloor('WebAssembly floor', awk.stdout, wasmFloor.stdout, wasmFloorTwoThreads.stdout);
    const wasmStage = fastest(runs['WebAssembly stage (generic), 1 thread']);
    const wasmStageTwoThreads = fastest(runs['WebAssembly stage (generic), 2 threads']);
    checkWasmFloor('generic WebAssembly stage', awk.stdout, wasmStage.stdout, wasmStageTwoThreads.stdout);
    for (const scanned of [scan, scanTwoThreads, tables, tablesTwoThreads]) {
      const { records, fields } = JSON.parse(scanned.stdout);
      if (records !== RECORDS || fields !== RECORDS * 23) {
        console.error(`the field scan found ${records} records and ${fields} fields, not ${RECORDS} and ${RECORDS * 23}`);
        process.exit(1);
      }
    }

    const replayRate = RECORDS / replay.seconds;
    const twoThreadRate = RECORDS / twoThreads.seconds;
    const awkRate = RECORDS / awk.seconds;
    const wcRate = RECORDS / wc.seconds;
    const scanRate = RECORDS / scan.seconds;
    const scanTwoThreadsRate = RECORDS / scanTwoThreads.seconds;
    const tablesRate = RECORDS / tables.seconds;
    const tablesTwoThreadsRate = RECORDS / tablesTwoThreads.seconds;
    const result = {
      records: RECORDS,
      hours: HOURS,
      runs: RUNS,
      fileMegabytes: Math.round(generated.bytes / 1e6),
      awk: awkVersion(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      replaySeconds: round(replay.seconds),
      replayTwoThreadsSeconds: round(twoThreads.seconds),
      awkSeconds: round(awk.seconds),
      replayRecordsPerSecond: Math.round(replayRate),
      replayTwoThreadsRecordsPerSecond: Math.round(twoThreadRate),
      awkRecordsPerSecond: Math.round(awkRate),
      wcSeconds: round(wc.seconds),
      wcRecordsPerSecond: Math.round(wcRate),
      replayToAwkSpeed: round(replayRate / awkRate),
      replayToWcSpeed: round(replayRate / wcRate),
      fieldScanSeconds: round(scan.seconds),
      fieldScanRecordsPerSecond: Math.round(scanRate),
      fieldScanTwoThreadsSeconds: round(scanTwoThreads.seconds),
      fieldScanTwoThreadsRecordsPerSecond: Math.round(scanTwoThreadsRate),
      fieldScanWithTablesSeconds: round(tables.seconds),
      fieldScanWithTablesRecordsPerSecond: Math.round(tablesRate),
      fieldScanWithTablesTwoThreadsSeconds: round(tablesTwoThreads.seconds),
      fieldScanWithTablesTwoThreadsRecordsPerSecond: Math.round(tablesTwoThreadsRate),
      wasmFloorSeconds: round(wasmFloor.seconds),
      wasmFloorRecordsPerSecond: Math.round(RECORDS / wasmFloor.seconds),
      wasmFloorTwoThreadsSeconds: round(wasmFloorTwoThreads.seconds),
      wasmFloorTwoThreadsRecordsPerSecond: Math.round(RECORDS / wasmFloorTwoThreads.seconds),
      wasmFloorCompiler: wasm.compiler,
      wasmStageSeconds: round(wasmStage.seconds),
      wasmStageRecordsPerSecond: Math.round(RECORDS / wasmStage.seconds),
      wasmStageTwoThreadsSeconds: round(wasmStageTwoThreads.seconds),
      wasmStageTwoThreadsRecordsPerSecond: Math.round(RECORDS / wasmStageTwoThreads.seconds),
      wasmStageToFloorTime: round(wasmStage.seconds / wasmFloor.seconds),
      wasmStageTwoThreadsToFloorTime: round(wasmStageTwoThreads.seconds / wasmFloorTwoThreads.seconds),
      replayToFieldScanSpeed: round(replayRate / scanRate),
      replayTwoThreadsToFieldScanSpeed: round(twoThreadRate / scanTwoThreadsRate),
      logAlarms: replayed.alarms.filter((a: any) => a.alarmKind === 'LOG').length,
      logAlarmsSimulated: replayed.alarms.filter((a: any) => a.alarmKind === 'LOG' && a.simulated).length,
      queries: queries.size,
      replayPeakRssMegabytes: megabytes(replay.peakRssKb),
      replayTwoThreadsPeakRssMegabytes: megabytes(twoThreads.peakRssKb),
      awkPeakRssMegabytes: megabytes(awk.peakRssKb),
      awkQueryStates: awkQueryStates(awk.stdout),
      totals: found,
    };
    console.table({
      'replay --threads 1': { 'seconds': result.replaySeconds, 'records/s': result.replayRecordsPerSecond, 'peak RSS MB': result.replayPeakRssMegabytes },
      'replay --threads 2': {
        'seconds': result.replayTwoThreadsSeconds, 'records/s': result.replayTwoThreadsRecordsPerSecond, 'peak RSS MB': result.replayTwoThreadsPeakRssMegabytes,
      },
      'awk': { 'seconds': result.awkSeconds, 'records/s': result.awkRecordsPerSecond, 'peak RSS MB': result.awkPeakRssMegabytes },
      'wc -l': { 'seconds': result.wcSeconds, 'records/s': result.wcRecordsPerSecond },
      'field scan, 1 thread': { 'seconds': result.fieldScanSeconds, 'records/s': result.fieldScanRecordsPerSecond },
      'field scan, 2 threads': { 'seconds': result.fieldScanTwoThreadsSeconds, 'records/s': result.fieldScanTwoThreadsRecordsPerSecond },
      'field scan + 2 detections\' tables, 1 thread': { 'seconds': result.fieldScanWithTablesSeconds, 'records/s': result.fieldScanWithTablesRecordsPerSecond },
      'field scan + 2 detections\' tables, 2 threads': {
        'seconds': result.fieldScanWithTablesTwoThreadsSeconds, 'records/s': result.fieldScanWithTablesTwoThreadsRecordsPerSecond,
      },
      'WebAssembly floor, 1 thread': { 'seconds': result.wasmFloorSeconds, 'records/s': result.wasmFloorRecordsPerSecond },
      'WebAssembly floor, 2 threads': { 'seconds': result.wasmFloorTwoThreadsSeconds, 'records/s': result.wasmFloorTwoThreadsRecordsPerSecond },
      'WebAssembly stage (generic), 1 thread': { 'seconds': result.wasmStageSeconds, 'records/s': result.wasmStageRecordsPerSecond },
      'WebAssembly stage (generic), 2 threads': { 'seconds': result.wasmStageTwoThreadsSeconds, 'records/s': result.wasmStageTwoThreadsRecordsPerSecond },
    });
    console.log(`one thread/awk speed: ${result.replayToAwkSpeed} (goal: >= 2, and >= 3,000,000 records/s); replay/wc -l: ${result.replayToWcSpeed}; `
      + `${result.logAlarmsSimulated} of ${result.logAlarms} log alarms simulated; two threads/awk: ${round(twoThreadRate / awkRate)}; `
      + `replay/field scan: ${result.replayToFieldScanSpeed} on one thread, ${result.replayTwoThreadsToFieldScanSpeed} on two; `
      + `generic stage/floor time: ${result.wasmStageToFloorTime} on one thread, ${result.wasmStageTwoThreadsToFloorTime} on two`);
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', `replay-throughput-${RECORDS}-${HOURS}h.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (KEEP) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Subnets { [role: string]: string[] }

/** Compiles a C file of bench/private to WebAssembly with the project's @yowasp/clang (bench/private/build-wasm.mjs). */
function buildWasm(source: string, file: string, exports: string): { file: string; compiler: string } {
  const built = child.spawnSync('node', [BUILD_WASM, source, file, exports], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`${source} did not compile: ${built.stderr}`);
  return { file, compiler: built.stdout.trim() };
}

/**
 * The WebAssembly floor (or the generic stage) must have done awk's work: on one thread it prints awk's lines
 * exactly; on two, the same filters and matched records, and at least awk's states (a slot cut in two by the
 * ranges is counted in both).
 */
function checkWasmFloor(name: string, awkOut: string, oneThread: string, twoThreads: string): void {
  const counted = (out: string) => out.trim().split('\n').filter(l => /^(filter|query) /.test(l));
  const expected = counted(awkOut);
  const matched = (lines: string[]) => lines.map(l => (l.startsWith('query ') ? l.split(' ').slice(0, 3).join(' ') : l));
  const statesAtLeast = counted(twoThreads).every((l, k) => !l.startsWith('query ') || Number(l.split(' ')[3]) >= Number(expected[k].split(' ')[3]));
  const scanned = [oneThread, twoThreads].every(out => out.includes(`records ${RECORDS} fields ${RECORDS * 23}`));
  const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(counted(oneThread), expected) || !same(matched(counted(twoThreads)), matched(expected)) || !statesAtLeast || !scanned) {
    console.error(`the ${name} did not do awk's work:`, { awk: expected, oneThread, twoThreads });
    process.exit(1);
  }
}

function writeTemplate(dir: string) {
  const app = new App({ outdir: path.join(dir, 'cdk.out') });
  const stack = new NetworkStack(app, 'Bench');
  const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
  const watch = stack.node.findChild('VpcWatch') as FlowLogWatch;
  const refs: Record<string, string> = {};
  const subnets: Subnets = {};
  const groups = { Public: vpc.publicSubnets, Private: vpc.privateSubnets, Isolated: vpc.isolatedSubnets };
  let n = 0;
  for (const role of ROLES) {
    subnets[role] = groups[role].map(s => {
      const id = `subnet-${(0x0a000000 + n++).toString(16).padStart(17, '0')}`;
      refs[stack.resolve(s.subnetId).Ref] = id;
      return id;
    });
  }
  const templateFile = path.join(dir, 'Bench.template.json');
  fs.writeFileSync(templateFile, JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template));
  const refsFile = path.join(dir, 'refs.json');
  fs.writeFileSync(refsFile, JSON.stringify(refs));
  return { templateFile, refsFile, logGroup: stack.resolve(watch.logGroup.logGroupName).Ref as string, subnets };
}

interface Totals { [role: string]: { sshBytes: number; rejectedFlows: number } }

/** Writes the records with a small deterministic generator; returns what they hold. */
function generate(file: string, subnets: Subnets) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const totals: Totals = Object.fromEntries(ROLES.map(r => [r, { sshBytes: 0, rejectedFlows: 0 }]));
  const fd = fs.openSync(file, 'w');
  const start = 1_700_000_000;
  let chunk: string[] = [];
  let bytes = 0;
  for (let i = 0; i < RECORDS; i++) {
    const role = ROLES[Math.floor(random() * 3)];
    const subnet = subnets[role][Math.floor(random() * 3)];
    const end = start + Math.floor((i / RECORDS) * HOURS * 3600);
    const dice = random();
    const action = dice < 0.1 ? 'REJECT' : 'ACCEPT';
    const ssh = dice >= 0.1 && dice < 0.11;
    const dstport = ssh ? 22 : dice < 0.1 ? 1 + Math.floor(random() * 65535) : 443;
    const recordBytes = 40 + Math.floor(random() * 100_000);
    if (ssh) totals[role].sshBytes += recordBytes;
    if (action === 'REJECT') totals[role].rejectedFlows++;
    // 20 % egress from the subnet's hosts to the internet (HTTPS, one in seven to a high port): the exfiltration,
    // unusual-port and isolated-egress detections then have records to group, as on a real VPC.
    const egress = dice >= 0.11 && dice < 0.31;
    const inside = `10.0.${i % 200}.${i % 250}`;
    const outside = egress ? `203.0.113.${i % 250}` : `198.51.100.${i % 250}`;
    const [src, dst] = egress ? [inside, outside] : [outside, inside];
    const port = egress && i % 7 === 0 ? 1024 + (i % 5000) : dstport;
    const eni = `eni-0${(i % 4096).toString(16).padStart(16, '0')}`;
    const line = `5 123456789012 ${eni} ${src} ${dst} ${1024 + (i % 60000)} ${port} 6 ${1 + (i % 20)} ${recordBytes} ${end - 55} ${end} ${action} OK `
      + `vpc-0123456789abcdef0 ${subnet} i-0${(i % 4096).toString(16).padStart(16, '0')} 2 IPv4 ${src} ${dst} ${egress ? 'egress' : 'ingress'} -\n`;
    chunk.push(line);
    bytes += line.length;
    if (chunk.length === 10_000) {
      fs.writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  fs.writeSync(fd, chunk.join(''));
  fs.closeSync(fd);
  return { bytes, totals };
}

/** Per filter (metric name, in the template's order): matched records and sum, from the replay's JSON. */
function filterTotals(json: { filters: Array<{ metricName: string; recordsMatched: number; sum: number }> }): string[] {
  return json.filters.map(f => `${f.metricName} ${f.recordsMatched} ${f.sum}`);
}

/** The same from the awk program's `filter <name> <matched> <sum>` lines. */
function awkFilterTotals(stdout: string): string[] {
  return stdout.trim().split('\n').filter(l => l.startsWith('filter ')).map(l => l.slice('filter '.length));
}

/** Per query: matched records and (slot, group) states, from the awk program's `query` lines. */
function awkQueryStates(stdout: string): string[] {
  return stdout.trim().split('\n').filter(l => l.startsWith('query ')).map(l => l.slice('query '.length));
}

function megabytes(kb: number | undefined): number | undefined {
  return kb === undefined ? undefined : Math.round(kb / 1024);
}

function replayTotals(json: { filters: Array<{ metricName: string; recordsMatched: number; sum: number }> }): Totals {
  const metric = (name: string) => json.filters.find(f => f.metricName === name)!;
  return Object.fromEntries(ROLES.map(r => [r, {
    sshBytes: metric(`${r}SshAcceptedBytes`).sum,
    rejectedFlows: metric(`${r}RejectedFlows`).recordsMatched,
  }]));
}

interface Run { seconds: number; stdout: string; peakRssKb?: number }

function run(command: string[]): Run {
  const timed = fs.existsSync('/usr/bin/time');
  const argv = timed ? ['/usr/bin/time', '-f', 'peak-rss-kb %M', ...command] : command;
  const started = process.hrtime.bigint();
  const out = child.spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (out.status !== 0 && !(command[0] === 'node' && out.status === 1)) {
    throw new Error(`${command.join(' ')} failed (${out.status}): ${out.stderr}`);
  }
  const rss = /peak-rss-kb (\d+)/.exec(out.stderr ?? '');
  if (/again on one thread/.test(out.stderr ?? '')) {
    throw new Error(`${command.join(' ')} did not merge its byte ranges: ${out.stderr}`);
  }
  return { seconds, stdout: out.stdout, peakRssKb: rss ? Number(rss[1]) : undefined };
}

function fastest(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function awkVersion(): string {
  const out = child.spawnSync('awk', ['-W', 'version'], { encoding: 'utf8' });
  return (out.stdout || out.stderr || 'awk').split('\n')[0].trim();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main();
