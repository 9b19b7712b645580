import * as fs from 'fs';
import { Stack, Stage } from 'aws-cdk-lib';
import { DEFAULT_COMPRESSION_RATIO, defaultAssumptions } from './cost-defaults';
import { estimateCost } from './cost-estimate';
import { resolveVolumes } from './flow-log-volumes';
import { DEFAULT_REGION, pricesForRegion } from './prices';
import { readTemplateInventory, TemplateInventory } from './template-inventory';

/**
 * Options of a cost estimate.
 */
export interface FlowLogCostOptions {
  /** Uncompressed GB (2^30 bytes) of flow-log records a day, for every flow log's target. */
  readonly gbPerDay: number;

  /**
   * The Region whose prices apply.
   *
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * Compressed bytes per ingested byte, for CloudWatch Logs storage and for the S3 archive's gzip.
   *
   * @default 0.15 - the AWS Pricing Calculator's figure
   */
  readonly compressionRatio?: number;

  /**
   * How often each Athena named query runs a month.
   *
   * @default 0
   */
  readonly athenaRunsPerMonth?: number;

  /**
   * The days of archive one run of a named query scans.
   *
   * @default 1 - the kit's named queries read today's partitions
   */
  readonly athenaScanDays?: number;

  /**
   * Whether to subtract the AWS Free Tier's monthly allowances (they are per account).
   *
   * @default false
   */
  readonly freeTier?: boolean;
}

/**
 * One line of a cost estimate.
 */
export interface FlowLogCostLineItem {
  /** The service or feature: `CloudWatch Logs`, `Metrics`, `Alarms`, `Log alarms`, `S3 archive` … */
  readonly category: string;
  /** What is billed. */
  readonly item: string;
  /** The resource it is for (construct path or logical ID), or a count of resources. */
  readonly resource: string;
  /** Units billed a month. */
  readonly quantity: number;
  /** The unit: `GB`, `GB-month`, `metric-month` … */
  readonly unit: string;
  /** USD per unit. */
  readonly unitPriceUsd: number;
  /** USD a month. */
  readonly monthlyUsd: number;
  /** How the quantity was worked out. @default - nothing to add */
  readonly note?: string;
}

/**
 * The monthly cost of a template's flow-log configuration.
 */
export interface FlowLogCostEstimate {
  /** The Region whose prices were used. */
  readonly region: string;
  /** When the prices were read (ISO 8601 date). */
  readonly pricesReadOn: string;
  /** The total, USD a month. */
  readonly monthlyUsd: number;
  /** The lines that make the total. */
  readonly lineItems: FlowLogCostLineItem[];
  /** The assumptions behind the figures. */
  readonly assumptions: string[];
  /** Prices used that no stored copy of AWS's pricing pages showed: check them. */
  readonly unconfirmedPrices: string[];
  /** The pricing page of each price used. */
  readonly sources: string[];
}

/**
 * What a synthesized template's flow logs, metric filters, alarms, log alarms, Contributor
 * Insights rules, dashboards, S3 archive and Athena queries cost a month, offline, at AWS's
 * list prices. The `flowlog-watch cost` command also measures the volume on captured records.
 */
export class FlowLogCost {
  /** Synthesizes the stack's app and reads the stack's template. */
  public static fromStack(stack: Stack): FlowLogCost {
    const stage = Stage.of(stack);
    if (!stage) {
      throw new Error(`the stack '${stack.node.path}' is not in an App or Stage, so it cannot be synthesized`);
    }
    return new FlowLogCost(readTemplateInventory(stage.synth().getStackArtifact(stack.artifactId).template));
  }

  /** Reads a synthesized template file (`cdk.out/<stack>.template.json`). */
  public static fromTemplateFile(path: string): FlowLogCost {
    let template: unknown;
    try {
      template = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read the template ${path}: ${(e as Error).message}`);
    }
    return new FlowLogCost(readTemplateInventory(template));
  }

  private constructor(private readonly inventory: TemplateInventory) {}

  /** The monthly cost at the given volume. */
  public estimate(options: FlowLogCostOptions): FlowLogCostEstimate {
    if (!(Number.isFinite(options.gbPerDay) && options.gbPerDay >= 0)) {
      throw new Error(`\`gbPerDay\` must be a number of GB ≥ 0, got ${options.gbPerDay}`);
    }
    const prices = pricesForRegion(options.region ?? DEFAULT_REGION);
    const { volumes, insightMatchFractions } = resolveVolumes(this.inventory, { defaultGbPerDay: options.gbPerDay });
    const ratio = options.compressionRatio ?? DEFAULT_COMPRESSION_RATIO;
    return estimateCost(this.inventory, volumes, {
      ...defaultAssumptions(insightMatchFractions, ratio),
      athenaRunsPerMonth: options.athenaRunsPerMonth ?? 0,
      athenaScanDays: options.athenaScanDays ?? 1,
      freeTier: options.freeTier ?? false,
    }, prices);
  }
}
