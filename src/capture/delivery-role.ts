import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { stackSingleton } from '../private/stack-singleton';

/**
 * The IAM role that VPC Flow Logs assumes to write into the watches' log groups:
 * one per stack, shared by every `FlowLogWatch` in it.
 *
 * - Trusts `vpc-flow-logs.amazonaws.com` only for flow logs of this stack's account and
 *   Region (`aws:SourceAccount` and `aws:SourceArn` conditions: no confused deputy).
 * - Its permissions name each log group it delivers to (no `"Resource": "*"`) and come
 *   through a customer-managed policy, not an inline one.
 * - It has no `iam:PassRole`: AWS checks that permission on whoever creates the flow log
 *   (the deploying principal), never on the delivery role itself.
 */
export class FlowLogDeliveryRole extends Construct {
  /**
   * The stack's delivery role, created on first use.
   */
  public static of(scope: IConstruct): FlowLogDeliveryRole {
    return stackSingleton(scope, 'FlowLogDeliveryRole', (c): c is FlowLogDeliveryRole => c instanceof FlowLogDeliveryRole,
      (stack, id) => new FlowLogDeliveryRole(stack, id));
  }

  /**
   * The role.
   */
  public readonly role: iam.Role;

  /**
   * The managed policy that grants delivery to the log groups.
   */
  public readonly policy: iam.ManagedPolicy;

  private readonly delivery: iam.PolicyStatement;
  private readonly logGroupArns = new Set<string>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      description: 'Delivers VPC flow logs to the CloudWatch log groups of cdk-flowlog-watch in this stack',
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }),
        },
      }),
    });

    this.delivery = new iam.PolicyStatement({
      sid: 'DeliverFlowLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Lets VPC Flow Logs write to the log groups of cdk-flowlog-watch in this stack, and nowhere else',
      statements: [this.delivery],
      roles: [this.role],
    });
  }

  /**
   * Lets the role write flow logs into a log group.
   */
  public grantDelivery(logGroup: logs.ILogGroup): void {
    const arn = logGroup.logGroupArn;
    if (this.logGroupArns.has(arn)) {
      return;
    }
    this.logGroupArns.add(arn);
    this.delivery.addResources(arn);
  }
}
