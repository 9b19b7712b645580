import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FlowLogTarget, FlowLogTargetType, SubnetRole } from '../../src';
import { testStack, threeTierVpc } from '../util';

describe('fromVpc', () => {
  test('knows the role of every subnet from the VPC subnet groups', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    const target = FlowLogTarget.fromVpc(vpc);

    expect(target.targetType).toBe(FlowLogTargetType.VPC);
    expect(target.resourceId).toBe(vpc.vpcId);
    expect(target.roles).toEqual([SubnetRole.PUBLIC, SubnetRole.PRIVATE, SubnetRole.ISOLATED]);
    expect(target.subnetsOf(SubnetRole.PUBLIC).map(s => s.subnetId)).toEqual(vpc.publicSubnets.map(s => s.subnetId));
    expect(target.subnetsOf(SubnetRole.PRIVATE).map(s => s.subnetId)).toEqual(vpc.privateSubnets.map(s => s.subnetId));
    expect(target.subnetsOf(SubnetRole.ISOLATED).map(s => s.subnetId)).toEqual(vpc.isolatedSubnets.map(s => s.subnetId));
    expect(target.subnets).toHaveLength(vpc.publicSubnets.length * 3);
  });

  test('covers only the roles the VPC has', () => {
    const vpc = new ec2.Vpc(testStack(), 'Vpc', {
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    expect(FlowLogTarget.fromVpc(vpc).roles).toEqual([SubnetRole.ISOLATED]);
  });

  test('knows the roles of an imported VPC from its subnet IDs', () => {
    const vpc = ec2.Vpc.fromVpcAttributes(testStack(), 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a'],
      publicSubnetIds: ['subnet-11111111'],
      isolatedSubnetIds: ['subnet-33333333'],
    });
    const target = FlowLogTarget.fromVpc(vpc);
    expect(target.roles).toEqual([SubnetRole.PUBLIC, SubnetRole.ISOLATED]);
    expect(target.subnets).toEqual([
      { subnetId: 'subnet-11111111', role: SubnetRole.PUBLIC },
      { subnetId: 'subnet-33333333', role: SubnetRole.ISOLATED },
    ]);
    expect(target.toResourceType()).toEqual({ resourceType: 'VPC', resourceId: 'vpc-0123456789abcdef0' });
  });

  test('fails on a VPC without subnets, naming the VPC', () => {
    const vpc = ec2.Vpc.fromVpcAttributes(testStack(), 'Empty', { vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'] });
    expect(() => FlowLogTarget.fromVpc(vpc)).toThrow(
      "`target`: FlowLogTarget.fromVpc() got the VPC 'TestStack/Empty' with no public, private or isolated subnets; "
      + 'there is nothing to watch and no role to alarm on. Give the VPC subnets, or watch a subnet or a network interface instead.');
  });
});

describe('fromSubnet', () => {
  test('infers the role of a subnet of an ec2.Vpc in the app', () => {
    const vpc = threeTierVpc(testStack());
    expect(FlowLogTarget.fromSubnet(vpc.publicSubnets[1]).roles).toEqual([SubnetRole.PUBLIC]);
    expect(FlowLogTarget.fromSubnet(vpc.privateSubnets[0]).roles).toEqual([SubnetRole.PRIVATE]);
    const isolated = FlowLogTarget.fromSubnet(vpc.isolatedSubnets[2]);
    expect(isolated.roles).toEqual([SubnetRole.ISOLATED]);
    expect(isolated.targetType).toBe(FlowLogTargetType.SUBNET);
    expect(isolated.subnets).toEqual([{ subnetId: vpc.isolatedSubnets[2].subnetId, role: SubnetRole.ISOLATED }]);
    expect(isolated._warnings()).toEqual([]);
  });

  test('infers the role of a subnet of an imported VPC', () => {
    const vpc = ec2.Vpc.fromVpcAttributes(testStack(), 'Imported', {
      vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-22222222'],
    });
    expect(FlowLogTarget.fromSubnet(vpc.privateSubnets[0]).roles).toEqual([SubnetRole.PRIVATE]);
  });

  test('takes the role of an imported subnet from the caller', () => {
    const subnet = ec2.Subnet.fromSubnetId(testStack(), 'Subnet', 'subnet-0123456789abcdef0');
    const target = FlowLogTarget.fromSubnet(subnet, SubnetRole.ISOLATED);
    expect(target.roles).toEqual([SubnetRole.ISOLATED]);
    expect(target.toResourceType()).toEqual({ resourceType: 'Subnet', resourceId: 'subnet-0123456789abcdef0' });
  });

  test('fails on an imported subnet without a role', () => {
    const subnet = ec2.Subnet.fromSubnetId(testStack(), 'Subnet', 'subnet-0123456789abcdef0');
    expect(() => FlowLogTarget.fromSubnet(subnet)).toThrow(
      "`role` is required for FlowLogTarget.fromSubnet('TestStack/Subnet'): the subnet is not part of a VPC in this app, "
      + 'so its role cannot be inferred. Pass SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED.');
  });

  test('lets an explicit role win over the VPC one, with a warning', () => {
    const vpc = threeTierVpc(testStack());
    const target = FlowLogTarget.fromSubnet(vpc.publicSubnets[0], SubnetRole.PRIVATE);
    expect(target.roles).toEqual([SubnetRole.PRIVATE]);
    expect(target._warnings()).toEqual([
      "Subnet 'TestStack/Vpc/PublicSubnet1' is watched as private, but its VPC declares it public; its alarms follow the private profile.",
    ]);
  });
});

describe('fromNetworkInterfaceId', () => {
  test.each(['eni-12345678', 'eni-0123456789abcdef0'])('accepts %s with its role', (id) => {
    const target = FlowLogTarget.fromNetworkInterfaceId(id, SubnetRole.PUBLIC);
    expect(target.targetType).toBe(FlowLogTargetType.NETWORK_INTERFACE);
    expect(target.roles).toEqual([SubnetRole.PUBLIC]);
    expect(target.subnets).toEqual([]);
    expect(target.toResourceType()).toEqual({ resourceType: 'NetworkInterface', resourceId: id });
  });

  test('does not validate a token as a literal', () => {
    const id = Token.asString({ Ref: 'NetworkInterface' });
    expect(FlowLogTarget.fromNetworkInterfaceId(id, SubnetRole.PRIVATE).resourceId).toBe(id);
  });

  test.each(['eni-123', 'eni-0123456789ABCDEF0', 'i-0123456789abcdef0', 'eni-0123456789abcdef01', ''])('fails on the malformed ID %p', (id) => {
    expect(() => FlowLogTarget.fromNetworkInterfaceId(id, SubnetRole.PUBLIC)).toThrow(
      `\`networkInterfaceId\` must be 'eni-' followed by 8 or 17 lowercase hexadecimal digits (e.g. eni-0123456789abcdef0), got '${id}'`);
  });

  test('fails without a role', () => {
    expect(() => FlowLogTarget.fromNetworkInterfaceId('eni-12345678', undefined as unknown as SubnetRole)).toThrow(
      "`role` is required for FlowLogTarget.fromNetworkInterfaceId('eni-12345678'): a network interface's subnet role cannot be "
      + 'inferred from its ID. Pass SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED.');
  });
});
