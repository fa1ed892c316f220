import { makeChurnSequence } from '../sequence.js';
import { HandoffRing } from './handoff-ring.js';
import {
  openAllocator,
  type SharedChurnThreadReport,
  serveRounds,
  type ThreadAllocator,
  type ThreadAllocatorSpec,
} from './shared-churn-thread-body.js';

/** Smallest and largest block of the xmalloc scripts, bytes (small objects, as xmalloc-test's). */
export const XMALLOC_MIN_SIZE = 16;
export const XMALLOC_MAX_SIZE = 128;
/** Sizes in each producer's script (a power of two; replayed from the start). */
export const XMALLOC_SCRIPT_STEPS = 1 << 16;

/** What a worker of xmalloc does: allocate and hand on, free what arrives, or both in turn (one worker). */
export type XmallocRole = 'producer' | 'consumer' | 'both';

/** What one xmalloc worker thread is given (its `workerData`). */
export interface XmallocThreadSetup {
  readonly workload: 'xmalloc';
  readonly index: number;
  readonly workers: number;
  readonly role: XmallocRole;
  /** malloc+free pairs per timed round: blocks a producer allocates, a consumer frees, or both. */
  readonly pairsPerRound: number;
  readonly warmupPairs: number;
  /** Seed of a producer's sizes. */
  readonly seed: number;
  readonly allocator: ThreadAllocatorSpec;
  readonly control: SharedArrayBuffer;
  /** The ring from a producer to its consumer (null for `both`). */
  readonly ring: SharedArrayBuffer | null;
  /** `both`: blocks allocated before they are all freed, in allocation order. */
  readonly batch: number;
}

/**
 * A producer's sizes, 16–128 B, from its seed.
 * @param seed the producer's seed.
 * @param steps how many (default {@link XMALLOC_SCRIPT_STEPS}, a power of two).
 * @returns the sizes (the same for the same arguments).
 */
export function makeXmallocSizes(seed: number, steps = XMALLOC_SCRIPT_STEPS): Uint16Array {
  return makeChurnSequence(1, { seed, steps, minSize: XMALLOC_MIN_SIZE, maxSize: XMALLOC_MAX_SIZE }).sizes;
}

/** Checks of a full or empty ring before a thread stops spinning and sleeps briefly. */
const SPINS = 64;
/** The brief sleep (ms) of a thread whose ring is full or empty (lets an oversubscribed core run the other side). */
const BACKOFF_MS = 0.02;

/**
 * One xmalloc worker's loops (mimalloc-bench's xmalloc-test, producer and consumer): a producer
 * allocates its scripted sizes and pushes every block into its ring, a consumer pops blocks from
 * its ring and frees them, `both` (one worker alone) allocates a batch and then frees it in
 * allocation order. A side that finds its ring full (producer) or empty (consumer) spins
 * {@link SPINS} times, then sleeps {@link BACKOFF_MS} ms between checks. Plain code, so that
 * tests can drive a producer and a consumer on one ring in one thread.
 */
export class XmallocWorker {
  /** Blocks allocated (producer, both). */
  allocated = 0;
  /** Blocks freed (consumer, both). */
  freed = 0;
  private pos = 0;
  private readonly batchBlocks: Float64Array;
  private readonly idle = new Int32Array(new SharedArrayBuffer(4));

  /**
   * @param allocator the worker's allocator.
   * @param role what it does.
   * @param sizes the producer's sizes ({@link makeXmallocSizes}; unused by a consumer).
   * @param ring the ring to its consumer or from its producer (null for `both`).
   * @param batch `both`: blocks per batch.
   */
  constructor(
    private readonly allocator: ThreadAllocator,
    private readonly role: XmallocRole,
    private readonly sizes: Uint16Array,
    private readonly ring: HandoffRing | null,
    batch: number,
  ) {
    if (role !== 'both' && ring === null) throw new Error(`an xmalloc ${role} needs its ring`);
    if ((sizes.length & (sizes.length - 1)) !== 0)
      throw new RangeError('xmalloc sizes come in a power-of-two number');
    this.batchBlocks = new Float64Array(role === 'both' ? batch : 0);
  }

  /**
   * Runs `count` pairs of its role: allocates and pushes `count` blocks, pops and frees `count`,
   * or allocates and frees `count` in batches.
   * @param count blocks.
   */
  run(count: number): void {
    if (this.role === 'producer') this.produce(count);
    else if (this.role === 'consumer') this.consume(count);
    else this.alone(count);
  }

  private produce(count: number): void {
    const { allocator, sizes } = this;
    const ring = this.ring!;
    const mask = sizes.length - 1;
    let pos = this.pos;
    for (let c = 0; c < count; c++) {
      const block = allocator.malloc(sizes[pos]!);
      pos = (pos + 1) & mask;
      allocator.handedOff?.(block);
      for (let spins = 0; !ring.push(block); spins++) if (spins >= SPINS) this.pause();
    }
    this.pos = pos;
    this.allocated += count;
  }

  private consume(count: number): void {
    const { allocator } = this;
    const ring = this.ring!;
    for (let c = 0; c < count; c++) {
      let block = ring.pop();
      for (let spins = 0; block === -1; spins++) {
        if (spins >= SPINS) this.pause();
        block = ring.pop();
      }
      allocator.free(block);
    }
    this.freed += count;
  }

  private alone(count: number): void {
    const { allocator, sizes, batchBlocks } = this;
    const mask = sizes.length - 1;
    let pos = this.pos;
    for (let left = count; left > 0; ) {
      const n = Math.min(batchBlocks.length, left);
      for (let i = 0; i < n; i++) {
        batchBlocks[i] = allocator.malloc(sizes[pos]!);
        pos = (pos + 1) & mask;
      }
      for (let i = 0; i < n; i++) allocator.free(batchBlocks[i]!);
      left -= n;
    }
    this.pos = pos;
    this.allocated += count;
    this.freed += count;
  }

  private pause(): void {
    Atomics.wait(this.idle, 0, 0, BACKOFF_MS);
  }

  /**
   * After every worker has stopped: a consumer frees whatever is left in its ring (nothing, when
   * it freed as many blocks as its producer allocated).
   * @returns the blocks it freed here.
   */
  finish(): number {
    if (this.role !== 'consumer') return 0;
    let left = 0;
    for (let block = this.ring!.pop(); block !== -1; block = this.ring!.pop(), left++)
      this.allocator.free(block);
    this.freed += left;
    return left;
  }
}

/**
 * The body of one xmalloc worker thread: opens its allocator, warms up (`warmupPairs` blocks),
 * runs `pairsPerRound` each time the main thread releases a round, then frees what is left.
 * @param setup the worker's data.
 * @returns what it ran: `pairs` the blocks it allocated, `receivedBlocks` those it freed that
 *   another worker allocated.
 */
export async function runXmallocThread(setup: XmallocThreadSetup): Promise<SharedChurnThreadReport> {
  const control = new Int32Array(setup.control);
  const allocator = await openAllocator(setup.allocator);
  const worker = new XmallocWorker(
    allocator,
    setup.role,
    makeXmallocSizes(setup.seed),
    setup.ring ? new HandoffRing(setup.ring) : null,
    setup.batch,
  );
  serveRounds(control, setup.warmupPairs, setup.pairsPerRound, (count) => worker.run(count));
  worker.finish();
  allocator.close();
  return { pairs: worker.allocated, receivedBlocks: setup.role === 'consumer' ? worker.freed : 0 };
}
