import * as logs from 'aws-cdk-lib/aws-logs';
import { ALLOWED_RETENTIONS, DEFAULT_RETENTION, validateRetention } from '../../../src/capture/private/retention';

test('allows exactly 3, 5, 7, 14, 30, 60, 90, 120, 150 and 180 days', () => {
  expect([...ALLOWED_RETENTIONS]).toEqual([3, 5, 7, 14, 30, 60, 90, 120, 150, 180]);
  for (const days of ALLOWED_RETENTIONS) {
    expect(() => validateRetention(days)).not.toThrow();
  }
});

test('defaults to six months', () => {
  expect(DEFAULT_RETENTION).toBe(logs.RetentionDays.SIX_MONTHS);
});

test.each([
  [logs.RetentionDays.ONE_DAY, '1 days (RetentionDays.ONE_DAY)'],
  [logs.RetentionDays.ONE_YEAR, '365 days (RetentionDays.ONE_YEAR)'],
  [logs.RetentionDays.SIX_MONTHS + 1 as logs.RetentionDays, '181 days'],
  [logs.RetentionDays.INFINITE, 'RetentionDays.INFINITE (never expire)'],
])('fails on %p, naming the prop, the value, the allowed values and the S3 archive', (retention, described) => {
  expect(() => validateRetention(retention)).toThrow(
    '`retention` must be one of 3, 5, 7, 14, 30, 60, 90, 120, 150, 180 days (RetentionDays.THREE_DAYS to RetentionDays.SIX_MONTHS), '
    + `got ${described}. Flow logs kept longer than 6 months belong in an S3 archive, not in the log group.`,
  );
});

test('fails on every RetentionDays member outside the range', () => {
  const outside = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === 'number' && !ALLOWED_RETENTIONS.includes(v));
  expect(outside.length).toBeGreaterThan(10);
  for (const retention of outside) {
    expect(() => validateRetention(retention)).toThrow(/`retention` must be one of/);
  }
});
