/**
 * The unit of a replayed value, as a person reads it: bytes in B, KiB, MiB, GiB; counts of
 * flows, records, packets, ports or addresses with thousands separators.
 */
export interface ValueUnit {
  /** The plural noun of a count (`flows`), or `bytes`; empty for a plain number. */
  readonly noun: string;
  /** The noun for exactly one. */
  readonly singular: string;
  /** Bytes: scaled by 1024 (KiB, MiB …) instead of written out. */
  readonly binary: boolean;
}

const count = (noun: string, singular: string): ValueUnit => ({ noun, singular, binary: false });

export const BYTES: ValueUnit = { noun: 'bytes', singular: 'byte', binary: true };
export const PACKETS = count('packets', 'packet');
export const FLOWS = count('flows', 'flow');
export const RECORDS = count('records', 'record');
export const PORTS = count('ports', 'port');
export const ADDRESSES = count('addresses', 'address');
export const PLAIN = count('', '');

const BINARY_PREFIXES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const ADDRESS_FIELD = /^(pkt_)?(src|dst)addr$/;
const PORT_FIELD = /^(src|dst)port$/;

/**
 * The unit of what one datapoint counts.
 *
 * @param valueExpression a metric filter's metric value (`$bytes`, `1`) or a log alarm's aggregation (`count_distinct(dstport)`)
 * @param metricName the metric's name, used when the expression says nothing (`PrivateRejectedFlows`)
 * @param statistic `SampleCount` counts datapoints, each a record the filter matched, whatever their value
 */
export function unitOf(valueExpression?: string, metricName?: string, statistic?: string): ValueUnit {
  if (statistic === 'SampleCount') {
    return RECORDS;
  }
  const expression = (valueExpression ?? '').trim().replace(/\s+/g, '').toLowerCase();
  const field = /^\$(\w+)$/.exec(expression)?.[1]
    ?? /^(?:sum|max|min|avg|pct)\((\w+)(?:,\d+)?\)$/.exec(expression)?.[1];
  if (field !== undefined) {
    return field === 'bytes' ? BYTES : field === 'packets' ? PACKETS : PLAIN;
  }
  const distinct = /^count_distinct\((\w+)\)$/.exec(expression)?.[1];
  if (distinct !== undefined) {
    return PORT_FIELD.test(distinct) ? PORTS : ADDRESS_FIELD.test(distinct) ? ADDRESSES : PLAIN;
  }
  if (expression === 'records') {
    // What replay writes for the log group's IncomingLogEvents: each flow-log record is one log event.
    return RECORDS;
  }
  if (/^count\(\*?\)$/.test(expression) || expression === '1') {
    // A flow-log record is one flow; a metric named for records (SKIPDATA) counts records.
    return /Records?$/.test(metricName ?? '') ? RECORDS : FLOWS;
  }
  if (expression !== '') {
    return PLAIN;
  }
  const name = metricName ?? '';
  return /Bytes$/.test(name) ? BYTES : /Packets$/.test(name) ? PACKETS : /Flows$/.test(name) ? FLOWS
    : /Records$/.test(name) ? RECORDS : PLAIN;
}

/**
 * A value in its unit: `59.8 KiB`, `1,544 flows`, `1 flow`, `2.5 M records`.
 */
export function formatValue(value: number, unit: ValueUnit): string {
  if (unit.binary) {
    const { divisor, prefix } = binaryScale(Math.abs(value));
    return `${formatNumber(value / divisor, divisor === 1 ? 0 : 1)} ${prefix}`;
  }
  const text = Math.abs(value) >= 1e6 ? `${formatNumber(value / 1e6, 2)} M` : formatNumber(value, 2);
  const noun = Math.abs(value) === 1 ? unit.singular : unit.noun;
  return noun === '' ? text.trim() : `${text} ${noun}`;
}

/**
 * How axis ticks up to `max` are written: the divisor and its suffix (`KiB`; `M` for millions
 * of a count), so that all ticks of one axis share a scale.
 */
export function axisScale(max: number, unit: ValueUnit): { readonly divisor: number; readonly suffix: string } {
  if (unit.binary) {
    const { divisor, prefix } = binaryScale(max);
    return { divisor, suffix: prefix };
  }
  return Math.abs(max) >= 1e6 ? { divisor: 1e6, suffix: 'M' } : { divisor: 1, suffix: '' };
}

/** The largest binary prefix under which `value` is at least 1. */
function binaryScale(value: number): { divisor: number; prefix: string } {
  let i = 0;
  while (i < BINARY_PREFIXES.length - 1 && value >= 1024 ** (i + 1)) {
    i++;
  }
  return { divisor: 1024 ** i, prefix: BINARY_PREFIXES[i] };
}

/** A number with thousands separators and at most `fractionDigits` decimals (none when whole). */
export function formatNumber(value: number, fractionDigits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: fractionDigits });
}
