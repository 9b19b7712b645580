/*
 * The generic WebAssembly record stage: the per-record work of the WebAssembly floor (wasm-floor.c), but
 * generic over the template: the conditions of the metric filters and of the log alarms' queries, their
 * `by` fields and aggregates are not written out in C but read at start-up as a small program, which
 * bench/private/record-program.ts writes from the template replay reads. It measures what reading the
 * conditions from the template costs against the hand-written floor: the first unknown of a WebAssembly
 * replay engine (README "What 3,000,000 records/s would take").
 *
 *   node bench/private/build-wasm.mjs bench/private/wasm-stage.c wasm-stage.wasm <exports>
 *   (bench/replay-throughput.ts builds it so; bench/private/wasm-stage.js runs it)
 *
 * The program:
 * - atoms: the distinct leaf conditions of all filters and queries, each computed at most once per record
 *   (a field equal to one of a set of strings, or of numbers; a comparison of a field's number; an IPv4 field
 *   in a CIDR). A field's strings are compared once per record: which of them it equals, if any;
 * - expressions: code over atoms with short-circuit jumps (`a or b` skips b when a holds); a filter or query
 *   is a list of expressions that must all hold, tested in order and stopped at the first that does not;
 * - per filter: its metric value (a literal, or a field's number); per query: its `by` fields and one
 *   aggregate (count, sum of a field, count_distinct of a field), kept per time slot (2 per minute) and group
 *   in open-addressing hash tables, as the floor keeps them (a slot's tables are emptied when the next starts).
 *
 * Field values as group keys follow replay's group-key.ts: a canonical IPv4 address is its number, a
 * canonical integer below 2^32 is 2^32 plus itself, any other text an interned string (2^33 plus its id).
 * Numbers follow awk's isnum of the bench's program: an optional minus, digits, an optional fraction.
 */
#include "wasm-index.h"

/** The same, keyed by 128 bits (a group's up to three `by` keys side by side, without a lookup per key). */
typedef struct { u64 *lo, *hi; u32 *vals; u32 *slots; u32 cap, size, shift; } Index2;
static void index2_init(Index2 *x, u32 cap, u32 shift) {
  x->cap = cap; x->shift = shift; x->size = 0;
  x->lo = alloc(cap * 8); x->hi = alloc(cap * 8); x->vals = alloc(cap * 4); x->slots = alloc(cap * 4);
  __builtin_memset(x->hi, 0, cap * 8);
}
static void index2_clear(Index2 *x) { for (u32 i = 0; i < x->size; i++) x->hi[x->slots[i]] = 0; x->size = 0; }
static inline u32 hash2(const Index2 *x, u64 lo, u64 hi) { return (u32)(((lo ^ (hi * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull) >> x->shift); }
static void grow2(Index2 *x) {
  Index2 old = *x;
  index2_init(x, old.cap * 2, old.shift - 1);
  for (u32 o = 0; o < old.size; o++) {
    u64 lo = old.lo[old.slots[o]], hi = old.hi[old.slots[o]];
    u32 h = hash2(x, lo, hi);
    while (x->hi[h]) h = (h + 1) & (x->cap - 1);
    x->lo[h] = lo; x->hi[h] = hi; x->vals[h] = o; x->slots[o] = h;
  }
  x->size = old.size;
}
/** hi must be below 2^63: its top bit marks a used cell. */
static u32 ordinal2(Index2 *x, u64 lo, u64 hi, int *added) {
  hi |= 1ull << 63;
  for (;;) {
    u32 mask = x->cap - 1, h = hash2(x, lo, hi);
    for (;;) {
      u64 k = x->hi[h];
      if (k == hi && x->lo[h] == lo) { *added = 0; return x->vals[h]; }
      if (!k) break;
      h = (h + 1) & mask;
    }
    if ((x->size + 1) * 4 > x->cap * 3) { grow2(x); continue; }
    x->lo[h] = lo; x->hi[h] = hi; x->vals[h] = x->size; x->slots[x->size] = h; *added = 1; return x->size++;
  }
}

#define CHUNK (1 << 20)
static u8 input[CHUNK];
u8 *buffer(void) { return input; }

#define MAX_FIELDS 64
#define MAX_ATOMS 256
#define MAX_CODE 4096
#define MAX_RULES 64
#define MAX_CONJ 16
#define MAX_STRINGS 8192
static u32 starts[MAX_FIELDS], ends[MAX_FIELDS];
static u32 fieldCount, timeField;

// Strings of the program (atoms' literals), copied out of `input` as they are added; per field, the literals
// its STR_IN atoms compare it with. A field equals one of them at most: which one is found once per record
// (`literalAt`), and each atom is then a bit of its set.
static u8 strings[MAX_STRINGS]; static u32 stringsUsed;
#define MAX_LITERALS 256
static u32 literalFrom[MAX_LITERALS], literalLength[MAX_LITERALS], literals;
static u32 fieldLiterals[MAX_FIELDS][MAX_LITERALS / 4], fieldLiteralCount[MAX_FIELDS];
static u32 literalSeen[MAX_FIELDS], literalOf[MAX_FIELDS];

enum { STR_IN = 0, NUM_EQ, NUM_NE, NUM_LT, NUM_LE, NUM_GT, NUM_GE, SUBNET4, NUM_IN };
static u32 atomKind[MAX_ATOMS], atomField[MAX_ATOMS], atomA[MAX_ATOMS], atomB[MAX_ATOMS], atoms;
static f64 atomNumber[MAX_ATOMS];
/** STR_IN: the literals of its set, as bits; NUM_IN: its numbers, numbers[atomA, atomA + atomB). */
static u32 atomSet[MAX_ATOMS][MAX_LITERALS / 32];
#define MAX_NUMBERS 1024
static f64 numbers[MAX_NUMBERS]; static u32 numbersUsed;
/** Per atom: the record it was last computed on, and its answer there. */
static u32 atomSeen[MAX_ATOMS]; static u8 atomValue[MAX_ATOMS];
/** Per field: the record its number and its address were last read on, and them (NaN / -1: none). */
static u32 numberSeen[MAX_FIELDS], addressSeen[MAX_FIELDS];
static f64 numberOf[MAX_FIELDS]; static i64 addressOf[MAX_FIELDS];
static u32 recordId;

/** Code: an atom's number sets the register; NOT flips it; JT / JF, each followed by a target, jump when it is true / false. */
enum { OP_NOT = 0xFFFFFFF2u, OP_JT = 0xFFFFFFF3u, OP_JF = 0xFFFFFFF4u };
static u32 code[MAX_CODE], codeUsed;

/** A filter or query: the expressions (code ranges) that must all hold. */
typedef struct { u32 from[MAX_CONJ], to[MAX_CONJ], count; } Conjunction;

enum { VALUE_LITERAL = 0, VALUE_FIELD = 1 };
static Conjunction filterWhen[MAX_RULES]; static u32 filterValueKind[MAX_RULES], filterValueField[MAX_RULES], filters;
static f64 filterLiteral[MAX_RULES], filterMatched[MAX_RULES], filterSum[MAX_RULES];

enum { FN_COUNT = 0, FN_SUM = 1, FN_COUNT_DISTINCT = 2 };
#define MAX_BY 3
#define MAX_GROUPS (1 << 21)
static Conjunction queryWhen[MAX_RULES];
static u32 queryBy[MAX_RULES][MAX_BY], queryDepth[MAX_RULES], queryFn[MAX_RULES], queryFnField[MAX_RULES], queries;
static f64 queryMatched[MAX_RULES], queryStates[MAX_RULES];
static Index2 groups[MAX_RULES];
static Index distinct[MAX_RULES];
static f64 *aggregate[MAX_RULES];
static f64 records, fieldsSeen;
static i64 slotNow = -1;

// Interned strings (group keys that are neither an address nor an integer): their bytes in an arena.
static Index internIndex; static u8 *arena; static u32 arenaUsed, arenaCap;
static u32 *internFrom, *internLength, internCap;

void init(u32 fields, u32 time) {
  fieldCount = fields; timeField = time;
  index_init(&internIndex, 1024, 54);
  arenaCap = 1 << 20; arena = alloc(arenaCap);
  internCap = 1 << 16; internFrom = alloc(internCap * 4); internLength = alloc(internCap * 4);
}
/** An atom; a STR_IN's literals and a NUM_IN's numbers follow (atom_literal, atom_number). */
void add_atom(u32 kind, u32 field, u32 a, u32 b, f64 number) {
  if (atoms == MAX_ATOMS || field >= MAX_FIELDS) __builtin_trap();
  atomKind[atoms] = kind; atomField[atoms] = field; atomA[atoms] = kind == NUM_IN ? numbersUsed : a; atomB[atoms] = kind == NUM_IN ? 0 : b;
  atomNumber[atoms] = number;
  atoms++;
}
/** A literal of the last atom's set: input[0, length). The same literal on the same field is one entry of the field's list. */
void atom_literal(u32 length) {
  u32 k = atoms - 1, field = atomField[k];
  u32 id = literals;
  for (u32 j = 0; j < fieldLiteralCount[field]; j++) {
    u32 l = fieldLiterals[field][j], i = 0;
    if (literalLength[l] == length) while (i < length && strings[literalFrom[l] + i] == input[i]) i++;
    if (literalLength[l] == length && i == length) id = l;
  }
  if (id == literals) {
    if (stringsUsed + length + 8 > MAX_STRINGS || literals == MAX_LITERALS || fieldLiteralCount[field] == MAX_LITERALS / 4) __builtin_trap();
    for (u32 i = 0; i < length; i++) strings[stringsUsed + i] = input[i];
    literalFrom[literals] = stringsUsed; literalLength[literals] = length; stringsUsed += length + 8; // 8 spare: whole-word reads
    fieldLiterals[field][fieldLiteralCount[field]++] = literals++;
  }
  atomSet[k][id >> 5] |= 1u << (id & 31);
}
/** A number of the last atom's set (NUM_IN). */
void atom_number(f64 value) {
  if (numbersUsed == MAX_NUMBERS) __builtin_trap();
  numbers[numbersUsed++] = value; atomB[atoms - 1]++;
}
void add_code(u32 word) { if (codeUsed == MAX_CODE) __builtin_trap(); code[codeUsed++] = word; }
u32 code_size(void) { return codeUsed; }
static void addConjunct(Conjunction *c, u32 from, u32 to) {
  if (c->count == MAX_CONJ) __builtin_trap();
  c->from[c->count] = from; c->to[c->count] = to; c->count++;
}
void add_filter(u32 valueKind, u32 valueField, f64 literal) {
  if (filters == MAX_RULES) __builtin_trap();
  filterValueKind[filters] = valueKind; filterValueField[filters] = valueField; filterLiteral[filters] = literal; filters++;
}
void filter_when(u32 from, u32 to) { addConjunct(&filterWhen[filters - 1], from, to); }
void add_query(u32 fn, u32 fnField) {
  if (queries == MAX_RULES) __builtin_trap();
  queryFn[queries] = fn; queryFnField[queries] = fnField;
  index2_init(&groups[queries], 1024, 54); index_init(&distinct[queries], 1024, 54);
  aggregate[queries] = alloc(MAX_GROUPS * 8);
  queries++;
}
void query_when(u32 from, u32 to) { addConjunct(&queryWhen[queries - 1], from, to); }
void query_by(u32 field) { u32 q = queries - 1; if (queryDepth[q] == MAX_BY) __builtin_trap(); queryBy[q][queryDepth[q]++] = field; }

static inline f64 numberAt(u32 f) {
  if (numberSeen[f] == recordId) return numberOf[f];
  numberSeen[f] = recordId;
  u32 i = starts[f], e = ends[f];
  int negative = 0;
  if (i < e && input[i] == '-') { negative = 1; i++; }
  f64 v = 0; u32 digits = 0;
  while (i < e && input[i] - 48u <= 9) { v = v * 10 + (input[i] - 48); i++; digits++; }
  if (digits && i < e && input[i] == '.') {
    i++; f64 scale = 1; u32 fraction = 0;
    while (i < e && input[i] - 48u <= 9) { scale /= 10; v += (input[i] - 48) * scale; i++; fraction++; }
    if (!fraction) digits = 0;
  }
  f64 n = digits && i == e ? (negative ? -v : v) : __builtin_nan("");
  numberOf[f] = n;
  return n;
}
/** A canonical dotted IPv4 address (octets without leading zeros), else -1 (as group-key.ts and ipv4At read one). */
static inline i64 addressAt(u32 f) {
  if (addressSeen[f] == recordId) return addressOf[f];
  addressSeen[f] = recordId;
  u32 v = 0, octet = 0, dots = 0, digits = 0, leadingZero = 0;
  i64 result = -1;
  u32 i = starts[f], e = ends[f];
  for (; i < e; i++) {
    u8 c = input[i];
    if (c == '.') { if (!digits || octet > 255 || dots == 3) break; v = v * 256 + octet; octet = 0; digits = 0; dots++; leadingZero = 0; }
    else { u32 d = c - 48u; if (d > 9 || leadingZero || digits == 3) break; if (!digits && d == 0) leadingZero = 1; octet = octet * 10 + d; digits++; }
  }
  if (i == e && dots == 3 && digits && octet <= 255) result = (i64)v * 256 + octet;
  addressOf[f] = result;
  return result;
}
static inline u64 word(const u8 *p) { u64 w; __builtin_memcpy(&w, p, 8); return w; }
/** The field's bytes equal the literal's: compared a word at a time, the last word first (IDs differ at their end). */
static inline int sameText(u32 f, u32 l) {
  u32 n = literalLength[l];
  if (ends[f] - starts[f] != n) return 0;
  const u8 *p = input + starts[f], *s = strings + literalFrom[l];
  if (n >= 8 && word(p + n - 8) != word(s + n - 8)) return 0;
  u32 k = 0;
  for (; k + 8 <= n; k += 8) if (word(p + k) != word(s + k)) return 0;
  for (; k < n; k++) if (p[k] != s[k]) return 0;
  return 1;
}
/** The literal of the field's list the field equals, or MAX_LITERALS. */
static inline u32 literalAt(u32 f) {
  if (literalSeen[f] == recordId) return literalOf[f];
  literalSeen[f] = recordId;
  u32 found = MAX_LITERALS;
  for (u32 j = 0; j < fieldLiteralCount[f]; j++) {
    if (sameText(f, fieldLiterals[f][j])) { found = fieldLiterals[f][j]; break; }
  }
  literalOf[f] = found;
  return found;
}
static inline int atom(u32 k) {
  if (atomSeen[k] == recordId) return atomValue[k];
  u32 f = atomField[k];
  int v;
  switch (atomKind[k]) {
    case STR_IN: { u32 l = literalAt(f); v = l < MAX_LITERALS && (atomSet[k][l >> 5] >> (l & 31)) & 1; break; }
    case NUM_IN: {
      f64 n = numberAt(f); v = 0;
      for (u32 j = atomA[k]; j < atomA[k] + atomB[k]; j++) if (n == numbers[j]) { v = 1; break; }
      break;
    }
    case SUBNET4: { i64 a = addressAt(f); v = a >= 0 && ((u64)a >> (32 - atomB[k])) == ((u64)atomA[k] >> (32 - atomB[k])); break; }
    default: {
      f64 n = numberAt(f), c = atomNumber[k];
      switch (atomKind[k]) { // NaN compares false with every operator, != included
        case NUM_EQ: v = n == c; break;
        case NUM_NE: v = n == n && n != c; break;
        case NUM_LT: v = n < c; break;
        case NUM_LE: v = n <= c; break;
        case NUM_GT: v = n > c; break;
        default: v = n >= c; break;
      }
    }
  }
  atomSeen[k] = recordId; atomValue[k] = (u8)v;
  return v;
}
static inline int run(u32 from, u32 to) {
  int v = 0;
  for (u32 pc = from; pc < to; pc++) {
    u32 w = code[pc];
    if (w == OP_NOT) v ^= 1;
    else if (w == OP_JT) { if (v) pc = code[pc + 1] - 1; else pc++; }
    else if (w == OP_JF) { if (!v) pc = code[pc + 1] - 1; else pc++; }
    else v = atom(w);
  }
  return v;
}
static inline int holds(const Conjunction *c) {
  for (u32 i = 0; i < c->count; i++) if (!run(c->from[i], c->to[i])) return 0;
  return 1;
}

static u64 internAt(u32 f) {
  u32 s = starts[f], n = ends[f] - s;
  u64 h = 1469598103934665603ull;
  for (u32 k = 0; k < n; k++) h = (h ^ input[s + k]) * 1099511628211ull;
  // The hash finds candidates; the bytes decide (a chain through the index by rehashing on a mismatch).
  for (u64 probe = h;; probe = probe * 6364136223846793005ull + 1442695040888963407ull) {
    int added; u32 id = ordinal(&internIndex, probe >> 1, &added);
    if (added) {
      if (id >= internCap || arenaUsed + n > arenaCap) __builtin_trap();
      for (u32 k = 0; k < n; k++) arena[arenaUsed + k] = input[s + k];
      internFrom[id] = arenaUsed; internLength[id] = n; arenaUsed += n;
      return id;
    }
    if (internLength[id] == n) {
      u32 k = 0; while (k < n && arena[internFrom[id] + k] == input[s + k]) k++;
      if (k == n) return id;
    }
  }
}
static inline u64 keyAt(u32 f) {
  i64 a = addressAt(f);
  if (a >= 0) return (u64)a;
  u32 s = starts[f], e = ends[f];
  if (e > s && e - s <= 10 && (input[s] != '0' || e - s == 1)) {
    u64 v = 0; u32 i = s;
    while (i < e && input[i] - 48u <= 9) { v = v * 10 + (input[i] - 48); i++; }
    if (i == e && v < 4294967296ull) return 4294967296ull + v;
  }
  return 8589934592ull + internAt(f);
}

static void endSlot(void) {
  for (u32 q = 0; q < queries; q++) { queryStates[q] += groups[q].size; index2_clear(&groups[q]); index_clear(&distinct[q]); }
}

static void onRecord(void) {
  f64 start = numberAt(timeField); // a record's time is its start, as replay reads it
  i64 t = (i64)start;
  i64 slot = (t / 60) * 2 + (t % 60 != 0);
  if (slot != slotNow) { if (slotNow != -1) endSlot(); slotNow = slot; }
  for (u32 r = 0; r < filters; r++) {
    if (!holds(&filterWhen[r])) continue;
    f64 value = filterValueKind[r] == VALUE_LITERAL ? filterLiteral[r] : numberAt(filterValueField[r]);
    if (value != value) continue; // not a number: no datapoint
    filterMatched[r]++; filterSum[r] += value;
  }
  for (u32 q = 0; q < queries; q++) {
    if (!holds(&queryWhen[q])) continue;
    queryMatched[q]++;
    int added;
    // Each key is below 2^34 (strings' ids below 2^32): up to three side by side in 128 bits, bits 0, 34 and 68.
    u32 depth = queryDepth[q];
    u64 lo = keyAt(queryBy[q][0]), hi = 0;
    if (depth > 1) { u64 k = keyAt(queryBy[q][1]); lo |= k << 34; hi = k >> 30; }
    if (depth > 2) hi |= keyAt(queryBy[q][2]) << 4;
    u32 g = ordinal2(&groups[q], lo, hi, &added);
    if (g >= MAX_GROUPS) __builtin_trap();
    f64 *agg = aggregate[q];
    if (added) agg[g] = 0;
    switch (queryFn[q]) {
      case FN_COUNT: agg[g]++; break;
      case FN_SUM: { f64 v = numberAt(queryFnField[q]); if (v == v) agg[g] += v; break; }
      default: ordinal(&distinct[q], ((u64)g << 34) + keyAt(queryFnField[q]), &added); if (added) agg[g]++;
    }
  }
}

/** Scans the complete lines of input[0, length); returns where the unfinished last line starts. */
u32 consume(u32 length) {
  u32 line = 0, i = 0;
  for (;;) {
    u32 field = 0;
    for (;;) {
      if (field < MAX_FIELDS) starts[field] = i;
      while (i < length && input[i] > 32) i++;
      if (i >= length) return line;
      if (field < MAX_FIELDS) ends[field] = i;
      field++;
      if (input[i++] == 10) break;
    }
    records++; fieldsSeen += field; line = i;
    if (field == fieldCount) { recordId++; onRecord(); }
  }
}
/** Filter r's matched records and sum; query q's matched records and (slot, group) states; records and fields. */
f64 filter_matched(u32 r) { return filterMatched[r]; }
f64 filter_sum(u32 r) { return filterSum[r]; }
f64 query_matched(u32 q) { return queryMatched[q]; }
f64 query_states(u32 q) { return queryStates[q] + groups[q].size; }
f64 records_read(void) { return records; }
f64 fields_read(void) { return fieldsSeen; }
