import * as fs from 'fs';
import * as path from 'path';

/**
 * Example flow-log captures for the example app's network stack, in the kit's format, made up
 * by this project (deterministic: the same files every run):
 *
 * - `quiet-day.log`: Tuesday 2026-11-17, 24 hours of ordinary traffic. Web traffic to the public
 *   subnets with the background of internet scanners they always see, app servers in the
 *   private subnets talking to databases in the isolated ones, a little egress through the NAT
 *   gateway. No alarm should fire.
 * - `port-scan.log`: Wednesday 2026-11-18, one hour. At 10:05 a scanner sweeps the public
 *   subnets' hosts over ports 1-1024, finds SSH open on the bastion and logs in; from 10:20 the
 *   bastion sweeps the private subnets. The public SSH-accepted and the private rejected-flows
 *   alarms should fire.
 * - `refs.json`: the "deployed" subnet ID of each subnet logical ID, for `flowlog-watch replay --refs`.
 *
 *   ts-node examples/captures.ts <template.json> <output dir>
 */
export function writeCaptures(templateFile: string, outDir: string): CaptureFiles {
  const subnets = subnetsOf(JSON.parse(fs.readFileSync(templateFile, 'utf8')));
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    refs: path.join(outDir, 'refs.json'),
    quietDay: path.join(outDir, 'quiet-day.log'),
    portScan: path.join(outDir, 'port-scan.log'),
  };
  fs.writeFileSync(files.refs, `${JSON.stringify(Object.fromEntries(subnets.map(s => [s.logicalId, s.id])), null, 2)}\n`);
  fs.writeFileSync(files.quietDay, quietDay(subnets).join('\n') + '\n');
  fs.writeFileSync(files.portScan, portScan(subnets).join('\n') + '\n');
  return files;
}

export interface CaptureFiles {
  readonly refs: string;
  readonly quietDay: string;
  readonly portScan: string;
}

/** The kit's format (FlowLogFormat.KIT), one header line as S3 delivery writes it. */
export const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status '
  + 'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction traffic-path';
const ACCOUNT = '123456789012';
const VPC = 'vpc-0a1b2c3d4e5f60718';
const QUIET_DAY = Date.UTC(2026, 10, 17) / 1000;
const SCAN_HOUR = Date.UTC(2026, 10, 18, 10) / 1000;
const SCANNER = '203.0.113.66';

export type Role = 'Public' | 'Private' | 'Isolated';

export interface Subnet {
  readonly logicalId: string;
  readonly role: Role;
  readonly id: string;
  /** One host (its ENI, instance and address) per subnet. */
  readonly eni: string;
  readonly instance: string;
  readonly address: string;
}

export interface Flow {
  readonly subnet: Subnet;
  readonly at: number;
  readonly src: string;
  readonly dst: string;
  readonly srcport: number;
  readonly dstport: number;
  readonly packets: number;
  readonly bytes: number;
  readonly action?: 'ACCEPT' | 'REJECT';
  readonly direction: 'ingress' | 'egress';
  /** 1 within the VPC, 8 through the internet gateway, 7 through a gateway endpoint, '-' unknown; '-' for ingress. */
  readonly path?: number | '-';
  /** TCP flags: by default 2 (SYN) for a rejected flow, 19 (SYN-ACK, FIN) for an accepted one. */
  readonly flags?: number;
  /** IANA protocol number. @default 6 (TCP) */
  readonly protocol?: number;
}

export function subnetsOf(template: { Resources: Record<string, { Type: string; Properties?: any }> }): Subnet[] {
  const subnets = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::EC2::Subnet');
  if (subnets.length === 0) {
    throw new Error('the template has no AWS::EC2::Subnet: pass the example network stack (cdk.out/example/FlowLogWatchNetwork.template.json)');
  }
  return subnets.map(([logicalId, r], i) => {
    const type = (r.Properties.Tags as Array<{ Key: string; Value: string }>).find(t => t.Key === 'aws-cdk:subnet-type')!.Value;
    const hex = (n: number) => n.toString(16).padStart(17, '0');
    return {
      logicalId,
      role: type as Role,
      id: `subnet-${hex(0xa0 + i)}`,
      eni: `eni-${hex(0xe0 + i)}`,
      instance: `i-${hex(0x10 + i)}`,
      address: `10.0.${i * 32}.10`,
    };
  });
}

export function record(f: Flow): string {
  const start = f.at - 50;
  const pathField = f.direction === 'egress' ? String(f.path ?? 1) : '-';
  const flags = f.flags ?? (f.action === 'REJECT' ? 2 : 19);
  return [5, ACCOUNT, f.subnet.eni, f.src, f.dst, f.srcport, f.dstport, f.protocol ?? 6, f.packets, f.bytes, start, f.at, f.action ?? 'ACCEPT', 'OK',
    VPC, f.subnet.id, f.subnet.instance, flags, 'IPv4', f.src, f.dst, f.direction, pathField].join(' ');
}

/** A small deterministic generator (the same captures every run). */
export function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export function byRole(subnets: Subnet[], role: Role): Subnet[] {
  return subnets.filter(s => s.role === role);
}

function quietDay(subnets: Subnet[]): string[] {
  return [HEADER, ...ordinaryTraffic(subnets, QUIET_DAY, 24 * 60)];
}

/**
 * Ordinary traffic of the example network, minute by minute: web traffic to the public subnets
 * with the internet's background probes, app servers talking to databases, a little egress
 * through the NAT gateway, and now and then a rejected health check.
 */
export function ordinaryTraffic(subnets: Subnet[], from: number, minutes: number, seed = 17): string[] {
  const random = randomFrom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const internet = () => `198.51.100.${1 + Math.floor(random() * 250)}`;
  const lines: string[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    const at = from + minute * 60 + 55;
    for (const web of byRole(subnets, 'Public')) {
      const client = internet();
      lines.push(record({ subnet: web, at, src: client, dst: web.address, srcport: 40000 + minute, dstport: 443, packets: 12, bytes: 5800, direction: 'ingress' }));
      lines.push(record({ subnet: web, at, src: web.address, dst: client, srcport: 443, dstport: 40000 + minute, packets: 10, bytes: 48000, direction: 'egress', path: 8 }));
    }
    // Internet background noise: a probe on a closed port of some public host every other minute.
    if (minute % 2 === 0) {
      const web = pick(byRole(subnets, 'Public'));
      lines.push(record({ subnet: web, at, src: internet(), dst: web.address, srcport: 50000, dstport: pick([23, 445, 3389, 8080]), packets: 1, bytes: 40, action: 'REJECT', direction: 'ingress' }));
    }
    for (const app of byRole(subnets, 'Private')) {
      const db = pick(byRole(subnets, 'Isolated'));
      lines.push(record({ subnet: app, at, src: app.address, dst: db.address, srcport: 33000 + minute, dstport: 5432, packets: 40, bytes: 20000, direction: 'egress', path: 1 }));
      lines.push(record({ subnet: db, at, src: app.address, dst: db.address, srcport: 33000 + minute, dstport: 5432, packets: 40, bytes: 20000, direction: 'ingress' }));
      lines.push(record({ subnet: db, at, src: db.address, dst: app.address, srcport: 5432, dstport: 33000 + minute, packets: 60, bytes: 90000, direction: 'egress', path: 1 }));
      // Package and API calls through the NAT gateway, a few kB.
      lines.push(record({ subnet: app, at, src: app.address, dst: internet(), srcport: 35000, dstport: 443, packets: 8, bytes: 3000, direction: 'egress', path: 8 }));
    }
    // Now and then a health check to a port nobody listens on in the private subnets.
    if (minute % 15 === 0) {
      const app = pick(byRole(subnets, 'Private'));
      lines.push(record({ subnet: app, at, src: '10.0.0.10', dst: app.address, srcport: 51000, dstport: 8081, packets: 1, bytes: 40, action: 'REJECT', direction: 'ingress' }));
    }
  }
  return lines;
}

function portScan(subnets: Subnet[]): string[] {
  const lines = [HEADER];
  const publicHosts = byRole(subnets, 'Public');
  const bastion = publicHosts[0];
  for (let minute = 0; minute < 60; minute++) {
    const at = SCAN_HOUR + minute * 60 + 55;
    // Ordinary web traffic goes on all hour.
    for (const web of publicHosts) {
      lines.push(record({ subnet: web, at, src: '198.51.100.20', dst: web.address, srcport: 41000 + minute, dstport: 443, packets: 12, bytes: 5800, direction: 'ingress' }));
    }
    // 10:05-10:14: the scanner sweeps ports 1-1024 of every public host, about 100 a minute each.
    if (minute >= 5 && minute < 15) {
      for (const host of publicHosts) {
        for (let port = (minute - 5) * 103 + 1; port <= Math.min(1024, (minute - 4) * 103); port++) {
          const open = port === 22 && host === bastion;
          lines.push(record({ subnet: host, at, src: SCANNER, dst: host.address, srcport: 61000, dstport: port, packets: 1, bytes: open ? 60 : 40, action: open ? 'ACCEPT' : 'REJECT', direction: 'ingress' }));
        }
      }
    }
    // 10:16: the scanner logs in to the bastion over SSH.
    if (minute === 16) {
      lines.push(record({ subnet: bastion, at, src: SCANNER, dst: bastion.address, srcport: 61022, dstport: 22, packets: 420, bytes: 61200, direction: 'ingress' }));
    }
    // 10:20-10:29: from the bastion, a sweep of the private hosts: 150 closed ports a minute.
    if (minute >= 20 && minute < 30) {
      for (const host of byRole(subnets, 'Private')) {
        for (let k = 0; k < 50; k++) {
          lines.push(record({ subnet: host, at, src: bastion.address, dst: host.address, srcport: 62000, dstport: 1 + (minute - 20) * 50 + k, packets: 1, bytes: 40, action: 'REJECT', direction: 'ingress' }));
        }
      }
    }
  }
  return lines;
}

if (require.main === module) {
  const [template, outDir] = process.argv.slice(2);
  if (!template || !outDir) {
    process.stderr.write('usage: ts-node examples/captures.ts <template.json> <output dir>\n');
    process.exit(2);
  }
  const files = writeCaptures(template, outDir);
  for (const file of [files.quietDay, files.portScan]) {
    const records = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
    process.stdout.write(`${file}: ${records.toLocaleString('en-US')} records\n`);
  }
  process.stdout.write(`${files.refs}: the subnet IDs the records use\n`);
}
