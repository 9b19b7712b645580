/* eslint-disable no-bitwise */ // a hash table: masks and bit mixing are the point
/**
 * A hash index from whole-number keys (0 to 2^53) to small ordinals, open addressing in typed arrays: no
 * object per entry and none per lookup, so millions of (slot, group) and (group, value) entries cost the
 * garbage collector nothing. Keys that are not whole numbers in range go to a Map beside it.
 */
export class NumberIndex {
  private keys: Float64Array;
  private ordinals: Int32Array;
  private mask: number;
  private used = 0;
  private readonly others = new Map<string | number, number>();

  constructor(capacity = 16) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.ordinals = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** How many keys the index holds. */
  public get size(): number {
    return this.used + this.others.size;
  }

  /** Empties the index, keeping its room. */
  public clear(): void {
    if (this.used > 0) this.ordinals.fill(-1);
    this.used = 0;
    this.others.clear();
  }

  /** The ordinal of `key`; when it is new, `next` becomes its ordinal and -1 is returned. */
  public findOrAdd(key: number | string, next: number): number {
    if (typeof key !== 'number' || !(key >= 0 && key <= MAX_KEY) || key !== Math.floor(key)) {
      const found = this.others.get(key);
      if (found !== undefined) return found;
      this.others.set(key, next);
      return -1;
    }
    const keys = this.keys;
    const ordinals = this.ordinals;
    let at = hash(key) & this.mask;
    for (;;) {
      const ordinal = ordinals[at];
      if (ordinal === -1) break;
      if (keys[at] === key) return ordinal;
      at = (at + 1) & this.mask;
    }
    keys[at] = key;
    ordinals[at] = next;
    if (++this.used * 2 > this.mask) this.grow();
    return -1;
  }

  /** Every key with its ordinal. */
  public forEach(visit: (key: number | string, ordinal: number) => void): void {
    for (let at = 0; at <= this.mask; at++) {
      if (this.ordinals[at] !== -1) visit(this.keys[at], this.ordinals[at]);
    }
    this.others.forEach((ordinal, key) => visit(key, ordinal));
  }

  private grow(): void {
    const keys = this.keys;
    const ordinals = this.ordinals;
    const size = keys.length * 2;
    this.keys = new Float64Array(size);
    this.ordinals = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let at = 0; at < keys.length; at++) {
      const ordinal = ordinals[at];
      if (ordinal === -1) continue;
      let to = hash(keys[at]) & this.mask;
      while (this.ordinals[to] !== -1) to = (to + 1) & this.mask;
      this.keys[to] = keys[at];
      this.ordinals[to] = ordinal;
    }
  }
}

const MAX_KEY = 2 ** 53;
const TWO_32 = 4294967296;

/** A hash of a whole number below 2^53: its two 32-bit halves mixed (multiplicative hashing, then the high bits folded down). */
function hash(key: number): number {
  const low = key % TWO_32;
  const high = (key - low) / TWO_32;
  const h = Math.imul((low | 0) ^ Math.imul(high | 0, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
