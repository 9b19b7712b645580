import { FlowLogField } from '../capture/flow-log-field';
import { FlowLogFormat } from '../capture/flow-log-format';
import { validateEnum } from '../capture/private/watch-validation';
import { describeValue, requireArray } from '../private/input-checks';
import { MissingFieldsError } from '../private/missing-fields-error';

/**
 * The direction of a flow relative to the network interface that recorded it.
 */
export enum TrafficDirection {
  /** Into the interface. */
  INGRESS = 'ingress',
  /** Out of the interface. */
  EGRESS = 'egress',
}

/**
 * What security groups and network ACLs did with the traffic.
 */
export enum TrafficAction {
  /** Allowed. */
  ACCEPT = 'ACCEPT',
  /** Dropped. */
  REJECT = 'REJECT',
}

/**
 * What a metric filter adds up for each matching record.
 */
export enum TrafficMetricValue {
  /** The record's `bytes`. */
  BYTES = 'bytes',
  /** The record's `packets`. */
  PACKETS = 'packets',
  /** 1 per record (a flow in one aggregation interval). */
  FLOWS = 'flows',
}

/**
 * A signature of your own, for `TrafficSignature.custom()`.
 */
export interface CustomTrafficSignatureOptions {
  /**
   * The metric's name, PascalCase (e.g. `PostgresAcceptedBytes`); the role's label is put in
   * front of it on a VPC watch (`PrivatePostgresAcceptedBytes`).
   */
  readonly metricName: string;

  /**
   * Destination ports to match (any of them).
   *
   * @default - any port
   */
  readonly destinationPorts?: number[];

  /**
   * IANA protocol number (6 TCP, 17 UDP, 1 ICMP).
   *
   * @default - any protocol
   */
  readonly protocol?: number;

  /**
   * Accepted or rejected traffic.
   *
   * @default - both
   */
  readonly action?: TrafficAction;

  /**
   * Ingress or egress.
   *
   * @default - both
   */
  readonly direction?: TrafficDirection;

  /**
   * What each matching record adds to the metric.
   *
   * @default TrafficMetricValue.BYTES
   */
  readonly value?: TrafficMetricValue;

  /**
   * What the signature means, for alarm descriptions.
   *
   * @default - a description built from the conditions
   */
  readonly description?: string;
}

interface SignatureSpec extends CustomTrafficSignatureOptions {
  /** Only egress that leaves the VPC: traffic-path neither 1 (same VPC) nor 7 (gateway endpoint). */
  readonly leavesVpc?: boolean;
  /** Count records of this log-status instead of traffic (flow-log health). */
  readonly logStatus?: string;
}

const METRIC_NAME = /^[A-Z][A-Za-z0-9]{0,200}$/;
const MAX_PORT = 65535;
const MAX_PROTOCOL = 255;

/**
 * What a metric filter counts in flow-log records: a set of conditions on the record's fields
 * and the value each matching record adds to the metric.
 *
 * The filter pattern is rendered from the watch's field list, so a custom format cannot
 * silently break it: a signature that needs a field the format lacks fails at synth.
 * NODATA and SKIPDATA records never count as traffic (traffic signatures require
 * `log-status` = OK).
 */
export class TrafficSignature {
  /** Bytes of TCP traffic to port 22 accepted into an interface: SSH let in. */
  public static readonly SSH_ACCEPTED_BYTES = new TrafficSignature({
    metricName: 'SshAcceptedBytes',
    protocol: 6,
    destinationPorts: [22],
    action: TrafficAction.ACCEPT,
    direction: TrafficDirection.INGRESS,
    value: TrafficMetricValue.BYTES,
    description: 'bytes of SSH (TCP 22) accepted inbound',
  });

  /** Bytes of TCP traffic to port 3389 accepted into an interface: RDP let in. */
  public static readonly RDP_ACCEPTED_BYTES = new TrafficSignature({
    metricName: 'RdpAcceptedBytes',
    protocol: 6,
    destinationPorts: [3389],
    action: TrafficAction.ACCEPT,
    direction: TrafficDirection.INGRESS,
    value: TrafficMetricValue.BYTES,
    description: 'bytes of RDP (TCP 3389) accepted inbound',
  });

  /** Flows rejected by security groups or network ACLs, one per record. */
  public static readonly REJECTED_FLOWS = new TrafficSignature({
    metricName: 'RejectedFlows',
    action: TrafficAction.REJECT,
    value: TrafficMetricValue.FLOWS,
    description: 'flows rejected by security groups or network ACLs',
  });

  /** Bytes of rejected flows (`action` REJECT). */
  public static readonly REJECTED_BYTES = new TrafficSignature({
    metricName: 'RejectedBytes',
    action: TrafficAction.REJECT,
    value: TrafficMetricValue.BYTES,
    description: 'bytes of flows rejected by security groups or network ACLs',
  });

  /** Accepted flows (`action` ACCEPT), one per record. */
  public static readonly ACCEPTED_FLOWS = new TrafficSignature({
    metricName: 'AcceptedFlows',
    action: TrafficAction.ACCEPT,
    value: TrafficMetricValue.FLOWS,
    description: 'flows accepted by security groups and network ACLs',
  });

  /** Bytes of accepted flows (`action` ACCEPT), both directions. */
  public static readonly ACCEPTED_BYTES = new TrafficSignature({
    metricName: 'AcceptedBytes',
    action: TrafficAction.ACCEPT,
    value: TrafficMetricValue.BYTES,
    description: 'bytes of flows accepted by security groups and network ACLs',
  });

  /** Packets rejected by security groups or network ACLs. */
  public static readonly REJECTED_PACKETS = new TrafficSignature({
    metricName: 'RejectedPackets',
    action: TrafficAction.REJECT,
    value: TrafficMetricValue.PACKETS,
    description: 'packets rejected by security groups or network ACLs',
  });

  /** Bytes accepted out of the interfaces. */
  public static readonly EGRESS_BYTES = new TrafficSignature({
    metricName: 'EgressBytes',
    action: TrafficAction.ACCEPT,
    direction: TrafficDirection.EGRESS,
    value: TrafficMetricValue.BYTES,
    description: 'bytes sent out (egress, accepted)',
  });

  /** Bytes accepted into the interfaces. */
  public static readonly INGRESS_BYTES = new TrafficSignature({
    metricName: 'IngressBytes',
    action: TrafficAction.ACCEPT,
    direction: TrafficDirection.INGRESS,
    value: TrafficMetricValue.BYTES,
    description: 'bytes received (ingress, accepted)',
  });

  /**
   * Bytes accepted out of the interfaces that leave the VPC: `traffic-path` neither
   * 1 (another resource in the same VPC) nor 7 (a gateway VPC endpoint).
   */
  public static readonly EXTERNAL_EGRESS_BYTES = new TrafficSignature({
    metricName: 'ExternalEgressBytes',
    action: TrafficAction.ACCEPT,
    direction: TrafficDirection.EGRESS,
    value: TrafficMetricValue.BYTES,
    leavesVpc: true,
    description: 'bytes sent out of the VPC (egress whose traffic path is not the same VPC nor a gateway endpoint)',
  });

  /**
   * SKIPDATA records: the flow-log service skipped records in an interval
   * (capacity or internal error). A health signal, not traffic.
   */
  public static readonly SKIPPED_RECORDS = new TrafficSignature({
    metricName: 'SkippedRecords',
    logStatus: 'SKIPDATA',
    value: TrafficMetricValue.FLOWS,
    description: 'SKIPDATA records (flow-log records skipped for capacity or an internal error)',
  });

  /**
   * Bytes accepted in one direction.
   */
  public static transferBytes(direction: TrafficDirection): TrafficSignature {
    return direction === TrafficDirection.EGRESS ? TrafficSignature.EGRESS_BYTES : TrafficSignature.INGRESS_BYTES;
  }

  /**
   * A signature of your own: ports, protocol, action, direction and value.
   *
   * @throws if the metric name, a port or the protocol is out of range
   */
  public static custom(options: CustomTrafficSignatureOptions): TrafficSignature {
    if (typeof options !== 'object' || options === null) {
      throw new Error(`TrafficSignature.custom() needs options with at least a \`metricName\`, got ${describeValue(options)}`);
    }
    if (typeof options.metricName !== 'string' || !METRIC_NAME.test(options.metricName)) {
      throw new Error(`\`metricName\` must be PascalCase letters and digits (e.g. PostgresAcceptedBytes), got ${describeValue(options.metricName)}`);
    }
    if (options.destinationPorts !== undefined) {
      requireArray('destinationPorts', options.destinationPorts, 'port numbers');
      if (options.destinationPorts.length === 0) {
        throw new Error('`destinationPorts` must list at least one port, got an empty list; leave it out to match every port');
      }
    }
    for (const port of options.destinationPorts ?? []) {
      if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
        throw new Error(`\`destinationPorts\` must be whole numbers from 0 to ${MAX_PORT}, got ${port}`);
      }
    }
    if (options.protocol !== undefined && (!Number.isInteger(options.protocol) || options.protocol < 0 || options.protocol > MAX_PROTOCOL)) {
      throw new Error(`\`protocol\` must be an IANA protocol number from 0 to ${MAX_PROTOCOL}, got ${options.protocol}`);
    }
    validateEnum('action', options.action, Object.values(TrafficAction));
    validateEnum('direction', options.direction, Object.values(TrafficDirection));
    validateEnum('value', options.value, Object.values(TrafficMetricValue));
    return new TrafficSignature(options);
  }

  /**
   * The metric's name (without the role).
   */
  public readonly metricName: string;

  /**
   * What the signature counts, in words.
   */
  public readonly description: string;

  /**
   * The action of the traffic counted, when only accepted or only rejected traffic is.
   *
   * @default - both
   */
  public readonly action?: TrafficAction;

  private constructor(private readonly spec: SignatureSpec) {
    this.metricName = spec.metricName;
    this.description = spec.description ?? describe(spec);
    this.action = spec.action;
  }

  /**
   * Whether another signature counts the same thing: the same filter pattern for every format and
   * the same metric value.
   *
   * @internal
   */
  public _sameDefinitionAs(other: TrafficSignature): boolean {
    return other === this || JSON.stringify(definition(this.spec)) === JSON.stringify(definition(other.spec));
  }

  /**
   * The fields a record format must have for this signature; `subnet-id` too when the
   * pattern is scoped to subnets.
   */
  public requiredFields(scopedToSubnets: boolean = false): FlowLogField[] {
    const fields = [
      ...this.conditions([]).map(c => c.field),
      ...(this.valueField() ? [this.valueField()!] : []),
      ...(scopedToSubnets ? [FlowLogField.SUBNET_ID] : []),
    ];
    return fields.filter((f, i) => fields.indexOf(f) === i);
  }

  /**
   * The metric filter's value: `$bytes`, `$packets` or `1`.
   */
  public renderMetricValue(): string {
    const field = this.valueField();
    return field ? `$${columnName(field)}` : '1';
  }

  /**
   * The space-delimited filter pattern for records of this format, optionally only those
   * of some subnets.
   *
   * @param format the records' field list
   * @param subnetIds match only records of these subnets (tokens allowed)
   * @throws if the format lacks a field the signature needs
   */
  public renderPattern(format: FlowLogFormat, subnetIds?: string[]): string {
    const scoped = subnetIds !== undefined;
    if (scoped && subnetIds.length === 0) {
      throw new Error(`signature ${this.metricName} cannot be scoped to an empty list of subnets`);
    }
    const missing = this.requiredFields(scoped).filter(f => !format.hasField(f));
    if (missing.length > 0) {
      throw new MissingFieldsError(`\`logFormat\` lacks ${missing.map(f => `'${f.name}'`).join(', ')}, which the ${this.metricName} signature needs `
        + `(fields: ${format.fieldNames.join(' ')}); use FlowLogFormat.KIT, add the fields, or switch the alarm off`);
    }
    const conditions = this.conditions(subnetIds ?? []);
    const columns = format.fields.map(field => {
      const name = columnName(field);
      const own = conditions.filter(c => c.field === field).map(c => c.render(name));
      return own.length === 0 ? name : own.join(' && ');
    });
    return `[${columns.join(', ')}]`;
  }

  private valueField(): FlowLogField | undefined {
    switch (this.spec.value ?? TrafficMetricValue.BYTES) {
      case TrafficMetricValue.BYTES: return FlowLogField.BYTES;
      case TrafficMetricValue.PACKETS: return FlowLogField.PACKETS;
      default: return undefined;
    }
  }

  private conditions(subnetIds: string[]): Condition[] {
    const spec = this.spec;
    const conditions: Condition[] = [];
    if (spec.logStatus) {
      conditions.push(condition(FlowLogField.LOG_STATUS, n => `${n}="${spec.logStatus}"`));
    } else {
      conditions.push(condition(FlowLogField.LOG_STATUS, n => `${n}="OK"`));
    }
    if (spec.protocol !== undefined) {
      conditions.push(condition(FlowLogField.PROTOCOL, n => `${n}=${spec.protocol}`));
    }
    if (spec.destinationPorts && spec.destinationPorts.length > 0) {
      conditions.push(condition(FlowLogField.DSTPORT, n => spec.destinationPorts!.map(p => `${n}=${p}`).join(' || ')));
    }
    if (spec.action) {
      conditions.push(condition(FlowLogField.ACTION, n => `${n}="${spec.action}"`));
    }
    if (spec.direction) {
      conditions.push(condition(FlowLogField.FLOW_DIRECTION, n => `${n}="${spec.direction}"`));
    }
    if (spec.leavesVpc) {
      conditions.push(condition(FlowLogField.TRAFFIC_PATH, n => `${n}>1 && ${n}!=7`));
    }
    if (subnetIds.length > 0) {
      conditions.push(condition(FlowLogField.SUBNET_ID, n => subnetIds.map(id => `${n}="${id}"`).join(' || ')));
    }
    return conditions;
  }
}

interface Condition {
  readonly field: FlowLogField;
  render(columnName: string): string;
}

function condition(field: FlowLogField, render: (columnName: string) => string): Condition {
  return { field, render };
}

/**
 * A field's column name in a filter pattern: CloudWatch column names are identifiers, so
 * `account-id` becomes `account_id`.
 */
function columnName(field: FlowLogField): string {
  return field.name.replace(/-/g, '_');
}

function describe(spec: SignatureSpec): string {
  const what = spec.value === TrafficMetricValue.PACKETS ? 'packets' : spec.value === TrafficMetricValue.FLOWS ? 'flows' : 'bytes';
  const parts = [what];
  if (spec.protocol !== undefined) parts.push(`of protocol ${spec.protocol}`);
  if (spec.destinationPorts?.length) parts.push(`to port ${spec.destinationPorts.join(' or ')}`);
  if (spec.action) parts.push(spec.action === TrafficAction.ACCEPT ? 'accepted' : 'rejected');
  if (spec.direction) parts.push(spec.direction);
  return parts.join(' ');
}

/** What decides a signature's filter pattern and metric value (not its name or description). */
function definition(spec: SignatureSpec): unknown[] {
  return [[...spec.destinationPorts ?? []].sort((a, b) => a - b), spec.protocol, spec.action, spec.direction, spec.value ?? TrafficMetricValue.BYTES,
    spec.leavesVpc ?? false, spec.logStatus];
}
