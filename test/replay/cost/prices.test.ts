import { overridePrices, pricesForRegion, REGION_PRICES, S3_STORAGE_CLASSES, tieredCost } from '../../../src/replay/cost/prices';

const usEast1 = pricesForRegion('us-east-1');

test('every price of the shipped tables cites an AWS pricing page and a read date', () => {
  for (const table of Object.values(REGION_PRICES)) {
    expect(table.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const prices = [
      table.vendedLogsToCloudWatchLogs, table.logsStorage, table.logsInsightsScanned, table.customMetrics, table.standardResolutionAlarmMetric,
      table.highResolutionAlarmMetric, table.compositeAlarm, table.logAlarm, table.dashboard, table.contributorInsightsRule,
      table.contributorInsightsMatchedEvents, table.vendedLogsToS3, table.vendedLogsParquetConversion, table.s3PutRequests, table.athenaScanned,
      ...S3_STORAGE_CLASSES.map(c => table.s3Storage[c]), ...Object.values(table.s3TransitionRequests),
    ];
    for (const price of prices) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/(cloudwatch|s3|athena)\/pricing\//);
      // Each is either shown by a stored page or says why it is believed.
      expect(Boolean(price.corroboratedBy) || Boolean(price.unconfirmed)).toBe(true);
    }
  }
});

test('a tiered price is cut into its bands, after what was already used', () => {
  // Vended logs to CloudWatch Logs: $0.50 up to 10 TB (10,240 GB), $0.25 up to 30 TB, $0.10 up to 50 TB, $0.05 past.
  expect(tieredCost(usEast1.vendedLogsToCloudWatchLogs, 100)).toEqual([{ label: 'First 10 TB', quantity: 100, usd: 0.50 }]);
  const bands = tieredCost(usEast1.vendedLogsToCloudWatchLogs, 60 * 1024);
  expect(bands.map(b => [b.quantity, b.usd])).toEqual([[10_240, 0.50], [20_480, 0.25], [20_480, 0.10], [10_240, 0.05]]);
  // 100 GB after 10,200 GB already used: 40 GB in the first band, 60 in the second.
  expect(tieredCost(usEast1.vendedLogsToCloudWatchLogs, 100, 10_200).map(b => [b.quantity, b.usd])).toEqual([[40, 0.50], [60, 0.25]]);
});

test('fails on an unknown Region, listing the known ones', () => {
  expect(() => pricesForRegion('eu-west-1')).toThrow("`region` has no price table: got 'eu-west-1'; known Regions: us-east-1");
});

test('a prices file replaces prices and marks their source', () => {
  const prices = overridePrices(usEast1, {
    region: 'ap-northeast-1',
    logsStorage: { usd: 0.033 },
    vendedLogsToCloudWatchLogs: { tiers: [{ upTo: 10_240, usd: 0.76 }, { usd: 0.38 }] },
    s3Storage: { GLACIER_IR: { tiers: [{ usd: 0.005 }] } },
    athenaMinimumMbPerQuery: 10,
  }, '--prices tokyo.json');
  expect(prices.region).toBe('ap-northeast-1');
  expect(prices.logsStorage).toEqual({ unit: 'GB-month', usd: 0.033, source: '--prices tokyo.json' });
  expect(tieredCost(prices.vendedLogsToCloudWatchLogs, 20_000).map(b => [b.quantity, b.usd])).toEqual([[10_240, 0.76], [9_760, 0.38]]);
  expect(prices.s3Storage.GLACIER_IR.tiers[0].usd).toBe(0.005);
  expect(prices.s3Storage.STANDARD).toBe(usEast1.s3Storage.STANDARD);
});

test.each([
  [[1], 'expected a JSON object of prices'],
  [{ logStorage: { usd: 1 } }, '`logStorage` is not a price; known prices: vendedLogsToCloudWatchLogs'],
  [{ logsStorage: { usd: -1 } }, '`logsStorage`.usd must be a number ≥ 0, got -1'],
  [{ logsStorage: 0.03 }, '`logsStorage` must be an object, got 0.03'],
  [{ customMetrics: { tiers: [] } }, '`customMetrics`.tiers must be a list'],
  [{ s3Storage: { GLACIER_DEEP: { tiers: [{ usd: 1 }] } } }, '`s3Storage`.GLACIER_DEEP is not a price'],
])('a bad prices file %p fails with the reason', (overrides, reason) => {
  expect(() => overridePrices(usEast1, overrides, 'p.json')).toThrow(reason);
});
