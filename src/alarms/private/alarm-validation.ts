import { Duration, Token } from 'aws-cdk-lib';

/** The period of every flow-log alarm unless overridden. */
export const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * Throws, naming the prop, unless the alarm settings are in range. Tokens are not checked.
 */
export function validateAlarm(path: string, valueProp: string, value: number, anomaly: boolean,
  evaluationPeriods: number, datapointsToAlarm: number, period: Duration): void {
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
  if (!period.isUnresolved()) {
    const seconds = period.toSeconds();
    if (seconds < 60 || seconds % 60 !== 0) {
      throw new Error(`\`${path}.period\` must be a whole number of minutes (metric-filter metrics have 1-minute resolution), got ${period.toHumanString()}`);
    }
  }
}
