import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { stackSingleton } from '../private/stack-singleton';

/**
 * The two roles of a stack's per-source detections (one `FlowLogDetectionRoles` per stack,
 * shared by its watches), each allowed to read the watched log groups and nothing else:
 *
 * - `QueryRole`, trusted by `logs.amazonaws.com`, runs the log alarms' scheduled queries
 *   (`logs:StartQuery`, `StopQuery`, `GetQueryResults`, `DescribeLogGroups`);
 * - `LogLinesRole`, trusted by `cloudwatch.amazonaws.com`, fetches the matching log lines that
 *   notifications carry (`logs:GetQueryResults`).
 *
 * Trust principals and actions as CloudWatch's "Create a log alarm" documents them:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Alarm-On-Logs.html#Create_Log_Alarm
 */
export class FlowLogDetectionRoles extends Construct {
  /**
   * The stack's detection roles, created on first use.
   */
  public static of(scope: IConstruct): FlowLogDetectionRoles {
    return stackSingleton(scope, 'FlowLogDetectionRoles', (c): c is FlowLogDetectionRoles => c instanceof FlowLogDetectionRoles,
      (stack, id) => new FlowLogDetectionRoles(stack, id));
  }

  /** Runs the scheduled queries. */
  public readonly queryRole: iam.Role;
  /** Fetches log lines for notifications. */
  public readonly logLinesRole: iam.Role;

  private readonly query: iam.PolicyStatement;
  private readonly logLines: iam.PolicyStatement;
  private readonly logGroupArns = new Set<string>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.query = new iam.PolicyStatement({
      sid: 'RunDetectionQueries',
      actions: ['logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:DescribeLogGroups'],
    });
    this.logLines = new iam.PolicyStatement({ sid: 'FetchLogLines', actions: ['logs:GetQueryResults'] });
    this.queryRole = new iam.Role(this, 'QueryRole', {
      description: 'Runs the scheduled Logs Insights queries of the cdk-flowlog-watch detections in this stack',
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com'),
      inlinePolicies: { Queries: new iam.PolicyDocument({ statements: [this.query] }) },
    });
    this.logLinesRole = new iam.Role(this, 'LogLinesRole', {
      description: 'Fetches the log lines that cdk-flowlog-watch detection notifications in this stack carry',
      assumedBy: new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      inlinePolicies: { LogLines: new iam.PolicyDocument({ statements: [this.logLines] }) },
    });
  }

  /**
   * Lets both roles read this log group.
   */
  public grantRead(logGroup: logs.ILogGroup): void {
    const arn = logGroup.logGroupArn;
    if (this.logGroupArns.has(arn)) {
      return;
    }
    this.logGroupArns.add(arn);
    this.query.addResources(arn);
    this.logLines.addResources(arn);
  }
}
