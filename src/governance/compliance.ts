import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { FlowLogWatch } from '../capture/flow-log-watch';
import { deliversToCloudWatchLogs, vpcFlowLogsOf } from '../capture/private/flow-log-lookup';
import { ALLOWED_RETENTIONS } from '../capture/private/retention';

/**
 * Properties of a `FlowLogCompliance` check.
 */
export interface FlowLogComplianceProps {
  /**
   * Whether a flow-log log group without a KMS key is an error.
   *
   * @default false
   */
  readonly requireEncryption?: boolean;
}

/**
 * An aspect (READONLY priority) that reports, as error annotations on the offending
 * construct, what breaks the flow-log policy:
 *
 * - a VPC without a VPC-level flow log;
 * - a flow log whose CloudWatch log group has no retention, or one outside 3 days .. 6 months;
 * - an alarm of a `FlowLogWatch` (a metric alarm, or a detection's log alarm) without an action, or with
 *   its actions disabled;
 * - with `requireEncryption`, a flow-log log group without a KMS key.
 *
 * Error annotations make `cdk synth --strict` and `Annotations.fromStack(...).hasError()` fail.
 *
 * ```ts
 * declare const app: App;
 * Aspects.of(app).add(new FlowLogCompliance(), { priority: AspectPriority.READONLY });
 * ```
 */
export class FlowLogCompliance implements IAspect {
  private readonly requireEncryption: boolean;

  constructor(props: FlowLogComplianceProps = {}) {
    this.requireEncryption = props.requireEncryption ?? false;
  }

  public visit(node: IConstruct): void {
    if (node instanceof ec2.CfnVPC) {
      this.checkVpc(node);
    } else if (node instanceof ec2.CfnFlowLog && deliversToCloudWatchLogs(node)) {
      this.checkLogGroup(node);
    } else if ((node instanceof cloudwatch.CfnAlarm || (node instanceof CfnResource && node.cfnResourceType === LOG_ALARM)) && isKitAlarm(node)) {
      this.checkActions(node);
    }
  }

  private checkVpc(vpc: ec2.CfnVPC): void {
    if (vpcFlowLogsOf(vpc).length > 0) {
      return;
    }
    const owner = vpc.node.scope instanceof ec2.Vpc ? vpc.node.scope : vpc;
    Annotations.of(owner).addError(`FlowLogCompliance: the VPC ${owner.node.path} has no VPC-level flow log. `
      + 'Add Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING }), or '
      + 'new FlowLogWatch(this, \'Watch\', { target: FlowLogTarget.fromVpc(vpc) }).');
  }

  private checkLogGroup(flowLog: ec2.CfnFlowLog): void {
    const logGroup = logGroupOf(flowLog);
    if (!logGroup) {
      Annotations.of(flowLog).addWarningV2('cdk-flowlog-watch:complianceLogGroupUnknown',
        `FlowLogCompliance: the log group of ${flowLog.node.path} is not defined in this app; its retention cannot be checked.`);
      return;
    }
    const retention = logGroup.retentionInDays;
    if (retention === undefined) {
      Annotations.of(logGroup).addError(`FlowLogCompliance: the flow-log log group ${logGroup.node.path} keeps logs forever (no retention). `
        + `Set a retention of ${ALLOWED_RETENTIONS.join(', ')} days; keep longer history in an S3 archive.`);
    } else if (!Token.isUnresolved(retention) && !ALLOWED_RETENTIONS.includes(retention)) {
      Annotations.of(logGroup).addError(`FlowLogCompliance: the flow-log log group ${logGroup.node.path} keeps logs ${retention} days; `
        + `allowed: ${ALLOWED_RETENTIONS.join(', ')} days. Keep longer history in an S3 archive.`);
    }
    if (this.requireEncryption && logGroup.kmsKeyId === undefined) {
      Annotations.of(logGroup).addError(`FlowLogCompliance: the flow-log log group ${logGroup.node.path} is not encrypted with a KMS key. `
        + 'Give the watch (or baseline) an `encryptionKey`.');
    }
  }

  /**
   * Read from the alarm as it will be deployed (escape-hatch overrides included), as cdk-nag's
   * CloudWatchAlarmAction and Control Tower's CT.CLOUDWATCH.PR.1 and PR.4 read the template: no
   * `AlarmActions`, or `ActionsEnabled: false`, is an alarm nobody hears.
   */
  private checkActions(alarm: CfnResource): void {
    const properties = renderedProperties(alarm);
    const actions = properties.AlarmActions;
    if (!Array.isArray(actions) || actions.length === 0) {
      Annotations.of(alarm).addError(`FlowLogCompliance: the flow-log alarm ${alarm.node.path} has no action, so nobody hears it. `
        + 'Leave `alarmActions` out to notify the stack\'s FlowLogAlarmTopic, or give actions.');
    } else if (properties.ActionsEnabled === false) {
      Annotations.of(alarm).addError(`FlowLogCompliance: the flow-log alarm ${alarm.node.path} has its actions disabled (ActionsEnabled: false), `
        + 'so nobody hears it. Leave ActionsEnabled out, or set it to true.');
    }
  }
}

/** The resource type of a detection's log alarm (`FlowLogWatch.logAlarms`). */
const LOG_ALARM = 'AWS::CloudWatch::LogAlarm';

/** A resource's `Properties` as they will be synthesized: its own, with overrides applied, resolved. */
function renderedProperties(resource: CfnResource): Record<string, unknown> {
  type Rendered = { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  const rendered = Stack.of(resource).resolve(resource._toCloudFormation()) as Rendered;
  const [body] = Object.values(rendered.Resources ?? {});
  return body?.Properties ?? {};
}

function isKitAlarm(alarm: CfnResource): boolean {
  return alarm.node.scopes.some(s => s instanceof FlowLogWatch);
}

/**
 * The `AWS::Logs::LogGroup` in the flow log's stack that its `LogGroupName` refers to, if any.
 */
function logGroupOf(flowLog: ec2.CfnFlowLog): logs.CfnLogGroup | undefined {
  const stack = Stack.of(flowLog);
  const name = JSON.stringify(stack.resolve(flowLog.logGroupName));
  return stack.node.findAll().find((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup
    && Stack.of(c) === stack
    && (JSON.stringify(stack.resolve(c.ref)) === name || (c.logGroupName !== undefined && JSON.stringify(stack.resolve(c.logGroupName)) === name)));
}
