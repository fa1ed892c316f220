// The floor under MeMS's `tlsf` policy on this V8: the same algorithm (TLSF size classes,
// segments split on malloc and merged with both neighbours on free, a hash from address to
// segment) as one flat script with no argument checks, no counters, no policy interface and
// no page provider. Run: node apps/bench/floor/tlsf-floor.mjs [liveBlocks]
// It replays the churn workload (free a random live block, malloc 16..511 B) and prints the
// best of 7 timed runs of a million pairs, in ns per free+malloc pair. Not part of `pnpm bench`:
// it exists to show how much of a MeMS pair is the algorithm itself and how much the library.

const live = Number(process.argv[2] ?? 10000);
const capacity = 1 << Math.ceil(Math.log2(live * 2));
// Segment records, 32 bytes as in MeMS: start (a double), size (a uint32); prev, next, kind,
// list next, list prev (int32s).
const buffer = new ArrayBuffer(capacity * 32);
const F = new Float64Array(buffer);
const U = new Uint32Array(buffer);
const I = new Int32Array(buffer);
let freeHead = -1;
let highWater = 0;
const take = () => {
  const id = freeHead;
  if (id === -1) return highWater++;
  freeHead = I[8 * id + 4];
  return id;
};
const release = (id) => {
  I[8 * id + 5] = 0;
  I[8 * id + 4] = freeHead;
  freeHead = id;
};

// Live blocks: address → segment, open addressing with backward-shift deletion.
const hashBits = Math.ceil(Math.log2(live * 4));
const hashMask = (1 << hashBits) - 1;
const hashShift = 32 - hashBits;
const slots = new Int32Array(2 << hashBits).fill(-1);
const hashAdd = (seg) => {
  const tag = F[4 * seg] | 0;
  let s = Math.imul(tag, 0x9e3779b1) >>> hashShift;
  while (slots[2 * s + 1] !== -1) s = (s + 1) & hashMask;
  slots[2 * s] = tag;
  slots[2 * s + 1] = seg;
};
const hashDelete = (address) => {
  const tag = address | 0;
  let s = Math.imul(tag, 0x9e3779b1) >>> hashShift;
  let found;
  for (;;) {
    found = slots[2 * s + 1];
    if (slots[2 * s] === tag && F[4 * found] === address) break;
    s = (s + 1) & hashMask;
  }
  let gap = s;
  let next = (s + 1) & hashMask;
  for (;;) {
    const seg = slots[2 * next + 1];
    if (seg === -1) break;
    const t = slots[2 * next];
    const home = Math.imul(t, 0x9e3779b1) >>> hashShift;
    if (((next - home) & hashMask) >= ((next - gap) & hashMask)) {
      slots[2 * gap] = t;
      slots[2 * gap + 1] = seg;
      gap = next;
    }
    next = (next + 1) & hashMask;
  }
  slots[2 * gap + 1] = -1;
  return found;
};

// TLSF: 29 × 16 lists and two bitmaps.
const heads = new Int32Array(29 * 16).fill(-1);
const secondLevel = new Uint32Array(29);
let firstLevel = 0;
const listOf = (size) => {
  if (size < 16) return size;
  const log2 = 31 - Math.clz32(size);
  return ((log2 - 3) << 4) | ((size >>> (log2 - 4)) ^ 16);
};
const insert = (seg, list) => {
  const head = heads[list];
  I[8 * seg + 6] = head;
  I[8 * seg + 7] = -1;
  if (head !== -1) I[8 * head + 7] = seg;
  heads[list] = seg;
  const fl = list >> 4;
  secondLevel[fl] |= 1 << (list & 15);
  firstLevel |= 1 << fl;
};
const remove = (seg, list) => {
  const p = I[8 * seg + 7];
  const n = I[8 * seg + 6];
  if (p !== -1) I[8 * p + 6] = n;
  else heads[list] = n;
  if (n !== -1) I[8 * n + 7] = p;
  if (heads[list] === -1) {
    const fl = list >> 4;
    const bits = secondLevel[fl] & ~(1 << (list & 15));
    secondLevel[fl] = bits;
    if (bits === 0) firstLevel &= ~(1 << fl);
  }
};
const resize = (seg, oldSize, newSize) => {
  const from = listOf(oldSize);
  const to = listOf(newSize);
  if (from !== to) {
    remove(seg, from);
    insert(seg, to);
  }
};
const find = (size) => {
  const rounded = size < 16 ? size : size + ((1 << (31 - Math.clz32(size) - 4)) - 1);
  const list = listOf(rounded);
  let fl = list >> 4;
  let map = secondLevel[fl] & (~0 << (list & 15));
  if (map === 0) {
    const above = firstLevel & (~0 << (fl + 1));
    if (above === 0) return -1;
    fl = 31 - Math.clz32(above & -above);
    map = secondLevel[fl];
  }
  return heads[fl * 16 + (31 - Math.clz32(map & -map))];
};

let nodeEnd = 1000;
const newNode = (size) => {
  const bytes = Math.ceil(size / 4096) * 4096;
  const seg = take();
  F[4 * seg] = nodeEnd;
  U[8 * seg + 2] = bytes;
  I[8 * seg + 3] = -1;
  I[8 * seg + 4] = -1;
  I[8 * seg + 5] = 2;
  nodeEnd += bytes;
  insert(seg, listOf(bytes));
  return seg;
};
const unlink = (seg) => {
  const p = I[8 * seg + 3];
  const q = I[8 * seg + 4];
  if (p !== -1) I[8 * p + 4] = q;
  if (q !== -1) I[8 * q + 3] = p;
};

const malloc = (n) => {
  let seg = find(n);
  if (seg === -1) seg = newNode(n);
  const start = F[4 * seg];
  const holeSize = U[8 * seg + 2];
  let block = seg;
  if (holeSize === n) {
    remove(seg, listOf(holeSize));
    I[8 * seg + 5] = 1;
  } else {
    block = take();
    F[4 * block] = start;
    U[8 * block + 2] = n;
    I[8 * block + 5] = 1;
    const p = I[8 * seg + 3];
    I[8 * block + 3] = p;
    I[8 * block + 4] = seg;
    I[8 * seg + 3] = block;
    if (p !== -1) I[8 * p + 4] = block;
    F[4 * seg] = start + n;
    U[8 * seg + 2] = holeSize - n;
    resize(seg, holeSize, holeSize - n);
  }
  hashAdd(block);
  return start;
};

const free = (address) => {
  const seg = hashDelete(address);
  const size = U[8 * seg + 2];
  const p = I[8 * seg + 3];
  const q = I[8 * seg + 4];
  const leftHole = p !== -1 && I[8 * p + 5] === 2;
  const rightHole = q !== -1 && I[8 * q + 5] === 2;
  if (leftHole) {
    const oldSize = U[8 * p + 2];
    let grown = oldSize + size;
    if (rightHole) {
      remove(q, listOf(U[8 * q + 2]));
      grown += U[8 * q + 2];
      unlink(q);
      release(q);
    }
    unlink(seg);
    release(seg);
    U[8 * p + 2] = grown;
    resize(p, oldSize, grown);
  } else if (rightHole) {
    const oldSize = U[8 * q + 2];
    unlink(seg);
    release(seg);
    F[4 * q] = address;
    U[8 * q + 2] = oldSize + size;
    resize(q, oldSize, oldSize + size);
  } else {
    I[8 * seg + 5] = 2;
    insert(seg, listOf(size));
  }
};

// The churn script, made before timing from a fixed-seed xorshift, as `pnpm bench` does.
let state = 12345;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const steps = 1 << 20;
const sizes = new Int32Array(steps);
const victims = new Int32Array(steps);
for (let k = 0; k < steps; k++) {
  sizes[k] = 16 + Math.floor(random() * 496);
  victims[k] = Math.floor(random() * live);
}
const blocks = new Float64Array(live);
for (let k = 0; k < live; k++) blocks[k] = malloc(sizes[k]);
const run = (count) => {
  for (let k = 0; k < count; k++) {
    const v = victims[k & (steps - 1)];
    free(blocks[v]);
    blocks[v] = malloc(sizes[k & (steps - 1)]);
  }
};
run(300_000);
let best = Number.POSITIVE_INFINITY;
for (let trial = 0; trial < 7; trial++) {
  const t0 = process.hrtime.bigint();
  run(1_000_000);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
}
console.log(`TLSF floor, ${live} live blocks: ${best.toFixed(1)} ns per free+malloc pair (best of 7)`);
