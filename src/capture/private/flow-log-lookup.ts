import { Stack, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The VPC-level flow logs of a VPC anywhere in its app: `AWS::EC2::FlowLog` resources of type VPC
 * whose resource ID is the VPC's. In the VPC's stack the IDs are compared resolved; in another
 * stack (a monitoring stack's `FlowLogWatch` of the VPC, which CloudFormation turns into an export
 * and `Fn::ImportValue`) the reference is compared as a token, not resolved, so that another
 * stack's VPC of the same logical ID does not count.
 */
export function vpcFlowLogsOf(vpc: ec2.CfnVPC): ec2.CfnFlowLog[] {
  const vpcStack = Stack.of(vpc);
  const vpcRef = JSON.stringify(vpcStack.resolve(vpc.ref));
  const vpcToken = Tokenization.reverseString(vpc.ref).firstToken;
  return vpc.node.root.node.findAll().filter((c): c is ec2.CfnFlowLog => {
    if (!(c instanceof ec2.CfnFlowLog) || c.resourceType !== 'VPC') {
      return false;
    }
    if (Stack.of(c) === vpcStack) {
      return JSON.stringify(vpcStack.resolve(c.resourceId)) === vpcRef;
    }
    return vpcToken !== undefined && Tokenization.reverseString(c.resourceId).firstToken === vpcToken;
  });
}

/**
 * Whether a flow log delivers to CloudWatch Logs (the default destination type).
 */
export function deliversToCloudWatchLogs(flowLog: ec2.CfnFlowLog): boolean {
  return flowLog.logDestinationType === undefined || flowLog.logDestinationType === 'cloud-watch-logs';
}
