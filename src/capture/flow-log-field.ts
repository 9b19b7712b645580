/**
 * How a flow-log field's values are typed (the Parquet types AWS documents for each field;
 * in plain-text records every value is a string, and `-` where there is no value).
 */
export enum FlowLogFieldDataType {
  /** 32-bit integer. */
  INT_32 = 'INT_32',
  /** 64-bit integer. */
  INT_64 = 'INT_64',
  /** Text. */
  STRING = 'STRING',
}

// Filled by FlowLogField's constructor as its static fields are initialised; nothing else adds to it.
const CATALOGUE: FlowLogField[] = [];

/**
 * A field of a VPC flow-log record (versions 2 to 8).
 *
 * The catalogue below is the library's single source of truth for field names: the
 * flow log's `LogFormat`, the filter patterns and every parser are rendered from it.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-fields
 */
export class FlowLogField {
  // Version 2: the default format, in AWS's order.
  /** The VPC Flow Logs version. */
  public static readonly VERSION = new FlowLogField('version', 2, FlowLogFieldDataType.INT_32);
  /** The AWS account ID of the owner of the source network interface. */
  public static readonly ACCOUNT_ID = new FlowLogField('account-id', 2, FlowLogFieldDataType.STRING);
  /** The ID of the network interface for which the traffic is recorded. */
  public static readonly INTERFACE_ID = new FlowLogField('interface-id', 2, FlowLogFieldDataType.STRING);
  /** The source address for incoming traffic, or the interface's address for outgoing traffic. */
  public static readonly SRCADDR = new FlowLogField('srcaddr', 2, FlowLogFieldDataType.STRING);
  /** The destination address for outgoing traffic, or the interface's address for incoming traffic. */
  public static readonly DSTADDR = new FlowLogField('dstaddr', 2, FlowLogFieldDataType.STRING);
  /** The source port of the traffic. */
  public static readonly SRCPORT = new FlowLogField('srcport', 2, FlowLogFieldDataType.INT_32);
  /** The destination port of the traffic. */
  public static readonly DSTPORT = new FlowLogField('dstport', 2, FlowLogFieldDataType.INT_32);
  /** The IANA protocol number of the traffic (6 = TCP, 17 = UDP, 1 = ICMP). */
  public static readonly PROTOCOL = new FlowLogField('protocol', 2, FlowLogFieldDataType.INT_32);
  /** The number of packets transferred during the flow. */
  public static readonly PACKETS = new FlowLogField('packets', 2, FlowLogFieldDataType.INT_64);
  /** The number of bytes transferred during the flow. */
  public static readonly BYTES = new FlowLogField('bytes', 2, FlowLogFieldDataType.INT_64);
  /** The time, in Unix seconds, when the first packet of the flow was received in the aggregation interval. */
  public static readonly START = new FlowLogField('start', 2, FlowLogFieldDataType.INT_64);
  /** The time, in Unix seconds, when the last packet of the flow was received in the aggregation interval. */
  public static readonly END = new FlowLogField('end', 2, FlowLogFieldDataType.INT_64);
  /** `ACCEPT` or `REJECT`. */
  public static readonly ACTION = new FlowLogField('action', 2, FlowLogFieldDataType.STRING);
  /** `OK`, `NODATA` (no traffic in the interval) or `SKIPDATA` (records skipped: capacity or internal error). */
  public static readonly LOG_STATUS = new FlowLogField('log-status', 2, FlowLogFieldDataType.STRING);

  // Version 3.
  /** The ID of the VPC that contains the network interface. */
  public static readonly VPC_ID = new FlowLogField('vpc-id', 3, FlowLogFieldDataType.STRING);
  /** The ID of the subnet that contains the network interface. */
  public static readonly SUBNET_ID = new FlowLogField('subnet-id', 3, FlowLogFieldDataType.STRING);
  /** The ID of the instance associated with the network interface, if you own it. */
  public static readonly INSTANCE_ID = new FlowLogField('instance-id', 3, FlowLogFieldDataType.STRING);
  /** The OR of the TCP flags seen in the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18). */
  public static readonly TCP_FLAGS = new FlowLogField('tcp-flags', 3, FlowLogFieldDataType.INT_32);
  /** `IPv4`, `IPv6` or `EFA`. */
  public static readonly TYPE = new FlowLogField('type', 3, FlowLogFieldDataType.STRING);
  /** The packet-level (original) source address. */
  public static readonly PKT_SRCADDR = new FlowLogField('pkt-srcaddr', 3, FlowLogFieldDataType.STRING);
  /** The packet-level (original) destination address. */
  public static readonly PKT_DSTADDR = new FlowLogField('pkt-dstaddr', 3, FlowLogFieldDataType.STRING);

  // Version 4.
  /** The Region of the network interface. */
  public static readonly REGION = new FlowLogField('region', 4, FlowLogFieldDataType.STRING);
  /** The ID of the Availability Zone of the network interface. */
  public static readonly AZ_ID = new FlowLogField('az-id', 4, FlowLogFieldDataType.STRING);
  /** `wavelength`, `outpost` or `localzone`. */
  public static readonly SUBLOCATION_TYPE = new FlowLogField('sublocation-type', 4, FlowLogFieldDataType.STRING);
  /** The ID of the sublocation of the network interface. */
  public static readonly SUBLOCATION_ID = new FlowLogField('sublocation-id', 4, FlowLogFieldDataType.STRING);

  // Version 5.
  /** The AWS service that owns `pkt-srcaddr`, if any. */
  public static readonly PKT_SRC_AWS_SERVICE = new FlowLogField('pkt-src-aws-service', 5, FlowLogFieldDataType.STRING);
  /** The AWS service that owns `pkt-dstaddr`, if any. */
  public static readonly PKT_DST_AWS_SERVICE = new FlowLogField('pkt-dst-aws-service', 5, FlowLogFieldDataType.STRING);
  /** `ingress` or `egress`, relative to the interface where the traffic is captured. */
  public static readonly FLOW_DIRECTION = new FlowLogField('flow-direction', 5, FlowLogFieldDataType.STRING);
  /** The path egress traffic takes (1 = same VPC … 8 = internet gateway); `-` for ingress. */
  public static readonly TRAFFIC_PATH = new FlowLogField('traffic-path', 5, FlowLogFieldDataType.INT_32);

  // Version 6: Transit Gateway flow logs only.
  /** The type of resource the traffic passes (Transit Gateway flow logs only). */
  public static readonly RESOURCE_TYPE = FlowLogField.transitGateway('resource-type', FlowLogFieldDataType.STRING);
  /** The transit gateway ID (Transit Gateway flow logs only). */
  public static readonly TGW_ID = FlowLogField.transitGateway('tgw-id', FlowLogFieldDataType.STRING);
  /** The transit gateway attachment ID (Transit Gateway flow logs only). */
  public static readonly TGW_ATTACHMENT_ID = FlowLogField.transitGateway('tgw-attachment-id', FlowLogFieldDataType.STRING);
  /** The source VPC's account (Transit Gateway flow logs only). */
  public static readonly TGW_SRC_VPC_ACCOUNT_ID = FlowLogField.transitGateway('tgw-src-vpc-account-id', FlowLogFieldDataType.STRING);
  /** The destination VPC's account (Transit Gateway flow logs only). */
  public static readonly TGW_DST_VPC_ACCOUNT_ID = FlowLogField.transitGateway('tgw-dst-vpc-account-id', FlowLogFieldDataType.STRING);
  /** The source VPC (Transit Gateway flow logs only). */
  public static readonly TGW_SRC_VPC_ID = FlowLogField.transitGateway('tgw-src-vpc-id', FlowLogFieldDataType.STRING);
  /** The destination VPC (Transit Gateway flow logs only). */
  public static readonly TGW_DST_VPC_ID = FlowLogField.transitGateway('tgw-dst-vpc-id', FlowLogFieldDataType.STRING);
  /** The source subnet (Transit Gateway flow logs only). */
  public static readonly TGW_SRC_SUBNET_ID = FlowLogField.transitGateway('tgw-src-subnet-id', FlowLogFieldDataType.STRING);
  /** The destination subnet (Transit Gateway flow logs only). */
  public static readonly TGW_DST_SUBNET_ID = FlowLogField.transitGateway('tgw-dst-subnet-id', FlowLogFieldDataType.STRING);
  /** The source ENI (Transit Gateway flow logs only). */
  public static readonly TGW_SRC_ENI = FlowLogField.transitGateway('tgw-src-eni', FlowLogFieldDataType.STRING);
  /** The destination ENI (Transit Gateway flow logs only). */
  public static readonly TGW_DST_ENI = FlowLogField.transitGateway('tgw-dst-eni', FlowLogFieldDataType.STRING);
  /** The source Availability Zone (Transit Gateway flow logs only). */
  public static readonly TGW_SRC_AZ_ID = FlowLogField.transitGateway('tgw-src-az-id', FlowLogFieldDataType.STRING);
  /** The destination Availability Zone (Transit Gateway flow logs only). */
  public static readonly TGW_DST_AZ_ID = FlowLogField.transitGateway('tgw-dst-az-id', FlowLogFieldDataType.STRING);
  /** The peering attachment (Transit Gateway flow logs only). */
  public static readonly TGW_PAIR_ATTACHMENT_ID = FlowLogField.transitGateway('tgw-pair-attachment-id', FlowLogFieldDataType.STRING);
  /** Packets lost for lack of a route (Transit Gateway flow logs only). */
  public static readonly PACKETS_LOST_NO_ROUTE = FlowLogField.transitGateway('packets-lost-no-route', FlowLogFieldDataType.INT_64);
  /** Packets lost to a blackhole route (Transit Gateway flow logs only). */
  public static readonly PACKETS_LOST_BLACKHOLE = FlowLogField.transitGateway('packets-lost-blackhole', FlowLogFieldDataType.INT_64);
  /** Packets lost for exceeding the MTU (Transit Gateway flow logs only). */
  public static readonly PACKETS_LOST_MTU_EXCEEDED = FlowLogField.transitGateway('packets-lost-mtu-exceeded', FlowLogFieldDataType.INT_64);
  /** Packets lost to an expired TTL (Transit Gateway flow logs only). */
  public static readonly PACKETS_LOST_TTL_EXPIRED = FlowLogField.transitGateway('packets-lost-ttl-expired', FlowLogFieldDataType.INT_64);

  // Version 7: Amazon ECS.
  /** The ECS cluster's ARN, if the traffic is from a running ECS task. */
  public static readonly ECS_CLUSTER_ARN = new FlowLogField('ecs-cluster-arn', 7, FlowLogFieldDataType.STRING);
  /** The ECS cluster's name. */
  public static readonly ECS_CLUSTER_NAME = new FlowLogField('ecs-cluster-name', 7, FlowLogFieldDataType.STRING);
  /** The ECS container instance's ARN. */
  public static readonly ECS_CONTAINER_INSTANCE_ARN = new FlowLogField('ecs-container-instance-arn', 7, FlowLogFieldDataType.STRING);
  /** The ECS container instance's ID. */
  public static readonly ECS_CONTAINER_INSTANCE_ID = new FlowLogField('ecs-container-instance-id', 7, FlowLogFieldDataType.STRING);
  /** The Docker runtime ID of the task's first container. */
  public static readonly ECS_CONTAINER_ID = new FlowLogField('ecs-container-id', 7, FlowLogFieldDataType.STRING);
  /** The Docker runtime ID of the task's second container. */
  public static readonly ECS_SECOND_CONTAINER_ID = new FlowLogField('ecs-second-container-id', 7, FlowLogFieldDataType.STRING);
  /** The ECS service's name. */
  public static readonly ECS_SERVICE_NAME = new FlowLogField('ecs-service-name', 7, FlowLogFieldDataType.STRING);
  /** The ECS task definition's ARN. */
  public static readonly ECS_TASK_DEFINITION_ARN = new FlowLogField('ecs-task-definition-arn', 7, FlowLogFieldDataType.STRING);
  /** The ECS task's ARN. */
  public static readonly ECS_TASK_ARN = new FlowLogField('ecs-task-arn', 7, FlowLogFieldDataType.STRING);
  /** The ECS task's ID. */
  public static readonly ECS_TASK_ID = new FlowLogField('ecs-task-id', 7, FlowLogFieldDataType.STRING);

  // Version 8.
  /** Why traffic was rejected, e.g. `BPA` (VPC Block Public Access). */
  public static readonly REJECT_REASON = new FlowLogField('reject-reason', 8, FlowLogFieldDataType.STRING);

  /**
   * Every known field, in the order of AWS's table (versions 2 to 8).
   */
  public static all(): FlowLogField[] {
    return [...CATALOGUE];
  }

  /**
   * The field with this name, as written in a flow log format (`dstport`, `subnet-id` …).
   *
   * @throws if no flow-log field has that name
   */
  public static fromName(name: string): FlowLogField {
    const field = CATALOGUE.find(f => f.name === name);
    if (!field) {
      throw new Error(`'${name}' is not a VPC flow log field; known fields: ${CATALOGUE.map(f => f.name).join(', ')}`);
    }
    return field;
  }

  private static transitGateway(name: string, dataType: FlowLogFieldDataType): FlowLogField {
    return new FlowLogField(name, 6, dataType, true);
  }

  /**
   * @param name the field's name in a flow log format
   * @param version the flow-log version that introduced it
   * @param dataType the type of its values
   * @param transitGatewayOnly whether only Transit Gateway flow logs record it
   */
  private constructor(
    public readonly name: string,
    public readonly version: number,
    public readonly dataType: FlowLogFieldDataType,
    public readonly transitGatewayOnly: boolean = false,
  ) {
    CATALOGUE.push(this);
  }

  /**
   * The field as written in a flow log format: `${name}`.
   */
  public toFormatToken(): string {
    return `\${${this.name}}`;
  }
}

