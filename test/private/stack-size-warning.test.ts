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

test('warns when the stack nears 500 resources', () => {
  const stack = testStack();
  for (let i = 0; i < 16; i++) {
    new FlowLogWatch(stack, `Watch${i}`, { target: FlowLogTarget.fromNetworkInterfaceId(`eni-${String(i).padStart(8, '0')}`, SubnetRole.PRIVATE) });
  }
  for (let i = 0; i < 290; i++) {
    new logs.LogGroup(stack, `Filler${i}`);
  }
  Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp("near CloudFormation's limit of 500 per stack"));
  const small = testStack();
  new FlowLogWatch(small, 'Watch', { target: eniTarget() });
  Annotations.fromStack(small).hasNoWarning('/TestStack', Match.anyValue());
});
