/**
 * How often a log alarm's scheduled query runs, from its `ScheduleExpression`.
 *
 * Log alarms take a rate() expression: "Specify a rate() expression, for example rate(5 minutes)."
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudwatch-logalarm-scheduleconfiguration.html)
 */

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;

const SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** The seconds between two runs of a `rate(N unit)` expression. */
export function rateIntervalSeconds(expression: string, where: string): number {
  const match = RATE.exec(expression.trim());
  if (!match) {
    throw new Error(`${where}: \`ScheduleExpression\` must be a rate() expression such as 'rate(5 minutes)', got '${expression}'`);
  }
  const count = Number(match[1]);
  const unit = match[2].replace(/s$/, '');
  if (count < 1) {
    throw new Error(`${where}: \`ScheduleExpression\` must run at least once per unit, got '${expression}'`);
  }
  return count * SECONDS[unit];
}
