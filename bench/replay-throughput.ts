/**
 * Replay throughput: `flowlog-watch replay` against `awk` applying the same SSH and REJECT conditions
 * to the same file, side by side in one run.
 *
 *   npx ts-node --project test/tsconfig.json bench/replay-throughput.ts [--records N] [--runs R] [--keep]
 *
 * 1. Synthesizes the example app's network stack (a 3-AZ VPC with public, private and isolated
 *    subnets watched by `FlowLogWatch` with its defaults), and writes its template and the subnets' references.
 * 2. Generates N records (default 3,000,000) in the kit's format (23 fields, version 5) over the
 *    nine subnets and 24 hours: 10 % REJECT, 1 % accepted TCP to port 22, the rest HTTPS.
 * 3. Runs, R times each (default 3), alternating which goes first, and keeps the fastest run:
 *    - replay: `node lib/replay/cli.js replay --template … --log-group … --refs … --json FILE` (run `npx projen compile` first);
 *      every metric filter of the VPC watch (10) on every record, per-minute aggregation, alarm evaluation;
 *    - awk: SSH accepted bytes and rejected flows, by subnet role, over the same file.
 *    Each run's time is wall-clock, including process start-up; the replay's peak RSS comes from
 *    `/usr/bin/time` when present.
 * 4. Checks that both found the same SSH bytes and rejected flows per role (else exits 1), and writes
 *    bench/results/replay-throughput.json.
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkStack } from '../examples/app';
import { FlowLogWatch } from '../src';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const RECORDS = option('--records', 3_000_000);
const RUNS = option('--runs', 3);
const KEEP = args.includes('--keep'); // keep the generated files (for profiling)
const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'replay', 'cli.js');
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
    console.log(`${RECORDS.toLocaleString('en-US')} records, ${(generated.bytes / 1e6).toFixed(0)} MB, in ${logFile}`);

    const replayCommand = ['node', CLI, 'replay', '--template', templateFile, '--log-group', logGroup, '--refs', refsFile, '--json', logFile];
    const awkCommand = ['awk', AWK_PROGRAM(subnets), logFile];
    // The ceiling for reading the file at all.
    const wcCommand = ['wc', '-l', logFile];
    const replayRuns: Run[] = [];
    const awkRuns: Run[] = [];
    const wcRuns: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? ['replay', 'awk', 'wc'] : ['wc', 'awk', 'replay'];
      for (const which of order) {
        if (which === 'replay') replayRuns.push(run(replayCommand));
        else if (which === 'awk') awkRuns.push(run(awkCommand));
        else wcRuns.push(run(wcCommand));
      }
    }
    const replay = fastest(replayRuns);
    const awk = fastest(awkRuns);
    const wc = fastest(wcRuns);

    const found = replayTotals(JSON.parse(replay.stdout));
    const expected = awkTotals(awk.stdout);
    if (JSON.stringify(found) !== JSON.stringify(expected) || JSON.stringify(found) !== JSON.stringify(generated.totals)) {
      console.error('replay, awk and the generator disagree:', { replay: found, awk: expected, generator: generated.totals });
      process.exit(1);
    }

    const replayRate = RECORDS / replay.seconds;
    const awkRate = RECORDS / awk.seconds;
    const wcRate = RECORDS / wc.seconds;
    const result = {
      records: RECORDS,
      runs: RUNS,
      fileMegabytes: Math.round(generated.bytes / 1e6),
      awk: awkVersion(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      replaySeconds: round(replay.seconds),
      awkSeconds: round(awk.seconds),
      replayRecordsPerSecond: Math.round(replayRate),
      awkRecordsPerSecond: Math.round(awkRate),
      wcSeconds: round(wc.seconds),
      wcRecordsPerSecond: Math.round(wcRate),
      replayToAwkSpeed: round(replayRate / awkRate),
      replayToWcSpeed: round(replayRate / wcRate),
      logAlarms: JSON.parse(replay.stdout).alarms.filter((a: any) => a.alarmKind === 'LOG').length,
      replayPeakRssMegabytes: replay.peakRssKb === undefined ? undefined : Math.round(replay.peakRssKb / 1024),
      totals: found,
    };
    console.table({
      'replay': { 'seconds': result.replaySeconds, 'records/s': result.replayRecordsPerSecond, 'peak RSS MB': result.replayPeakRssMegabytes },
      'awk': { 'seconds': result.awkSeconds, 'records/s': result.awkRecordsPerSecond },
      'wc -l': { 'seconds': result.wcSeconds, 'records/s': result.wcRecordsPerSecond },
    });
    console.log(`replay/awk speed: ${result.replayToAwkSpeed} (goal: >= 2, and >= 3,000,000 records/s); replay/wc -l: ${result.replayToWcSpeed}; `
      + `${result.logAlarms} log alarms replayed`);
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', 'replay-throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (KEEP) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Subnets { [role: string]: string[] }

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
    const end = start + Math.floor((i / RECORDS) * 86_400);
    const dice = random();
    const action = dice < 0.1 ? 'REJECT' : 'ACCEPT';
    const ssh = dice >= 0.1 && dice < 0.11;
    const dstport = ssh ? 22 : dice < 0.1 ? 1 + Math.floor(random() * 65535) : 443;
    const recordBytes = 40 + Math.floor(random() * 100_000);
    if (ssh) totals[role].sshBytes += recordBytes;
    if (action === 'REJECT') totals[role].rejectedFlows++;
    const line = `5 123456789012 eni-0${(i % 4096).toString(16).padStart(16, '0')} 198.51.100.${i % 250} 10.0.${i % 200}.${i % 250} `
      + `${1024 + (i % 60000)} ${dstport} 6 ${1 + (i % 20)} ${recordBytes} ${end - 55} ${end} ${action} OK vpc-0123456789abcdef0 ${subnet} `
      + `i-0${(i % 4096).toString(16).padStart(16, '0')} 2 IPv4 198.51.100.${i % 250} 10.0.${i % 200}.${i % 250} ingress -\n`;
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

/** The SSH and REJECT conditions of the kit's filters, in awk: fields 7 dstport, 8 protocol, 10 bytes, 13 action, 14 log-status, 16 subnet-id. */
function AWK_PROGRAM(subnets: Subnets): string {
  const roleOf = ROLES.flatMap(role => subnets[role].map(s => `role["${s}"]="${role}"`)).join('; ');
  return `BEGIN { ${roleOf} }
$16 in role && $14 == "OK" {
  r = role[$16]
  if ($13 == "REJECT") rejected[r]++
  else if ($13 == "ACCEPT" && $7 == 22 && $8 == 6) ssh[r] += $10
}
END { ${ROLES.map(r => `printf "${r} %d %d\\n", ssh["${r}"], rejected["${r}"]`).join('; ')} }`;
}

function awkTotals(stdout: string): Totals {
  const totals: Totals = {};
  for (const line of stdout.trim().split('\n')) {
    const [role, ssh, rejected] = line.split(' ');
    totals[role] = { sshBytes: Number(ssh), rejectedFlows: Number(rejected) };
  }
  return totals;
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
