import * as zlib from 'zlib';
import { InsightRuleFilter, InventoryInsightRule } from './template-inventory';
import { ReadProblem, readRecords } from '../engine/record-reader';

/**
 * What captured flow-log records measure for the cost estimate: their bytes, their count, the
 * time they span, how well they compress, and how many of them each Contributor Insights rule
 * of their log group matches.
 */
export interface RecordVolume {
  readonly records: number;
  /** UTF-8 bytes of the records' messages (what CloudWatch Logs ingests; line breaks not counted). */
  readonly bytes: number;
  /** The messages compressed with gzip at level 6, one line each. */
  readonly compressedBytes: number;
  /** The time the records cover, in seconds: the last `end` (or event time) minus the first `start`. */
  readonly spanSeconds: number;
  /** ISO 8601 bounds of that span. */
  readonly from: string;
  readonly to: string;
  /** Records matched, by Contributor Insights rule logical ID (rules whose filters could be evaluated). */
  readonly insightMatches: Record<string, number>;
  /** Rules whose filters could not be evaluated on text records, and why. */
  readonly insightNotEvaluated: Record<string, string>;
  readonly problems: ReadProblem[];
}

// Compressed in batches of about this size: memory stays flat, and gzip's window is 32 KB, so
// batches compress like one stream.
const BATCH_BYTES = 1024 * 1024;
// zlib's default level. AWS bills archived bytes after its own compression, whose algorithm and
// level the stored pricing pages do not state: gzip is the measure of how well the records compress.
const GZIP_LEVEL = 6;

/**
 * Reads records (files, directories, or stdin when `paths` is empty) and measures them.
 *
 * @param fieldNames the field order of the flow log they come from, for `start` and `end`
 *                   (a header line in the input takes precedence)
 * @param rules the Contributor Insights rules on their log group
 */
export async function measureRecords(
  paths: readonly string[],
  fieldNames: readonly string[],
  rules: readonly InventoryInsightRule[],
  options: { stdin?: NodeJS.ReadableStream } = {},
): Promise<RecordVolume> {
  let records = 0;
  let bytes = 0;
  let compressedBytes = 0;
  let first = Infinity;
  let last = -Infinity;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    compressedBytes += zlib.gzipSync(batch.join(''), { level: GZIP_LEVEL }).length;
    batch = [];
    batchBytes = 0;
  };
  const matchers = rules.map(rule => ({ rule, matcher: insightMatcher(rule) }));
  const insightMatches: Record<string, number> = {};
  const insightNotEvaluated: Record<string, string> = {};
  for (const { rule, matcher } of matchers) {
    if (typeof matcher === 'string') insightNotEvaluated[rule.logicalId] = matcher;
    else insightMatches[rule.logicalId] = 0;
  }

  const summary = await readRecords(paths, record => {
    records++;
    const size = Buffer.byteLength(record.message, 'utf8');
    bytes += size;
    batch.push(record.message, '\n');
    batchBytes += size + 1;
    if (batchBytes >= BATCH_BYTES) flush();

    const names = record.fieldNames ?? fieldNames;
    const tokens = record.message.trim().split(/\s+/);
    const start = epochSeconds(tokens[names.indexOf('start')]);
    const end = epochSeconds(tokens[names.indexOf('end')]);
    const eventTime = record.timestamp === undefined ? undefined : record.timestamp / 1000;
    const from = start ?? eventTime;
    const to = end ?? eventTime;
    if (from !== undefined) first = Math.min(first, from);
    if (to !== undefined) last = Math.max(last, to);

    for (const { rule, matcher } of matchers) {
      if (typeof matcher !== 'string' && matcher(tokens)) insightMatches[rule.logicalId]++;
    }
  }, options);
  flush();

  const spanSeconds = Number.isFinite(first) && Number.isFinite(last) ? last - first : 0;
  return {
    records,
    bytes,
    compressedBytes,
    spanSeconds,
    from: Number.isFinite(first) ? new Date(first * 1000).toISOString() : '',
    to: Number.isFinite(last) ? new Date(last * 1000).toISOString() : '',
    insightMatches,
    insightNotEvaluated,
    problems: summary.problems,
  };
}

function epochSeconds(token: string | undefined): number | undefined {
  if (token === undefined || !/^\d{9,11}$/.test(token)) return undefined;
  return Number(token);
}

/**
 * A function telling whether a space-delimited record matches a rule's filters (all of them), or
 * why it cannot be evaluated. Filter semantics:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
 */
function insightMatcher(rule: InventoryInsightRule): ((tokens: string[]) => boolean) | string {
  if (rule.logFormat !== 'CLF') {
    return `its log format is ${rule.logFormat}; flow-log records are space-delimited (CLF)`;
  }
  const positions: Record<string, number> = {};
  for (const [position, name] of Object.entries(rule.fields)) positions[name] = Number(position) - 1;
  const tests: ((tokens: string[]) => boolean)[] = [];
  for (const filter of rule.filters) {
    const position = positions[filter.match];
    if (position === undefined) return `its filter on '${filter.match}' names no field of \`Fields\``;
    const test = filterTest(filter);
    if (typeof test === 'string') return test;
    tests.push(tokens => test(tokens[position]));
  }
  return tokens => tests.every(t => t(tokens));
}

function filterTest(filter: InsightRuleFilter): ((value: string | undefined) => boolean) | string {
  const operand = filter.operand;
  const list = Array.isArray(operand) ? operand.map(String) : [String(operand)];
  const numeric = (value: string | undefined) => (value !== undefined && value !== '-' ? Number(value) : NaN);
  switch (filter.operator) {
    case 'In': return value => value !== undefined && list.includes(value);
    case 'NotIn': return value => value === undefined || !list.includes(value);
    case 'StartsWith': return value => value !== undefined && list.some(prefix => value.startsWith(prefix));
    case 'EqualTo': return value => value !== undefined && (value === String(operand) || numeric(value) === Number(operand));
    case 'NotEqualTo': return value => !(value !== undefined && (value === String(operand) || numeric(value) === Number(operand)));
    case 'GreaterThan': return value => numeric(value) > Number(operand);
    case 'LessThan': return value => numeric(value) < Number(operand);
    case 'IsPresent': return value => (value !== undefined && value !== '-') === Boolean(operand);
    default: return `its filter operator '${filter.operator}' is not evaluated`;
  }
}
