import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack } from '../util';


test('fails when a role has so many subnets that the pattern would pass CloudWatch\'s 1,024 characters', () => {
  const stack = testStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Wide', {
    vpcId: 'vpc-12345678',
    availabilityZones: ['us-east-1a'],
    privateSubnetIds: Array.from({ length: 30 }, (_, i) => `subnet-${String(i).padStart(17, '0')}`),
  });
  expect(() => new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(vpc) }))
    .toThrow(/^the filter pattern of PrivateSshAcceptedBytes would be up to \d+ characters, over CloudWatch Logs' limit of 1024/);
});
