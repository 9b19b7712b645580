import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { SubnetRole } from './subnet-role';
import { describeValue, requireInstance } from '../private/input-checks';

/**
 * The kind of resource a flow log captures.
 */
export enum FlowLogTargetType {
  /** Every network interface of a VPC. */
  VPC = 'VPC',
  /** Every network interface of one subnet. */
  SUBNET = 'Subnet',
  /** One network interface. */
  NETWORK_INTERFACE = 'NetworkInterface',
}

/**
 * A subnet a watch covers, with its role.
 */
export interface WatchedSubnet {
  /**
   * The subnet's ID (a token until deployment for subnets created in the app).
   */
  readonly subnetId: string;

  /**
   * The subnet's role.
   */
  readonly role: SubnetRole;
}

// Resource IDs are a prefix, a hyphen and 8 (older) or 17 (newer) characters
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html); AWS's APIs that check
// them take lowercase hexadecimal: `^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-workspacesweb-networksettings.html),
// `eni-[0-9a-f]{8}(?:[0-9a-f]{9})?` (SageMaker AttachClusterNodeNetworkInterface).
const ENI_ID = /^eni-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ROLES = 'SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED';

/**
 * What a `FlowLogWatch` captures: a VPC, a subnet or a network interface,
 * together with the role of every subnet it covers.
 */
export class FlowLogTarget {
  /**
   * Every network interface of a VPC, in one VPC-level flow log.
   *
   * The roles of its subnets come from the VPC's subnet groups (public, private, isolated),
   * for an `ec2.Vpc` of the app and for an imported VPC alike.
   *
   * @throws if the VPC has no subnets
   */
  public static fromVpc(vpc: ec2.IVpc): FlowLogTarget {
    if (!isConstruct(vpc) || !Array.isArray(vpc.publicSubnets) || typeof vpc.vpcId !== 'string') {
      throw new Error('`vpc` must be an ec2.IVpc (an ec2.Vpc, or one imported with ec2.Vpc.fromLookup() or fromVpcAttributes()), '
        + `got ${describeValue(vpc)}`);
    }
    const subnets = subnetsByRole(vpc);
    checkImportedId('vpc', vpc, vpc.vpcId, 'vpc', VPC_ID);
    subnets.forEach(s => checkImportedId('vpc', vpc, s.subnetId, 'subnet', SUBNET_ID));
    if (subnets.length === 0) {
      throw new Error(`\`target\`: FlowLogTarget.fromVpc() got the VPC '${vpc.node.path}' with no public, private or isolated subnets; `
        + 'there is nothing to watch and no role to alarm on. Give the VPC subnets, or watch a subnet or a network interface instead.');
    }
    return new FlowLogTarget(FlowLogTargetType.VPC, vpc.vpcId, `VPC ${vpc.node.path}`, subnets, [], vpc, undefined);
  }

  /**
   * Every network interface of a VPC defined with the L1 `ec2.CfnVPC`, whose subnets' roles
   * are unknown: the whole VPC is watched under one role.
   *
   * @param vpc the VPC
   * @param role the role its alarms follow
   * @throws if the role is missing
   */
  public static fromCfnVpc(vpc: ec2.CfnVPC, role: SubnetRole): FlowLogTarget {
    if (!(vpc instanceof ec2.CfnVPC) && !(isConstruct(vpc) && typeof (vpc as ec2.CfnVPC).ref === 'string')) {
      throw new Error(`\`vpc\` must be an ec2.CfnVPC, got ${describeValue(vpc)}; for an ec2.Vpc or an imported VPC use FlowLogTarget.fromVpc()`);
    }
    if (!role) {
      throw new Error(`\`role\` is required for FlowLogTarget.fromCfnVpc('${vpc.node.path}'): an ec2.CfnVPC does not say the roles `
        + 'of its subnets. Pass SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED.');
    }
    requireInstance('role', role, SubnetRole, ROLES);
    return new FlowLogTarget(FlowLogTargetType.VPC, vpc.ref, `VPC ${vpc.node.path}`, [], [], undefined, undefined, role);
  }

  /**
   * Every network interface of one subnet.
   *
   * @param subnet the subnet
   * @param role the subnet's role. Optional when the subnet belongs to a VPC of the app
   * (an `ec2.Vpc` or an imported one), whose subnet groups tell it; required otherwise.
   * When given for such a subnet, it wins over the VPC's, with a warning if they differ.
   * @default - the role of the subnet's group in its VPC
   * @throws if no role is given and the subnet's VPC does not tell it
   */
  public static fromSubnet(subnet: ec2.ISubnet, role?: SubnetRole): FlowLogTarget {
    if (!isConstruct(subnet) || typeof subnet.subnetId !== 'string') {
      throw new Error('`subnet` must be an ec2.ISubnet (a subnet of an ec2.Vpc, or one imported with ec2.Subnet.fromSubnetId()), '
        + `got ${describeValue(subnet)}`);
    }
    if (role !== undefined) {
      requireInstance('role', role, SubnetRole, ROLES);
    }
    checkImportedId('subnet', subnet, subnet.subnetId, 'subnet', SUBNET_ID);
    const known = roleInParentVpc(subnet);
    const warnings: string[] = [];
    if (!role && !known) {
      throw new Error(`\`role\` is required for FlowLogTarget.fromSubnet('${subnet.node.path}'): the subnet is not part of a VPC `
        + 'in this app, so its role cannot be inferred. Pass SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED.');
    }
    if (role && known && role !== known) {
      warnings.push(`Subnet '${subnet.node.path}' is watched as ${role.name}, but its VPC declares it ${known.name}; `
        + `its alarms follow the ${role.name} profile.`);
    }
    const effectiveRole = role ?? known!;
    return new FlowLogTarget(FlowLogTargetType.SUBNET, subnet.subnetId, `subnet ${subnet.node.path}`,
      [{ subnetId: subnet.subnetId, role: effectiveRole }], warnings, undefined, subnet);
  }

  /**
   * One network interface, by ID.
   *
   * @param networkInterfaceId `eni-` followed by 8 or 17 hexadecimal digits (or a token)
   * @param role the role of the interface's subnet; an ID alone cannot tell it
   * @throws if the ID is malformed or the role is missing
   */
  public static fromNetworkInterfaceId(networkInterfaceId: string, role: SubnetRole): FlowLogTarget {
    if (typeof networkInterfaceId !== 'string' || (!Token.isUnresolved(networkInterfaceId) && !ENI_ID.test(networkInterfaceId))) {
      throw new Error(`\`networkInterfaceId\` must be 'eni-' followed by 8 or 17 lowercase hexadecimal digits (e.g. eni-0123456789abcdef0), got ${describeValue(networkInterfaceId)}`);
    }
    if (!role) {
      throw new Error(`\`role\` is required for FlowLogTarget.fromNetworkInterfaceId('${networkInterfaceId}'): a network interface's `
        + 'subnet role cannot be inferred from its ID. Pass SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED.');
    }
    requireInstance('role', role, SubnetRole, ROLES);
    return new FlowLogTarget(FlowLogTargetType.NETWORK_INTERFACE, networkInterfaceId,
      `network interface ${Token.isUnresolved(networkInterfaceId) ? '(token)' : networkInterfaceId}`,
      [], [], undefined, undefined, role);
  }

  /**
   * The roles covered, in the order public, private, isolated, each once.
   */
  public readonly roles: SubnetRole[];

  /**
   * @param targetType the kind of resource
   * @param resourceId the ID of the VPC, subnet or network interface
   * @param description a short human description, for names and messages
   * @param subnets the subnets covered and their roles (none for a network interface)
   * @param warnings things to say, as warnings, on the watch that uses this target
   * @param vpc the VPC, for a VPC target
   * @param subnet the subnet, for a subnet target
   */
  private constructor(
    public readonly targetType: FlowLogTargetType,
    public readonly resourceId: string,
    public readonly description: string,
    public readonly subnets: WatchedSubnet[],
    private readonly warnings: string[],
    public readonly vpc?: ec2.IVpc,
    public readonly subnet?: ec2.ISubnet,
    interfaceRole?: SubnetRole,
  ) {
    const covered = interfaceRole ? [interfaceRole] : subnets.map(s => s.role);
    this.roles = SubnetRole.all().filter(r => covered.includes(r));
  }

  /**
   * The subnets of one role.
   */
  public subnetsOf(role: SubnetRole): WatchedSubnet[] {
    return this.subnets.filter(s => s.role === role);
  }

  /**
   * The flow log's resource type and ID.
   */
  public toResourceType(): ec2.FlowLogResourceType {
    switch (this.targetType) {
      case FlowLogTargetType.VPC: return { resourceType: 'VPC', resourceId: this.resourceId };
      case FlowLogTargetType.SUBNET: return ec2.FlowLogResourceType.fromSubnet(this.subnet!);
      case FlowLogTargetType.NETWORK_INTERFACE: return ec2.FlowLogResourceType.fromNetworkInterfaceId(this.resourceId);
    }
  }

  /**
   * What the watch should say as warnings about this target.
   *
   * @internal
   */
  public _warnings(): string[] {
    return [...this.warnings];
  }
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && typeof (x as IConstruct).node?.path === 'string';
}

/**
 * Throws when the literal ID of an imported VPC or subnet is not an ID of its kind: a flow log of
 * it would fail to deploy, and filter patterns on it would match nothing. Tokens are not checked,
 * nor are the placeholder IDs a context lookup (`ec2.Vpc.fromLookup()`) returns until the CLI has
 * done the lookup (the stack then reports missing context).
 */
function checkImportedId(prop: string, owner: IConstruct, id: string, kind: string, pattern: RegExp): void {
  if (Token.isUnresolved(id) || pattern.test(id) || lookupPending(owner)) {
    return;
  }
  throw new Error(`\`${prop}\`: the ${kind} ID '${id}' of ${owner.node.path} must be '${kind}-' followed by 8 or 17 lowercase `
    + `hexadecimal digits (e.g. ${kind}-0123456789abcdef0): a flow log of it fails to deploy and its filters match no record`);
}

function lookupPending(scope: IConstruct): boolean {
  // Stack#_missingContext is internal to aws-cdk-lib: it lists the context lookups still to do.
  const missing = (Stack.of(scope) as unknown as { _missingContext?: unknown[] })._missingContext;
  return Array.isArray(missing) && missing.length > 0;
}

function subnetsByRole(vpc: ec2.IVpc): WatchedSubnet[] {
  const group = (subnets: ec2.ISubnet[], role: SubnetRole) => subnets.map(s => ({ subnetId: s.subnetId, role }));
  return [
    ...group(vpc.publicSubnets, SubnetRole.PUBLIC),
    ...group(vpc.privateSubnets, SubnetRole.PRIVATE),
    ...group(vpc.isolatedSubnets, SubnetRole.ISOLATED),
  ];
}

/**
 * The role of a subnet in the subnet groups of the VPC that created it (its construct parent), if any.
 */
function roleInParentVpc(subnet: ec2.ISubnet): SubnetRole | undefined {
  const parent = subnet.node.scope as Partial<ec2.IVpc> | undefined;
  if (parent?.publicSubnets?.includes(subnet)) return SubnetRole.PUBLIC;
  if (parent?.privateSubnets?.includes(subnet)) return SubnetRole.PRIVATE;
  if (parent?.isolatedSubnets?.includes(subnet)) return SubnetRole.ISOLATED;
  return undefined;
}
