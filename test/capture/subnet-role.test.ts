import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SubnetRole } from '../../src';

test('maps every subnet type an ec2.Vpc creates to its role', () => {
  expect(SubnetRole.fromSubnetType(ec2.SubnetType.PUBLIC)).toBe(SubnetRole.PUBLIC);
  expect(SubnetRole.fromSubnetType(ec2.SubnetType.PRIVATE_WITH_EGRESS)).toBe(SubnetRole.PRIVATE);
  expect(SubnetRole.fromSubnetType(ec2.SubnetType.PRIVATE_WITH_NAT)).toBe(SubnetRole.PRIVATE);
  expect(SubnetRole.fromSubnetType(ec2.SubnetType.PRIVATE_ISOLATED)).toBe(SubnetRole.ISOLATED);
});

test('maps the deprecated PRIVATE and ISOLATED subnet types too', () => {
  expect(SubnetRole.fromSubnetType('Deprecated_Private' as ec2.SubnetType)).toBe(SubnetRole.PRIVATE);
  expect(SubnetRole.fromSubnetType('Deprecated_Isolated' as ec2.SubnetType)).toBe(SubnetRole.ISOLATED);
});

test('fails on a value that is not a subnet type, naming it and the allowed ones', () => {
  expect(() => SubnetRole.fromSubnetType('Transit' as ec2.SubnetType))
    .toThrow("`subnetType` must be an ec2.SubnetType (PUBLIC, PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED), got 'Transit'");
});

test('lists the roles public, private, isolated with lower-case names and labels', () => {
  expect(SubnetRole.all().map(r => r.name)).toEqual(['public', 'private', 'isolated']);
  expect(SubnetRole.all().map(r => r.label)).toEqual(['Public', 'Private', 'Isolated']);
  expect(`${SubnetRole.ISOLATED}`).toBe('isolated');
});
