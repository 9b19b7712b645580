/**
 * AWS list prices (USD) that the cost estimate multiplies, one table per Region.
 *
 * Each price names the AWS pricing page it comes from (`source`) and the date it was read
 * (`readOn`). The stored copies of AWS's pricing pages that the author could read show the
 * free-tier table and the page's structure, but not the price tabs (they are rendered in
 * the browser); so each price also says where a stored page showed the same figure
 * (`corroboratedBy`), or, when none did, why it is believed (`unconfirmed`). Prices with
 * `unconfirmed` are listed in the estimate's output: check them on the page before relying
 * on them. A user can override any price with a JSON file (`--prices FILE`).
 */

/** A price per unit. */
export interface Price {
  readonly usd: number;
  /** What one unit is: `GB`, `GB-month`, `metric-month`, `1,000 requests` … */
  readonly unit: string;
  /** The AWS pricing page that lists it. */
  readonly source: string;
  /** A stored page that shows the same figure. */
  readonly corroboratedBy?: string;
  /** Why the figure is believed although no stored page showed it. */
  readonly unconfirmed?: string;
}

/** One band of a tiered price: the units past the previous band's end up to `upTo` cost `usd` each. */
export interface PriceTier {
  /** The band's upper end, in the price's unit (Infinity for the last band). */
  readonly upTo: number;
  readonly usd: number;
  /** How the pricing page names the band: `First 10 TB`, `Next 20 TB`, `Over 50 TB`. */
  readonly label: string;
}

/** A price that falls with volume; the bands apply to the whole account's monthly usage. */
export interface TieredPrice {
  readonly unit: string;
  readonly tiers: readonly PriceTier[];
  readonly source: string;
  readonly corroboratedBy?: string;
  readonly unconfirmed?: string;
}

/** The S3 storage classes a lifecycle rule can move objects to, plus STANDARD. */
export type S3StorageClass = 'STANDARD' | 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

export const S3_STORAGE_CLASSES: readonly S3StorageClass[] = [
  'STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE',
];

/** Every price the estimate uses, for one Region. */
export interface RegionPrices {
  readonly region: string;
  /** The date (ISO 8601) the prices were read. */
  readonly readOn: string;

  /** VPC flow logs delivered to CloudWatch Logs: "vended logs", tiered by the month's volume. */
  readonly vendedLogsToCloudWatchLogs: TieredPrice;
  /** CloudWatch Logs storage ("archival"), billed on compressed bytes. */
  readonly logsStorage: Price;
  /** CloudWatch Logs Insights queries, per GB scanned (scheduled queries of log alarms included). */
  readonly logsInsightsScanned: Price;
  /** Custom metrics, such as a metric filter's, tiered by the account's metric count. */
  readonly customMetrics: TieredPrice;
  /** A standard-resolution (period ≥ 60 s) alarm, per metric it evaluates. */
  readonly standardResolutionAlarmMetric: Price;
  /** A high-resolution (period 10 or 30 s) alarm, per metric it evaluates. */
  readonly highResolutionAlarmMetric: Price;
  /** A composite alarm. */
  readonly compositeAlarm: Price;
  /** A log alarm (AWS::CloudWatch::LogAlarm), besides the data its scheduled query scans. */
  readonly logAlarm: Price;
  /** A custom dashboard. */
  readonly dashboard: Price;
  /** A Contributor Insights rule for CloudWatch Logs. */
  readonly contributorInsightsRule: Price;
  /** Log events that match a Contributor Insights rule, per million. */
  readonly contributorInsightsMatchedEvents: Price;
  /** VPC flow logs delivered to S3: "vended logs", tiered by the month's volume. */
  readonly vendedLogsToS3: TieredPrice;
  /** Converting vended logs delivered to S3 to Apache Parquet. */
  readonly vendedLogsParquetConversion: Price;
  /** S3 storage per class; STANDARD is tiered, the others have one band. */
  readonly s3Storage: Readonly<Record<S3StorageClass, TieredPrice>>;
  /** Minimum storage duration per class (days): an object leaving the class earlier is billed for the rest. */
  readonly s3MinimumStorageDays: Readonly<Record<S3StorageClass, number>>;
  /** S3 PUT requests (the flow-log delivery writes one object per file). */
  readonly s3PutRequests: Price;
  /** Lifecycle transition requests into each class, per 1,000 objects. */
  readonly s3TransitionRequests: Readonly<Record<Exclude<S3StorageClass, 'STANDARD'>, Price>>;
  /** Athena (SQL queries over S3), per TB scanned. */
  readonly athenaScanned: Price;
  /** The data Athena bills a query for at least, in MB. */
  readonly athenaMinimumMbPerQuery: number;
}

const CLOUDWATCH_PRICING = 'https://aws.amazon.com/cloudwatch/pricing/';
const S3_PRICING = 'https://aws.amazon.com/s3/pricing/';
const ATHENA_PRICING = 'https://aws.amazon.com/athena/pricing/';
const READ_ON = '2026-12-01';

/** Pages that showed a figure (third-party summaries of AWS's page, with the date they state). */
const C3X_JUNE_2026 = 'https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026)';
const SIGNOZ_FEB_2026 = 'https://signoz.io/guides/cloudwatch-pricing (Feb 2026)';
const GO_CLOUD_2025 = 'https://go-cloud.io/?p=10624 (2025)';
const C3X_ALARMS = 'https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm';
const ATHENA_GUIDE = 'https://athena.guide/articles/athena-basics-pricing-model';
const C3X_S3_REQUESTS = 'https://c3x.dev/blog/s3-request-fees-explained';
/** The free-tier table, which the stored copy of the CloudWatch pricing page does show. */
export const FREE_TIER_SOURCE = `${CLOUDWATCH_PRICING} (free-tier table)`;
const NOT_IN_STORED_PAGES = 'AWS\'s published us-east-1 list price; the stored copy of the page does not show the price tab';

// A TB on AWS's price lists is 1,024 GB.
const TB = 1024;

const US_EAST_1: RegionPrices = {
  region: 'us-east-1',
  readOn: READ_ON,
  vendedLogsToCloudWatchLogs: {
    unit: 'GB',
    tiers: [
      { upTo: 10 * TB, usd: 0.50, label: 'First 10 TB' },
      { upTo: 30 * TB, usd: 0.25, label: 'Next 20 TB' },
      { upTo: 50 * TB, usd: 0.10, label: 'Next 20 TB' },
      { upTo: Infinity, usd: 0.05, label: 'Over 50 TB' },
    ],
    source: `${CLOUDWATCH_PRICING} (Logs tab, Vended Logs, Delivery to CloudWatch Logs)`,
    corroboratedBy: `${C3X_JUNE_2026}: first band $0.50 per GB`,
    unconfirmed: `the bands past 10 TB: ${NOT_IN_STORED_PAGES}`,
  },
  logsStorage: {
    usd: 0.03, unit: 'GB-month', source: `${CLOUDWATCH_PRICING} (Logs tab, Store (Archival))`, corroboratedBy: C3X_JUNE_2026,
  },
  logsInsightsScanned: {
    usd: 0.005, unit: 'GB scanned', source: `${CLOUDWATCH_PRICING} (Logs tab, Analyze (Logs Insights queries))`, corroboratedBy: C3X_JUNE_2026,
  },
  customMetrics: {
    unit: 'metric-month',
    tiers: [
      { upTo: 10_000, usd: 0.30, label: 'First 10,000 metrics' },
      { upTo: 250_000, usd: 0.10, label: 'Next 240,000 metrics' },
      { upTo: 1_000_000, usd: 0.05, label: 'Next 750,000 metrics' },
      { upTo: Infinity, usd: 0.02, label: 'Over 1,000,000 metrics' },
    ],
    source: `${CLOUDWATCH_PRICING} (Metrics tab)`,
    corroboratedBy: `${SIGNOZ_FEB_2026}: $0.30 per metric-month for the first 10,000`,
    unconfirmed: `the bands past 10,000 metrics: ${NOT_IN_STORED_PAGES}`,
  },
  standardResolutionAlarmMetric: {
    usd: 0.10,
    unit: 'alarm metric-month',
    source: `${CLOUDWATCH_PRICING} (Alarms tab)`,
    corroboratedBy: `${C3X_ALARMS} ("$0.10/alarm-month for standard resolution")`,
  },
  highResolutionAlarmMetric: {
    usd: 0.30,
    unit: 'alarm metric-month',
    source: `${CLOUDWATCH_PRICING} (Alarms tab)`,
    corroboratedBy: `${C3X_ALARMS} ("High-resolution alarms (10s) cost $0.30/month")`,
  },
  compositeAlarm: {
    usd: 0.50,
    unit: 'alarm-month',
    source: `${CLOUDWATCH_PRICING} (Alarms tab)`,
    corroboratedBy: `${C3X_ALARMS} ("Composite alarms ... $0.50/alarm-month")`,
  },
  logAlarm: {
    usd: 0.10,
    unit: 'alarm-month',
    source: `${CLOUDWATCH_PRICING} (Alarms tab)`,
    unconfirmed: 'log alarms (launched 2026-06-29) were not found on any stored pricing page; priced like one standard-resolution '
      + 'alarm metric. The data their scheduled query scans is priced as Logs Insights, as the scheduled query is a Logs '
      + 'Insights query (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html)',
  },
  dashboard: {
    usd: 3.00,
    unit: 'dashboard-month',
    source: `${CLOUDWATCH_PRICING} (Dashboards tab)`,
    corroboratedBy: 'https://coralogix.com/blog/is-cloudwatch-really-cost-efficient ("each Dashboard you create costs $3 per month")',
  },
  contributorInsightsRule: {
    usd: 0.50, unit: 'rule-month', source: `${CLOUDWATCH_PRICING} (Contributor Insights tab)`, unconfirmed: NOT_IN_STORED_PAGES,
  },
  contributorInsightsMatchedEvents: {
    usd: 0.02, unit: 'million matched log events', source: `${CLOUDWATCH_PRICING} (Contributor Insights tab)`, unconfirmed: NOT_IN_STORED_PAGES,
  },
  vendedLogsToS3: {
    unit: 'GB',
    tiers: [
      { upTo: 10 * TB, usd: 0.25, label: 'First 10 TB' },
      { upTo: 30 * TB, usd: 0.15, label: 'Next 20 TB' },
      { upTo: 50 * TB, usd: 0.075, label: 'Next 20 TB' },
      { upTo: Infinity, usd: 0.05, label: 'Over 50 TB' },
    ],
    source: `${CLOUDWATCH_PRICING} (Logs tab, Vended Logs, Delivery to S3)`,
    corroboratedBy: `${C3X_JUNE_2026}: "Vended Logs (VPC Flow Logs to S3): $0.25 per GB"`,
    unconfirmed: `the bands past 10 TB: ${NOT_IN_STORED_PAGES}`,
  },
  vendedLogsParquetConversion: {
    usd: 0.035,
    unit: 'GB converted',
    source: `${CLOUDWATCH_PRICING} (Logs tab, Vended Logs, Delivery to S3, Apache Parquet conversion)`,
    unconfirmed: `${NOT_IN_STORED_PAGES}; the Tokyo figures of https://zenn.dev/team_delta/articles/0b581e29f87e7b `
      + '($0.38 delivery, $0.056 conversion) scale to about $0.037 at the us-east-1 delivery price',
  },
  s3Storage: {
    STANDARD: {
      unit: 'GB-month',
      tiers: [
        { upTo: 50 * TB, usd: 0.023, label: 'First 50 TB' },
        { upTo: 500 * TB, usd: 0.022, label: 'Next 450 TB' },
        { upTo: Infinity, usd: 0.021, label: 'Over 500 TB' },
      ],
      source: `${S3_PRICING} (Storage pricing)`,
      corroboratedBy: `${GO_CLOUD_2025}: "Standard S3 storage … costs $0.023/GB"`,
      unconfirmed: `the bands past 50 TB: ${NOT_IN_STORED_PAGES}`,
    },
    STANDARD_IA: flat(0.0125, 'GB-month', `${S3_PRICING} (Storage pricing)`),
    ONEZONE_IA: flat(0.01, 'GB-month', `${S3_PRICING} (Storage pricing)`),
    // The frequent-access tier's price; the per-object monitoring charge is not modelled.
    INTELLIGENT_TIERING: flat(0.023, 'GB-month', `${S3_PRICING} (Storage pricing, Frequent Access tier)`),
    GLACIER_IR: flat(0.004, 'GB-month', `${S3_PRICING} (Storage pricing)`),
    GLACIER: flat(0.0036, 'GB-month', `${S3_PRICING} (Storage pricing, Glacier Flexible Retrieval)`),
    DEEP_ARCHIVE: {
      unit: 'GB-month',
      tiers: [{ upTo: Infinity, usd: 0.00099, label: 'All' }],
      source: `${S3_PRICING} (Storage pricing)`,
      corroboratedBy: `${GO_CLOUD_2025}: "$0.00099/GB-month for Glacier Deep Archive"`,
    },
  },
  s3MinimumStorageDays: {
    STANDARD: 0, STANDARD_IA: 30, ONEZONE_IA: 30, INTELLIGENT_TIERING: 0, GLACIER_IR: 90, GLACIER: 90, DEEP_ARCHIVE: 180,
  },
  s3PutRequests: {
    usd: 0.005,
    unit: '1,000 requests',
    source: `${S3_PRICING} (Requests & data retrievals, S3 Standard PUT)`,
    corroboratedBy: `${C3X_S3_REQUESTS} (S3 Standard: "PUT, COPY, POST, LIST (Tier 1): $0.005 per 1,000 requests")`,
  },
  s3TransitionRequests: {
    STANDARD_IA: transition(0.01),
    ONEZONE_IA: transition(0.01),
    INTELLIGENT_TIERING: transition(0.01),
    GLACIER_IR: transition(0.02),
    GLACIER: transition(0.03),
    DEEP_ARCHIVE: transition(0.05),
  },
  athenaScanned: {
    usd: 5.00,
    unit: 'TB scanned',
    source: `${ATHENA_PRICING} (SQL queries)`,
    corroboratedBy: `${ATHENA_GUIDE} ("a flat $5 per TB of data scanned, rounded to the nearest MB, with a 10 MB minimum")`,
  },
  athenaMinimumMbPerQuery: 10,
};

function flat(usd: number, unit: string, source: string): TieredPrice {
  return { unit, tiers: [{ upTo: Infinity, usd, label: 'All' }], source, unconfirmed: NOT_IN_STORED_PAGES };
}

function transition(usd: number): Price {
  return { usd, unit: '1,000 requests', source: `${S3_PRICING} (Requests & data retrievals, Lifecycle Transition requests)`, unconfirmed: NOT_IN_STORED_PAGES };
}

/**
 * The price tables shipped, by Region. Only us-east-1 is sourced; other Regions' prices differ
 * (e.g. Tokyo's ingestion is $0.76 per GB) and must come from a `--prices` file.
 */
export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
};

export const DEFAULT_REGION = 'us-east-1';

/**
 * The price table of a Region, or an error that lists the Regions known.
 *
 * @param label how the caller named the Region in the error (`` `region` `` for the API, `--region` for the command line)
 */
export function pricesForRegion(region: string, label = '`region`'): RegionPrices {
  const prices = Object.prototype.hasOwnProperty.call(REGION_PRICES, region) ? REGION_PRICES[region] : undefined;
  if (!prices) {
    throw new Error(`${label} has no price table: got '${region}'; known Regions: ${Object.keys(REGION_PRICES).join(', ')} `
      + '(give another Region\'s prices with --prices FILE)');
  }
  return prices;
}

/**
 * A price table with some prices replaced, e.g. from a user's JSON file: `{"logsStorage": {"usd": 0.033}}`.
 * Keys must be prices of the table; a replaced price keeps its unit and gets `source: "--prices"`.
 */
export function overridePrices(base: RegionPrices, overrides: unknown, origin: string): RegionPrices {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${origin}: expected a JSON object of prices ({"logsStorage": {"usd": 0.033}, ...})`);
  }
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (key === 'region' || key === 'readOn') {
      if (typeof value !== 'string') throw new Error(`${origin}: \`${key}\` must be a string, got ${JSON.stringify(value)}`);
      result[key] = value;
      continue;
    }
    if (!(key in base)) {
      throw new Error(`${origin}: \`${key}\` is not a price; known prices: ${Object.keys(base).filter(k => k !== 'region' && k !== 'readOn').join(', ')}`);
    }
    result[key] = mergeOverride((base as unknown as Record<string, unknown>)[key], value, `${origin}: \`${key}\``, origin);
  }
  return result as unknown as RegionPrices;
}

function mergeOverride(base: unknown, value: unknown, where: string, origin: string): unknown {
  if (typeof base === 'number') {
    if (typeof value !== 'number' || !(value >= 0)) throw new Error(`${where} must be a number ≥ 0, got ${JSON.stringify(value)}`);
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object, got ${JSON.stringify(value)}`);
  }
  const b = base as Record<string, unknown>;
  const v = value as Record<string, unknown>;
  if ('usd' in b) {
    onlyKeys(v, ['usd'], where);
    if (typeof v.usd !== 'number' || !(v.usd >= 0)) throw new Error(`${where}.usd must be a number ≥ 0, got ${JSON.stringify(v.usd)}`);
    return { unit: b.unit, usd: v.usd, source: origin };
  }
  if ('tiers' in b) {
    onlyKeys(v, ['tiers'], where);
    return { unit: b.unit, tiers: readTiers(v.tiers, `${where}.tiers`), source: origin };
  }
  // A record of prices (s3Storage, s3TransitionRequests …).
  const merged: Record<string, unknown> = { ...b };
  for (const [k, sub] of Object.entries(v)) {
    if (!(k in b)) throw new Error(`${where}.${k} is not a price; known: ${Object.keys(b).join(', ')}`);
    merged[k] = mergeOverride(b[k], sub, `${where}.${k}`, origin);
  }
  return merged;
}

/** Throws when `value` has a key not in `allowed`, naming it and the keys allowed. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).find(k => !allowed.includes(k));
  if (unknown !== undefined) {
    throw new Error(`${where}.${unknown} is not a field of this price; its fields: ${allowed.join(', ')}`);
  }
}

/**
 * The bands of a tiered price from a user's file: each {"upTo": number, "usd": number, "label"?: string}, the
 * upTo increasing and > 0, the last band without upTo (it has no end).
 */
function readTiers(tiers: unknown, where: string): PriceTier[] {
  const shape = '{"upTo": number (omit it for the last band), "usd": number, "label": string (optional)}';
  if (!Array.isArray(tiers) || tiers.length === 0) {
    throw new Error(`${where} must be a list of ${shape}, at least one band, got ${JSON.stringify(tiers)}`);
  }
  let previous = 0;
  return tiers.map((t: unknown, i) => {
    const band = `${where}[${i}]`;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new Error(`${band} must be ${shape}, got ${JSON.stringify(t)}`);
    const tier = t as Record<string, unknown>;
    onlyKeys(tier, ['upTo', 'usd', 'label'], band);
    if (typeof tier.usd !== 'number' || !(tier.usd >= 0)) throw new Error(`${band}.usd must be a number ≥ 0, got ${JSON.stringify(tier.usd)}`);
    if (tier.label !== undefined && typeof tier.label !== 'string') throw new Error(`${band}.label must be a string, got ${JSON.stringify(tier.label)}`);
    const last = i === tiers.length - 1;
    if (last) {
      if (tier.upTo !== undefined && tier.upTo !== null) {
        throw new Error(`${band}.upTo must be omitted: the last band has no end (it prices every unit past the band before), got ${JSON.stringify(tier.upTo)}`);
      }
    } else if (typeof tier.upTo !== 'number' || !Number.isFinite(tier.upTo) || !(tier.upTo > previous)) {
      throw new Error(`${band}.upTo must be a number > ${previous} (${i === 0 ? 'bands end above 0' : `the end of band ${i - 1}`}; `
        + `only the last band omits it), got ${JSON.stringify(tier.upTo)}`);
    }
    if (!last) previous = tier.upTo as number;
    return { upTo: last ? Infinity : tier.upTo as number, usd: tier.usd, label: typeof tier.label === 'string' ? tier.label : `band ${i + 1}` };
  });
}

/** The cost of `quantity` units at a tiered price, band by band. */
export function tieredCost(price: TieredPrice, quantity: number, alreadyUsed = 0): { label: string; quantity: number; usd: number }[] {
  const bands: { label: string; quantity: number; usd: number }[] = [];
  let from = alreadyUsed;
  let left = quantity;
  let previousEnd = 0;
  for (const tier of price.tiers) {
    if (left <= 0) break;
    if (from < tier.upTo) {
      const inBand = Math.min(left, tier.upTo - Math.max(from, previousEnd));
      if (inBand > 0) {
        bands.push({ label: tier.label, quantity: inBand, usd: tier.usd });
        left -= inBand;
        from += inBand;
      }
    }
    previousEnd = tier.upTo;
  }
  return bands;
}
