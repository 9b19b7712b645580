import { fullTemplate, smallTemplate } from './fixtures';
import { CostAssumptions, CostEstimateResult, estimateCost } from '../../../src/replay/cost/cost-estimate';
import { pricesForRegion } from '../../../src/replay/cost/prices';
import { readTemplateInventory } from '../../../src/replay/cost/template-inventory';

// The arithmetic below is written out with AWS's us-east-1 prices as literals, so that a changed
// price constant or a changed formula both fail here.
const M = 730 / 24; // days in a month
const prices = pricesForRegion('us-east-1');

const assumptions: CostAssumptions = {
  cloudWatchCompressionRatio: 0.1,
  s3GzipRatio: 0.2,
  parquetToGzipTextRatio: 0.8,
  s3ObjectsPerDay: 288,
  unboundedStorageDays: 365,
  insightMatchFractions: { Rule: 0.25 },
  athenaRunsPerMonth: 4,
  athenaScanDays: 1,
  freeTier: false,
};
const volume = { gbPerDay: 10, eventsPerDay: 1_000_000, origin: 'test' };

function item(result: CostEstimateResult, category: string, itemPrefix: string) {
  const found = result.lineItems.filter(i => i.category === category && i.item.startsWith(itemPrefix));
  expect(found).toHaveLength(1);
  return found[0];
}

test('the small template: ingestion, storage, metrics and one alarm of each kind', () => {
  const result = estimateCost(readTemplateInventory(smallTemplate()), { FlowLog: volume }, assumptions, prices);
  expect(item(result, 'CloudWatch Logs', 'ingestion').monthlyUsd).toBeCloseTo(10 * M * 0.50);
  expect(item(result, 'CloudWatch Logs', 'storage').quantity).toBeCloseTo(10 * 0.1 * 30); // 30 days kept, 10 % of the bytes
  expect(item(result, 'Metrics', 'custom metrics').quantity).toBe(2); // FilterA and FilterA2 publish the same metric
  expect(item(result, 'Alarms', 'anomaly-detection').quantity).toBe(3);
  expect(result.monthlyUsd).toBeCloseTo(
    10 * M * 0.50 // ingestion, first band
    + 10 * 0.1 * 30 * 0.03 // storage
    + 2 * 0.30 // metrics
    + 1 * 0.10 + 1 * 0.30 + 3 * 0.10, // standard, high-resolution (10 s), anomaly (3 alarm metrics)
  );
});

test('the full template: log alarm scans, Contributor Insights, dashboard, S3 lifecycle and Athena', () => {
  const result = estimateCost(readTemplateInventory(fullTemplate()), { FlowLog: volume, ArchiveFlowLog: volume }, assumptions, prices);
  const runs = M * 86_400 / 300; // rate(5 minutes)
  const gbPerRun = 10 * 600 / 86_400; // a 600 s window of 10 GB a day
  expect(item(result, 'Log alarms', 'data scanned').quantity).toBeCloseTo(runs * gbPerRun);
  expect(item(result, 'Contributor Insights', 'rules').quantity).toBe(1); // the disabled rule is free
  expect(item(result, 'Contributor Insights', 'matched').quantity).toBeCloseTo(1_000_000 * M * 0.25 / 1e6);
  expect(item(result, 'S3 archive', 'storage GLACIER_IR').quantity).toBeCloseTo(10 * 0.2 * 90); // 30 days kept, 90 billed
  expect(result.monthlyUsd).toBeCloseTo(
    10 * M * 0.50 + 10 * 0.1 * 30 * 0.03 + 2 * 0.30 + 0.10 + 0.30 + 3 * 0.10 // as the small template
    + 1 * 0.10 + runs * gbPerRun * 0.005 // the log alarm and its scheduled query's scans
    + 1 * 0.50 + 1_000_000 * M * 0.25 / 1e6 * 0.02 // one enabled rule, a quarter of the events matched
    + 3.00 // the dashboard
    + 10 * M * 0.25 // delivery to S3
    + 288 * M / 1000 * 0.005 // PUT requests
    + 10 * 0.2 * 30 * 0.023 // 30 days in S3 Standard
    + 10 * 0.2 * 90 * 0.004 // GLACIER_IR, billed its 90-day minimum
    + 288 * M / 1000 * 0.02 // transitions to GLACIER_IR
    + 4 * (10 * 0.2 * 1) / 1024 * 5.00, // 4 Athena runs, a day of the archive each (2 GB), at $5 per TB
  );
});

test('the free tier subtracts its allowances, each at the price it saves', () => {
  const inventory = readTemplateInventory(fullTemplate());
  const volumes = { FlowLog: volume, ArchiveFlowLog: volume };
  const without = estimateCost(inventory, volumes, assumptions, prices).monthlyUsd;
  const withFreeTier = estimateCost(inventory, volumes, { ...assumptions, freeTier: true }, prices);
  expect(withFreeTier.lineItems.filter(i => i.category === 'Free tier').every(i => i.monthlyUsd < 0)).toBe(true);
  expect(withFreeTier.monthlyUsd).toBeCloseTo(without
    - 5 * 0.50 // 5 GB of logs
    - 2 * 0.30 // 10 metrics cover both
    - 1 * 0.10 // 10 standard alarm metrics cover the one standard alarm (not high-resolution nor anomaly)
    - 1 * 3.00 // 3 dashboards cover the one
    - 0.50 - 1 * 0.02); // 1 rule, 1 million matched events
});

test('ingestion past 10 TB a month is priced band by band', () => {
  const gbPerDay = 400; // 400 × 30.42 = 12,166.7 GB: 10,240 in the first band, the rest in the second
  const result = estimateCost(readTemplateInventory(smallTemplate()), { FlowLog: { ...volume, gbPerDay } }, assumptions, prices);
  const ingestion = result.lineItems.filter(i => i.item.startsWith('ingestion'));
  expect(ingestion.map(i => i.item)).toEqual(['ingestion (vended logs), First 10 TB', 'ingestion (vended logs), Next 20 TB']);
  expect(ingestion.reduce((sum, i) => sum + i.monthlyUsd, 0)).toBeCloseTo(10_240 * 0.50 + (gbPerDay * M - 10_240) * 0.25);
});

test('a log group that never expires shows a year of storage, and a versioned archive keeps noncurrent versions', () => {
  const template = fullTemplate();
  delete template.Resources.LogGroup.Properties.RetentionInDays;
  template.Resources.Bucket.Properties.VersioningConfiguration = { Status: 'Enabled' };
  template.Resources.Bucket.Properties.LifecycleConfiguration.Rules[1].NoncurrentVersionExpiration = { NoncurrentDays: 45 };
  const result = estimateCost(readTemplateInventory(template), { FlowLog: volume, ArchiveFlowLog: volume }, assumptions, prices);
  expect(item(result, 'CloudWatch Logs', 'storage').quantity).toBeCloseTo(10 * 0.1 * 365);
  expect(item(result, 'CloudWatch Logs', 'storage').note).toMatch(/never expires/);
  // Expired at 60 days, then 45 days as a noncurrent version: 75 days in GLACIER_IR, billed its 90-day minimum.
  expect(item(result, 'S3 archive', 'storage GLACIER_IR').quantity).toBeCloseTo(10 * 0.2 * Math.max(60 + 45 - 30, 90));
});

test('a Parquet archive pays the conversion and stores 0.8 of the gzip text', () => {
  const template = fullTemplate();
  template.Resources.ArchiveFlowLog.Properties.DestinationOptions = { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true };
  const result = estimateCost(readTemplateInventory(template), { FlowLog: volume, ArchiveFlowLog: volume }, assumptions, prices);
  expect(item(result, 'S3 archive', 'Parquet conversion').monthlyUsd).toBeCloseTo(10 * M * 0.035);
  expect(item(result, 'S3 archive', 'storage S3 Standard').quantity).toBeCloseTo(10 * 0.2 * 0.8 * 30);
});

test('a log alarm on a log group no flow log of the template fills scans nothing, and says so', () => {
  const template = fullTemplate();
  template.Resources.LogAlarm.Properties.ScheduledQueryConfiguration.LogGroupIdentifiers = ['/some/other/group'];
  const result = estimateCost(readTemplateInventory(template), { FlowLog: volume, ArchiveFlowLog: volume }, assumptions, prices);
  const scans = item(result, 'Log alarms', 'data scanned');
  expect(scans.quantity).toBe(0);
  expect(scans.note).toMatch(/\/some\/other\/group: no flow log of the template delivers there/);
});

test('prices used that no stored page confirmed are listed, with the sources of all', () => {
  const result = estimateCost(readTemplateInventory(fullTemplate()), { FlowLog: volume, ArchiveFlowLog: volume }, assumptions, prices);
  expect(result.unconfirmedPrices.some(p => p.startsWith('logAlarm: log alarms'))).toBe(true);
  expect(result.unconfirmedPrices.some(p => p.startsWith('logsStorage'))).toBe(false);
  expect(result.sources.some(s => s.startsWith('logsStorage: https://aws.amazon.com/cloudwatch/pricing/'))).toBe(true);
});

test('fails when a flow log has no volume, or an assumption is out of range', () => {
  const inventory = readTemplateInventory(fullTemplate());
  expect(() => estimateCost(inventory, { FlowLog: volume }, assumptions, prices)).toThrow(/no volume for the flow log\(s\) ArchiveFlowLog/);
  expect(() => estimateCost(inventory, { FlowLog: volume, ArchiveFlowLog: volume }, { ...assumptions, s3GzipRatio: 1.5 }, prices))
    .toThrow('`s3GzipRatio` must be a ratio in (0, 1], got 1.5');
});
