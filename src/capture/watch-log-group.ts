import { Annotations, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * What the watch's log group is made of.
 */
export interface WatchLogGroupOptions {
  readonly retention: logs.RetentionDays;
  readonly logGroupName?: string;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
  readonly deletionProtection?: boolean;
}

/**
 * The watch's log group (`LogGroup`), kept on removal by default, and the key policy statement
 * that lets CloudWatch Logs use a customer-managed key for it.
 */
export function createWatchLogGroup(watch: Construct, options: WatchLogGroupOptions): logs.LogGroup {
  const logGroup = new logs.LogGroup(watch, 'LogGroup', {
    logGroupName: options.logGroupName,
    retention: options.retention,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  const protect = options.deletionProtection ?? true;
  if (protect && options.removalPolicy === RemovalPolicy.DESTROY) {
    throw new Error('`removalPolicy` RemovalPolicy.DESTROY cannot delete a log group with deletion protection on (`deletionProtection` defaults to true): '
      + 'set `deletionProtection: false` too, or keep the log group (RemovalPolicy.RETAIN)');
  }
  if (protect) {
    // "Deletion protection prevents log groups from being deleted ... until you disable it":
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/protecting-log-groups-from-deletion.html
    // Written as an override: aws-cdk-lib's `deletionProtectionEnabled` is newer than the library's floor.
    (logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('DeletionProtectionEnabled', true);
  }
  if (options.encryptionKey) {
    allowLogsToUseKey(watch, logGroup, options.encryptionKey, options.logGroupName);
  }
  return logGroup;
}

/**
 * Lets CloudWatch Logs in this Region use the key for this log group only. The log group's
 * ARN cannot be referenced (the log group depends on the key), so it is written out: by
 * name when one is given, else by the `<stack>-<logicalId>-` prefix CloudFormation names it with.
 * The stack name is written as a literal, not `AWS::StackName`: the key may live in another stack.
 */
function allowLogsToUseKey(watch: Construct, logGroup: logs.LogGroup, key: kms.IKey, logGroupName?: string): void {
  const stack = Stack.of(watch);
  const logicalId = stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup);
  const arn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const condition = logGroupName
    ? { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn(logGroupName) } }
    : { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn(`${stack.stackName}-${logicalId}-*`) } };
  const result = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowCloudWatchLogsFor${logicalId}`,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: condition,
  }));
  if (!result.statementAdded) {
    Annotations.of(watch).addWarningV2('cdk-flowlog-watch:importedKey',
      `The policy of the imported key '${key.node.path}' cannot be changed here: let logs.<region>.amazonaws.com use it `
      + '(kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*) for this log group, or its creation fails.');
  }
}
