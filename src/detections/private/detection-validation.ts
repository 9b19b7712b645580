import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { validateActionCount } from '../../alarms/watch-alarm-actions';
import { SubnetRole } from '../../capture/subnet-role';
import { requireDuration } from '../../private/input-checks';
import { FlowLogDetectionsOptions } from '../detection-options';

// Limits of AWS::CloudWatch::LogAlarm (CloudFormation resource schema and
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-logalarm.html):
// StartTimeOffset at most 2,592,000 seconds (30 days), QueryString at most 10,000 characters,
// ActionLogLineCount 0 to 50. The 30 days are in the schema's text of StartTimeOffset ("Must be a
// positive value and cannot exceed 2592000 seconds (30 days)",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudwatch-logalarm-scheduleconfiguration.html).
// AWS documents no maximum for the ScheduleExpression (a rate() expression,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ScheduleConfiguration.html):
// the schedule is held to at most the window (a longer one skips records), so to 30 days as well.
const MAX_WINDOW_SECONDS = 2_592_000;
const MAX_QUERY_LENGTH = 10_000;
const LONGEST_SUBNET_ID = 'subnet-0123456789abcdef0';
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A detection's settings, defaults applied (`resolveDetectionSettings`). */
export interface DetectionSettings {
  readonly threshold: number;
  readonly window: Duration;
  readonly schedule: Duration;
  readonly queryResultsToEvaluate: number;
  readonly queryResultsToAlarm: number;
  readonly actionsOverride?: cloudwatch.IAlarmAction[];
}

export function validateDetection(prop: string, s: DetectionSettings): void {
  if (!Token.isUnresolved(s.threshold) && !(Number.isFinite(s.threshold) && s.threshold > 0)) {
    throw new Error(`\`${prop}.threshold\` must be a number above 0 (the value per contributor that alarms), got ${s.threshold}`);
  }
  const window = windowSeconds(`${prop}.window`, s.window);
  const schedule = scheduleSeconds(`${prop}.schedule`, s.schedule);
  if (window !== undefined && !(window >= 60 && window <= MAX_WINDOW_SECONDS && window % 60 === 0)) {
    throw new Error(`\`${prop}.window\` must be whole minutes from 1 minute to 30 days (the log alarm's StartTimeOffset, at most 2,592,000 seconds), `
      + `got ${s.window.toHumanString()}`);
  }
  if (schedule !== undefined && !(schedule >= 60 && schedule <= MAX_WINDOW_SECONDS && schedule % 60 === 0)) {
    throw new Error(`\`${prop}.schedule\` must be whole minutes from 1 minute to 30 days (rate(N minutes), at most the window, which is at most 30 days), `
      + `got ${s.schedule.toHumanString()}`);
  }
  if (window !== undefined && schedule !== undefined && schedule > window) {
    throw new Error(`\`${prop}.schedule\` (${s.schedule.toHumanString()}) must not be longer than \`${prop}.window\` (${s.window.toHumanString()}): `
      + 'records between one window and the next would never be read');
  }
  for (const [name, value] of [['queryResultsToEvaluate', s.queryResultsToEvaluate], ['queryResultsToAlarm', s.queryResultsToAlarm]] as const) {
    if (!Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 1)) {
      throw new Error(`\`${prop}.${name}\` must be a whole number of 1 or more, got ${value}`);
    }
  }
  // Tokens are not compared: their placeholder values mean nothing.
  if (!Token.isUnresolved(s.queryResultsToAlarm) && !Token.isUnresolved(s.queryResultsToEvaluate)
    && s.queryResultsToAlarm > s.queryResultsToEvaluate) {
    throw new Error(`\`${prop}.queryResultsToAlarm\` (${s.queryResultsToAlarm}) must not exceed \`${prop}.queryResultsToEvaluate\` (${s.queryResultsToEvaluate})`);
  }
  if (s.actionsOverride !== undefined && s.actionsOverride.length === 0) {
    throw new Error(`\`${prop}.actionsOverride\` must list at least one action, got an empty list: every alarm needs an action`);
  }
  validateActionCount(`${prop}.actionsOverride`, s.actionsOverride);
}

/**
 * The window in seconds, or undefined for a token. The log alarm's StartTimeOffset is in seconds,
 * and a token cannot be converted: a token window must be `Duration.seconds(token)`.
 */
function windowSeconds(prop: string, window: Duration): number | undefined {
  return literalSeconds(prop, window, 'seconds', 'as the log alarm\'s StartTimeOffset is in seconds');
}

/**
 * The schedule in seconds, or undefined for a token. The schedule is written `rate(N minutes)`,
 * and a token cannot be converted: a token schedule must be `Duration.minutes(token)`.
 */
function scheduleSeconds(prop: string, schedule: Duration): number | undefined {
  return literalSeconds(prop, schedule, 'minutes', 'as the schedule is written rate(N minutes)');
}

/** A literal duration in seconds; for a token, undefined if it is given in `unit`, else an error saying why it must be. */
function literalSeconds(prop: string, duration: Duration, unit: 'seconds' | 'minutes', why: string): number | undefined {
  requireDuration(prop, duration);
  if (!duration.isUnresolved()) {
    return duration.toSeconds({ integral: false });
  }
  try {
    if (unit === 'seconds') duration.toSeconds();
    else duration.toMinutes();
  } catch {
    throw new Error(`\`${prop}\` given as a token must be Duration.${unit}(token), ${why}, got ${duration.toHumanString()}`);
  }
  return undefined;
}

export function validateDetectionsOptions(options: FlowLogDetectionsOptions, roles: SubnetRole[]): void {
  for (const [prop, role] of [['publicSubnets', SubnetRole.PUBLIC], ['privateSubnets', SubnetRole.PRIVATE], ['isolatedSubnets', SubnetRole.ISOLATED]] as const) {
    if (options[prop] !== undefined && !roles.includes(role)) {
      throw new Error(`\`detections.${prop}\` is set, but the target has no ${role.name} subnets (its roles: ${roles.map(r => r.name).join(', ')})`);
    }
  }
  validateCidrs('detections.internalCidrs', options.internalCidrs);
  for (const prop of ['allowedEgressPorts', 'miningPoolPorts', 'bruteForcePorts'] as const) {
    validatePorts(`detections.${prop}`, options[prop], 'switch the detection off instead');
  }
  if (options.actionLogLineCount !== undefined) {
    validateLogLineCount('detections.actionLogLineCount', options.actionLogLineCount);
  }
}

/** IPv4 CIDR blocks, at least one (the detections' `internalCidrs`, a watch's or the central ones). */
export function validateCidrs(prop: string, cidrs: string[] | undefined): void {
  if (cidrs === undefined) {
    return;
  }
  if (cidrs.length === 0) {
    throw new Error(`\`${prop}\` must list at least one IPv4 CIDR block, got an empty list`);
  }
  for (const cidr of cidrs) {
    if (!Token.isUnresolved(cidr) && !isCidr(cidr)) {
      throw new Error(`\`${prop}\` must be IPv4 CIDR blocks such as 10.0.0.0/8, got '${cidr}'`);
    }
  }
}

/** Ports 0 to 65535, at least one; `emptyHint` says what to do instead of an empty list. */
export function validatePorts(prop: string, ports: number[] | undefined, emptyHint: string): void {
  if (ports === undefined) {
    return;
  }
  if (ports.length === 0) {
    throw new Error(`\`${prop}\` must list at least one port, got an empty list (${emptyHint})`);
  }
  const bad = ports.find(p => !Token.isUnresolved(p) && !(Number.isInteger(p) && p >= 0 && p <= 65535));
  if (bad !== undefined) {
    throw new Error(`\`${prop}\` must be ports from 0 to 65535, got ${bad}`);
  }
}

/** The log alarm's `ActionLogLineCount`: 0 to 50. */
export function validateLogLineCount(prop: string, lines: number): void {
  if (!Token.isUnresolved(lines) && !(Number.isInteger(lines) && lines >= 0 && lines <= 50)) {
    throw new Error(`\`${prop}\` must be a whole number from 0 to 50, got ${lines}`);
  }
}

export function validateQueryLength(query: string, id: string): void {
  const length = query.replace(/\$\{Token\[[^\]]*\]\}/g, LONGEST_SUBNET_ID).length;
  if (length > MAX_QUERY_LENGTH) {
    throw new Error(`the query of ${id} would be up to ${length} characters, over the log alarm's limit of ${MAX_QUERY_LENGTH}: `
      + 'the roles have too many subnets; watch fewer subnets per watch, or fewer `internalCidrs`');
  }
}

function isCidr(cidr: string): boolean {
  const m = CIDR.exec(cidr);
  return m !== null && m.slice(1, 5).every(o => Number(o) <= 255) && Number(m[5]) <= 32;
}
