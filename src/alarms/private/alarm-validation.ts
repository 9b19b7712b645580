import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { validateEnum } from '../../capture/private/watch-validation';
import { requireDuration } from '../../private/input-checks';

/** The period of every flow-log alarm unless overridden. */
export const DEFAULT_PERIOD = Duration.minutes(5);

// PutMetricAlarm: "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms
// with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer than
// one day (86,400 seconds)."
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const ONE_HOUR = 3600;
const MAX_WINDOW_SHORT_PERIODS = 86_400;
const MAX_WINDOW = 604_800;

/**
 * Throws, naming the prop, unless the alarm settings are in range. Tokens are not checked.
 */
export function validateAlarm(path: string, valueProp: string, value: number, anomaly: boolean,
  evaluationPeriods: number, datapointsToAlarm: number, period: Duration, treatMissingData?: cloudwatch.TreatMissingData): void {
  const literal = (n: number) => !Token.isUnresolved(n);
  if (literal(value) && (typeof value !== 'number' || !Number.isFinite(value) || (anomaly ? value <= 0 : value < 0))) {
    throw new Error(`\`${path}.${valueProp}\` must be ${anomaly ? 'a number greater than 0 (standard deviations)' : 'a number of 0 or more'}, got ${value}`);
  }
  if (literal(evaluationPeriods) && (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)) {
    throw new Error(`\`${path}.evaluationPeriods\` must be a whole number of 1 or more, got ${evaluationPeriods}`);
  }
  if (literal(datapointsToAlarm) && literal(evaluationPeriods)
    && (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
    throw new Error(`\`${path}.datapointsToAlarm\` must be a whole number from 1 to evaluationPeriods (${evaluationPeriods}), got ${datapointsToAlarm}`);
  }
  requireDuration(`${path}.period`, period);
  validateEnum(`${path}.treatMissingData`, treatMissingData, Object.values(cloudwatch.TreatMissingData));
  if (period.isUnresolved()) {
    requireTokenInSeconds(path, period);
    return;
  }
  // CloudWatch also takes periods of 10, 20 and 30 seconds, for high-resolution metrics; metric
  // filters and AWS/Logs publish at 1-minute resolution, so those periods would have no data.
  const seconds = period.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0) {
    throw new Error(`\`${path}.period\` must be a whole number of minutes (metric-filter metrics have 1-minute resolution), got ${period.toHumanString()}`);
  }
  if (literal(evaluationPeriods)) {
    validateEvaluationWindow(path, seconds, evaluationPeriods, period);
  }
}

function validateEvaluationWindow(path: string, seconds: number, evaluationPeriods: number, period: Duration): void {
  const max = seconds < ONE_HOUR ? MAX_WINDOW_SHORT_PERIODS : MAX_WINDOW;
  const window = seconds * evaluationPeriods;
  if (window <= max) {
    return;
  }
  const most = Math.floor(max / seconds);
  throw new Error(`\`${path}.evaluationPeriods\` × \`period\` must be at most ${max === MAX_WINDOW ? '7 days (604,800 seconds)' : '1 day (86,400 seconds) for periods under an hour'}, `
    + `got ${evaluationPeriods} × ${period.toHumanString()} = ${window.toLocaleString('en-US')} seconds: CloudWatch rejects longer evaluation windows. `
    + `With this period, evaluate at most ${most} periods, or use a ${max === MAX_WINDOW ? 'shorter' : 'longer (1 hour or more: up to 7 days)'} period`);
}

/**
 * The period for aws-cdk-lib's Metric, which takes literal periods only: for a token period, the
 * default (the alarm's `Period` is then set to the token).
 */
export function metricPeriod(period: Duration): Duration {
  return period.isUnresolved() ? DEFAULT_PERIOD : period;
}

/** A token period is written in seconds, CloudWatch's unit: a token cannot be converted. */
function requireTokenInSeconds(path: string, period: Duration): void {
  try {
    period.toSeconds();
  } catch {
    throw new Error(`\`${path}.period\` given as a token must be Duration.seconds(token), as CloudWatch takes periods in seconds, `
      + `got ${period.toHumanString()}`);
  }
}
