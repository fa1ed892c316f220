// One thread's cache in front of a heap shared by threads (tcmalloc's and jemalloc's thread
// cache): a freed block of a cached size waits in the freeing thread's size class, marked
// CACHED in its segment record, and that thread's next allocation of the class takes it back,
// with no lock that another thread holds. A miss or an overflow moves a batch under the heap's
// lock. Another thread's block is cached by the thread that frees it: its owner never waits.
//
// The rule that makes it safe: a cache operation runs only while no locked call does. The owner
// sets its slot's busy flag, then reads the exclusion word; a locked call sets the exclusion
// word, then waits for every busy flag to clear (both sequentially consistent, so at least one
// of the two sees the other). A cache operation therefore reads the live-block hash and the
// segment records while nothing moves them; two cache operations on one block (a double free
// raced from two threads) are told apart by a compare-and-swap on its record's kind word.
//
// Locked calls that show the whole heap (stats, snapshot, validate, trim, freeAll, finish)
// flush every thread's cache first, through the normal free path; a call about one block
// (get, view, usableSize, memoryOf, realloc, free) sees a CACHED block as free memory, as a
// front-cache block is.

import {
  CACHED,
  DOUBLES_PER_RECORD as D,
  NONE,
  OWNER_AND_KIND,
  PROCESS,
  SIZE,
  START,
  WORDS_PER_RECORD as W,
} from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import {
  BLOCKS,
  BUSY,
  BYTES,
  EXCLUDED,
  EXCLUSION,
  OPEN,
  type ThreadCacheTable,
  TOPS,
  ORDERED_PLAIN_ACCESSES as TSO,
} from '../tables/thread-cache-table.js';

/**
 * What a per-thread cache needs of a heap shared by threads: its tables and three steps of the
 * heap's own story (the heap gives them, keyed by a symbol: see `THREAD_CACHE_CALLS` in
 * heap-state.ts). Reading them marks the heap as one whose live-block hash may hold CACHED
 * blocks of thread caches, which `free` then refuses as freed memory.
 */
export interface ThreadCacheHooks {
  /** The heap's tables (this thread's views over the shared ones). */
  readonly tables: HeapTables;
  /**
   * `allocate(size)` with the block rounded up to `n` bytes: a block the cache can hold.
   * @throws MemsError as `allocate(size)` would, naming `size`.
   */
  allocateRounded(n: number, size: number): number;
  /**
   * A block of `n` bytes from a hole the policy finds, never a new node.
   * @returns its address, or -1 when no hole fits.
   */
  takeFromHoleOnly(n: number): number;
  /** The heap's `free` (a CACHED block is refused as an already freed one). */
  free(address: unknown): void;
}

/** How many times a cache operation waits for a locked call before it takes the lock itself. */
const BEGIN_ATTEMPTS = 2;
/** Atomic loads of the exclusion word per wait (about 13 ns each on Node 20). */
const EXCLUDED_SPINS = 2000;

/** Bytes a refill takes from holes at most (besides the block asked for). */
const REFILL_BYTES = 4096;

/**
 * One thread's cache: its slot of the heap's {@link ThreadCacheTable}, over this thread's
 * heap object. {@link tryAllocate} and {@link tryFree} are the lock-free path; the `*Locked`
 * methods run inside a locked call (the heap's lock held, every cache excluded).
 */
export class ThreadCache {
  private readonly hooks: ThreadCacheHooks;
  private readonly t: HeapTables;
  private readonly words: Int32Array;
  private readonly base: number;
  private readonly busy: number;
  /** The largest size this cache serves: `malloc` of more goes to the heap. */
  readonly limit: number;
  private readonly mask: number;

  /**
   * @param hooks this thread's heap object's thread-cache hooks.
   * @param table the heap's thread caches.
   * @param slot this thread's slot (from `table.claim`).
   */
  constructor(
    hooks: ThreadCacheHooks,
    readonly table: ThreadCacheTable,
    readonly slot: number,
  ) {
    this.hooks = hooks;
    this.t = this.hooks.tables;
    this.words = table.words;
    this.base = table.base(slot);
    this.busy = this.base + BUSY;
    this.limit = table.limit;
    this.mask = table.granule - 1;
  }

  /**
   * Takes a cached block for `size` bytes without the heap's lock.
   * @param size a positive integer up to the cache's limit (the caller checked).
   * @returns its address, or -1: take the lock (a locked call runs, or the class is empty).
   */
  tryAllocate(size: number): number {
    const words = this.words;
    const table = this.table;
    const c = ((size + this.mask) >> table.shift) - 1;
    const topAt = this.base + TOPS + c;
    // Only this thread and locked calls (which exclude it) write its tops: an early look.
    if (words[topAt]! === 0) return -1;
    if (!this.begin(words)) return -1;
    const top = words[topAt]! - 1;
    if (top < 0) {
      this.end(words);
      return -1;
    }
    const t = this.t;
    t.beginCacheOperation(TSO);
    const block = words[this.base + table.stacks + c * table.perClass + top]!;
    words[topAt] = top;
    words[this.base + BYTES]! -= (c + 1) << table.shift;
    words[this.base + BLOCKS]!--;
    const segmentWords = t.segments.words;
    const at = W * block + OWNER_AND_KIND;
    // A plain store: a racing free of this block (a double free) compares and swaps, and fails.
    segmentWords[at] = segmentWords[at]! ^ (CACHED ^ PROCESS);
    const address = t.segments.doubles[D * block + START]!;
    this.end(words);
    return address;
  }

  /**
   * Caches the live block at `address` without the heap's lock.
   * @param address a non-negative integer (the caller checked).
   * @returns true when it is cached; false: take the lock (a locked call runs, the address is
   *   not a live block's start, the block's size is not a class's, or the class is full).
   */
  tryFree(address: number): boolean {
    const words = this.words;
    if (!this.begin(words)) return false;
    const t = this.t;
    t.beginCacheOperation(TSO);
    const block = t.live.get(address);
    const cached = block !== NONE && this.push(t, block, true);
    this.end(words);
    return cached;
  }

  /**
   * Starts a cache operation: sets the busy flag (an exchange, a full barrier), then reads the
   * exclusion word. While a locked call runs (most often another thread's batch: a microsecond
   * or two), it waits for that call to end and tries again, rather than queueing behind it for
   * the heap's lock: a thread that took the lock for that reason made the other threads' next
   * operations wait for it in turn, and two workers then kept each other on the locked path.
   * @returns false when the heap is finished, or a locked call outlasted the wait (the flag is
   *   clear again).
   */
  private begin(words: Int32Array): boolean {
    for (let attempt = 0; ; attempt++) {
      Atomics.exchange(words, this.busy, 1);
      const exclusion = TSO ? words[EXCLUSION]! : Atomics.load(words, EXCLUSION);
      if (exclusion === OPEN) return true;
      this.end(words);
      if (exclusion !== EXCLUDED || attempt === BEGIN_ATTEMPTS) return false;
      // An atomic load each turn: a plain one could be hoisted out of the loop.
      for (let spin = 0; spin < EXCLUDED_SPINS && Atomics.load(words, EXCLUSION) === EXCLUDED; spin++);
    }
  }

  /** Ends a cache operation: clears the busy flag after every write the operation made. */
  private end(words: Int32Array): void {
    if (TSO) words[this.busy] = 0;
    else Atomics.store(words, this.busy, 0);
  }

  /**
   * Pushes live `block` on its class when its size is a class's and the class and the byte
   * budget have room: its kind goes PROCESS → CACHED by compare-and-swap (`atomic`) or by a
   * plain write (inside a locked call).
   * @returns whether it was cached (false: nothing changed).
   */
  private push(t: HeapTables, block: number, atomic: boolean): boolean {
    const segmentWords = t.segments.words;
    const at = W * block + OWNER_AND_KIND;
    const ownerAndKind = segmentWords[at]!;
    if ((ownerAndKind & 3) !== PROCESS) return false;
    const size = t.segments.unsignedWords[W * block + SIZE]!;
    if (size > this.limit || (size & this.mask) !== 0) return false;
    const words = this.words;
    const table = this.table;
    const c = (size >> table.shift) - 1;
    const topAt = this.base + TOPS + c;
    const top = words[topAt]!;
    if (top === table.perClass || words[this.base + BYTES]! + size > table.maxBytes) return false;
    const marked = ownerAndKind ^ (PROCESS ^ CACHED);
    if (atomic) {
      if (Atomics.compareExchange(segmentWords, at, ownerAndKind, marked) !== ownerAndKind) return false;
    } else segmentWords[at] = marked;
    words[this.base + table.stacks + c * table.perClass + top] = block;
    words[topAt] = top + 1;
    words[this.base + BYTES]! += size;
    words[this.base + BLOCKS]!++;
    return true;
  }

  /**
   * `allocate(size)` inside a locked call, for a size the cache serves: a cached block when
   * the class holds one, else a block of the class's size from the heap, plus up to a batch of
   * blocks of that size from holes that are already mapped (never a new node for them), cached
   * for the next allocations.
   * @param size a positive integer up to the cache's limit.
   * @returns the block's address.
   * @throws MemsError as the heap's `allocate` (naming `size`), nothing changed.
   */
  allocateLocked(size: number): number {
    const table = this.table;
    const c = ((size + this.mask) >> table.shift) - 1;
    const n = (c + 1) << table.shift;
    const words = this.words;
    const topAt = this.base + TOPS + c;
    if (words[topAt]! > 0) {
      // Exclusion held: the lock-free path's steps are safe here too.
      const top = words[topAt]! - 1;
      const block = words[this.base + table.stacks + c * table.perClass + top]!;
      words[topAt] = top;
      words[this.base + BYTES]! -= n;
      words[this.base + BLOCKS]!--;
      this.t.segments.setKind(block, PROCESS);
      return this.t.segments.start(block);
    }
    // Another thread's spill waiting in the depot: a batch of ids, no allocation.
    const depotCount = table.depot + c;
    const inDepot = words[depotCount]!;
    if (inDepot > 0) {
      const room = Math.max(0, Math.floor((table.maxBytes - words[this.base + BYTES]!) / n));
      const take = Math.min(inDepot, Math.max(1, table.perClass >> 1), room + 1);
      const from = table.depotStack(c) + inDepot - take;
      const stack = this.base + table.stacks + c * table.perClass;
      // The first `take - 1` go on this thread's stack, the last one is the allocation.
      for (let i = 0; i < take - 1; i++) words[stack + i] = words[from + i]!;
      const block = words[from + take - 1]!;
      words[depotCount] = inDepot - take;
      words[topAt] = take - 1;
      words[this.base + BYTES]! += (take - 1) * n;
      words[this.base + BLOCKS]! += take - 1;
      this.t.segments.setKind(block, PROCESS);
      return this.t.segments.start(block);
    }
    const address = this.hooks.allocateRounded(n, size);
    const batch = Math.min(table.perClass >> 1, Math.floor(REFILL_BYTES / n));
    for (let i = 0; i < batch; i++) {
      if (words[this.base + BYTES]! + n > table.maxBytes) break;
      const extra = this.hooks.takeFromHoleOnly(n);
      if (extra < 0) break;
      if (!this.push(this.t, this.t.live.get(extra), false)) {
        this.hooks.free(extra);
        break;
      }
    }
    return address;
  }

  /**
   * `free(address)` inside a locked call: refuses a block that sits in any thread's cache
   * (the double free's EFAULT, as `free` gives it); caches a live block of a class's size,
   * first freeing the older half of a full class through the normal path; frees any other
   * block through the heap.
   * @param address anything `free` accepts.
   * @throws MemsError as the heap's `free`, nothing changed.
   */
  freeLocked(address: number): void {
    const t = this.t;
    if (typeof address !== 'number' || !Number.isInteger(address) || address < 0) {
      this.hooks.free(address);
      return;
    }
    const block = t.live.get(address);
    if (block === NONE || t.segments.kind(block) !== PROCESS) {
      this.hooks.free(address); // refuses: not a live block's start
      return;
    }
    if (this.push(t, block, false)) return;
    const size = t.segments.size(block);
    if (size <= this.limit && (size & this.mask) === 0) {
      const c = (size >> this.table.shift) - 1;
      if (this.words[this.base + TOPS + c] === this.table.perClass) this.spill(c);
      // Over the byte budget: halve the largest classes until half the budget is free, so
      // that the next frees find room again (one locked call for a batch, not one per free).
      const words = this.words;
      const budget = this.table.maxBytes >> 1;
      for (let k = this.table.classes - 1; k >= 0 && words[this.base + BYTES]! + size > budget; k--)
        this.spill(k);
      if (this.push(t, block, false)) return;
    }
    this.hooks.free(address);
  }

  /** Frees every block of this thread's cache through the normal path (inside a locked call). */
  flushLocked(): void {
    flushSlot(this.hooks, this.table, this.slot);
  }

  /** Frees the older half of class `c` (at least one block) through the normal path. */
  private spill(c: number): void {
    const table = this.table;
    const words = this.words;
    const topAt = this.base + TOPS + c;
    const top = words[topAt]!;
    if (top === 0) return;
    const keep = top >> 1;
    const stack = this.base + table.stacks + c * table.perClass;
    const out = top - keep;
    const size = (c + 1) << table.shift;
    // As many as the depot has room for wait there (still cached) for any thread's next miss.
    const depotCount = table.depot + c;
    const inDepot = words[depotCount]!;
    const toDepot = Math.min(out, table.depotPerClass - inDepot);
    const depotStack = table.depotStack(c);
    for (let i = 0; i < toDepot; i++) words[depotStack + inDepot + i] = words[stack + i]!;
    words[depotCount] = inDepot + toDepot;
    const blocks: number[] = [];
    for (let i = toDepot; i < out; i++) blocks.push(words[stack + i]!);
    words.copyWithin(stack, stack + out, stack + top);
    words[topAt] = keep;
    words[this.base + BYTES]! -= out * size;
    words[this.base + BLOCKS]! -= out;
    for (const block of blocks) releaseCachedBlock(this.t, this.hooks, block);
  }
}

/**
 * Frees every block of every thread's cache through the normal path (merged with its free
 * neighbours); inside a locked call. The visible heap then shows them as holes.
 * @param hooks this thread's heap object's thread-cache hooks.
 * @param table the heap's thread caches.
 * @returns the number of blocks freed.
 */
export function flushThreadCaches(hooks: ThreadCacheHooks, table: ThreadCacheTable): number {
  let freed = 0;
  for (let slot = 0; slot < table.maxThreads; slot++) freed += flushSlot(hooks, table, slot);
  const words = table.words;
  for (let c = 0; c < table.classes; c++) {
    const count = words[table.depot + c]!;
    words[table.depot + c] = 0;
    const stack = table.depotStack(c);
    for (let i = count - 1; i >= 0; i--) releaseCachedBlock(hooks.tables, hooks, words[stack + i]!);
    freed += count;
  }
  return freed;
}

/** Frees every block of `slot`'s classes through the normal path. @returns how many. */
function flushSlot(hooks: ThreadCacheHooks, table: ThreadCacheTable, slot: number): number {
  const words = table.words;
  const base = table.base(slot);
  if (words[base + BLOCKS] === 0) return 0;
  let freed = 0;
  for (let c = 0; c < table.classes; c++) {
    const stack = base + table.stacks + c * table.perClass;
    const top = words[base + TOPS + c]!;
    words[base + TOPS + c] = 0;
    words[base + BYTES]! -= top * ((c + 1) << table.shift);
    words[base + BLOCKS]! -= top;
    for (let i = top - 1; i >= 0; i--) {
      releaseCachedBlock(hooks.tables, hooks, words[stack + i]!);
      freed++;
    }
  }
  return freed;
}

/**
 * Forgets every cached block without freeing it (the heap was destroyed: its nodes are gone).
 * @param table the heap's thread caches.
 */
export function forgetThreadCaches(table: ThreadCacheTable): void {
  const words = table.words;
  for (let slot = 0; slot < table.maxThreads; slot++) {
    const base = table.base(slot);
    words.fill(0, base + TOPS, base + TOPS + table.classes);
    words[base + BYTES] = 0;
    words[base + BLOCKS] = 0;
  }
  words.fill(0, table.depot, table.depot + table.classes);
}

/** What {@link repairThreadCaches} found and mended. */
export interface ThreadCacheRepair {
  /** CACHED blocks that no stack held (a thread died between marking and pushing): freed. */
  readonly strays: number;
  /** Stack entries that were not CACHED blocks (a thread died between popping and counting): dropped. */
  readonly dropped: number;
  /** Slots whose counts did not match their stacks: recounted. */
  readonly recounted: number;
}

/**
 * Mends the caches after a thread died inside a cache operation (inside a locked call, every
 * busy flag cleared): every stack entry must be a CACHED block held once, every CACHED block
 * must be in a stack, every slot's counts must match its stacks. Then every cache is flushed.
 * @param hooks this thread's heap object's thread-cache hooks.
 * @param table the heap's thread caches.
 * @returns what was mended.
 */
export function repairThreadCaches(hooks: ThreadCacheHooks, table: ThreadCacheTable): ThreadCacheRepair {
  const t = hooks.tables;
  const segments = t.segments;
  const words = table.words;
  const held = new Set<number>();
  let dropped = 0;
  let recounted = 0;
  /**
   * Keeps, in order, the entries of the stack at `stack` (`count` claimed, at most `capacity`)
   * that are CACHED blocks of class `c` held nowhere else; drops the rest.
   * @returns how many it kept.
   */
  const keepCachedEntries = (stack: number, count: number, capacity: number, c: number): number => {
    const top = Math.max(0, Math.min(count, capacity));
    let kept = 0;
    for (let i = 0; i < top; i++) {
      const block = words[stack + i]!;
      const ok =
        block >= 0 &&
        block < segments.capacity &&
        segments.kind(block) === CACHED &&
        !held.has(block) &&
        segments.size(block) === (c + 1) << table.shift &&
        t.live.get(segments.start(block)) === block;
      if (!ok) {
        dropped++;
        continue;
      }
      held.add(block);
      words[stack + kept++] = block;
    }
    return kept;
  };
  for (let slot = 0; slot < table.maxThreads; slot++) {
    const base = table.base(slot);
    let bytes = 0;
    let blocks = 0;
    for (let c = 0; c < table.classes; c++) {
      const stack = base + table.stacks + c * table.perClass;
      const kept = keepCachedEntries(stack, words[base + TOPS + c]!, table.perClass, c);
      words[base + TOPS + c] = kept;
      bytes += kept * ((c + 1) << table.shift);
      blocks += kept;
    }
    if (words[base + BYTES] !== bytes || words[base + BLOCKS] !== blocks) recounted++;
    words[base + BYTES] = bytes;
    words[base + BLOCKS] = blocks;
  }
  for (let c = 0; c < table.classes; c++)
    words[table.depot + c] = keepCachedEntries(
      table.depotStack(c),
      words[table.depot + c]!,
      table.depotPerClass,
      c,
    );
  let strays = 0;
  const strayBlocks: number[] = [];
  for (let i = 0; i < t.nodes.count; i++) {
    const node = t.nodes.order[i]!;
    for (let seg = t.nodes.head[node]!; seg !== NONE; seg = segments.next(seg))
      if (segments.kind(seg) === CACHED && !held.has(seg)) strayBlocks.push(seg);
  }
  // Freed after the walk: a free merges segments and may unmap a node (autoTrim).
  for (const seg of strayBlocks) {
    releaseCachedBlock(t, hooks, seg);
    strays++;
  }
  flushThreadCaches(hooks, table);
  return { strays, dropped, recounted };
}

/** Frees cached `block` through the normal path (it stays in the hash until the heap frees it). */
function releaseCachedBlock(t: HeapTables, hooks: ThreadCacheHooks, block: number): void {
  t.segments.setKind(block, PROCESS);
  hooks.free(t.segments.start(block));
}
