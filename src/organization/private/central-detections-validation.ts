import { Token } from 'aws-cdk-lib';

/**
 * A log alarm's `LogGroupIdentifiers` holds 1 to 50 log groups
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ScheduledQueryConfiguration.html).
 */
export const MAX_LOG_GROUPS = 50;

/**
 * Log-group names: 1 to 512 characters of letters, digits and . - _ / #
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
 */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function validateLogGroupNames(names: string[] | undefined, prefix: string | undefined): void {
  if (Token.isUnresolved(names)) {
    return;
  }
  if (!names || names.length === 0) {
    throw new Error('`logGroupNames` must list 1 to 50 centralized log groups (a log alarm queries 1 to 50), got an empty list');
  }
  if (names.length > MAX_LOG_GROUPS) {
    throw new Error(`\`logGroupNames\` must list at most ${MAX_LOG_GROUPS} log groups (a log alarm's LogGroupIdentifiers), got ${names.length}: `
      + 'split them over several FlowLogCentralDetections');
  }
  names.forEach((name, i) => {
    if (Token.isUnresolved(name)) {
      return;
    }
    if (!LOG_GROUP_NAME.test(name)) {
      throw new Error(`\`logGroupNames[${i}]\` must be a log-group name of 1 to 512 letters, digits and . - _ / #, got '${name}'`);
    }
    if (prefix !== undefined && !Token.isUnresolved(prefix) && !name.startsWith(prefix)) {
      throw new Error(`\`logGroupNames[${i}]\` must start with the centralized log groups' prefix '${prefix}', got '${name}'`);
    }
  });
  const twice = names.find((n, i) => !Token.isUnresolved(n) && names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new Error(`\`logGroupNames\` lists '${twice}' twice; list each log group once`);
  }
}
