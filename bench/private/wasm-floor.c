/*
 * The WebAssembly floor: the per-record work of the bench's watch, written by hand in C and compiled to
 * WebAssembly, to measure what a replay engine in WebAssembly could reach on this machine at best.
 *
 *   node bench/private/build-wasm.mjs bench/private/wasm-floor.c wasm-floor.wasm consume,buffer,init,add_subnet,result
 *   (bench/replay-throughput.ts builds it so, with the project's @yowasp/clang: no compiler on the machine)
 *
 * Per record it does what the awk program of bench/private/awk-equivalent.ts does for the example network
 * stack's VPC watch with its defaults: the conditions, counts and sums of its 10 metric filters, and the
 * conditions of its 7 log alarms' queries, each query's group per time slot (2 per minute) and its aggregate
 * (a count, a sum or a distinct count), in open-addressing hash tables. It is specialised to that watch: the
 * conditions are written out, not read from the template, and the bench fails when its counts are not awk's.
 * No alarm is evaluated and no execution run (awk does neither). A time slot's tables are emptied when the
 * next slot starts, so the records must be in time order (the bench's are).
 *
 * The JavaScript side (wasm-floor.js) reads the file into `input`, a chunk at a time, and calls `consume`.
 */
#include "wasm-index.h"

#define CHUNK (1 << 20)
static u8 input[CHUNK];
u8 *buffer(void) { return input; }

// Field numbers (0-based) of the kit's format (version 5, 23 fields).
enum { SRCADDR = 3, DSTADDR = 4, DSTPORT = 6, PROTOCOL = 7, BYTES = 9, START = 10, ACTION = 12, LOG_STATUS = 13,
  SUBNET = 15, TCP_FLAGS = 17, DIRECTION = 21, TRAFFIC_PATH = 22, FIELDS = 23 };

// The subnets, by role: given by the caller as their IDs, in order public, private, isolated.
#define MAX_SUBNETS 32
static u8 subnetId[MAX_SUBNETS][64]; static u32 subnetLen[MAX_SUBNETS], subnetRole[MAX_SUBNETS], subnets;
void add_subnet(u32 len, u32 role) {
  for (u32 k = 0; k < len; k++) subnetId[subnets][k] = input[k];
  subnetLen[subnets] = len; subnetRole[subnets++] = role;
}

static u32 starts[64], ends[64];
static inline int eq(u32 f, const char *text, u32 n) {
  if (ends[f] - starts[f] != n) return 0;
  for (u32 k = 0; k < n; k++) if (input[starts[f] + k] != (u8)text[k]) return 0;
  return 1;
}
/** A field's number, or -1 when it is not all digits (as awk's isnum). */
static inline i64 number(u32 f) {
  u32 s = starts[f], e = ends[f];
  if (s == e) return -1;
  i64 v = 0;
  for (u32 i = s; i < e; i++) { u32 d = input[i] - 48u; if (d > 9) return -1; v = v * 10 + d; }
  return v;
}
/** A field's IPv4 address, or -1. */
static inline i64 ipv4(u32 f) {
  u32 v = 0, octet = 0, dots = 0, digits = 0;
  for (u32 i = starts[f]; i < ends[f]; i++) {
    u8 c = input[i];
    if (c == 46) { if (!digits || octet > 255) return -1; v = v * 256 + octet; octet = 0; digits = 0; dots++; }
    else { u32 d = c - 48u; if (d > 9) return -1; octet = octet * 10 + d; digits++; }
  }
  if (dots != 3 || !digits || octet > 255) return -1;
  return (i64)v * 256 + octet;
}
static inline int isPrivate(i64 a) {
  return a >= 0 && ((a >> 24) == 10 || (a >> 20) == ((172 << 4) | 1) || (a >> 16) == ((192 << 8) | 168) || (a >> 22) == ((100 << 2) | 1));
}
static inline int roleOf(void) {
  u32 s = starts[SUBNET], n = ends[SUBNET] - s;
  for (u32 k = 0; k < subnets; k++) {
    if (subnetLen[k] != n) continue;
    u32 j = 0; while (j < n && input[s + j] == subnetId[k][j]) j++;
    if (j == n) return (int)subnetRole[k];
  }
  return -1;
}

enum { PUBLIC = 0, PRIVATE = 1, ISOLATED = 2 };
static f64 fm[10], fs[10], qm[7], qs[7];
static f64 records, fields;
// Per query: its groups this slot, and the aggregate of each (a count, a sum, or a distinct-value index).
#define MAX_GROUPS (1 << 20)
static Index groups[7], pairs, distinct[2];
static f64 *aggregate[7];
static i64 slotNow = -1;
void init(void) {
  for (int q = 0; q < 7; q++) { index_init(&groups[q], 1024, 54); aggregate[q] = alloc(MAX_GROUPS * 8); }
  index_init(&pairs, 1024, 54); index_init(&distinct[0], 1024, 54); index_init(&distinct[1], 1024, 54);
}
static void endSlot(void) {
  for (int q = 0; q < 7; q++) { qs[q] += groups[q].size; index_clear(&groups[q]); }
  index_clear(&pairs); index_clear(&distinct[0]); index_clear(&distinct[1]);
}
static inline u32 group(int q, u64 key) {
  int added; u32 g = ordinal(&groups[q], key, &added);
  if (g >= MAX_GROUPS) __builtin_trap();
  if (added) aggregate[q][g] = 0;
  return g;
}

static void onRecord(void) {
  i64 start = number(START); // a record's time is its start, as replay reads it
  i64 slot = (start / 60) * 2 + (start % 60 != 0);
  if (slot != slotNow) { if (slotNow != -1) endSlot(); slotNow = slot; }
  int role = roleOf();
  int ok = eq(LOG_STATUS, "OK", 2), accept = eq(ACTION, "ACCEPT", 6), reject = eq(ACTION, "REJECT", 6);
  int ingress = eq(DIRECTION, "ingress", 7), egress = eq(DIRECTION, "egress", 6);
  i64 port = number(DSTPORT), protocol = number(PROTOCOL), bytes = number(BYTES), flags = number(TCP_FLAGS), path = number(TRAFFIC_PATH);
  // The metric filters: 3 per role, and skipped records.
  if (role >= 0 && ok) {
    int base = role * 3;
    if (port == 22 && protocol == 6 && accept && ingress) { fm[base]++; fs[base] += (f64)bytes; }
    if (reject) { fm[base + 1]++; fs[base + 1] += 1; }
    if (accept && egress && (role != ISOLATED || (path > 1 && path != 7))) { fm[base + 2]++; fs[base + 2] += (f64)bytes; }
  }
  if (eq(LOG_STATUS, "SKIPDATA", 8)) { fm[9]++; fs[9] += 1; }
  if (!ok || role < 0) return;

  i64 src = ipv4(SRCADDR), dst = ipv4(DSTADDR);
  int syn = protocol == 6 && (flags == 2 || flags == 3 || flags == 6 || flags == 7);
  int srcPrivate = isPrivate(src), dstPrivate = isPrivate(dst);
  int added;
  u64 srcKey = (u64)(src + 1), dstKey = (u64)(dst + 1), portKey = (u64)(port + 1);
  // Port scan and host sweep: SYNs from a private address in a public subnet, or from anywhere in another.
  if (syn && (role != PUBLIC || srcPrivate)) {
    qm[0]++; qm[1]++;
    u32 g = group(0, srcKey);
    ordinal(&distinct[0], (u64)g * 65537 + portKey, &added); if (added) aggregate[0][g]++;
    g = group(1, srcKey * 65537 + portKey);
    ordinal(&distinct[1], ((u64)g << 33) + dstKey, &added); if (added) aggregate[1][g]++;
  }
  // Brute force: SYNs to SSH or RDP, from outside or inbound; in a public subnet only accepted or from inside.
  if (syn && (port == 22 || port == 3389) && (ingress || !dstPrivate) && (role != PUBLIC || accept || srcPrivate)) {
    qm[2]++; aggregate[2][group(2, srcKey * 65537 + portKey)]++;
  }
  if (!egress) return;
  // Exfiltration: bytes accepted out to the internet, not through a peering.
  if (accept && !eq(TRAFFIC_PATH, "7", 1) && !dstPrivate) { qm[3]++; aggregate[3][group(3, (srcKey << 32) + dstKey)] += (f64)bytes; }
  // Mining pool: TCP or UDP out to a pool's port.
  if ((protocol == 6 || protocol == 17) && !dstPrivate
    && (port == 3333 || port == 4444 || port == 5555 || port == 7777 || port == 14444 || port == 45560 || port == 45700)) {
    qm[4]++;
    u32 pair = ordinal(&pairs, (srcKey << 32) + dstKey, &added);
    aggregate[4][group(4, (u64)pair * 65537 + portKey)]++;
  }
  // Unusual egress port, from private subnets.
  if (role == PRIVATE && (syn || protocol == 17) && !(port == 53 || port == 80 || port == 123 || port == 443) && !dstPrivate) {
    qm[5]++; aggregate[5][group(5, srcKey * 65537 + portKey)]++;
  }
  // Isolated egress: anything leaving an isolated subnet, but to the VPC or a peering.
  if (role == ISOLATED && !eq(TRAFFIC_PATH, "1", 1) && !eq(TRAFFIC_PATH, "7", 1)) { qm[6]++; aggregate[6][group(6, (srcKey << 32) + dstKey)]++; }
}

/** Scans the complete lines of input[0, length); returns where the unfinished last line starts. */
u32 consume(u32 length) {
  u32 line = 0, i = 0;
  for (;;) {
    u32 field = 0;
    for (;;) {
      if (field < 64) starts[field] = i;
      while (i < length && input[i] > 32) i++;
      if (i >= length) return line;
      if (field < 64) ends[field] = i;
      field++;
      if (input[i++] == 10) break;
    }
    records++; fields += field; line = i;
    if (field == FIELDS) onRecord();
  }
}
/** The counts: 10 filters' matched and sum, 7 queries' matched and states, records, fields. */
f64 result(u32 k) {
  if (k < 10) return fm[k];
  if (k < 20) return fs[k - 10];
  if (k < 27) return qm[k - 20];
  if (k < 34) return qs[k - 27] + groups[k - 27].size;
  return k == 34 ? records : fields;
}
