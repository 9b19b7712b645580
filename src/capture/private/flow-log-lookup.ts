import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The VPC-level flow logs of a VPC anywhere in its app: `AWS::EC2::FlowLog` resources of type
 * VPC whose resource ID is the VPC's (compared resolved, within the flow log's stack).
 */
export function vpcFlowLogsOf(vpc: ec2.CfnVPC): ec2.CfnFlowLog[] {
  const vpcStack = Stack.of(vpc);
  const vpcRef = JSON.stringify(vpcStack.resolve(vpc.ref));
  return vpc.node.root.node.findAll().filter((c): c is ec2.CfnFlowLog => {
    if (!(c instanceof ec2.CfnFlowLog) || c.resourceType !== 'VPC' || Stack.of(c) !== vpcStack) {
      return false;
    }
    return JSON.stringify(vpcStack.resolve(c.resourceId)) === vpcRef;
  });
}

/**
 * Whether a flow log delivers to CloudWatch Logs (the default destination type).
 */
export function deliversToCloudWatchLogs(flowLog: ec2.CfnFlowLog): boolean {
  return flowLog.logDestinationType === undefined || flowLog.logDestinationType === 'cloud-watch-logs';
}
