import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogField, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole, TrafficDirection } from '../../src';
import { testStack, threeTierVpc } from '../util';

const KIT_LOG_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} '
  + '${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} '
  + '${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';

function eniTarget() {
  return FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC);
}

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
