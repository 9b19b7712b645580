import { numberAt, sameAt } from './filter-pattern';
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

/** The slot of an epoch second: 2 per minute, second :00 first. */
export function slotOf(time: number): number {
  const second = time % 60;
  return ((time - second) / 60) * 2 + (second === 0 ? 0 : 1);
}

/** The first epoch second of a slot. */
export function slotStart(slot: number): number {
  return Math.floor(slot / 2) * 60 + (slot % 2 === 0 ? 0 : 1);
}

type Aggregate = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

/** What is accumulated per record: the group it falls in, and the functions of the group. */
export interface StreamPlan {
  /** The record's field index of each `by` field. */
  readonly groupBy: readonly number[];
  /** The names of the `by` fields. */
  readonly groupNames: readonly string[];
  readonly functions: ReadonlyArray<{ readonly fn: Aggregate; readonly column: number; readonly name: string }>;
  /** The conditions a record must meet (none: every record). */
  readonly test: RecordTest;
}

/** A condition compiled to run on a record's text and field offsets, without cutting fields out. */
export type RecordTest = (text: string, starts: Int32Array, ends: Int32Array) => boolean;

/** Per function, the numbers a group keeps (one array per group, function j at STRIDE * j). */
const PRESENT = 0; // records in which the function's field is present
const NUMERIC = 1; // numeric values seen
const SUM = 2;
const MIN = 3;
const MAX = 4;
const STRIDE = 5;

/** The partial state of one group in one slot (or, merged, in a window). */
export class GroupPartial {
  public count = 0;
  /** Per function j: present, numeric, sum, min, max at STRIDE * j (one allocation per group). */
  public readonly numbers: Float64Array;
  /** Per function: the exact distinct values, for count_distinct (numbers when the field is one); undefined without any. */
  public readonly distinct: Array<Set<Literal> | undefined> | undefined;

  constructor(public readonly values: readonly string[], functions: StreamPlan['functions']) {
    this.numbers = new Float64Array(functions.length * STRIDE);
    for (let j = 0; j < functions.length; j++) {
      this.numbers[j * STRIDE + MIN] = Infinity;
      this.numbers[j * STRIDE + MAX] = -Infinity;
    }
    this.distinct = functions.some(f => f.fn === 'count_distinct')
      ? functions.map(f => (f.fn === 'count_distinct' ? new Set<Literal>() : undefined)) : undefined;
  }

  /** Counts a record in which function j's field is present, with its numeric value (NaN when it has none). */
  public addValue(j: number, value: number): void {
    const numbers = this.numbers;
    const at = j * STRIDE;
    numbers[at + PRESENT]++;
    if (value === value) {
      numbers[at + NUMERIC]++;
      numbers[at + SUM] += value;
      if (value < numbers[at + MIN]) numbers[at + MIN] = value;
      if (value > numbers[at + MAX]) numbers[at + MAX] = value;
    }
  }

  public mergeFrom(other: GroupPartial): void {
    this.count += other.count;
    const mine = this.numbers;
    const theirs = other.numbers;
    for (let at = 0; at < mine.length; at += STRIDE) {
      mine[at + PRESENT] += theirs[at + PRESENT];
      mine[at + NUMERIC] += theirs[at + NUMERIC];
      mine[at + SUM] += theirs[at + SUM];
      if (theirs[at + MIN] < mine[at + MIN]) mine[at + MIN] = theirs[at + MIN];
      if (theirs[at + MAX] > mine[at + MAX]) mine[at + MAX] = theirs[at + MAX];
    }
    this.distinct?.forEach((set, j) => set !== undefined && other.distinct![j]!.forEach(v => set.add(v)));
  }

  /** The value of function j over the group, undefined when it has none (no numeric value, no field). */
  public valueOf(j: number, fn: Aggregate): number | undefined {
    const at = j * STRIDE;
    const numbers = this.numbers;
    const numeric = numbers[at + NUMERIC] > 0;
    switch (fn) {
      case 'count': return numbers[at + PRESENT];
      case 'count_distinct': return this.distinct![j]!.size;
      case 'sum': return numeric ? numbers[at + SUM] : undefined;
      case 'avg': return numeric ? numbers[at + SUM] / numbers[at + NUMERIC] : undefined;
      case 'min': return numeric ? numbers[at + MIN] : undefined;
      default: return numeric ? numbers[at + MAX] : undefined;
    }
  }
}

/** One slot: how many records of the log group it had (matching or not), and its groups. */
export interface SlotPartials {
  records: number;
  readonly groups: Map<string, GroupPartial>;
}

const GROUP_SEPARATOR = '\u0000';

/** The partial states of one query, per slot. */
export class QueryPartials {
  public readonly slots = new Map<number, SlotPartials>();
  private currentSlot = NaN;
  private current: SlotPartials | undefined;

  constructor(public readonly plan: StreamPlan) {}

  /** Adds a record, its fields at text[starts[i], ends[i]), at epoch second `time`. */
  public add(text: string, starts: Int32Array, ends: Int32Array, time: number): void {
    const slot = this.slotAt(time);
    slot.records++;
    const plan = this.plan;
    if (!plan.test(text, starts, ends)) {
      return;
    }
    const by = plan.groupBy;
    let key = '';
    if (by.length === 1) {
      key = text.slice(starts[by[0]], ends[by[0]]);
    } else if (by.length > 1) {
      key = text.slice(starts[by[0]], ends[by[0]]);
      for (let k = 1; k < by.length; k++) key += GROUP_SEPARATOR + text.slice(starts[by[k]], ends[by[k]]);
    }
    let group = slot.groups.get(key);
    if (group === undefined) {
      group = new GroupPartial(by.length > 1 ? key.split(GROUP_SEPARATOR) : by.length === 1 ? [key] : [], plan.functions);
      slot.groups.set(key, group);
    }
    group.count++;
    const functions = plan.functions;
    const distinct = group.distinct;
    for (let j = 0; j < functions.length; j++) {
      const column = functions[j].column;
      if (column < 0) {
        group.addValue(j, NaN);
        continue;
      }
      const s = starts[column];
      const e = ends[column];
      const value = numberAt(text, s, e);
      const set = distinct === undefined ? undefined : distinct[j];
      if (set !== undefined) {
        set.add(value === value ? value : text.slice(s, e));
      } else {
        group.addValue(j, value);
      }
    }
  }

  /** Adds another accumulator's states of the same plan (another thread's records). */
  public mergeFrom(other: QueryPartials): void {
    for (const [slot, theirs] of other.slots) {
      const ours = this.slots.get(slot);
      if (ours === undefined) {
        this.slots.set(slot, copySlot(theirs, this.plan));
        continue;
      }
      ours.records += theirs.records;
      for (const [key, group] of theirs.groups) {
        let mine = ours.groups.get(key);
        if (mine === undefined) {
          mine = new GroupPartial(group.values, this.plan.functions);
          ours.groups.set(key, mine);
        }
        mine.mergeFrom(group);
      }
    }
  }

  /** The merge of slots first..last (inclusive): records, and each group's state. */
  public window(first: number, last: number): SlotPartials {
    const merged: SlotPartials = { records: 0, groups: new Map() };
    for (let slot = first; slot <= last; slot++) {
      const partials = this.slots.get(slot);
      if (partials === undefined) continue;
      merged.records += partials.records;
      for (const [key, group] of partials.groups) {
        let mine = merged.groups.get(key);
        if (mine === undefined) {
          mine = new GroupPartial(group.values, this.plan.functions);
          merged.groups.set(key, mine);
        }
        mine.mergeFrom(group);
      }
    }
    return merged;
  }

  private slotAt(time: number): SlotPartials {
    const slot = slotOf(time);
    if (slot === this.currentSlot && this.current !== undefined) {
      return this.current;
    }
    let partials = this.slots.get(slot);
    if (partials === undefined) {
      partials = { records: 0, groups: new Map() };
      this.slots.set(slot, partials);
    }
    this.currentSlot = slot;
    this.current = partials;
    return partials;
  }
}

function copySlot(slot: SlotPartials, plan: StreamPlan): SlotPartials {
  const copy: SlotPartials = { records: slot.records, groups: new Map() };
  for (const [key, group] of slot.groups) {
    const mine = new GroupPartial(group.values, plan.functions);
    mine.mergeFrom(group);
    copy.groups.set(key, mine);
  }
  return copy;
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
  const tests = conditions.map(c => compileCondition(c, columnOf));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (text, starts, ends) => {
    for (let k = 0; k < tests.length; k++) {
      if (!tests[k](text, starts, ends)) return false;
    }
    return true;
  };
}

function compileCondition(condition: Condition, columnOf: (field: string) => number): RecordTest {
  switch (condition.kind) {
    case 'and': {
      const left = compileCondition(condition.left, columnOf);
      const right = compileCondition(condition.right, columnOf);
      return (text, starts, ends) => left(text, starts, ends) && right(text, starts, ends);
    }
    case 'or': {
      const left = compileCondition(condition.left, columnOf);
      const right = compileCondition(condition.right, columnOf);
      return (text, starts, ends) => left(text, starts, ends) || right(text, starts, ends);
    }
    case 'not': {
      const operand = compileCondition(condition.operand, columnOf);
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
      const strings = condition.values.filter((v): v is string => typeof v === 'string');
      return (text, starts, ends) => {
        const s = starts[i];
        const e = ends[i];
        for (let k = 0; k < strings.length; k++) {
          if (sameAt(text, s, e, strings[k])) return true;
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

function compareLiterals(x: Literal, y: Literal): number {
  const nx = typeof x === 'number' ? x : Number(x);
  const ny = typeof y === 'number' ? y : Number(y);
  if (x !== '' && y !== '' && nx === nx && ny === ny) return nx - ny;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
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
