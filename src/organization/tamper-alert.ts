import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { FlowLogOrganization } from './flow-log-organization';
import { FlowLogAlarmTopic } from '../alarms/alarm-topic';

/** CloudTrail's events on the default bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html). */
const VIA_CLOUDTRAIL = 'AWS API Call via CloudTrail';
const LOG_GROUP_NAME_PREFIX = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/**
 * Properties of a `FlowLogTamperAlert`.
 */
export interface FlowLogTamperAlertProps {
  /**
   * What to notify.
   *
   * @default - the stack's `FlowLogAlarmTopic`
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * The flow-log log groups whose deletion or retention change alerts, by the beginning of their names.
   *
   * @default - the organization telemetry rule's, ['/flowlog-watch/vpc/']
   */
  readonly logGroupNamePrefixes?: string[];
}

/**
 * EventBridge rules that notify when someone tampers with flow logs, read from CloudTrail's
 * management events in this account and Region:
 *
 * - `FlowLogDeleted`: `ec2:DeleteFlowLogs` (the detection Sigma, Elastic and Panther all ship);
 * - `FlowLogGroupChanged`: a flow-log log group deleted, its retention changed or removed, its
 *   deletion protection changed;
 * - `TelemetryRuleChanged`: an organization (or account) telemetry or centralization rule
 *   deleted or changed, or telemetry evaluation stopped.
 *
 * EventBridge sees an account's own API calls only, and only with a trail that logs them (an
 * organization trail does): deploy this in every member account and Region (with the baseline
 * StackSet) and in the administrator account.
 */
export class FlowLogTamperAlert extends Construct {
  /** The rule on deleted flow logs. */
  public readonly flowLogDeleted: events.Rule;
  /** The rule on changed flow-log log groups. */
  public readonly flowLogGroupChanged: events.Rule;
  /** The rule on changed telemetry rules. */
  public readonly telemetryRuleChanged: events.Rule;

  constructor(scope: Construct, id: string, props: FlowLogTamperAlertProps = {}) {
    super(scope, id);
    if (props.targets !== undefined && props.targets.length === 0) {
      throw new Error('`targets` must list at least one target, got an empty list: leave it out to notify the stack\'s FlowLogAlarmTopic');
    }
    const prefixes = props.logGroupNamePrefixes ?? [FlowLogOrganization.DEFAULT_LOG_GROUP_NAME_PREFIX];
    if (prefixes.length === 0) {
      throw new Error('`logGroupNamePrefixes` must list at least one log-group name prefix, got an empty list');
    }
    prefixes.forEach((p, i) => {
      if (!Token.isUnresolved(p) && !LOG_GROUP_NAME_PREFIX.test(p)) {
        throw new Error(`\`logGroupNamePrefixes[${i}]\` must be letters, digits and . - _ / #, got '${p}'`);
      }
    });
    const ruleTargets = props.targets ?? [this.defaultTarget()];

    this.flowLogDeleted = this.rule('FlowLogDeleted', 'A VPC flow log was deleted', ruleTargets, {
      source: ['aws.ec2'],
      detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['DeleteFlowLogs'] },
    });
    // DeleteLogGroup and the retention calls name the group `logGroupName`; PutLogGroupDeletionProtection
    // takes `logGroupIdentifier`, a name or an ARN (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogGroupDeletionProtection.html).
    this.flowLogGroupChanged = this.rule('FlowLogGroupChanged', 'A flow-log log group was deleted, or its retention or deletion protection changed',
      ruleTargets, {
        source: ['aws.logs'],
        detail: {
          eventSource: ['logs.amazonaws.com'],
          eventName: ['DeleteLogGroup', 'PutRetentionPolicy', 'DeleteRetentionPolicy', 'PutLogGroupDeletionProtection'],
          $or: [
            { requestParameters: { logGroupName: prefixes.map(prefix => ({ prefix })) } },
            { requestParameters: { logGroupIdentifier: prefixes.flatMap(prefix => [{ prefix }, { wildcard: `*:log-group:${prefix}*` }]) } },
          ],
        },
      });
    this.telemetryRuleChanged = this.rule('TelemetryRuleChanged', 'An organization telemetry or centralization rule was deleted or changed',
      ruleTargets, {
        source: ['aws.observabilityadmin'],
        detail: {
          eventSource: ['observabilityadmin.amazonaws.com'],
          eventName: [
            'DeleteTelemetryRuleForOrganization', 'UpdateTelemetryRuleForOrganization',
            'DeleteCentralizationRuleForOrganization', 'UpdateCentralizationRuleForOrganization',
            'StopTelemetryEvaluationForOrganization', 'DeleteTelemetryRule', 'UpdateTelemetryRule',
          ],
        },
      });
  }

  private rule(id: string, description: string, ruleTargets: events.IRuleTarget[], pattern: events.EventPattern): events.Rule {
    return new events.Rule(this, id, {
      description: `cdk-flowlog-watch: ${description}`,
      eventPattern: { detailType: [VIA_CLOUDTRAIL], ...pattern },
      targets: ruleTargets,
    });
  }

  /** The stack's alarm topic: the target grants EventBridge sns:Publish and the use of the topic's key. */
  private defaultTarget(): events.IRuleTarget {
    return new targets.SnsTopic(FlowLogAlarmTopic.of(this).topic);
  }
}
