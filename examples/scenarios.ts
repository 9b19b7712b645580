import * as fs from 'fs';
import * as path from 'path';
import { byRole, Flow, HEADER, ordinaryTraffic, record, Subnet, subnetsOf } from './captures';

/**
 * Labelled traffic for the example app's network stack (`VpcWatch`, a 3-AZ VPC with public,
 * private and isolated subnets), in the kit's format, made up by this project and deterministic.
 * Each scenario is an hour of the network's ordinary traffic with one attack in it, or without
 * one, and says which of the watch's alarms must fire (`expect`), or that none may (`[]`).
 *
 *   ts-node examples/scenarios.ts <template.json> <output dir>
 */
export interface Scenario {
  /** The file name, without `.log`. */
  readonly name: string;
  /** What happens in it. */
  readonly description: string;
  /** The alarms that must fire, by the suffix of their names (`port-scan`, `private-ssh-accepted` …); none for a benign one. */
  readonly expect: string[];
  readonly records: string[];
}

const HOUR = Date.UTC(2026, 10, 19, 10) / 1000;
const INTERNET_ATTACKER = '203.0.113.66';

/** An hour of ordinary traffic with `attack` added at `minute` (records of that minute). */
function hourWith(subnets: Subnet[], seed: number, attack: (at: (minute: number, second?: number) => number) => Flow[]): string[] {
  const at = (minute: number, second = 55) => HOUR + minute * 60 + second;
  return [HEADER, ...ordinaryTraffic(subnets, HOUR, 60, seed), ...attack(at).map(record)];
}

export function scenarios(subnets: Subnet[]): Scenario[] {
  const [web, web2] = byRole(subnets, 'Public');
  const [app, app2, app3] = byRole(subnets, 'Private');
  const [db] = byRole(subnets, 'Isolated');
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return [
    {
      name: 'neighbour-port-scan',
      description: 'a private host scans 300 ports of a neighbour in 40 seconds (SYNs, rejected)',
      expect: ['port-scan'],
      records: hourWith(subnets, 21, at => range(300).map(i => ({
        subnet: app2,
        at: at(12, 10 + Math.floor(i / 8)),
        src: app.address,
        dst: app2.address,
        srcport: 45000,
        dstport: 1 + i,
        packets: 1,
        bytes: 44,
        action: 'REJECT' as const,
        direction: 'ingress' as const,
      }))),
    },
    {
      name: 'lateral-smb-sweep',
      description: 'a private host tries port 445 on 40 addresses of the VPC in three minutes',
      expect: ['host-sweep'],
      records: hourWith(subnets, 22, at => range(40).map(i => ({
        subnet: app,
        at: at(30 + Math.floor(i / 15)),
        src: app.address,
        dst: `10.0.${64 + i}.${20 + i}`,
        srcport: 46000 + i,
        dstport: 445,
        packets: 2,
        bytes: 104,
        action: 'REJECT' as const,
        direction: 'egress' as const,
        path: 1,
      }))),
    },
    {
      name: 'ssh-brute-force',
      description: 'an internet address opens 120 SSH connections to a public host in ten minutes (accepted, each closed after a failed login)',
      expect: ['brute-force'],
      records: hourWith(subnets, 23, at => range(120).map(i => ({
        subnet: web2,
        at: at(20 + Math.floor(i / 12)),
        src: INTERNET_ATTACKER,
        dst: web2.address,
        srcport: 50000 + i,
        dstport: 22,
        packets: 12,
        bytes: 2400,
        action: 'ACCEPT' as const,
        flags: 3,
        direction: 'ingress' as const,
      }))),
    },
    {
      name: 'isolated-burst-scan',
      description: 'a private host scans 500 ports of a database host in one minute',
      expect: ['port-scan'],
      records: hourWith(subnets, 24, at => range(500).map(i => ({
        subnet: db,
        at: at(40, 5 + Math.floor(i / 10)),
        src: app3.address,
        dst: db.address,
        srcport: 47000,
        dstport: 1000 + i,
        packets: 1,
        bytes: 44,
        action: 'REJECT' as const,
        direction: 'ingress' as const,
      }))),
    },
    {
      name: 'exfiltration',
      description: 'a private host sends 6 GiB to one internet address over 30 minutes',
      expect: ['exfiltration'],
      records: hourWith(subnets, 25, at => range(30).map(i => ({
        subnet: app,
        at: at(10 + i),
        src: app.address,
        dst: '192.0.2.200',
        srcport: 48000,
        dstport: 443,
        packets: 150000,
        bytes: Math.round(6 * 1024 ** 3 / 30), // flow-log byte counts are whole numbers
        direction: 'egress' as const,
        path: 8,
      }))),
    },
    {
      name: 'isolated-unlabelled-egress',
      description: 'a database host sends data out on a path the flow log cannot name (traffic-path -)',
      expect: ['isolated-egress'],
      records: hourWith(subnets, 26, at => range(5).map(i => ({
        subnet: db,
        at: at(33 + i),
        src: db.address,
        dst: '192.0.2.77',
        srcport: 49000,
        dstport: 443,
        packets: 40,
        bytes: 52000,
        direction: 'egress' as const,
        path: '-' as const,
      }))),
    },
    {
      name: 'mining-pool',
      description: 'a private host connects to a Stratum mining pool on port 3333 and stays connected',
      expect: ['mining-pool', 'unusual-egress-port'],
      records: hourWith(subnets, 27, at => range(20).map(i => ({
        subnet: app2,
        at: at(25 + i),
        src: app2.address,
        dst: '192.0.2.33',
        srcport: 51000,
        dstport: 3333,
        packets: 30,
        bytes: 4200,
        flags: i === 0 ? 2 : 0,
        direction: 'egress' as const,
        path: 8,
      }))),
    },
    {
      name: 'ssh-into-private',
      description: 'someone logs in over SSH from the bastion to a private host',
      expect: ['private-ssh-accepted'],
      records: hourWith(subnets, 28, at => [{
        subnet: app,
        at: at(44),
        src: web.address,
        dst: app.address,
        srcport: 52022,
        dstport: 22,
        packets: 300,
        bytes: 48000,
        direction: 'ingress' as const,
      }]),
    },
    {
      name: 'benign-health-checks',
      description: 'a load balancer health-checks a port nobody listens on, rejected every minute all hour',
      expect: [],
      records: hourWith(subnets, 31, at => range(60).flatMap(m => [app, app2, app3].map(host => ({
        subnet: host,
        at: at(m, 20),
        src: '10.0.0.10',
        dst: host.address,
        srcport: 53000 + m,
        dstport: 8081,
        packets: 1,
        bytes: 40,
        action: 'REJECT' as const,
        direction: 'ingress' as const,
      })))),
    },
    {
      name: 'benign-internet-probes',
      description: 'internet scanners probe closed ports of the public hosts all hour, as they always do',
      expect: [],
      records: hourWith(subnets, 32, at => range(60).flatMap(m => [web, web2].map((host, h) => ({
        subnet: host,
        at: at(m, 10 + h),
        src: `198.18.${m}.${h + 1}`,
        dst: host.address,
        srcport: 60000,
        dstport: [23, 25, 445, 1433, 3389, 5900][m % 6],
        packets: 1,
        bytes: 40,
        action: 'REJECT' as const,
        direction: 'ingress' as const,
      })))),
    },
    {
      name: 'benign-backup-through-gateway-endpoint',
      description: 'a database host backs up 20 GiB to S3 through a gateway VPC endpoint (traffic-path 7)',
      expect: [],
      records: hourWith(subnets, 33, at => range(40).map(i => ({
        subnet: db,
        at: at(5 + i),
        src: db.address,
        dst: '52.216.0.10',
        srcport: 54000,
        dstport: 443,
        packets: 400000,
        bytes: Math.round(20 * 1024 ** 3 / 40),
        direction: 'egress' as const,
        path: 7,
      }))),
    },
    {
      name: 'benign-large-download',
      description: 'an app server downloads a 10 GiB image over HTTPS through the NAT gateway',
      expect: [],
      records: hourWith(subnets, 34, at => range(20).flatMap(i => [{
        subnet: app,
        at: at(15 + i),
        src: '192.0.2.90',
        dst: app.address,
        srcport: 443,
        dstport: 55000,
        packets: 400000,
        bytes: Math.round(10 * 1024 ** 3 / 20),
        direction: 'ingress' as const,
      }, {
        subnet: app,
        at: at(15 + i),
        src: app.address,
        dst: '192.0.2.90',
        srcport: 55000,
        dstport: 443,
        packets: 200000,
        bytes: 8 * 1024 ** 2,
        flags: i === 0 ? 2 : 0,
        direction: 'egress' as const,
        path: 8,
      }])),
    },
  ];
}

/** Writes each scenario to `<outDir>/<name>.log`, with the subnet IDs the records use in `refs.json`. */
export function writeScenarios(templateFile: string, outDir: string): Scenario[] {
  const subnets = subnetsOf(JSON.parse(fs.readFileSync(templateFile, 'utf8')));
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'refs.json'), `${JSON.stringify(Object.fromEntries(subnets.map(s => [s.logicalId, s.id])), null, 2)}\n`);
  const all = scenarios(subnets);
  for (const s of all) {
    fs.writeFileSync(path.join(outDir, `${s.name}.log`), s.records.join('\n') + '\n');
  }
  return all;
}

if (require.main === module) {
  const [template, outDir] = process.argv.slice(2);
  if (!template || !outDir) {
    process.stderr.write('usage: ts-node examples/scenarios.ts <template.json> <output dir>\n');
    process.exit(2);
  }
  for (const s of writeScenarios(template, outDir)) {
    process.stdout.write(`${s.name}.log: ${s.description}; expect ${s.expect.length > 0 ? s.expect.join(', ') : 'no alarm'}\n`);
  }
}
