import { numberAt, sameAt } from './filter-pattern';
import { GroupKey, groupKeyAt } from './group-key';
import { GroupFunctions, GroupTable } from './group-table';
import {
  AggregationExpression, ComparisonOp, Condition, ipv4At, ipv6At, Literal, LogsInsightsQuery, NotSimulatedError, parseCidr, RowCommand, samePrefix,
} from './logs-insights-query';

/**
 * Streaming evaluation of a parsed Logs Insights query: records are added one at a time (their fields found
 * by offsets, tested in place), and what the aggregation needs is kept per (time slot, group) as a partial
 * state that merges exactly with another: counts and sums add, minimums and maximums take the extreme, and
 * `count_distinct` keeps the exact set of values. A query window is the merge of its slots, and two
 * accumulators filled by two threads from two halves of the input merge into the one a single pass builds.
 *
 * Time slots: each minute has two, its second :00 and its seconds :01 to :59, because a scheduled query's
 * window [T - StartTimeOffset, T - EndTimeOffset] is inclusive at both ends (StartQuery: "The range is
 * inclusive", https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html), so
 * with whole-minute offsets it covers whole slots exactly: slotOf(T - S) to slotOf(T - E).
 *
 * `count_distinct` is exact here. AWS: "If the field has very high cardinality (contains many unique values),
 * the value returned by count_distinct is just an approximation"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Stats.html), so at very high
 * cardinality CloudWatch's value can differ from replay's.
 */

/** Forgotten slots' tables kept for new slots, at most, per kind of slot (:00, and :01 to :59). */
const MAX_SPARE_TABLES = 4;

/** The slot of an epoch second: 2 per minute, second :00 first. */
export function slotOf(time: number): number {
  const second = time % 60;
  return ((time - second) / 60) * 2 + (second === 0 ? 0 : 1);
}

/** The first epoch second of a slot. */
export function slotStart(slot: number): number {
  return Math.floor(slot / 2) * 60 + (slot % 2 === 0 ? 0 : 1);
}

/** What is accumulated per record: the group it falls in, and the functions of the group. */
export interface StreamPlan {
  /** The record's field index of each `by` field. */
  readonly groupBy: readonly number[];
  /** The names of the `by` fields. */
  readonly groupNames: readonly string[];
  readonly functions: GroupFunctions;
  /** The conditions a record must meet (none: every record). */
  readonly test: RecordTest;
}

/** A condition compiled to run on a record's text and field offsets, without cutting fields out. */
export type RecordTest = (text: string, starts: Int32Array, ends: Int32Array) => boolean;

/** One slot: how many records of the log group it had (matching or not), and its groups. */
export interface SlotPartials {
  records: number;
  readonly groups: GroupTable;
}

/** The partial states of one query, per slot. */
export class QueryPartials {
  public readonly slots = new Map<number, SlotPartials>();
  private currentSlot = NaN;
  private current: SlotPartials | undefined;
  private readonly test: RecordTest;
  private readonly keys: GroupKey[];
  private windowTable: GroupTable | undefined;
  /**
   * Tables of forgotten slots, cleared and filled again by new slots of the same kind (slot % 2: a :00 slot
   * holds a second of records, the other a minute's less one): no new arrays for the collector.
   */
  private readonly spareTables: [GroupTable[], GroupTable[]] = [[], []];
  /** A value with a fraction was added: sums then depend on the order of addition. */
  public fractional = false;

  constructor(public readonly plan: StreamPlan) {
    this.test = plan.test;
    this.keys = plan.groupBy.map(() => '');
  }

  /** Adds a record, its fields at text[starts[i], ends[i]), at epoch second `time`. */
  public add(text: string, starts: Int32Array, ends: Int32Array, time: number): void {
    if (this.test(text, starts, ends)) {
      this.addMatching(text, starts, ends, time);
    } else {
      this.slotAt(time).records++;
    }
  }

  /** Adds a record that does not meet the query's conditions (it counts as a log event of its slot). */
  public addOther(time: number): void {
    this.slotAt(time).records++;
  }

  /** Adds a record known to meet the query's conditions (`compileQueryConditions` tested it). */
  public addMatching(text: string, starts: Int32Array, ends: Int32Array, time: number): void {
    const slot = this.slotAt(time);
    slot.records++;
    const plan = this.plan;
    const by = plan.groupBy;
    const keys = this.keys;
    for (let k = 0; k < by.length; k++) keys[k] = groupKeyAt(text, starts[by[k]], ends[by[k]]);
    const groups = slot.groups;
    const g = groups.obtain(keys);
    groups.countRecord(g);
    const functions = plan.functions;
    for (let j = 0; j < functions.length; j++) {
      const column = functions[j].column;
      if (column < 0) {
        groups.addValue(g, j, NaN);
      } else if (functions[j].fn === 'count_distinct') {
        groups.addDistinct(g, j, groupKeyAt(text, starts[column], ends[column]));
      } else {
        const value = numberAt(text, starts[column], ends[column]);
        if (value !== Math.floor(value) && value === value) this.fractional = true;
        groups.addValue(g, j, value);
      }
    }
  }

  /** Adds another accumulator's states of the same plan (another thread's records). */
  public mergeFrom(other: QueryPartials): void {
    this.mergeSlots(other.slots);
  }

  /**
   * Adds slots of the same plan (another thread's records), their tables possibly sent from that thread;
   * with `adopt`, a slot this accumulator does not have becomes its own (the caller is done with them).
   */
  public mergeSlots(slots: ReadonlyMap<number, SlotPartials>, adopt = false): void {
    for (const [slot, sent] of slots) {
      const theirs = { records: sent.records, groups: GroupTable.revive(sent.groups) };
      let ours = this.slots.get(slot);
      if (ours === undefined && adopt) {
        this.slots.set(slot, theirs);
        continue;
      }
      if (ours === undefined) {
        ours = { records: 0, groups: new GroupTable(this.plan.groupBy.length, this.plan.functions) };
        this.slots.set(slot, ours);
      }
      mergeSlot(ours, theirs);
    }
  }

  /**
   * The merge of slots first..last (inclusive): records, and each group's state. The table is this
   * accumulator's one window table, cleared and filled again at each call: valid until the next.
   */
  public window(first: number, last: number): SlotPartials {
    let groups = 0;
    let values = 0;
    for (let slot = first; slot <= last; slot++) {
      const partials = this.slots.get(slot);
      if (partials === undefined) continue;
      groups += partials.groups.size;
      values += partials.groups.distinctSize;
    }
    if (this.windowTable === undefined) {
      // Room for all the slots' groups and values at once: a table that grows while merging copies itself each time.
      this.windowTable = new GroupTable(this.plan.groupBy.length, this.plan.functions, groups, values);
    } else {
      this.windowTable.clear();
    }
    const merged: SlotPartials = { records: 0, groups: this.windowTable };
    for (let slot = first; slot <= last; slot++) {
      const partials = this.slots.get(slot);
      if (partials !== undefined) mergeSlot(merged, partials);
    }
    return merged;
  }

  /** Forgets the slots before `slot` (no execution still to run reads them), but those up to `keptThrough`. */
  public dropBefore(slot: number, keptThrough = -Infinity): void {
    for (const [s, partials] of this.slots) {
      if (s < slot && s > keptThrough) {
        this.slots.delete(s);
        const spares = this.spareTables[s % 2];
        if (spares.length < MAX_SPARE_TABLES) spares.push(partials.groups);
      }
    }
    if (this.currentSlot < slot && this.currentSlot > keptThrough) {
      this.currentSlot = NaN;
      this.current = undefined;
    }
  }

  private slotAt(time: number): SlotPartials {
    const slot = slotOf(time);
    if (slot === this.currentSlot && this.current !== undefined) {
      return this.current;
    }
    let partials = this.slots.get(slot);
    if (partials === undefined) {
      const spare = this.spareTables[slot % 2].pop();
      spare?.clear();
      partials = { records: 0, groups: spare ?? this.newSlotTable(slot) };
      this.slots.set(slot, partials);
    }
    this.currentSlot = slot;
    this.current = partials;
    return partials;
  }

  /**
   * A table for a new slot, sized like the same slot a minute before (the same traffic, a minute later), with
   * room for a quarter more: a table that outgrows its room copies itself.
   */
  private newSlotTable(slot: number): GroupTable {
    const before = (this.slots.get(slot - 2) ?? this.current)?.groups;
    const room = (n: number | undefined) => (n === undefined ? undefined : Math.ceil(n * 1.25));
    return new GroupTable(this.plan.groupBy.length, this.plan.functions, room(before?.size), room(before?.distinctSize));
  }
}

function mergeSlot(into: SlotPartials, from: SlotPartials): void {
  into.records += from.records;
  into.groups.mergeFrom(from.groups);
}

/**
 * What a log alarm accumulates per record: the QueryString's `stats` when it has one (its rows are then
 * aggregated by the AggregationExpression at each execution), else the AggregationExpression itself over the
 * matching events.
 *
 * @param query the parsed QueryString
 * @param aggregation the parsed AggregationExpression
 * @throws NotSimulatedError when the aggregation reads a field the query's results do not have
 */
export function streamPlanOf(query: LogsInsightsQuery, aggregation: AggregationExpression): StreamPlan {
  const columns = new Map(query.parsed.map((name, i) => [name, i]));
  const columnOf = (field: string) => columns.get(field)!;
  const test = compileRecordTest(query.filters, columnOf);
  const results = new Set(query.resultFields);
  for (const field of [...aggregation.by, ...(aggregation.field === undefined ? [] : [aggregation.field])]) {
    if (!results.has(field)) {
      throw new NotSimulatedError(`the AggregationExpression reads \`${field}\`, which is not a field of the query's results (${query.resultFields.join(', ') || 'none'})`);
    }
  }
  if (query.stats !== undefined) {
    return {
      groupBy: query.stats.by.map(columnOf),
      groupNames: query.stats.by,
      functions: query.stats.functions.map(f => ({ fn: f.fn, column: f.field === undefined ? -1 : columnOf(f.field), name: f.name })),
      test,
    };
  }
  return {
    groupBy: aggregation.by.map(columnOf),
    groupNames: aggregation.by,
    functions: [{ fn: aggregation.fn, column: aggregation.field === undefined ? -1 : columnOf(aggregation.field), name: 'value' }],
    test,
  };
}

/** The conditions compiled into one test on a record's fields in place (all of them must hold). */
export function compileRecordTest(conditions: readonly Condition[], columnOf: (field: string) => number): RecordTest {
  const compile = (c: Condition): RecordTest => compileCondition(c, columnOf, compile);
  const tests = conditions.map(compile);
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (text, starts, ends) => {
    for (let k = 0; k < tests.length; k++) {
      if (!tests[k](text, starts, ends)) return false;
    }
    return true;
  };
}

/** One condition as a closure; `compile` compiles its operands. */
export function compileCondition(condition: Condition, columnOf: (field: string) => number, compile: (c: Condition) => RecordTest): RecordTest {
  switch (condition.kind) {
    case 'and': {
      const left = compile(condition.left);
      const right = compile(condition.right);
      return (text, starts, ends) => left(text, starts, ends) && right(text, starts, ends);
    }
    case 'or': {
      const left = compile(condition.left);
      const right = compile(condition.right);
      return (text, starts, ends) => left(text, starts, ends) || right(text, starts, ends);
    }
    case 'not': {
      const operand = compile(condition.operand);
      return (text, starts, ends) => !operand(text, starts, ends);
    }
    case 'compare': {
      const i = columnOf(condition.field);
      const { op, value } = condition;
      if (typeof value === 'number') {
        const compare = numberComparison(op, value);
        return (text, starts, ends) => compare(numberAt(text, starts[i], ends[i]));
      }
      if (op === '=') return (text, starts, ends) => sameAt(text, starts[i], ends[i], value);
      if (op === '!=') return (text, starts, ends) => !sameAt(text, starts[i], ends[i], value);
      return (text, starts, ends) => compareStrings(op, text.slice(starts[i], ends[i]), value);
    }
    case 'in': {
      const i = columnOf(condition.field);
      const numbers = condition.values.filter((v): v is number => typeof v === 'number');
      // The strings by length and last character: a field is compared with the few that could be it.
      const byEnd = new Map<number, string[]>();
      for (const v of condition.values) {
        if (typeof v !== 'string') continue;
        const at = v.length * 65536 + (v.length > 0 ? v.charCodeAt(v.length - 1) : 0);
        byEnd.set(at, [...byEnd.get(at) ?? [], v]);
      }
      return (text, starts, ends) => {
        const s = starts[i];
        const e = ends[i];
        const strings = byEnd.get((e - s) * 65536 + (e > s ? text.charCodeAt(e - 1) : 0));
        if (strings !== undefined) {
          for (let k = 0; k < strings.length; k++) {
            if (sameAt(text, s, e, strings[k])) return true;
          }
        }
        if (numbers.length > 0) {
          const num = numberAt(text, s, e);
          for (let k = 0; k < numbers.length; k++) {
            if (num === numbers[k]) return true;
          }
        }
        return false;
      };
    }
    case 'subnet': {
      const i = columnOf(condition.field);
      const network = parseCidr(condition.version, condition.cidr)!;
      const scratch = new Uint32Array(network.words.length);
      const parse = condition.version === 4 ? ipv4At : ipv6At;
      return (text, starts, ends) => parse(text, starts[i], ends[i], scratch) && samePrefix(scratch, network.words, network.prefix);
    }
  }
}

/** A comparison with a number literal: false on NaN (a field that is not a number), for every operator. */
function numberComparison(op: ComparisonOp, value: number): (num: number) => boolean {
  switch (op) {
    case '=': return num => num === value;
    case '!=': return num => num === num && num !== value;
    case '<': return num => num < value;
    case '<=': return num => num <= value;
    case '>': return num => num > value;
    default: return num => num >= value;
  }
}

function compareStrings(op: ComparisonOp, a: string, b: string): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '=': return a === b;
    default: return a !== b;
  }
}

/** A row of a query's results: field name to value (absent: the row has no such field). */
export type QueryRow = Map<string, Literal>;

/**
 * The result rows of a query with `stats` over a window: one per group, its `by` values (as written) and
 * its stats columns, then the commands after `stats` (filter, sort, limit) in order.
 */
export function resultRows(query: LogsInsightsQuery, plan: StreamPlan, window: SlotPartials): QueryRow[] {
  let rows: QueryRow[] = [];
  for (const group of window.groups.values()) {
    const row: QueryRow = new Map();
    plan.groupNames.forEach((name, k) => row.set(name, group.values[k]));
    plan.functions.forEach((f, j) => {
      const value = group.valueOf(j, f.fn);
      if (value !== undefined) row.set(f.name, value);
    });
    rows.push(row);
  }
  for (const command of query.rowCommands) {
    rows = applyRowCommand(command, rows);
  }
  return rows;
}

function applyRowCommand(command: RowCommand, rows: QueryRow[]): QueryRow[] {
  switch (command.kind) {
    case 'filter': return rows.filter(row => rowMatches(command.condition, row));
    case 'limit': return rows.slice(0, command.count);
    default: {
      const { field, descending } = command;
      // Rows without the field sort last either way (UNDOCUMENTED; a stable sort keeps the rest in order).
      return [...rows].sort((a, b) => {
        const x = a.get(field);
        const y = b.get(field);
        if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : 1) : -1;
        const order = compareLiterals(x, y);
        return descending ? -order : order;
      });
    }
  }
}

/**
 * The ascending order of `sort`. AWS: "The sorting algorithm is an updated version of natural sorting. If you sort
 * in ascending order, the following logic is used. All non-number values come before all number values. [...] For
 * non-number values, the algorithm groups consecutive numeric characters and consecutive alphabetic characters into
 * separate chunks for comparison. It orders non-numeric portions by their Unicode values, and it orders numeric
 * portions by their length first and then by their numerical value."
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Sort.html)
 * A number value here is a number, or a string that is one in the grammar fields are read with (`numberAt`).
 */
function compareLiterals(x: Literal, y: Literal): number {
  const nx = toNumber(x);
  const ny = toNumber(y);
  const xNumber = nx === nx;
  const yNumber = ny === ny;
  if (xNumber && yNumber) return nx < ny ? -1 : nx > ny ? 1 : 0;
  if (xNumber !== yNumber) return xNumber ? 1 : -1;
  return compareNatural(String(x), String(y));
}

/** A character's chunk kind for natural sorting: 0 a digit, 1 a letter (ASCII, or any code unit past ASCII), 2 another character. */
function chunkKind(c: number): number {
  if (c >= 48 && c <= 57) return 0;
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128 ? 1 : 2;
}

/**
 * Natural order of two non-number values, chunk by chunk. Chunks are runs of digits, runs of letters, and each
 * other character alone. Two runs of digits compare by their length, then their digits; any other two chunks by
 * Unicode (UTF-16 code unit) order, a chunk that is a prefix of the other first; a value whose chunks are a prefix
 * of the other's comes first. No allocation.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const aKind = chunkKind(a.charCodeAt(i));
    const bKind = chunkKind(b.charCodeAt(j));
    let ie = i + 1;
    if (aKind !== 2) while (ie < a.length && chunkKind(a.charCodeAt(ie)) === aKind) ie++;
    let je = j + 1;
    if (bKind !== 2) while (je < b.length && chunkKind(b.charCodeAt(je)) === bKind) je++;
    if (aKind === 0 && bKind === 0 && ie - i !== je - j) return ie - i < je - j ? -1 : 1;
    // Digit runs of one length compare as numbers by their digits; other chunks by code unit, a prefix first.
    const length = Math.min(ie - i, je - j);
    for (let k = 0; k < length; k++) {
      const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    if (ie - i !== je - j) return ie - i < je - j ? -1 : 1;
    i = ie;
    j = je;
  }
  return i < a.length ? 1 : j < b.length ? -1 : 0;
}

/** A condition on a result row, with the same rules as on a record. */
export function rowMatches(condition: Condition, row: QueryRow): boolean {
  switch (condition.kind) {
    case 'and': return rowMatches(condition.left, row) && rowMatches(condition.right, row);
    case 'or': return rowMatches(condition.left, row) || rowMatches(condition.right, row);
    case 'not': return !rowMatches(condition.operand, row);
    case 'compare': {
      const v = row.get(condition.field);
      if (v === undefined) return false;
      if (typeof condition.value === 'number') {
        return numberComparison(condition.op, condition.value)(toNumber(v));
      }
      return compareStrings(condition.op, String(v), condition.value);
    }
    case 'in': {
      const v = row.get(condition.field);
      if (v === undefined) return false;
      return condition.values.some(c => (typeof c === 'number' ? toNumber(v) === c : String(v) === c));
    }
    case 'subnet': {
      const v = row.get(condition.field);
      if (typeof v !== 'string') return false;
      const network = parseCidr(condition.version, condition.cidr)!;
      const scratch = new Uint32Array(network.words.length);
      return (condition.version === 4 ? ipv4At : ipv6At)(v, 0, v.length, scratch) && samePrefix(scratch, network.words, network.prefix);
    }
  }
}

function toNumber(v: Literal): number {
  return typeof v === 'number' ? v : numberAt(v, 0, v.length);
}
