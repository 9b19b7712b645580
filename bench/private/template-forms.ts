/**
 * The template forms the bench's translations read (awk-equivalent.ts for awk, record-program.ts for the
 * generic WebAssembly stage): a space-delimited filter pattern's columns and comparisons, what a log alarm's
 * query accumulates, and an IPv4 CIDR as a number. A form they do not know throws: the benchmark fails
 * rather than leave it out.
 */
import { LogAlarmQuery } from '../../src/replay/engine/log-alarm-evaluator';

/** The columns of a pattern `[a, b=1, c="x" || c="y", …]`, trimmed. */
export function patternTerms(pattern: string): string[] {
  const m = /^\[(.*)\]$/.exec(pattern.trim());
  if (!m) throw new Error(`not a space-delimited pattern with fields: ${pattern}`);
  return m[1].split(',').map(t => t.trim());
}

/** One comparison of a pattern column, `name op value`: its operator, and its value as written (a quoted string or an integer). */
export function patternComparison(part: string): { readonly op: string; readonly value: string } {
  const m = /^[a-z_]+\s*(=|!=|>=|<=|>|<)\s*(".*"|-?[0-9]+)$/.exec(part);
  if (!m) throw new Error(`pattern term '${part}' is not translated`);
  return { op: m[1], value: m[2] };
}

/** The 0-based field of a pattern's column. */
export function patternField(pattern: string, name: string): number {
  const i = patternTerms(pattern).findIndex(t => t.split(/[=!<>]/)[0].trim() === name);
  if (i < 0) throw new Error(`the pattern has no field ${name}`);
  return i;
}

/** What a log alarm's query accumulates per record: its `stats`, else the alarm's aggregation (as replay's stream plan does). */
export function accumulatedStats({ query, aggregation }: LogAlarmQuery) {
  return query.stats ?? { by: aggregation.by, functions: [{ fn: aggregation.fn, field: aggregation.field, name: 'value' }] };
}

/** An IPv4 CIDR's network as a number, and its prefix length. */
export function ipv4Cidr(cidr: string): { readonly network: number; readonly bits: number } {
  const [address, bits] = cidr.split('/');
  return { network: address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0), bits: Number(bits) };
}
