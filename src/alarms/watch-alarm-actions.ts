import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FlowLogAlarmTopic } from './alarm-topic';

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
    if (alarmActions || !needed) {
      this.actions = alarmActions ?? [];
    } else {
      this.topic = FlowLogAlarmTopic.of(watch).topic;
      this.actions = [new cloudwatchActions.SnsAction(this.topic)];
    }
  }
}
