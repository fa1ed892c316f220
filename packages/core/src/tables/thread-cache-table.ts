// The per-thread caches of a heap shared by threads: one fixed SharedArrayBuffer that every
// thread holds, with a header (the exclusion word and the settings) and one slot per thread.
// A slot is the thread's busy flag (alone in its cache line: writers poll it), its tag, its
// cached bytes and blocks, and per-size-class LIFO stacks of segment ids, as the front cache's
// (tables/front-cache-table.ts). A cached block stays in its sub-chain and in the live-block
// hash, marked CACHED. The operations are in ops/thread-cache.ts.
//
//   header (words)   0: exclusion (0 open, 1 a locked call runs, 2 finished)
//                    16..: magic, granule, classes, blocks per class, max bytes, max threads, stride
//   slot s (words)   base + 0: busy flag     base + 16: taken (0: free slot)
//                    base + 17: bytes         base + 18: blocks
//                    base + 32: tops[classes] base + 32 + classes: stacks[classes × perClass]
//   depot (words)    after the slots: counts[classes], then stacks[classes × 2 × perClass]
//
// The depot (tcmalloc's transfer cache) is shared by every thread and used only inside locked
// calls: a thread whose class overflows moves half of it there, a thread whose class is empty
// takes a batch from there, so blocks that one thread frees and another allocates (a producer
// and a consumer) move in batches of ids, not through the heap's free and allocate.

import { describeValue, MemsError } from '@mems/os';

/** The per-thread cache's settings (the `threadCache` option of a shared heap), resolved. */
export interface ThreadCacheSettings {
  /** The largest block size a thread caches: a multiple of the granule. */
  readonly maxBlockSize: number;
  /** The most blocks one size class of one thread keeps. */
  readonly blocksPerClass: number;
  /** The most bytes one thread's classes keep together. */
  readonly maxBytes: number;
  /** How many threads can have a cache at once (a thread attached beyond them has none). */
  readonly maxThreads: number;
}

/**
 * Whether the hardware orders plain memory accesses as x86 does (TSO: stores become visible in
 * program order, loads are not reordered with loads, and a locked instruction is a full
 * barrier). There a cache operation ends with a plain store of its busy flag, and a plain load
 * after an atomic operation is ordered after it; elsewhere (ARM, or a runtime that does not say
 * which) those accesses are atomic too, about 13 ns each more on Node 20, whose optimising
 * compiler calls out for every Atomics operation. V8 keeps typed-array stores in program order.
 */
export const ORDERED_PLAIN_ACCESSES = (() => {
  const arch = (globalThis as { process?: { arch?: unknown } }).process?.arch;
  return arch === 'x64' || arch === 'ia32';
})();

/** Word 0 of the header: no locked call runs; threads may use their caches. */
export const OPEN = 0;
/** Word 0 of the header: a locked call runs; caches wait (their threads take the lock). */
export const EXCLUDED = 1;
/** Word 0 of the header: the heap is finished; caches are never used again. */
export const CLOSED = 2;

/** Header word: the exclusion word (alone in its cache line). */
export const EXCLUSION = 0;
const H_MAGIC = 16;
const H_GRANULE = 17;
const H_CLASSES = 18;
const H_PER_CLASS = 19;
const H_MAX_BYTES = 20;
const H_MAX_THREADS = 21;
const H_STRIDE = 22;
/** Header word: 1 + the highest slot ever claimed (locked calls poll the busy flags below it). */
const H_SLOTS_USED = 23;
/** Words of the header: the first slot starts here. */
const HEADER_WORDS = 32;
const MAGIC = 0x7c4e_0001;

/** Slot word: the busy flag (1 while the owner is inside a cache operation). */
export const BUSY = 0;
/** Slot word: 1 while a thread object holds the slot (0: free). */
export const TAG = 16;
/** Slot word: bytes the slot's classes hold. */
export const BYTES = 17;
/** Slot word: blocks the slot's classes hold. */
export const BLOCKS = 18;
/** Slot word: the first class's top (the stacks' heights follow, one word per class). */
export const TOPS = 32;

/**
 * The per-thread caches of one shared heap, over their SharedArrayBuffer (the same bytes in
 * every thread; see the file comment for the layout).
 */
export class ThreadCacheTable {
  /** Every word of the buffer. */
  readonly words: Int32Array;
  /** The size granule: every class holds blocks of one size, a multiple of it. */
  readonly granule: number;
  /** log2 of {@link granule}. */
  readonly shift: number;
  /** Number of size classes (granule, 2 × granule, ... up to {@link limit}). */
  readonly classes: number;
  /** The largest cached block size. */
  readonly limit: number;
  /** Blocks per class, at most. */
  readonly perClass: number;
  /** Bytes one thread keeps, at most. */
  readonly maxBytes: number;
  /** Number of slots. */
  readonly maxThreads: number;
  /** Words per slot. */
  readonly stride: number;
  /** Word index of the first class's stack in a slot (from the slot's base). */
  readonly stacks: number;
  /** Word index of the depot's counts (one per class; its stacks follow). */
  readonly depot: number;
  /** Blocks per class the depot holds, at most. */
  readonly depotPerClass: number;

  /**
   * Makes the buffer of a new heap's thread caches.
   * @param settings the resolved option.
   * @param alignment the heap's block alignment (the granule is max(16, alignment)).
   * @returns a zeroed buffer with its header written.
   */
  static create(settings: ThreadCacheSettings, alignment: number): SharedArrayBuffer {
    const granule = Math.max(16, alignment);
    const classes = Math.floor(settings.maxBlockSize / granule);
    const stride = roundUp(TOPS + classes + classes * settings.blocksPerClass, 16);
    const depotWords = roundUp(classes + classes * 2 * settings.blocksPerClass, 16);
    const buffer = new SharedArrayBuffer((HEADER_WORDS + stride * settings.maxThreads + depotWords) * 4);
    const words = new Int32Array(buffer);
    words[H_GRANULE] = granule;
    words[H_CLASSES] = classes;
    words[H_PER_CLASS] = settings.blocksPerClass;
    words[H_MAX_BYTES] = settings.maxBytes;
    words[H_MAX_THREADS] = settings.maxThreads;
    words[H_STRIDE] = stride;
    Atomics.store(words, H_MAGIC, MAGIC);
    return buffer;
  }

  /**
   * Opens the caches in this thread.
   * @param buffer the heap's thread-cache buffer (from {@link ThreadCacheTable.create}).
   * @param call the call that opens it, for the error message.
   * @throws MemsError `EINVAL` when `buffer` is not a thread-cache buffer.
   */
  constructor(buffer: SharedArrayBuffer, call: string) {
    const ok =
      buffer instanceof SharedArrayBuffer &&
      buffer.byteLength >= HEADER_WORDS * 4 &&
      buffer.byteLength % 4 === 0 &&
      Atomics.load(new Int32Array(buffer, 0, HEADER_WORDS), H_MAGIC) === MAGIC;
    if (!ok)
      throw new MemsError(
        'EINVAL',
        `${call}: ${describeValue(buffer)} is not a shared heap's thread-cache buffer`,
      );
    const words = new Int32Array(buffer);
    this.words = words;
    this.granule = words[H_GRANULE]!;
    this.shift = Math.log2(this.granule);
    this.classes = words[H_CLASSES]!;
    this.limit = this.classes * this.granule;
    this.perClass = words[H_PER_CLASS]!;
    this.maxBytes = words[H_MAX_BYTES]!;
    this.maxThreads = words[H_MAX_THREADS]!;
    this.stride = words[H_STRIDE]!;
    this.stacks = TOPS + this.classes;
    this.depot = HEADER_WORDS + this.stride * this.maxThreads;
    this.depotPerClass = 2 * this.perClass;
    if (words.length !== this.depot + roundUp(this.classes + this.classes * this.depotPerClass, 16))
      throw new MemsError('EINVAL', `${call}: the thread-cache buffer's length does not match its header`);
  }

  /** The word index where slot `slot` starts. */
  base(slot: number): number {
    return HEADER_WORDS + slot * this.stride;
  }

  /** Word index of the depot's stack of class `c`. */
  depotStack(c: number): number {
    return this.depot + this.classes + c * this.depotPerClass;
  }

  /**
   * Takes a free slot for a thread object (call it under the heap's lock).
   * @returns the slot, or -1 when every slot is taken.
   */
  claim(): number {
    for (let slot = 0; slot < this.maxThreads; slot++) {
      const at = this.base(slot) + TAG;
      if (Atomics.compareExchange(this.words, at, 0, 1) === 0) {
        if (Atomics.load(this.words, H_SLOTS_USED) <= slot) Atomics.store(this.words, H_SLOTS_USED, slot + 1);
        return slot;
      }
    }
    return -1;
  }

  /** Frees `slot` (its stacks must be empty: flush them first). */
  release(slot: number): void {
    Atomics.store(this.words, this.base(slot) + TAG, 0);
  }

  /** How many slots are taken. */
  get claimed(): number {
    let n = 0;
    for (let slot = 0; slot < this.maxThreads; slot++)
      if (Atomics.load(this.words, this.base(slot) + TAG) !== 0) n++;
    return n;
  }

  /** Bytes of the buffer. */
  get byteLength(): number {
    return this.words.byteLength;
  }

  /** Bytes of one slot (what each thread's cache costs in metadata). */
  get slotBytes(): number {
    return this.stride * 4;
  }

  /**
   * Stops every thread's cache operations, for a locked call: sets the exclusion word, then
   * waits until no slot is busy (an operation in flight takes well under a microsecond; a
   * thread that died inside one keeps its slot busy until {@link forceIdle}).
   * @param timeoutMs the most milliseconds to wait.
   * @returns -1 when every slot is idle, else the slot still busy at the timeout (the exclusion
   *   word is then open again).
   */
  exclude(timeoutMs: number): number {
    const words = this.words;
    Atomics.store(words, EXCLUSION, EXCLUDED);
    let deadline = Number.NaN;
    // Slots never claimed are never busy; claims happen under the heap's lock, as this call.
    const used = words[H_SLOTS_USED]!;
    for (let slot = 0; slot < used; slot++) {
      const at = this.base(slot) + BUSY;
      let spins = 0;
      // After the sequentially consistent store above, a plain load is ordered where the
      // hardware is TSO (see ORDERED_PLAIN_ACCESSES).
      while ((ORDERED_PLAIN_ACCESSES ? words[at]! : Atomics.load(words, at)) !== 0) {
        if (++spins < 1000) continue;
        const now = performance.now();
        if (Number.isNaN(deadline)) deadline = now + timeoutMs;
        else if (now >= deadline) {
          Atomics.store(words, EXCLUSION, OPEN);
          return slot;
        }
        spins = 0;
      }
    }
    return -1;
  }

  /** Lets the threads use their caches again (the end of a locked call; not once closed). */
  admit(): void {
    Atomics.compareExchange(this.words, EXCLUSION, EXCLUDED, OPEN);
  }

  /** Closes the caches for good (the heap is finished): every later operation takes the lock. */
  close(): void {
    Atomics.store(this.words, EXCLUSION, CLOSED);
  }

  /**
   * Clears the busy flag of every slot (recover, once the threads that died inside a cache
   * operation are known to be gone).
   * @returns the slots whose flag was set.
   */
  forceIdle(): number[] {
    const cleared: number[] = [];
    for (let slot = 0; slot < this.maxThreads; slot++)
      if (Atomics.exchange(this.words, this.base(slot) + BUSY, 0) !== 0) cleared.push(slot);
    return cleared;
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
