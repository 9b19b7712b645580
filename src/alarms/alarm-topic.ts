import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { stackSingleton } from '../private/stack-singleton';

/**
 * The SNS topic that the stack's flow-log alarms notify when no `alarmActions` are given:
 * one per stack, created on first use.
 *
 * - Encrypted with a customer-managed KMS key (rotation on) whose policy lets
 *   `cloudwatch.amazonaws.com` use it for this account's alarms, and lets only AWS services
 *   create grants on it. Alarms cannot publish to a
 *   topic under the AWS-managed `alias/aws/sns` key: their notifications are silently lost.
 * - Its policy lets CloudWatch alarms of this account publish, and denies any publishing
 *   without TLS.
 *
 * Subscribe your people or tools to `topic`.
 */
export class FlowLogAlarmTopic extends Construct {
  /**
   * The stack's alarm topic, created on first use.
   */
  public static of(scope: IConstruct): FlowLogAlarmTopic {
    return stackSingleton(scope, 'FlowLogAlarmTopic', (c): c is FlowLogAlarmTopic => c instanceof FlowLogAlarmTopic,
      (stack, id) => new FlowLogAlarmTopic(stack, id));
  }

  /**
   * The topic.
   */
  public readonly topic: sns.Topic;

  /**
   * The key that encrypts it.
   */
  public readonly key: kms.Key;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const alarmsOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the flow-log alarm topic of cdk-flowlog-watch; CloudWatch alarms may use it',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: alarmsOfThisAccount,
    }));
    // Grants are a side door around the key policy: only AWS services may create them
    // (AWS Control Tower CT.KMS.PR.3).
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Flow-log alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: alarmsOfThisAccount,
    }));
  }
}
