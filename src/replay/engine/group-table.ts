import { GroupKey, groupKeyText } from './group-key';
import { NumberIndex } from './number-index';

export type Aggregate = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

/** The functions of a `stats` (or of an AggregationExpression standing for one). */
export type GroupFunctions = ReadonlyArray<{ readonly fn: Aggregate; readonly column: number; readonly name: string }>;

/** One group of a table, as the results read it. */
export interface GroupView {
  /** The group's `by` values, as written in the records. */
  readonly values: readonly string[];
  readonly count: number;
  /** The value of function j over the group, undefined when it has none (no numeric value, no field). */
  valueOf(j: number, fn: Aggregate): number | undefined;
}

/** Per function, the numbers a group keeps, function j at STRIDE * j. */
const PRESENT = 0; // records in which the function's field is present
const NUMERIC = 1; // numeric values seen
const SUM = 2;
const MIN = 3;
const MAX = 4;
const STRIDE = 5;

const TWO_20 = 1048576;
const TWO_33 = 8589934592;

/**
 * The partial states of the groups of one time slot (or, merged, of a window), kept column-wise in typed
 * arrays and found through number indexes: a group is an ordinal, not an object, and a distinct value of
 * `count_distinct` is one entry (group ordinal, value) of an index per function. A slot of hundreds of
 * sources costs a few arrays, and the garbage collector nothing per record.
 *
 * States merge exactly: counts and sums add, minimums and maximums take the extreme, distinct values unite.
 */
export class GroupTable {
  /**
   * A table as another thread sent it: a structured clone keeps every field (typed arrays, maps) but not
   * the classes, which are given back. A table of this thread is returned as it is.
   */
  public static revive(table: GroupTable): GroupTable {
    if (Object.getPrototypeOf(table) === GroupTable.prototype) return table;
    Object.setPrototypeOf(table, GroupTable.prototype);
    for (const index of [table.groups, table.firstKeys, ...table.distinct]) {
      if (index !== undefined) Object.setPrototypeOf(index, NumberIndex.prototype);
    }
    return table;
  }

  public size = 0;
  private readonly groups: NumberIndex;
  /** With two `by` fields: the first keys seen, each with an ordinal (see groupKeyOf). */
  private readonly firstKeys: NumberIndex;
  /** Per ordinal, its `by` keys (depth of them). */
  private keyNumbers: Float64Array;
  private readonly keyStrings = new Map<number, string>();
  private counts: Float64Array;
  /** Per ordinal, per function: STRIDE numbers (only for functions other than count_distinct). */
  private numbers: Float64Array;
  /** Per function j that is count_distinct: its (ordinal, value) index and each ordinal's count of values. */
  private readonly distinct: Array<NumberIndex | undefined>;
  private readonly distinctCounts: Array<Float64Array | undefined>;
  private readonly width: number;

  /**
   * @param capacity groups to make room for at once (the table grows past it)
   * @param distinctCapacity distinct values to make room for at once, per count_distinct function
   */
  constructor(private readonly depth: number, private readonly functions: GroupFunctions, capacity = 8, distinctCapacity = 8) {
    const room = Math.max(8, capacity);
    this.width = functions.length * STRIDE;
    this.groups = new NumberIndex(room);
    this.firstKeys = new NumberIndex(depth === 2 ? room : 0);
    this.keyNumbers = new Float64Array(room * Math.max(depth, 1));
    this.counts = new Float64Array(room);
    this.numbers = new Float64Array(room * this.width);
    this.distinct = functions.map(f => (f.fn === 'count_distinct' ? new NumberIndex(distinctCapacity) : undefined));
    this.distinctCounts = functions.map(f => (f.fn === 'count_distinct' ? new Float64Array(room) : undefined));
  }

  /** The most distinct values of one count_distinct function (0 without any). */
  public get distinctSize(): number {
    return Math.max(0, ...this.distinct.map(index => index?.size ?? 0));
  }

  /** The ordinal of the group of these keys (keys[0..depth)), created empty when new. */
  public obtain(keys: readonly GroupKey[]): number {
    const next = this.size;
    const found = this.groups.findOrAdd(this.groupKeyOf(keys), next);
    if (found >= 0) return found;
    this.size++;
    if (next >= this.counts.length) this.grow();
    for (let k = 0; k < this.depth; k++) {
      const key = keys[k];
      if (typeof key === 'number') this.keyNumbers[next * this.depth + k] = key;
      else this.keyStrings.set(next * this.depth + k, key);
    }
    // A cleared table's arrays hold the groups it had before: every number of a new group is set.
    this.counts[next] = 0;
    const base = next * this.width;
    for (let j = 0; j < this.functions.length; j++) {
      this.numbers[base + j * STRIDE + PRESENT] = 0;
      this.numbers[base + j * STRIDE + NUMERIC] = 0;
      this.numbers[base + j * STRIDE + SUM] = 0;
      this.numbers[base + j * STRIDE + MIN] = Infinity;
      this.numbers[base + j * STRIDE + MAX] = -Infinity;
      const counts = this.distinctCounts[j];
      if (counts !== undefined) counts[next] = 0;
    }
    return next;
  }

  /** Empties the table, keeping its room (a window table is cleared and filled again at each execution). */
  public clear(): void {
    this.size = 0;
    this.groups.clear();
    this.firstKeys.clear();
    this.keyStrings.clear();
    this.distinct.forEach(index => index?.clear());
  }

  /** Counts a record of group `g`. */
  public countRecord(g: number): void {
    this.counts[g]++;
  }

  /** Counts a record in which function j's field is present, with its numeric value (NaN when it has none). */
  public addValue(g: number, j: number, value: number): void {
    const numbers = this.numbers;
    const at = g * this.width + j * STRIDE;
    numbers[at + PRESENT]++;
    if (value === value) {
      numbers[at + NUMERIC]++;
      numbers[at + SUM] += value;
      if (value < numbers[at + MIN]) numbers[at + MIN] = value;
      if (value > numbers[at + MAX]) numbers[at + MAX] = value;
    }
  }

  /** Adds a value of count_distinct function j to group `g`. */
  public addDistinct(g: number, j: number, value: GroupKey): void {
    if (this.distinct[j]!.findOrAdd(pairKey(g, value), 0) === -1) this.distinctCounts[j]![g]++;
  }

  /** Adds another table's groups (of the same `by` fields and functions). */
  public mergeFrom(other: GroupTable): void {
    const keys: GroupKey[] = [];
    const ordinals = new Int32Array(other.size);
    for (let g = 0; g < other.size; g++) {
      other.keysOf(g, keys);
      const mine = this.obtain(keys);
      ordinals[g] = mine;
      this.counts[mine] += other.counts[g];
      const to = mine * this.width;
      const from = g * other.width;
      for (let at = 0; at < this.width; at += STRIDE) {
        this.numbers[to + at + PRESENT] += other.numbers[from + at + PRESENT];
        this.numbers[to + at + NUMERIC] += other.numbers[from + at + NUMERIC];
        this.numbers[to + at + SUM] += other.numbers[from + at + SUM];
        if (other.numbers[from + at + MIN] < this.numbers[to + at + MIN]) this.numbers[to + at + MIN] = other.numbers[from + at + MIN];
        if (other.numbers[from + at + MAX] > this.numbers[to + at + MAX]) this.numbers[to + at + MAX] = other.numbers[from + at + MAX];
      }
    }
    other.distinct.forEach((index, j) => index?.forEach(pair => {
      if (typeof pair === 'number') {
        const g = Math.floor(pair / TWO_33);
        this.addDistinct(ordinals[g], j, pair - g * TWO_33);
      } else {
        const [g, value] = splitTextPairKey(pair);
        this.addDistinct(ordinals[g], j, value);
      }
    }));
  }

  /** The groups, in the order they were first seen. */
  public *values(): IterableIterator<GroupView> {
    for (let g = 0; g < this.size; g++) yield this.view(g);
  }

  /** The value of function j over group `g`, undefined when it has none (no numeric value, no field). */
  public valueAt(g: number, j: number, fn: Aggregate): number | undefined {
    const at = g * this.width + j * STRIDE;
    const numbers = this.numbers;
    const numeric = numbers[at + NUMERIC] > 0;
    switch (fn) {
      case 'count': return numbers[at + PRESENT];
      case 'count_distinct': return this.distinctCounts[j]![g];
      case 'sum': return numeric ? numbers[at + SUM] : undefined;
      case 'avg': return numeric ? numbers[at + SUM] / numbers[at + NUMERIC] : undefined;
      case 'min': return numeric ? numbers[at + MIN] : undefined;
      default: return numeric ? numbers[at + MAX] : undefined;
    }
  }

  /** Group `g`'s `by` values as written, joined with ', ' (a log alarm's contributor). */
  public textOf(g: number): string {
    const keys: GroupKey[] = [];
    this.keysOf(g, keys);
    return keys.map(groupKeyText).join(', ');
  }

  private view(g: number): GroupView {
    const keys: GroupKey[] = [];
    this.keysOf(g, keys);
    const table = this;
    return {
      values: keys.map(groupKeyText),
      count: this.counts[g],
      valueOf: (j: number, fn: Aggregate) => table.valueAt(g, j, fn),
    };
  }

  /**
   * One key for a group's `by` keys, distinct for distinct key lists: none is 0; one is itself; two numbers
   * (`srcaddr, dstport`, `srcaddr, dstaddr`) are id1 * 2^33 + k2, id1 the first key's ordinal among the
   * table's first keys (exact below 2^53); any other list is its JSON text (a string never equals a number key).
   */
  private groupKeyOf(keys: readonly GroupKey[]): GroupKey {
    const depth = this.depth;
    if (depth === 0) return 0;
    if (depth === 1) return keys[0];
    if (depth === 2) {
      const k1 = keys[0];
      const k2 = keys[1];
      if (typeof k1 === 'number' && typeof k2 === 'number' && k2 < TWO_33) {
        const id = this.firstKeys.findOrAdd(k1, this.firstKeys.size);
        const id1 = id === -1 ? this.firstKeys.size - 1 : id;
        if (id1 < TWO_20) return id1 * TWO_33 + k2;
      }
    }
    return JSON.stringify(keys.slice(0, depth));
  }

  private keysOf(g: number, out: GroupKey[]): void {
    if (out.length !== this.depth) out.length = this.depth;
    const strings = this.keyStrings.size > 0 ? this.keyStrings : undefined;
    for (let k = 0; k < this.depth; k++) {
      const at = g * this.depth + k;
      out[k] = strings?.get(at) ?? this.keyNumbers[at];
    }
  }

  private grow(): void {
    const size = this.counts.length * 2;
    this.counts = grown(this.counts, size);
    this.keyNumbers = grown(this.keyNumbers, size * Math.max(this.depth, 1));
    this.numbers = grown(this.numbers, size * this.width);
    this.distinctCounts.forEach((counts, j) => {
      if (counts !== undefined) this.distinctCounts[j] = grown(counts, size);
    });
  }
}

function grown(array: Float64Array, size: number): Float64Array {
  const bigger = new Float64Array(size);
  bigger.set(array);
  return bigger;
}

/** (group ordinal, distinct value) as one key: g * 2^33 + value when both fit below 2^53, else text. */
function pairKey(g: number, value: GroupKey): GroupKey {
  return typeof value === 'number' && value < TWO_33 && g < TWO_20 ? g * TWO_33 + value : `${g}:${typeof value === 'number' ? 'n' : 's'}${value}`;
}

/** The (group ordinal, value) of a pair key that is text. */
function splitTextPairKey(pair: string): [number, GroupKey] {
  const colon = pair.indexOf(':');
  const value = pair.slice(colon + 2);
  return [Number(pair.slice(0, colon)), pair[colon + 1] === 'n' ? Number(value) : value];
}
