import { Duration } from 'aws-cdk-lib';
import { FlowLogFormat } from '../capture/flow-log-format';
import { SubnetRole } from '../capture/subnet-role';
import { DetectionQueryContext } from './private/detection-query-context';
import { FlowLogQuery } from '../visibility/flow-log-query';

/**
 * How a detection aggregates the records of one evaluation window, per source.
 */
export enum DetectionAggregation {
  /** Distinct values of a field per group (`count_distinct` in the query, `max` in the alarm). */
  DISTINCT = 'DISTINCT',
  /** Records per group (`count(*)`). */
  COUNT = 'COUNT',
  /** The sum of a field per group (`sum(bytes)`). */
  SUM = 'SUM',
}

interface DetectionDefinition {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly guardDutyFinding: string;
  readonly signal: string;
  readonly unit: string;
  readonly aggregation: DetectionAggregation;
  /** The field counted or summed (not for COUNT). */
  readonly field?: string;
  /** The fields each contributor is made of. */
  readonly groupBy: string[];
  readonly fields: string[];
  readonly threshold: number;
  readonly window: Duration;
  readonly schedule: Duration;
  readonly roles: SubnetRole[];
  readonly investigate: FlowLogQuery;
  readonly traffic: (ctx: DetectionQueryContext) => string;
  /** For a public subnet, which of the traffic counts (the internet scans public subnets all day). */
  readonly publicScope?: (ctx: DetectionQueryContext) => string;
}

// A TCP connection attempt: SYN without SYN-ACK. A record's tcp-flags are the OR of the flags
// of its packets in the aggregation interval, and flow logs record only FIN (1), SYN (2),
// RST (4) and SYN-ACK (18); an attempt is 2, with FIN 3, with RST 6, with both 7.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html ("tcp-flags")
// Replies and the middle of long flows never match: replies to a busy client are not a port scan.
const TCP_ATTEMPT = 'protocol = 6 and tcp_flags in [2, 3, 6, 7]';
const MINUTES_10 = Duration.minutes(10);
const MINUTES_5 = Duration.minutes(5);
const ALL_ROLES = [SubnetRole.PUBLIC, SubnetRole.PRIVATE, SubnetRole.ISOLATED];

function inside(field: string, ctx: DetectionQueryContext): string {
  return `(${ctx.internalCidrs.map(c => `isIpv4InSubnet(${field}, "${c}")`).join(' or ')})`;
}

function outside(field: string, ctx: DetectionQueryContext): string {
  return `not ${inside(field, ctx)}`;
}

/**
 * A per-source detection: a CloudWatch log alarm (`AWS::CloudWatch::LogAlarm`) on a scheduled
 * Logs Insights query over the watch's log group, grouped by source, so that each source that
 * trips it is a contributor of its own and is named in the notification.
 *
 * The catalogue follows GuardDuty's flow-log findings, which also judge per source
 * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html); unlike
 * GuardDuty it uses fixed, documented thresholds, so every detection can be replayed offline.
 */
export class FlowLogDetection {
  /**
   * A port scan by one source: TCP connection attempts to many distinct destination ports.
   * On public subnets only your own hosts' scans count: the internet scans them all day.
   */
  public static readonly PORT_SCAN = new FlowLogDetection({
    id: 'PortScan',
    name: 'port-scan',
    title: 'Port scan by one source',
    guardDutyFinding: 'Recon:EC2/Portscan',
    signal: 'distinct destination ports of TCP connection attempts (SYN without SYN-ACK), per source address',
    unit: 'distinct ports',
    aggregation: DetectionAggregation.DISTINCT,
    field: 'dstport',
    groupBy: ['srcaddr'],
    fields: ['srcaddr', 'dstport', 'protocol', 'tcp_flags'],
    threshold: 50,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: ALL_ROLES,
    investigate: FlowLogQuery.REJECTED_SOURCES,
    traffic: () => TCP_ATTEMPT,
    publicScope: ctx => inside('srcaddr', ctx),
  });

  /**
   * A host sweep by one source: TCP connection attempts to many distinct addresses on one port
   * (lateral movement, worms). On public subnets only your own hosts' sweeps count.
   */
  public static readonly HOST_SWEEP = new FlowLogDetection({
    id: 'HostSweep',
    name: 'host-sweep',
    title: 'Host sweep by one source',
    guardDutyFinding: 'Recon:EC2/Portscan (the instance probing many hosts)',
    signal: 'distinct destination addresses of TCP connection attempts on one port, per source address and port',
    unit: 'distinct hosts',
    aggregation: DetectionAggregation.DISTINCT,
    field: 'dstaddr',
    groupBy: ['srcaddr', 'dstport'],
    fields: ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'tcp_flags'],
    threshold: 20,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: ALL_ROLES,
    investigate: FlowLogQuery.BYTES_BETWEEN_PAIRS,
    traffic: () => TCP_ATTEMPT,
    publicScope: ctx => inside('srcaddr', ctx),
  });

  /**
   * SSH and RDP brute force by one source: many TCP connection attempts to 22 or 3389, accepted
   * or rejected, against your hosts (ingress) or by your hosts against others outside. On
   * public subnets, rejected attempts from the internet are background noise: only accepted
   * ones, and any by your own hosts, count.
   */
  public static readonly BRUTE_FORCE = new FlowLogDetection({
    id: 'BruteForce',
    name: 'brute-force',
    title: 'SSH or RDP brute force by one source',
    guardDutyFinding: 'UnauthorizedAccess:EC2/SSHBruteForce, UnauthorizedAccess:EC2/RDPBruteForce',
    signal: 'TCP connection attempts to the brute-force ports (22, 3389), per source address and port',
    unit: 'connection attempts',
    aggregation: DetectionAggregation.COUNT,
    groupBy: ['srcaddr', 'dstport'],
    fields: ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'tcp_flags', 'action', 'flow_direction'],
    threshold: 30,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: ALL_ROLES,
    investigate: FlowLogQuery.SSH_RDP_TRAFFIC,
    // Counted where the attempt lands (ingress), or where it leaves for outside: an attempt
    // between two watched hosts is counted once, at its target.
    traffic: ctx => `${TCP_ATTEMPT} and dstport in [${ctx.bruteForcePorts.join(', ')}] `
      + `and (flow_direction = "ingress" or ${outside('dstaddr', ctx)})`,
    publicScope: ctx => `(action = "ACCEPT" or ${inside('srcaddr', ctx)})`,
  });

  /**
   * Exfiltration: many bytes accepted from one source to one destination outside the private
   * address space, in an hour. Traffic through a gateway VPC endpoint (traffic-path 7) is not
   * counted: backups to S3 are not exfiltration.
   */
  public static readonly EXFILTRATION = new FlowLogDetection({
    id: 'Exfiltration',
    name: 'exfiltration',
    title: 'Exfiltration to one outside destination',
    guardDutyFinding: 'Behavior:EC2/TrafficVolumeUnusual',
    signal: 'bytes accepted out (egress) to one destination outside the private address space, per source and destination',
    unit: 'bytes',
    aggregation: DetectionAggregation.SUM,
    field: 'bytes',
    groupBy: ['srcaddr', 'dstaddr'],
    fields: ['srcaddr', 'dstaddr', 'bytes', 'action', 'flow_direction', 'traffic_path'],
    threshold: 5 * 1024 ** 3,
    window: Duration.hours(1),
    schedule: Duration.minutes(30),
    roles: ALL_ROLES,
    investigate: FlowLogQuery.BYTES_BETWEEN_PAIRS,
    // traffic-path 7 is "through a gateway VPC endpoint" (Nitro instances); `-` counts as leaving.
    traffic: ctx => `flow_direction = "egress" and action = "ACCEPT" and traffic_path != "7" and ${outside('dstaddr', ctx)}`,
  });

  /**
   * Connections to cryptocurrency mining-pool ports outside the private address space. A port
   * is a heuristic (pools also listen on 443), so the list is yours to change.
   */
  public static readonly MINING_POOL = new FlowLogDetection({
    id: 'MiningPool',
    name: 'mining-pool',
    title: 'Connections to mining-pool ports',
    guardDutyFinding: 'CryptoCurrency:EC2/BitcoinTool.B',
    signal: 'flows out (egress) to the mining-pool ports outside the private address space, per source, destination and port',
    unit: 'flows',
    aggregation: DetectionAggregation.COUNT,
    groupBy: ['srcaddr', 'dstaddr', 'dstport'],
    fields: ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'flow_direction'],
    threshold: 1,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: ALL_ROLES,
    investigate: FlowLogQuery.TRAFFIC_FROM_ADDRESS,
    traffic: ctx => `flow_direction = "egress" and protocol in [6, 17] and dstport in [${ctx.miningPoolPorts.join(', ')}] `
      + `and ${outside('dstaddr', ctx)}`,
  });

  /**
   * Egress on a port outside an allow-list (DNS, HTTP, NTP, HTTPS by default) to outside the
   * private address space: a private subnet's hosts reach the internet for updates and APIs, not
   * for IRC, SMTP or a reverse shell on 4444.
   */
  public static readonly UNUSUAL_EGRESS_PORT = new FlowLogDetection({
    id: 'UnusualEgressPort',
    name: 'unusual-egress-port',
    title: 'Egress on a port outside the allow-list',
    guardDutyFinding: 'Behavior:EC2/NetworkPortUnusual',
    signal: 'TCP connection attempts and UDP flows out (egress) to outside the private address space on ports not in the allow-list, per source and port',
    unit: 'flows',
    aggregation: DetectionAggregation.COUNT,
    groupBy: ['srcaddr', 'dstport'],
    fields: ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'tcp_flags', 'flow_direction'],
    threshold: 1,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: [SubnetRole.PRIVATE],
    investigate: FlowLogQuery.TRAFFIC_FROM_ADDRESS,
    traffic: ctx => `flow_direction = "egress" and (${TCP_ATTEMPT} or protocol = 17) `
      + `and dstport not in [${ctx.allowedEgressPorts.join(', ')}] and ${outside('dstaddr', ctx)}`,
  });

  /**
   * Anything leaving an isolated subnet: egress whose traffic-path is not "inside the VPC" (1).
   * A `-` (path unknown) counts as leaving: the detection fails closed. Gateway VPC endpoints
   * (traffic-path 7) are the way isolated subnets reach S3 and DynamoDB, and are not counted.
   */
  public static readonly ISOLATED_EGRESS = new FlowLogDetection({
    id: 'IsolatedEgress',
    name: 'isolated-egress',
    title: 'Traffic leaving an isolated subnet',
    guardDutyFinding: 'Behavior:EC2/NetworkPortUnusual, Behavior:EC2/TrafficVolumeUnusual',
    signal: 'flows out (egress) whose traffic-path is not 1 (same VPC) or 7 (gateway endpoint), `-` included, per source and destination',
    unit: 'flows',
    aggregation: DetectionAggregation.COUNT,
    groupBy: ['srcaddr', 'dstaddr'],
    fields: ['srcaddr', 'dstaddr', 'flow_direction', 'traffic_path'],
    threshold: 1,
    window: MINUTES_10,
    schedule: MINUTES_5,
    roles: [SubnetRole.ISOLATED],
    investigate: FlowLogQuery.TRAFFIC_FROM_ADDRESS,
    traffic: () => 'flow_direction = "egress" and traffic_path != "1" and traffic_path != "7"',
  });

  /** Every detection, in the order of the README table. */
  public static readonly ALL: FlowLogDetection[] = [
    FlowLogDetection.PORT_SCAN, FlowLogDetection.HOST_SWEEP, FlowLogDetection.BRUTE_FORCE, FlowLogDetection.EXFILTRATION,
    FlowLogDetection.MINING_POOL, FlowLogDetection.UNUSUAL_EGRESS_PORT, FlowLogDetection.ISOLATED_EGRESS,
  ];

  /** Its construct ID part (`PortScan` → `PortScanLogAlarm`): public API, do not change it. */
  public readonly id: string;
  /** Its alarm-name part (`port-scan`). */
  public readonly name: string;
  /** What it catches, in a few words. */
  public readonly title: string;
  /** The GuardDuty finding it corresponds to. */
  public readonly guardDutyFinding: string;
  /** The signal it counts. */
  public readonly signal: string;
  /** The unit of its value (`distinct ports`, `bytes` …). */
  public readonly unit: string;
  /** How it aggregates a window's records per contributor. */
  public readonly aggregation: DetectionAggregation;
  /** The fields of a contributor (`srcaddr`, `dstport` …). */
  public readonly groupBy: string[];
  /** The value per contributor and window at which it alarms, by default (greater or equal). */
  public readonly defaultThreshold: number;
  /** The query window, by default. */
  public readonly defaultWindow: Duration;
  /** How often the query runs, by default. */
  public readonly defaultSchedule: Duration;
  /** The subnet roles it is on for, by default. */
  public readonly defaultRoles: SubnetRole[];
  /** The saved query that investigates what it found. */
  public readonly investigate: FlowLogQuery;

  private readonly definition: DetectionDefinition;

  private constructor(definition: DetectionDefinition) {
    this.definition = definition;
    this.id = definition.id;
    this.name = definition.name;
    this.title = definition.title;
    this.guardDutyFinding = definition.guardDutyFinding;
    this.signal = definition.signal;
    this.unit = definition.unit;
    this.aggregation = definition.aggregation;
    this.groupBy = definition.groupBy;
    this.defaultThreshold = definition.threshold;
    this.defaultWindow = definition.window;
    this.defaultSchedule = definition.schedule;
    this.defaultRoles = definition.roles;
    this.investigate = definition.investigate;
  }

  /**
   * The fields it reads that the format does not record, as flow-log field names.
   */
  public missingFields(format: FlowLogFormat): string[] {
    const names = new Set(format.fields.map(f => f.name.replace(/-/g, '_')));
    return ['log_status', ...this.definition.fields].filter(f => !names.has(f)).map(f => f.replace(/_/g, '-'));
  }

  /**
   * The condition on one record, for a role (`publicScope` narrows public subnets).
   *
   * @internal
   */
  public _condition(role: SubnetRole, ctx: DetectionQueryContext): string {
    const traffic = this.definition.traffic(ctx);
    const scope = role === SubnetRole.PUBLIC ? this.definition.publicScope?.(ctx) : undefined;
    return scope ? `${traffic} and ${scope}` : traffic;
  }

  /**
   * The query's `stats` (DISTINCT only) and the log alarm's aggregation expression.
   *
   * A log alarm's aggregation expression takes `count(*)`, `sum`, `avg`, `min` and `max` only,
   * and is applied to the query's results
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html): a
   * distinct count is computed by a `stats count_distinct(…)` in the query, and the alarm takes
   * the `max` of it per contributor. `| sort desc` makes the alarm read the largest contributors
   * first (it reads at most 500 per run, alphabetically unless sorted).
   *
   * @param groupFirst fields each contributor is also grouped by, before the detection's own
   * (central detections put `@aws.account` and `@aws.region` here)
   * @internal
   */
  public _aggregation(groupFirst: string[] = []): { stats?: string; expression: string } {
    const by = [...groupFirst, ...this.groupBy].join(', ');
    switch (this.aggregation) {
      case DetectionAggregation.DISTINCT:
        return { stats: `stats count_distinct(${this.definition.field}) as value by ${by}`, expression: `max(value) by ${by} | sort desc` };
      case DetectionAggregation.SUM:
        return { expression: `sum(${this.definition.field}) by ${by} | sort desc` };
      default:
        return { expression: `count(*) by ${by} | sort desc` };
    }
  }
}
