import { FREE_TIER_SOURCE, Price, RegionPrices, S3StorageClass, tieredCost, TieredPrice } from './prices';
import { InventoryFlowLog, InventoryLifecycleRule, TemplateInventory } from './template-inventory';

/**
 * The monthly cost of a template's configuration, line by line: a pure function of what the
 * template contains, how much each flow log carries, the assumptions and the prices.
 */

/** Hours in a month, as the AWS Pricing Calculator counts them. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** GB as AWS bills it: 2^30 bytes. */
export const BYTES_PER_GB = 1024 ** 3;
const SECONDS_PER_DAY = 86_400;

/** How much one flow log carries. */
export interface FlowLogVolume {
  /** Uncompressed bytes of its records per day, in GB. */
  readonly gbPerDay: number;
  /** Its records (log events) per day. */
  readonly eventsPerDay: number;
  /** Where the figures come from, for the output: `--gb-per-day 2`, `measured on 26,736 records over 24 h` … */
  readonly origin: string;
}

export interface CostAssumptions {
  /** Stored bytes per ingested byte in CloudWatch Logs (AWS bills storage on compressed bytes). */
  readonly cloudWatchCompressionRatio: number;
  /** Gzip-compressed bytes per byte of text in S3 (flow-log files are gzip). */
  readonly s3GzipRatio: number;
  /** Parquet (with gzip) bytes per byte of gzip text. */
  readonly parquetToGzipTextRatio: number;
  /** Objects an S3 flow log writes per day (a file every 5 minutes at least). */
  readonly s3ObjectsPerDay: number;
  /** The days of storage shown when nothing expires the data (a log group or archive without expiry). */
  readonly unboundedStorageDays: number;
  /** Fraction of its log group's events each Contributor Insights rule matches (rule logical ID → fraction); 1 when absent. */
  readonly insightMatchFractions: Record<string, number>;
  /** How often each Athena named query runs per month. */
  readonly athenaRunsPerMonth: number;
  /** The days of archive one run of a named query scans. */
  readonly athenaScanDays: number;
  /** Whether to subtract the AWS Free Tier's monthly allowances (per account). */
  readonly freeTier: boolean;
}

export interface CostLineItem {
  /** `CloudWatch Logs`, `Metrics`, `Alarms`, `Log alarms`, `Contributor Insights`, `Dashboards`, `S3 archive`, `Athena`, `Free tier`. */
  readonly category: string;
  readonly item: string;
  /** The resource it is for (construct path or logical ID), or a count of resources. */
  readonly resource: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
  readonly note?: string;
}

export interface CostEstimateResult {
  readonly region: string;
  readonly pricesReadOn: string;
  readonly monthlyUsd: number;
  readonly lineItems: CostLineItem[];
  /** The assumptions behind the figures, as sentences. */
  readonly assumptions: string[];
  /** Prices used that no stored page confirmed: `name: why it is believed`. */
  readonly unconfirmedPrices: string[];
  /** Where each price used comes from. */
  readonly sources: string[];
}

/**
 * Prices the inventory. Every flow log must have a volume (`volumes[flowLog.logicalId]`).
 */
export function estimateCost(
  inventory: TemplateInventory,
  volumes: Record<string, FlowLogVolume>,
  assumptions: CostAssumptions,
  prices: RegionPrices,
): CostEstimateResult {
  const missing = inventory.flowLogs.filter(f => volumes[f.logicalId] === undefined).map(name);
  if (missing.length > 0) throw new Error(`no volume for the flow log(s) ${missing.join(', ')}`);
  validateAssumptions(assumptions);
  const estimate = new Estimate(prices);
  const logGroupVolume = (key: string) => inventory.flowLogs
    .filter(f => f.destination === 'cloud-watch-logs' && f.logGroup === key)
    .reduce((sum, f) => ({
      gbPerDay: sum.gbPerDay + volumes[f.logicalId].gbPerDay,
      eventsPerDay: sum.eventsPerDay + volumes[f.logicalId].eventsPerDay,
    }), { gbPerDay: 0, eventsPerDay: 0 });
  const logGroupName = (key: string) => {
    const group = inventory.logGroups.find(g => g.logicalId === key);
    return group ? name(group) : key;
  };
  const notes: string[] = [];

  // CloudWatch Logs: ingestion (vended logs, tiered over the whole template) and storage per log group.
  const cwlGroups = [...new Set(inventory.flowLogs.filter(f => f.destination === 'cloud-watch-logs').map(f => f.logGroup!))];
  let ingestedGb = 0;
  for (const key of cwlGroups) {
    const gbPerMonth = logGroupVolume(key).gbPerDay * DAYS_PER_MONTH;
    estimate.tiered('CloudWatch Logs', 'ingestion (vended logs)', logGroupName(key), prices.vendedLogsToCloudWatchLogs, gbPerMonth, ingestedGb,
      'vendedLogsToCloudWatchLogs');
    ingestedGb += gbPerMonth;
  }
  for (const key of cwlGroups) {
    const group = inventory.logGroups.find(g => g.logicalId === key);
    const days = group?.retentionDays ?? assumptions.unboundedStorageDays;
    const storedGb = logGroupVolume(key).gbPerDay * assumptions.cloudWatchCompressionRatio * days;
    const note = group === undefined ? `log group not in the template: its retention is unknown, ${days} days shown`
      : group.retentionDays === undefined ? `never expires: storage grows each month; month ${Math.round(days / DAYS_PER_MONTH)} shown`
        : `${days} days kept × ${round4(assumptions.cloudWatchCompressionRatio)} compressed/ingested, steady state`;
    estimate.flat('CloudWatch Logs', 'storage', logGroupName(key), prices.logsStorage, storedGb, 'logsStorage', note);
  }

  // Metric filters: one custom metric each (namespace, name, dimensions), tiered over the template.
  if (inventory.metrics.length > 0) {
    const withDimensions = inventory.metrics.filter(m => m.dimensions.length > 0).length;
    estimate.tiered('Metrics', 'custom metrics of metric filters', `${inventory.metrics.length} metric(s)`, prices.customMetrics,
      inventory.metrics.length, 0, 'customMetrics',
      withDimensions > 0 ? `${withDimensions} with dimensions: each dimension value is a metric of its own, counted here as one` : undefined);
  }

  // Alarms, by billing kind.
  const alarmGroups: { kind: string; item: string; price: Price; priceName: string; note?: string }[] = [
    { kind: 'standard', item: 'standard-resolution alarms', price: prices.standardResolutionAlarmMetric, priceName: 'standardResolutionAlarmMetric' },
    { kind: 'high-resolution', item: 'high-resolution alarms', price: prices.highResolutionAlarmMetric, priceName: 'highResolutionAlarmMetric' },
  ];
  for (const group of alarmGroups) {
    const alarms = inventory.alarms.filter(a => a.kind === group.kind);
    if (alarms.length) estimate.flat('Alarms', group.item, `${alarms.length} alarm(s)`, group.price, alarms.length, group.priceName);
  }
  for (const highResolution of [false, true]) {
    const anomaly = inventory.alarms.filter(a => a.kind === 'anomaly-detection' && a.highResolution === highResolution);
    if (anomaly.length) {
      estimate.flat('Alarms', `anomaly-detection alarms${highResolution ? ' (high resolution)' : ''}`, `${anomaly.length} alarm(s)`,
        highResolution ? prices.highResolutionAlarmMetric : prices.standardResolutionAlarmMetric, anomaly.length * 3,
        highResolution ? 'highResolutionAlarmMetric' : 'standardResolutionAlarmMetric',
        'billed as 3 alarm metrics each: the metric and the band\'s two bounds');
    }
    const math = inventory.alarms.filter(a => (a.kind === 'metric-math' || a.kind === 'metrics-insights') && a.highResolution === highResolution);
    if (math.length) {
      estimate.flat('Alarms', `metric-math alarms${highResolution ? ' (high resolution)' : ''}`, `${math.length} alarm(s)`,
        highResolution ? prices.highResolutionAlarmMetric : prices.standardResolutionAlarmMetric, math.reduce((n, a) => n + a.alarmMetrics, 0),
        highResolution ? 'highResolutionAlarmMetric' : 'standardResolutionAlarmMetric', 'one alarm metric per metric of the expression');
    }
  }
  const composite = inventory.alarms.filter(a => a.kind === 'composite');
  if (composite.length) estimate.flat('Alarms', 'composite alarms', `${composite.length} alarm(s)`, prices.compositeAlarm, composite.length, 'compositeAlarm');

  // Log alarms: the alarm, and the data its scheduled Logs Insights query scans.
  if (inventory.logAlarms.length) {
    estimate.flat('Log alarms', 'log alarms', `${inventory.logAlarms.length} alarm(s)`, prices.logAlarm, inventory.logAlarms.length, 'logAlarm');
  }
  for (const alarm of inventory.logAlarms) {
    const runsPerMonth = DAYS_PER_MONTH * SECONDS_PER_DAY / alarm.intervalSeconds;
    const gbPerRun = alarm.logGroups.reduce((sum, key) => sum + logGroupVolume(key).gbPerDay * alarm.windowSeconds / SECONDS_PER_DAY, 0);
    const outside = alarm.logGroups.filter(key => !cwlGroups.includes(key));
    estimate.flat('Log alarms', 'data scanned by the scheduled query', name(alarm), prices.logsInsightsScanned, runsPerMonth * gbPerRun,
      'logsInsightsScanned',
      `${round(runsPerMonth)} runs (${alarm.scheduleExpression}) × ${alarm.windowSeconds} s window of ${alarm.logGroups.map(logGroupName).join(', ')}`
      + (outside.length ? `; ${outside.join(', ')}: no flow log of the template delivers there, counted as empty` : ''));
  }

  // Contributor Insights: per enabled rule, and per million matched events.
  const rules = inventory.insightRules.filter(r => r.enabled);
  if (rules.length) {
    estimate.flat('Contributor Insights', 'rules', `${rules.length} rule(s)`, prices.contributorInsightsRule, rules.length, 'contributorInsightsRule');
  }
  let matchedMillions = 0;
  for (const rule of rules) {
    const fraction = assumptions.insightMatchFractions[rule.logicalId] ?? 1;
    const events = rule.logGroups.reduce((sum, key) => sum + logGroupVolume(key).eventsPerDay, 0) * DAYS_PER_MONTH * fraction;
    matchedMillions += events / 1e6;
    estimate.flat('Contributor Insights', 'matched log events', name(rule), prices.contributorInsightsMatchedEvents, events / 1e6,
      'contributorInsightsMatchedEvents',
      assumptions.insightMatchFractions[rule.logicalId] === undefined ? 'every event of the log group counted as matched (an upper bound)'
        : `${round(fraction * 100)} % of the records matched its filters`);
  }

  // Dashboards.
  if (inventory.dashboards.length) {
    estimate.flat('Dashboards', 'dashboards', `${inventory.dashboards.length} dashboard(s)`, prices.dashboard, inventory.dashboards.length, 'dashboard',
      assumptions.freeTier ? undefined : 'the account\'s first 3 dashboards are free (--free-tier): not subtracted, other dashboards usually use them');
  }

  // S3 archive: delivery (vended logs, tiered), Parquet conversion, storage through the lifecycle, requests.
  const s3FlowLogs = inventory.flowLogs.filter(f => f.destination === 's3');
  let deliveredGb = 0;
  let standardGb = 0;
  const archiveGbPerDay: Record<string, number> = {};
  for (const flowLog of s3FlowLogs) {
    const volume = volumes[flowLog.logicalId];
    const gbPerMonth = volume.gbPerDay * DAYS_PER_MONTH;
    estimate.tiered('S3 archive', 'delivery to S3 (vended logs)', name(flowLog), prices.vendedLogsToS3, gbPerMonth, deliveredGb, 'vendedLogsToS3');
    deliveredGb += gbPerMonth;
    const parquet = flowLog.s3!.fileFormat === 'parquet';
    if (parquet) {
      estimate.flat('S3 archive', 'Parquet conversion', name(flowLog), prices.vendedLogsParquetConversion, gbPerMonth, 'vendedLogsParquetConversion');
    }
    const storedGbPerDay = volume.gbPerDay * assumptions.s3GzipRatio * (parquet ? assumptions.parquetToGzipTextRatio : 1);
    archiveGbPerDay[flowLog.logicalId] = storedGbPerDay;
    const objectsPerMonth = assumptions.s3ObjectsPerDay * DAYS_PER_MONTH;
    estimate.flat('S3 archive', 'PUT requests (delivery)', name(flowLog), prices.s3PutRequests, objectsPerMonth / 1000, 's3PutRequests',
      `${assumptions.s3ObjectsPerDay} objects a day (a file every 5 minutes)`);

    const { rule, note } = lifecycleRuleFor(inventory, flowLog);
    for (const segment of storageSegments(rule, inventory.buckets.find(b => b.logicalId === flowLog.s3!.bucket)?.versioned ?? false,
      prices, assumptions.unboundedStorageDays)) {
      const gb = storedGbPerDay * segment.billedDays;
      const segmentNote = `${segment.fromDay}..${segment.toDay} days${segment.billedDays > segment.toDay - segment.fromDay
        ? `, billed ${segment.billedDays} days (minimum storage duration)` : ''}${segment.unbounded ? ', never expires: grows each month' : ''}`;
      if (segment.storageClass === 'STANDARD') {
        estimate.tiered('S3 archive', 'storage S3 Standard', name(flowLog), prices.s3Storage.STANDARD, gb, standardGb, 's3Storage.STANDARD',
          [segmentNote, note].filter(Boolean).join('; '));
        standardGb += gb;
      } else {
        estimate.tiered('S3 archive', `storage ${segment.storageClass}`, name(flowLog), prices.s3Storage[segment.storageClass], gb, 0,
          `s3Storage.${segment.storageClass}`, segmentNote);
        estimate.flat('S3 archive', `transitions to ${segment.storageClass}`, name(flowLog), prices.s3TransitionRequests[segment.storageClass],
          objectsPerMonth / 1000, `s3TransitionRequests.${segment.storageClass}`);
      }
    }
  }

  // Athena: each named query's runs × the archive data it scans (at least the per-query minimum).
  if (inventory.namedQueries.length) {
    const minimumGb = prices.athenaMinimumMbPerQuery / 1024;
    let scannedGb = 0;
    const unmatched: string[] = [];
    for (const query of inventory.namedQueries) {
      const archives = query.tables.flatMap(table => archivesOfTable(inventory, table));
      if (archives.length === 0) unmatched.push(name(query));
      const gbPerRun = archives.reduce((sum, f) => sum + (archiveGbPerDay[f.logicalId] ?? 0), 0) * assumptions.athenaScanDays;
      scannedGb += assumptions.athenaRunsPerMonth * Math.max(gbPerRun, minimumGb);
    }
    estimate.flat('Athena', 'data scanned by the named queries', `${inventory.namedQueries.length} quer${inventory.namedQueries.length === 1 ? 'y' : 'ies'}`,
      prices.athenaScanned, scannedGb / 1024, 'athenaScanned',
      `${assumptions.athenaRunsPerMonth} run(s) a month each (--athena-runs-per-month), ${assumptions.athenaScanDays} day(s) of archive a run`
      + ` (at least ${prices.athenaMinimumMbPerQuery} MB)`
      + (unmatched.length ? `; ${unmatched.length} read no archive of the template: the minimum counted` : ''));
  }

  if (assumptions.freeTier) {
    const free = (item: string, quantity: number, usd: number, unit: string) => {
      if (quantity > 0) {
        estimate.add({
          category: 'Free tier',
          item,
          resource: 'per account',
          quantity,
          unit,
          unitPriceUsd: -usd,
          monthlyUsd: -quantity * usd,
          note: FREE_TIER_SOURCE,
        });
      }
    };
    free('logs: 5 GB of ingestion', Math.min(5, ingestedGb), prices.vendedLogsToCloudWatchLogs.tiers[0].usd, 'GB');
    free('10 custom metrics', Math.min(10, inventory.metrics.length), prices.customMetrics.tiers[0].usd, 'metric-month');
    free('10 standard-resolution alarm metrics', Math.min(10, inventory.alarms.filter(a => a.kind === 'standard').length),
      prices.standardResolutionAlarmMetric.usd, 'alarm metric-month');
    free('3 dashboards', Math.min(3, inventory.dashboards.length), prices.dashboard.usd, 'dashboard-month');
    free('1 Contributor Insights rule', Math.min(1, rules.length), prices.contributorInsightsRule.usd, 'rule-month');
    free('1 million matched log events', Math.min(1, matchedMillions), prices.contributorInsightsMatchedEvents.usd, 'million events');
  }

  notes.push(
    `a month is ${HOURS_PER_MONTH} hours (${round(DAYS_PER_MONTH)} days); a GB is 2^30 bytes, a TB 1,024 GB`,
    `CloudWatch Logs storage: ${round4(assumptions.cloudWatchCompressionRatio)} stored bytes per ingested byte (AWS bills archived data compressed)`,
    `S3 archive: ${round4(assumptions.s3GzipRatio)} gzip bytes per text byte; Parquet ${assumptions.parquetToGzipTextRatio} × gzip text `
    + '("Data in Parquet format with Gzip compression takes 20 percent less storage space than plain text with Gzip compression", '
    + 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html)',
    'metric filters publish every minute the log group receives events (they set a default value), so each metric is billed the whole month',
    'tiered prices are applied to this template\'s usage alone; the account\'s other usage may already be past the first band',
    assumptions.freeTier ? 'the AWS Free Tier\'s allowances are subtracted (per account: only if nothing else uses them)'
      : 'the AWS Free Tier is not subtracted (--free-tier does; it is per account, and other resources usually use it)',
  );
  return estimate.result(notes);
}

function name(resource: { logicalId: string; path?: string }): string {
  return resource.path ?? resource.logicalId;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

function validateAssumptions(a: CostAssumptions): void {
  const ratio = (key: keyof CostAssumptions, value: number) => {
    if (!(value > 0 && value <= 1)) throw new Error(`\`${key}\` must be a ratio in (0, 1], got ${value}`);
  };
  ratio('cloudWatchCompressionRatio', a.cloudWatchCompressionRatio);
  ratio('s3GzipRatio', a.s3GzipRatio);
  ratio('parquetToGzipTextRatio', a.parquetToGzipTextRatio);
  if (!(a.athenaRunsPerMonth >= 0)) throw new Error(`\`athenaRunsPerMonth\` must be a number ≥ 0, got ${a.athenaRunsPerMonth}`);
  if (!(a.athenaScanDays > 0)) throw new Error(`\`athenaScanDays\` must be a number > 0, got ${a.athenaScanDays}`);
}

/** The enabled lifecycle rule of the archive's bucket that covers its prefix. */
function lifecycleRuleFor(inventory: TemplateInventory, flowLog: InventoryFlowLog): { rule?: InventoryLifecycleRule; note?: string } {
  const bucket = inventory.buckets.find(b => b.logicalId === flowLog.s3!.bucket);
  if (!bucket) return { note: `bucket ${flowLog.s3!.bucket} is not in the template: no lifecycle known` };
  const rules = bucket.rules.filter(r => flowLog.s3!.keyPrefix.startsWith(r.prefix));
  if (rules.length === 0) return { note: `no enabled lifecycle rule of ${name(bucket)} covers ${flowLog.s3!.keyPrefix || 'the bucket root'}` };
  return { rule: rules[0], note: rules.length > 1 ? `${rules.length} rules cover the prefix: the first (${rules[0].id ?? 'unnamed'}) used` : undefined };
}

interface StorageSegment {
  readonly storageClass: S3StorageClass;
  readonly fromDay: number;
  readonly toDay: number;
  readonly billedDays: number;
  readonly unbounded: boolean;
}

/**
 * The storage classes an object goes through, with the days it stays in each (steady state: a
 * day's objects in a class for d days make d days' worth of data there). A versioned bucket keeps
 * an expired object as a noncurrent version for `noncurrentDays` more, in its last class.
 */
function storageSegments(
  rule: InventoryLifecycleRule | undefined, versioned: boolean, prices: RegionPrices, unboundedDays: number,
): StorageSegment[] {
  let end = rule?.expirationDays;
  if (end !== undefined && versioned) end = rule?.noncurrentDays !== undefined ? end + rule.noncurrentDays : undefined;
  const transitions = (rule?.transitions ?? []).filter(t => end === undefined || t.days < end);
  const stops = [{ storageClass: 'STANDARD' as S3StorageClass, days: 0 }, ...transitions];
  const finalDay = end ?? Math.max(unboundedDays, (stops[stops.length - 1]?.days ?? 0) + 1);
  return stops.map((stop, i) => {
    const toDay = i + 1 < stops.length ? stops[i + 1].days : finalDay;
    const last = i + 1 === stops.length;
    const leaves = !last || end !== undefined;
    const days = toDay - stop.days;
    const billedDays = leaves ? Math.max(days, prices.s3MinimumStorageDays[stop.storageClass]) : days;
    return { storageClass: stop.storageClass, fromDay: stop.days, toDay, billedDays, unbounded: last && end === undefined };
  });
}

/** The S3 flow logs whose files a Glue table (`database.table`) reads. */
function archivesOfTable(inventory: TemplateInventory, table: string): InventoryFlowLog[] {
  const glue = inventory.glueTables.find(t => `${t.database}.${t.name}` === table);
  if (!glue?.bucket) return [];
  return inventory.flowLogs.filter(f => f.destination === 's3' && f.s3!.bucket === glue.bucket
    && (glue.keyPrefix ?? '').startsWith(f.s3!.keyPrefix));
}

class Estimate {
  private readonly items: CostLineItem[] = [];
  private readonly used = new Map<string, Price | TieredPrice>();

  constructor(private readonly prices: RegionPrices) {}

  public add(item: CostLineItem): void {
    this.items.push(item);
  }

  public flat(category: string, item: string, resource: string, price: Price, quantity: number, priceName: string, note?: string): void {
    this.used.set(priceName, price);
    this.add({
      category, item, resource, quantity, unit: price.unit, unitPriceUsd: price.usd, monthlyUsd: quantity * price.usd, ...(note ? { note } : {}),
    });
  }

  /** Lines for `quantity` units of a tiered price, one per band, after `alreadyUsed` units of the same price. */
  public tiered(category: string, item: string, resource: string, price: TieredPrice, quantity: number, alreadyUsed: number, priceName: string,
    note?: string): void {
    this.used.set(priceName, price);
    const bands = tieredCost(price, quantity, alreadyUsed);
    if (bands.length === 0) bands.push({ label: price.tiers[0].label, quantity: 0, usd: price.tiers[0].usd });
    for (const band of bands) {
      this.add({
        category,
        item: price.tiers.length > 1 ? `${item}, ${band.label}` : item,
        resource,
        quantity: band.quantity,
        unit: price.unit,
        unitPriceUsd: band.usd,
        monthlyUsd: band.quantity * band.usd,
        ...(note ? { note } : {}),
      });
    }
  }

  public result(assumptions: string[]): CostEstimateResult {
    const unconfirmed = [...this.used].filter(([, p]) => p.unconfirmed).map(([n, p]) => `${n}: ${p.unconfirmed}`);
    const sources = [...this.used].map(([n, p]) => `${n}: ${p.source}${p.corroboratedBy ? `; also shown by ${p.corroboratedBy}` : ''}`);
    return {
      region: this.prices.region,
      pricesReadOn: this.prices.readOn,
      monthlyUsd: this.items.reduce((sum, i) => sum + i.monthlyUsd, 0),
      lineItems: this.items,
      assumptions,
      unconfirmedPrices: unconfirmed,
      sources,
    };
  }
}
