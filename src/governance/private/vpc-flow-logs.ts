import { Stack, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { vpcFlowLogsOf } from '../../capture/private/flow-log-lookup';

/**
 * The VPC-level flow logs of a VPC anywhere in its app: those of its own stack (`vpcFlowLogsOf`),
 * and those of other stacks whose `ResourceId` is a reference to it (a monitoring stack's
 * `FlowLogWatch` of the VPC; CloudFormation turns it into an export and `Fn::ImportValue`).
 * References are compared as tokens, not resolved, so that another stack's VPC of the same
 * logical ID does not count.
 */
export function vpcFlowLogsInApp(vpc: ec2.CfnVPC): ec2.CfnFlowLog[] {
  const own = vpcFlowLogsOf(vpc);
  const vpcStack = Stack.of(vpc);
  const ref = Tokenization.reverseString(vpc.ref).firstToken;
  const elsewhere = vpc.node.root.node.findAll().filter((c): c is ec2.CfnFlowLog => c instanceof ec2.CfnFlowLog
    && c.resourceType === 'VPC' && Stack.of(c) !== vpcStack && ref !== undefined
    && Tokenization.reverseString(c.resourceId).firstToken === ref);
  return [...own, ...elsewhere];
}
