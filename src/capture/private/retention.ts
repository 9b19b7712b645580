import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The retentions a flow-log log group may have: 3 days to 6 months.
 * Longer keeping belongs in an S3 archive, where it is cheap and queryable at scale.
 */
export const ALLOWED_RETENTIONS: readonly logs.RetentionDays[] = [
  logs.RetentionDays.THREE_DAYS,
  logs.RetentionDays.FIVE_DAYS,
  logs.RetentionDays.ONE_WEEK,
  logs.RetentionDays.TWO_WEEKS,
  logs.RetentionDays.ONE_MONTH,
  logs.RetentionDays.TWO_MONTHS,
  logs.RetentionDays.THREE_MONTHS,
  logs.RetentionDays.FOUR_MONTHS,
  logs.RetentionDays.FIVE_MONTHS,
  logs.RetentionDays.SIX_MONTHS,
];

export const DEFAULT_RETENTION = logs.RetentionDays.SIX_MONTHS;

/**
 * Throws unless the retention is one of ALLOWED_RETENTIONS. Tokens are not checked.
 */
export function validateRetention(retention: logs.RetentionDays): void {
  if (Token.isUnresolved(retention) || ALLOWED_RETENTIONS.includes(retention)) {
    return;
  }
  const allowed = ALLOWED_RETENTIONS.join(', ');
  throw new Error(
    `\`retention\` must be one of ${allowed} days (RetentionDays.THREE_DAYS to RetentionDays.SIX_MONTHS), `
    + `got ${describeRetention(retention)}. Flow logs kept longer than 6 months belong in an S3 archive, not in the log group.`,
  );
}

function describeRetention(retention: logs.RetentionDays): string {
  const name = logs.RetentionDays[retention];
  if (retention === logs.RetentionDays.INFINITE) {
    return 'RetentionDays.INFINITE (never expire)';
  }
  return name ? `${retention} days (RetentionDays.${name})` : `${retention} days`;
}
