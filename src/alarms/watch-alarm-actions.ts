import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FlowLogAlarmTopic } from './alarm-topic';

// An alarm's AlarmActions: "Maximum number of 5 items"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html). The log
// alarms of the detections take the same list of actions and are held to the same limit.
export const MAX_ALARM_ACTIONS = 5;

/**
 * Throws, naming the prop and the count, when a list of alarm actions is longer than an alarm
 * takes (`MAX_ALARM_ACTIONS`): CloudFormation would fail the deployment instead.
 */
export function validateActionCount(prop: string, actions: cloudwatch.IAlarmAction[] | undefined): void {
  if (actions !== undefined && actions.length > MAX_ALARM_ACTIONS) {
    throw new Error(`\`${prop}\` must list at most ${MAX_ALARM_ACTIONS} actions (an alarm's AlarmActions takes at most ${MAX_ALARM_ACTIONS}), `
      + `got ${actions.length}: notify one SNS topic and subscribe the other targets to it`);
  }
}

/**
 * What every alarm of a watch does when it fires: the given `alarmActions`, or a notification
 * to the stack's `FlowLogAlarmTopic` (created only when some alarm needs it).
 */
export class WatchAlarmActions {
  /** The actions. */
  public readonly actions: cloudwatch.IAlarmAction[];
  /** The stack's topic, when the actions are its. */
  public readonly topic?: sns.ITopic;

  constructor(watch: Construct, alarmActions: cloudwatch.IAlarmAction[] | undefined, needed: boolean) {
    if (alarmActions !== undefined && alarmActions.length === 0) {
      throw new Error('`alarmActions` must list at least one action, got an empty list: every alarm needs an action. '
        + 'Leave it out to notify the stack\'s FlowLogAlarmTopic.');
    }
    validateActionCount('alarmActions', alarmActions);
    if (alarmActions || !needed) {
      this.actions = alarmActions ?? [];
    } else {
      this.topic = FlowLogAlarmTopic.of(watch).topic;
      this.actions = [new cloudwatchActions.SnsAction(this.topic)];
    }
  }
}
