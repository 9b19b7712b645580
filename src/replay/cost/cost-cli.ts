import * as fs from 'fs';
import { DEFAULT_COMPRESSION_RATIO, defaultAssumptions } from './cost-defaults';
import { CostAssumptions, estimateCost } from './cost-estimate';
import { renderCostText } from './cost-render';
import { measuredFlowLog, resolveVolumes, VolumeInputs } from './flow-log-volumes';
import { DEFAULT_REGION, overridePrices, pricesForRegion, REGION_PRICES } from './prices';
import { measureRecords } from './record-volume';
import { InventoryFlowLog, readTemplateInventory, TemplateInventory } from './template-inventory';
import { CommandLine, UsageError } from '../private/command-line';

export const COST_USAGE = `Usage: flowlog-watch cost --template FILE (--gb-per-day [KEY=]N ... | LOGFILE|DIR|- ...)
                           [--log-group ID] [--region REGION] [--prices FILE] [--compression-ratio R]
                           [--record-bytes N] [--athena-runs-per-month N] [--athena-scan-days N]
                           [--free-tier] [--json]

Estimates the monthly AWS cost of a synthesized template's flow-log configuration, line by line:
flow-log ingestion and storage in CloudWatch Logs, metric filters' metrics, alarms (standard,
high-resolution, anomaly detection, log alarms and the data their scheduled queries scan),
Contributor Insights rules and matched events, dashboards, the S3 archive through its lifecycle,
and Athena scans of the named queries.

The volume comes from a figure or from captured records (the same inputs as replay; '-' reads stdin):
  --gb-per-day N         uncompressed GB of records a day, for every flow log's target
  --gb-per-day KEY=N     for one flow log or log group (logical ID or construct path); repeatable,
                         one KEY for each target (not the target records measure)
  --log-group ID         with records: the log group (or flow log) they come from, when there are several

  --template FILE        the template (cdk.out/<stack>.template.json)
  --region REGION        the price table (default ${DEFAULT_REGION}; known: ${Object.keys(REGION_PRICES).join(', ')})
  --prices FILE          a JSON object of prices replacing the table's ({"logsStorage": {"usd": 0.033}, ...};
                         a tiered price: {"tiers": [{"upTo": N, "usd": N, "label": "…"}, ..., {"usd": N}]},
                         upTo increasing, the last band without it)
  --compression-ratio R  stored/ingested bytes in CloudWatch Logs and gzip/text in S3 (default: measured
                         on the records, else 0.15, the AWS Pricing Calculator's figure)
  --record-bytes N       average bytes of a record, to count events (default: measured, else 8.6 a field)
  --athena-runs-per-month N  runs of each named Athena query a month (default 0)
  --athena-scan-days N   days of archive one run scans (default 1: the kit's queries read today's partitions)
  --free-tier            subtract the AWS Free Tier's monthly allowances (per account)
  --json                 print the estimate as JSON
  --help                 this text

Numbers are plain decimals (5, 0.5, 2e3); an option that takes a value is given once (KEY=N once a KEY).

Exit status: 0 estimated; 2 bad usage or input (the message says what and why).`;

const COMPRESSION_SOURCE = 'the AWS Pricing Calculator\'s CloudWatch estimate: "Log volume once archived is estimated to be 15% of '
  + 'ingested log volume (due to compression)", as quoted by https://dev.classmethod.jp/articles/compare-archive-cost-cloudwatchlogs-s3/; '
  + '194 real records of shared/flowlogs compress to 0.156 with gzip -6';

/** The output streams of a run; tests pass their own. */
export interface CostIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
}

interface CostArgs {
  template?: string;
  defaultGbPerDay?: number;
  gbPerDay: Record<string, number>;
  logGroup?: string;
  region: string;
  pricesFile?: string;
  compressionRatio?: number;
  recordBytes?: number;
  athenaRunsPerMonth: number;
  athenaScanDays: number;
  freeTier: boolean;
  json: boolean;
  paths: string[];
  help: boolean;
}

/** What each option that takes a value takes, for the message when it is missing. */
const VALUE_OF: Record<string, string> = {
  '--template': 'a FILE',
  '--gb-per-day': '[KEY=]N',
  '--log-group': 'an ID',
  '--region': 'a REGION',
  '--prices': 'a FILE',
  '--compression-ratio': 'R',
  '--record-bytes': 'N',
  '--athena-runs-per-month': 'N',
  '--athena-scan-days': 'N',
};

export function parseCostArgs(argv: string[]): CostArgs {
  const args: CostArgs = {
    gbPerDay: {}, region: DEFAULT_REGION, athenaRunsPerMonth: 0, athenaScanDays: 1, freeTier: false, json: false, paths: [], help: false,
  };
  const line = new CommandLine(argv, VALUE_OF);
  const value = () => line.value();
  const once = (option: string, text: string) => line.once(option, text);
  // The text of each --gb-per-day KEY=N, by KEY, and of a bare --gb-per-day N.
  const gbPerDayGiven: Record<string, string> = {};
  let defaultGbPerDayText: string | undefined;
  for (let arg = line.next(); arg !== undefined; arg = line.next()) {
    switch (arg) {
      case '--template': args.template = once(arg, value()); break;
      case '--gb-per-day': {
        const v = value();
        const eq = v.lastIndexOf('=');
        if (eq > 0) {
          const key = v.slice(0, eq);
          if (Object.prototype.hasOwnProperty.call(gbPerDayGiven, key)) {
            throw new UsageError(`--gb-per-day ${key} is given twice ('${gbPerDayGiven[key]}', '${v}'); give it once`);
          }
          args.gbPerDay[key] = positiveNumber(arg, v.slice(eq + 1), false);
          gbPerDayGiven[key] = v;
        } else if (defaultGbPerDayText !== undefined) {
          throw new UsageError(`--gb-per-day N is given twice ('${defaultGbPerDayText}', '${v}'); use KEY=N for one flow log or log group`);
        } else {
          args.defaultGbPerDay = positiveNumber(arg, v, false);
          defaultGbPerDayText = v;
        }
        break;
      }
      case '--log-group': args.logGroup = once(arg, value()); break;
      case '--region': args.region = once(arg, value()); break;
      case '--prices': args.pricesFile = once(arg, value()); break;
      case '--compression-ratio': {
        const r = positiveNumber(arg, once(arg, value()), true);
        if (r > 1) throw new UsageError(`--compression-ratio must be a ratio in (0, 1], got ${r}`);
        args.compressionRatio = r;
        break;
      }
      case '--record-bytes': args.recordBytes = positiveNumber(arg, once(arg, value()), true); break;
      case '--athena-runs-per-month': args.athenaRunsPerMonth = positiveNumber(arg, once(arg, value()), false); break;
      case '--athena-scan-days': args.athenaScanDays = positiveNumber(arg, once(arg, value()), true); break;
      case '--free-tier': args.freeTier = true; break;
      case '--json': args.json = true; break;
      case '--help': case '-h': args.help = true; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  if (args.help) return args;
  if (!args.template) throw new UsageError('--template FILE is required');
  if (args.paths.length === 0 && args.defaultGbPerDay === undefined && Object.keys(args.gbPerDay).length === 0) {
    throw new UsageError('give the volume: --gb-per-day N, or record files (\'-\' for stdin)');
  }
  if (args.paths.includes('-') && args.paths.length > 1) {
    throw new UsageError('\'-\' (stdin) cannot be combined with record files');
  }
  if (args.paths.length > 0 && args.defaultGbPerDay !== undefined) {
    throw new UsageError('records and --gb-per-day N both give every flow log\'s volume: give one (or --gb-per-day KEY=N for other log groups)');
  }
  if (args.logGroup !== undefined && args.paths.length === 0) {
    throw new UsageError(`--log-group '${args.logGroup}' names the log group the records come from, and no records are given; `
      + 'for a figure, name the flow log or log group in --gb-per-day KEY=N');
  }
  return args;
}

/** A plain decimal number (`5`, `0.5`, `.5`, `5.`, `1e3`): no sign, hex, binary, octal, blanks or Infinity. */
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function positiveNumber(option: string, text: string, strictlyPositive: boolean): number {
  const decimal = DECIMAL.test(text);
  const n = decimal ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < 0 || (strictlyPositive && n === 0)) {
    throw new UsageError(`${option} must be a number ${strictlyPositive ? '> 0' : '≥ 0'}, got '${text}'`
      + (decimal || text === '' || DECIMAL.test(text.replace(/^-/, '')) ? '' : ' (a plain decimal number, like 5, 0.5 or 2e3)'));
  }
  return n;
}

/**
 * Runs `flowlog-watch cost` (argv: the arguments after `cost`) and returns the exit status.
 */
export async function runCostCommand(argv: string[], io: CostIo): Promise<number> {
  let args: CostArgs;
  try {
    args = parseCostArgs(argv);
  } catch (e) {
    io.stderr(`flowlog-watch cost: ${(e as Error).message}\n\n${COST_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${COST_USAGE}\n`);
    return 0;
  }
  try {
    const inventory = readInventoryFile(args.template!);
    let prices = pricesForRegion(args.region, '--region');
    if (args.pricesFile) prices = overridePrices(prices, readJson(args.pricesFile, '--prices'), `--prices ${args.pricesFile}`);

    const inputs: { -readonly [K in keyof VolumeInputs]: VolumeInputs[K] } = {
      defaultGbPerDay: args.defaultGbPerDay, gbPerDay: args.gbPerDay, recordBytes: args.recordBytes,
    };
    let measuredRatio: number | undefined;
    if (args.paths.length > 0) {
      const volume = await measure(inventory, measuredFlowLog(inventory, args.logGroup), args, io);
      inputs.measured = { volume, logGroup: args.logGroup };
      if (inputs.recordBytes === undefined && volume.records > 0) inputs.recordBytes = volume.bytes / volume.records;
      if (volume.bytes > 0) measuredRatio = volume.compressedBytes / volume.bytes;
    }
    const { volumes, insightMatchFractions } = resolveVolumes(inventory, inputs);
    const ratio = args.compressionRatio ?? measuredRatio ?? DEFAULT_COMPRESSION_RATIO;
    const assumptions: CostAssumptions = {
      ...defaultAssumptions(insightMatchFractions, ratio),
      athenaRunsPerMonth: args.athenaRunsPerMonth,
      athenaScanDays: args.athenaScanDays,
      freeTier: args.freeTier,
    };
    const result = estimateCost(inventory, volumes, assumptions, prices);
    const ratioOrigin = args.compressionRatio !== undefined ? '--compression-ratio'
      : measuredRatio !== undefined ? 'measured: the records compressed with gzip -6' : COMPRESSION_SOURCE;
    result.assumptions.splice(1, 0, `compression ratio ${round(ratio, 4)}: ${ratioOrigin}`);
    const volumeLines = inventory.flowLogs.map(f => {
      const v = volumes[f.logicalId];
      const group = inventory.logGroups.find(g => g.logicalId === f.logGroup);
      return `${f.path ?? f.logicalId} (${f.destination === 's3' ? `S3, ${f.s3!.fileFormat}` : `to ${group?.path ?? f.logGroup}`}): `
        + `${round(v.gbPerDay, 4)} GB/day, ${Math.round(v.eventsPerDay).toLocaleString('en-US')} records/day (${v.origin})`;
    });
    if (args.json) {
      io.stdout(`${JSON.stringify({ ...result, volumes: Object.fromEntries(inventory.flowLogs.map(f => [f.path ?? f.logicalId, volumes[f.logicalId]])) }, null, 2)}\n`);
    } else {
      io.stdout(renderCostText(result, volumeLines));
    }
    return 0;
  } catch (e) {
    io.stderr(`flowlog-watch cost: ${(e as Error).message}\n`);
    return 2;
  }
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what} ${file}: cannot read it: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${file}: not JSON: ${(e as Error).message}`);
  }
}

function readInventoryFile(file: string): TemplateInventory {
  const template = readJson(file, '--template');
  try {
    return readTemplateInventory(template);
  } catch (e) {
    throw new Error(`--template ${file}: ${(e as Error).message}`);
  }
}

async function measure(inventory: TemplateInventory, flowLog: InventoryFlowLog, args: CostArgs, io: CostIo) {
  // The field order and Contributor Insights rules of the flow log (and its log group) the records come from.
  const rules = inventory.insightRules.filter(r => flowLog.logGroup !== undefined && r.logGroups.includes(flowLog.logGroup));
  const paths = args.paths.filter(p => p !== '-');
  const volume = await measureRecords(paths, flowLog.fieldNames, rules, { stdin: io.stdin });
  if (volume.problems.length > 0) {
    const first = volume.problems.slice(0, 5).map(p => `${p.source}${p.lineNumber ? `:${p.lineNumber}` : ''}: ${p.kind}: ${p.detail}`);
    throw new Error(`the records could not all be read (${volume.problems.length} problem(s)):\n  ${first.join('\n  ')}`);
  }
  return volume;
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}
