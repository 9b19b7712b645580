import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The role a subnet plays in its VPC. It decides which traffic is normal there
 * and so which alarms, with which thresholds, watch it.
 */
export class SubnetRole {
  /**
   * A subnet with a route to an internet gateway: scanned by the internet all day.
   */
  public static readonly PUBLIC = new SubnetRole('public', 'Public');

  /**
   * A private subnet with egress (NAT gateway or instance): should be quiet inbound.
   */
  public static readonly PRIVATE = new SubnetRole('private', 'Private');

  /**
   * An isolated subnet: no route to or from the internet at all.
   */
  public static readonly ISOLATED = new SubnetRole('isolated', 'Isolated');

  /**
   * Every role, in the order they are reported: public, private, isolated.
   */
  public static all(): SubnetRole[] {
    return [SubnetRole.PUBLIC, SubnetRole.PRIVATE, SubnetRole.ISOLATED];
  }

  /**
   * The role of the subnets an `ec2.Vpc` creates for a subnet type.
   *
   * `PUBLIC` is public; `PRIVATE_WITH_EGRESS` (and its deprecated aliases) is private;
   * `PRIVATE_ISOLATED` (and `ISOLATED`) is isolated.
   */
  public static fromSubnetType(subnetType: ec2.SubnetType): SubnetRole {
    const role = ROLE_BY_SUBNET_TYPE[subnetType];
    if (!role) {
      throw new Error(`\`subnetType\` must be an ec2.SubnetType (PUBLIC, PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED), got '${subnetType}'`);
    }
    return role;
  }

  /**
   * @param name lower-case name, used in construct IDs, metric names and alarm names
   * @param label capitalised name, for descriptions and summaries
   */
  private constructor(public readonly name: string, public readonly label: string) {}

  /**
   * The role's name.
   */
  public toString(): string {
    return this.name;
  }
}

// Keyed by the enum's values. The deprecated members PRIVATE and ISOLATED have values of their
// own and are stripped from aws-cdk-lib's type declarations, so they are named by value.
const ROLE_BY_SUBNET_TYPE: Record<string, SubnetRole> = {
  [ec2.SubnetType.PUBLIC]: SubnetRole.PUBLIC,
  [ec2.SubnetType.PRIVATE_WITH_EGRESS]: SubnetRole.PRIVATE,
  [ec2.SubnetType.PRIVATE_WITH_NAT]: SubnetRole.PRIVATE,
  Deprecated_Private: SubnetRole.PRIVATE,
  [ec2.SubnetType.PRIVATE_ISOLATED]: SubnetRole.ISOLATED,
  Deprecated_Isolated: SubnetRole.ISOLATED,
};
