/*
 * What the bench's WebAssembly programs (wasm-floor.c, wasm-stage.c) share: the integer types, a bump
 * allocator over the module's memory, and an open-addressing hash index from 64-bit keys to ordinals.
 */
typedef unsigned long long u64; typedef unsigned int u32; typedef unsigned char u8; typedef double f64; typedef long long i64;
extern u8 __heap_base;
static u32 heap;
static void *alloc(u32 n) {
  if (!heap) heap = ((u32)&__heap_base + 15) & ~15u;
  u32 p = heap; heap = (heap + n + 15) & ~15u;
  u32 bytes = __builtin_wasm_memory_size(0) * 65536u;
  if (heap > bytes && __builtin_wasm_memory_grow(0, (heap - bytes + 65535) / 65536) == (unsigned long)-1) __builtin_trap();
  return (void *)p;
}

/** An open-addressing hash index from 64-bit keys to ordinals 0, 1, 2 … in insertion order. */
typedef struct { u64 *keys; u32 *vals; u32 *slots; u32 cap, size, shift; } Index;
static void index_init(Index *x, u32 cap, u32 shift) {
  x->cap = cap; x->shift = shift; x->size = 0;
  x->keys = alloc(cap * 8); x->vals = alloc(cap * 4); x->slots = alloc(cap * 4);
  __builtin_memset(x->keys, 0, cap * 8);
}
static void index_clear(Index *x) { for (u32 i = 0; i < x->size; i++) x->keys[x->slots[i]] = 0; x->size = 0; }
static inline u32 hash(const Index *x, u64 key) { return (u32)((key * 0x9E3779B97F4A7C15ull) >> x->shift); }
static void grow(Index *x) {
  Index old = *x;
  index_init(x, old.cap * 2, old.shift - 1);
  for (u32 o = 0; o < old.size; o++) {
    u64 k = old.keys[old.slots[o]];
    u32 h = hash(x, k);
    while (x->keys[h]) h = (h + 1) & (x->cap - 1);
    x->keys[h] = k; x->vals[h] = o; x->slots[o] = h;
  }
  x->size = old.size;
}
/** The ordinal of key (added when new); *added tells which. */
static u32 ordinal(Index *x, u64 key, int *added) {
  key += 1; // 0 marks an empty cell
  for (;;) {
    u32 mask = x->cap - 1, h = hash(x, key);
    for (;;) {
      u64 k = x->keys[h];
      if (k == key) { *added = 0; return x->vals[h]; }
      if (!k) break;
      h = (h + 1) & mask;
    }
    if ((x->size + 1) * 4 > x->cap * 3) { grow(x); continue; }
    x->keys[h] = key; x->vals[h] = x->size; x->slots[x->size] = h; *added = 1; return x->size++;
  }
}

