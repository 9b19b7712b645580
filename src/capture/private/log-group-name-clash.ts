import { Stack, Stage, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

// CreateLogGroup: "Log group names must be unique within a Region for an AWS account."
const UNIQUE_NAMES_URL = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html';

/**
 * Adds a validation to the watch: no other log group of its Stage (a watch's or any `logs.LogGroup`) may have the
 * watch's literal `logGroupName` in the same stack, or in a stack of the same literal account and Region: the second
 * creation would fail at deploy. A validation, not a check at construction: log groups created after the watch count
 * too. Names that are tokens are not compared, nor are the stacks of an environment-agnostic stack but its own.
 */
export function validateUniqueLogGroupName(watch: IConstruct, logGroup: logs.LogGroup, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const own = logGroup.node.defaultChild as logs.CfnLogGroup;
  watch.node.addValidation({
    validate: () => {
      const stage = Stage.of(watch) ?? watch.node.root;
      const stack = Stack.of(watch);
      const clashes = stage.node.findAll().filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup && c !== own
        && c.logGroupName === name && Stage.of(c) === Stage.of(watch) && sameEnvironment(Stack.of(c), stack));
      return clashes.map(c => `\`logGroupName\` '${name}' of ${watch.node.path} is also the name of ${c.node.path} in `
        + `${Stack.of(c) === stack && Token.isUnresolved(stack.account) ? 'the same stack' : `${stack.account}/${stack.region}`}: `
        + `CloudWatch Logs takes a log group name once per account and Region (${UNIQUE_NAMES_URL}), so the deployment would fail. `
        + 'Give each log group a name of its own, or leave `logGroupName` out.');
    },
  });
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  if (a === b) {
    return true;
  }
  const literal = (s: Stack) => !Token.isUnresolved(s.account) && !Token.isUnresolved(s.region);
  return literal(a) && literal(b) && a.account === b.account && a.region === b.region;
}
