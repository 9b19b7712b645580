import { FlowLogField } from '../capture/flow-log-field';
import { FlowLogFormat } from '../capture/flow-log-format';
import { MissingFieldsError } from '../private/missing-fields-error';

/** Ports where an accepted flow from outside means someone can administer the host. */
const ADMIN_PORTS = [21, 22, 23, 445, 3389, 5900, 5985, 5986];

/**
 * A saved CloudWatch Logs Insights query over flow logs: the analyses of AWS's named Athena
 * queries for VPC Flow Logs that make sense on a log group, plus "who talks to port N".
 *
 * Each query starts by parsing the records with the watch's own field list
 * (`parse @message "* * …" as version, account_id, …`), so custom formats keep working; a
 * query whose fields the format lacks is not created.
 */
export class FlowLogQuery {
  /** The latest accepted flows. */
  public static readonly ACCEPTED_TRAFFIC = new FlowLogQuery('AcceptedTraffic', 'Accepted traffic',
    ['action', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'end'], () => latest('action = "ACCEPT"'),
    t => latestSql(t, 'action = \'ACCEPT\''));

  /** The latest rejected flows. */
  public static readonly REJECTED_TRAFFIC = new FlowLogQuery('RejectedTraffic', 'Rejected traffic',
    ['action', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'end'], () => latest('action = "REJECT"'),
    t => latestSql(t, 'action = \'REJECT\''));

  /** The latest rejected TCP flows. */
  public static readonly REJECTED_TCP_TRAFFIC = new FlowLogQuery('RejectedTcpTraffic', 'Rejected TCP traffic',
    ['action', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'end'], () => latest('action = "REJECT" and protocol = 6'),
    t => latestSql(t, 'action = \'REJECT\' AND protocol = 6'));

  /** SSH and RDP flows, accepted or rejected, by source. */
  public static readonly SSH_RDP_TRAFFIC = new FlowLogQuery('SshRdpTraffic', 'SSH and RDP traffic by source',
    ['action', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'packets'],
    () => 'filter protocol = 6 and dstport in [22, 3389]\n| stats count(*) as flows, sum(bytes) as bytes by srcaddr, dstaddr, dstport, action\n| sort flows desc\n| limit 50',
    t => groupSql(t, 'protocol = 6 AND dstport IN (22, 3389)', ['srcaddr', 'dstaddr', 'dstport', 'action'], 'flows', 50));

  /** Flows to administration ports (FTP, SSH, Telnet, SMB, RDP, VNC, WinRM), by source. */
  public static readonly ADMIN_PORT_TRAFFIC = new FlowLogQuery('AdminPortTraffic', 'Admin port traffic by source',
    ['action', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'packets'],
    () => `filter protocol = 6 and dstport in [${ADMIN_PORTS.join(', ')}]\n| stats count(*) as flows, sum(bytes) as bytes by srcaddr, dstport, action\n| sort flows desc\n| limit 50`,
    t => groupSql(t, `protocol = 6 AND dstport IN (${ADMIN_PORTS.join(', ')})`, ['srcaddr', 'dstport', 'action'], 'flows', 50));

  /** The sources of the most rejected flows. */
  public static readonly REJECTED_SOURCES = new FlowLogQuery('RejectedSources', 'Sources of rejected flows',
    ['action', 'srcaddr', 'dstport', 'bytes'],
    () => 'filter action = "REJECT"\n| stats count(*) as flows, count_distinct(dstport) as ports, sum(bytes) as bytes by srcaddr\n| sort flows desc\n| limit 20',
    t => `SELECT srcaddr, count(*) AS flows, count(DISTINCT dstport) AS ports, sum(bytes) AS bytes\nFROM ${t}\nWHERE ${TODAY} AND action = 'REJECT'\nGROUP BY srcaddr\nORDER BY flows DESC\nLIMIT 20`);

  /** The sources that sent the most bytes. */
  public static readonly TOP_TALKERS = new FlowLogQuery('TopTalkers', 'Top talkers by source address',
    ['srcaddr', 'bytes', 'packets'], () => topBy('srcaddr'),
    t => groupSql(t, 'true', ['srcaddr'], 'bytes', 20));

  /** The instances whose interfaces carried the most bytes. */
  public static readonly TOP_TALKING_INSTANCES = new FlowLogQuery('TopTalkingInstances', 'Top talking instances',
    ['instance_id', 'bytes', 'packets'], () => `filter instance_id != "-"\n| ${topBy('instance_id')}`,
    t => groupSql(t, 'instance_id <> \'-\'', ['instance_id'], 'bytes', 20));

  /** The subnets whose interfaces carried the most bytes. */
  public static readonly TOP_TALKING_SUBNETS = new FlowLogQuery('TopTalkingSubnets', 'Top talking subnets',
    ['subnet_id', 'bytes', 'packets'], () => topBy('subnet_id'),
    t => groupSql(t, 'true', ['subnet_id'], 'bytes', 20));

  /** The address pairs that exchanged the most bytes. */
  public static readonly BYTES_BETWEEN_PAIRS = new FlowLogQuery('BytesBetweenPairs', 'Bytes between address pairs',
    ['srcaddr', 'dstaddr', 'bytes', 'packets'], () => topBy('srcaddr, dstaddr'),
    t => groupSql(t, 'true', ['srcaddr', 'dstaddr'], 'bytes', 20));

  /** Every flow from one address: replace ADDRESS before running it. */
  public static readonly TRAFFIC_FROM_ADDRESS = new FlowLogQuery('TrafficFromAddress', 'Traffic from an address (replace ADDRESS)',
    ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'action', 'bytes', 'end'], () => latest('srcaddr = "ADDRESS"'),
    t => latestSql(t, 'srcaddr = \'ADDRESS\''));

  /** Every flow to one address: replace ADDRESS before running it. */
  public static readonly TRAFFIC_TO_ADDRESS = new FlowLogQuery('TrafficToAddress', 'Traffic to an address (replace ADDRESS)',
    ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'action', 'bytes', 'end'], () => latest('dstaddr = "ADDRESS"'),
    t => latestSql(t, 'dstaddr = \'ADDRESS\''));

  /** Bytes carried over IPv4 and over IPv6, per hour. */
  public static readonly IPV4_VS_IPV6_BYTES = new FlowLogQuery('Ipv4VsIpv6Bytes', 'IPv4 vs IPv6 bytes',
    ['type', 'bytes', 'end'], () => 'filter type in ["IPv4", "IPv6"]\n| stats sum(bytes) as bytes by type, bin(1h)',
    t => `SELECT "type", date_trunc('hour', from_unixtime("end")) AS hour, sum(bytes) AS bytes\nFROM ${t}\nWHERE ${TODAY} AND "type" IN ('IPv4', 'IPv6')\nGROUP BY 1, 2\nORDER BY 2, 1`);

  /** The default set: every query above. */
  public static readonly ALL: FlowLogQuery[] = [
    FlowLogQuery.ACCEPTED_TRAFFIC, FlowLogQuery.REJECTED_TRAFFIC, FlowLogQuery.REJECTED_TCP_TRAFFIC,
    FlowLogQuery.SSH_RDP_TRAFFIC, FlowLogQuery.ADMIN_PORT_TRAFFIC, FlowLogQuery.REJECTED_SOURCES, FlowLogQuery.TOP_TALKERS,
    FlowLogQuery.TOP_TALKING_INSTANCES, FlowLogQuery.TOP_TALKING_SUBNETS, FlowLogQuery.BYTES_BETWEEN_PAIRS,
    FlowLogQuery.TRAFFIC_FROM_ADDRESS, FlowLogQuery.TRAFFIC_TO_ADDRESS, FlowLogQuery.IPV4_VS_IPV6_BYTES,
  ];

  /**
   * Who talks to a port: the sources of flows to it, accepted and rejected, with their bytes.
   *
   * @param port the destination port, 0 to 65535
   */
  public static whoTalksToPort(port: number): FlowLogQuery {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`whoTalksToPort: port must be an integer from 0 to 65535, got ${port}`);
    }
    return new FlowLogQuery(`WhoTalksToPort${port}`, `Who talks to port ${port}`,
      ['srcaddr', 'dstaddr', 'dstport', 'action', 'bytes', 'packets'],
      () => `filter dstport = ${port}\n| stats count(*) as flows, sum(bytes) as bytes by srcaddr, dstaddr, action\n| sort bytes desc\n| limit 50`,
      t => groupSql(t, `dstport = ${port}`, ['srcaddr', 'dstaddr', 'action'], 'bytes', 50));
  }

  /**
   * `parse @message "* * …" as version, account_id, …`: one glob per field of the format, named
   * as in the metric filters' patterns (Logs Insights names cannot hold hyphens). Start your own
   * queries with it.
   */
  public static parseStatement(format: FlowLogFormat): string {
    return `parse @message "${format.fields.map(() => '*').join(' ')}" as ${format.fields.map(insightsName).join(', ')}`;
  }

  /**
   * @param id the construct ID of its query definition (public API: do not change it)
   * @param title its title in the Logs Insights query list
   * @param fields the fields it reads, as Logs Insights names them (`instance_id`)
   * @param body the query after the parse statement
   * @param sql the same analysis in Athena SQL over a table of the archive (today's partitions)
   */
  private constructor(
    public readonly id: string,
    public readonly title: string,
    private readonly fields: string[],
    private readonly body: () => string,
    private readonly sql: (table: string) => string,
  ) {}

  /**
   * Whether the format records every field the query reads.
   */
  public supports(format: FlowLogFormat): boolean {
    return this.missingFields(format).length === 0;
  }

  /**
   * The fields the query reads that the format does not record, as flow-log field names.
   */
  public missingFields(format: FlowLogFormat): string[] {
    const names = new Set(format.fields.map(insightsName));
    return this.fields.filter(f => !names.has(f)).map(f => f.replace(/_/g, '-'));
  }

  /**
   * The query text for records of this format.
   *
   * @throws when the format lacks a field the query reads
   */
  public renderQuery(format: FlowLogFormat): string {
    const missing = this.missingFields(format);
    if (missing.length > 0) {
      throw new MissingFieldsError(`query '${this.title}' reads ${missing.join(', ')}, which the format does not record`);
    }
    return `${FlowLogQuery.parseStatement(format)}\n| ${this.body()}`;
  }

  /**
   * The same analysis in Athena SQL, over a table of the S3 archive with this format's columns,
   * limited to today's partitions (edit the `WHERE` for other days).
   *
   * @param table the table, e.g. `"flowlogs_network"."network_vpcwatch"`
   * @throws when the format lacks a field the query reads
   */
  public renderAthenaQuery(format: FlowLogFormat, table: string): string {
    const missing = this.missingFields(format);
    if (missing.length > 0) {
      throw new Error(`query '${this.title}' reads ${missing.join(', ')}, which the format does not record`);
    }
    return this.sql(table);
  }
}

function insightsName(field: FlowLogField): string {
  return field.name.replace(/-/g, '_');
}

function latest(condition: string): string {
  return `filter ${condition}\n| fields @timestamp, srcaddr, dstaddr, dstport, protocol, action, bytes\n| sort @timestamp desc\n| limit 100`;
}

function topBy(groups: string): string {
  return `stats sum(bytes) as bytes, sum(packets) as packets, count(*) as flows by ${groups}\n| sort bytes desc\n| limit 20`;
}

/** Today's partitions of an archive table (year, month, day as the hive partitions write them). */
const TODAY = "year = date_format(current_date, '%Y') AND month = date_format(current_date, '%m') AND day = date_format(current_date, '%d')";

function latestSql(table: string, condition: string): string {
  return 'SELECT from_unixtime("end") AS time, srcaddr, dstaddr, dstport, protocol, action, bytes\n'
    + `FROM ${table}\nWHERE ${TODAY} AND ${condition}\nORDER BY "end" DESC\nLIMIT 100`;
}

function groupSql(table: string, condition: string, keys: string[], orderBy: 'flows' | 'bytes', limit: number): string {
  const where = condition === 'true' ? TODAY : `${TODAY} AND ${condition}`;
  return `SELECT ${keys.join(', ')}, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows\n`
    + `FROM ${table}\nWHERE ${where}\nGROUP BY ${keys.join(', ')}\nORDER BY ${orderBy} DESC\nLIMIT ${limit}`;
}
