import { type ChurnSequence, makeChurnSequence } from '../sequence.js';
import { HandoffRing } from './handoff-ring.js';
import {
  openAllocator,
  type SharedChurnThreadReport,
  serveRounds,
  type ThreadAllocator,
  type ThreadAllocatorSpec,
} from './shared-churn-thread-body.js';

/** Smallest and largest block of the larson scripts, bytes. */
export const LARSON_MIN_SIZE = 16;
export const LARSON_MAX_SIZE = 1024;
/** Steps of each worker's larson script (a power of two; replayed from the start when a run needs more). */
export const LARSON_SCRIPT_STEPS = 1 << 18;

/** What one larson worker thread is given (its `workerData`). */
export interface LarsonThreadSetup {
  readonly workload: 'larson';
  readonly index: number;
  readonly workers: number;
  /** Blocks this worker keeps live (its slots). */
  readonly live: number;
  readonly pairsPerRound: number;
  readonly warmupPairs: number;
  /** Seed of this worker's script. */
  readonly seed: number;
  readonly allocator: ThreadAllocatorSpec;
  readonly control: SharedArrayBuffer;
  /** Blocks the previous worker hands to this one (null with one worker). */
  readonly inbox: SharedArrayBuffer | null;
  /** The next worker's inbox (null with one worker). */
  readonly outbox: SharedArrayBuffer | null;
  /** Every this many steps the worker hands blocks on. */
  readonly handOffEvery: number;
  /** How many of its live blocks it hands on each time (and adopts as many from its inbox). */
  readonly handOffBlocks: number;
}

/**
 * A worker's larson script: the sizes of its `live` first blocks, then per step the slot to free
 * and the size of the block allocated in it (16–1024 B), from the worker's own seed.
 * @param live the worker's slots.
 * @param seed the worker's seed.
 * @param steps script steps (default {@link LARSON_SCRIPT_STEPS}).
 * @returns the script (the same for the same arguments).
 */
export function makeLarsonScript(live: number, seed: number, steps = LARSON_SCRIPT_STEPS): ChurnSequence {
  return makeChurnSequence(live, { seed, steps, minSize: LARSON_MIN_SIZE, maxSize: LARSON_MAX_SIZE });
}

/**
 * One larson worker's state and loop (mimalloc-bench's larson, the server pattern): it keeps
 * `live` slots of blocks; each step frees the block in a scripted slot and allocates a new one of
 * the scripted size there; every `handOffEvery` steps it hands `handOffBlocks` of its live
 * blocks (the next slots after where the last hand-off stopped) to the next worker's inbox and
 * adopts as many from its own inbox into those slots, to be freed later by its own churn. An
 * exchange moves one block out for each block in, so each worker keeps `live` blocks and the
 * rings hold what was primed; it stops short when its inbox is empty (a worker ahead of the
 * previous one) or the next worker's inbox is full. Every block is thus in one slot or one ring
 * at any time, and its owner frees it. Plain code, so that tests can drive two of them on rings
 * in one thread.
 */
export class LarsonWorker {
  /** The live blocks, one per slot. */
  readonly slots: Float64Array;
  /** free+malloc pairs run. */
  pairs = 0;
  /** Blocks adopted from the inbox (allocated by another worker, freed by this one). */
  adopted = 0;
  private pos = 0;
  private cursor = 0;

  /**
   * @param allocator the worker's allocator.
   * @param script its script (see {@link makeLarsonScript}; its length a power of two).
   * @param inbox blocks handed to this worker, or null (one worker: no hand-offs).
   * @param outbox the next worker's inbox, or null.
   * @param handOffEvery steps between hand-offs.
   * @param handOffBlocks blocks handed on (and adopted) per hand-off.
   */
  constructor(
    private readonly allocator: ThreadAllocator,
    private readonly script: ChurnSequence,
    private readonly inbox: HandoffRing | null,
    private readonly outbox: HandoffRing | null,
    private readonly handOffEvery: number,
    private readonly handOffBlocks: number,
  ) {
    if ((script.victims.length & (script.victims.length - 1)) !== 0)
      throw new RangeError('a larson script has a power-of-two number of steps');
    this.slots = new Float64Array(script.live);
  }

  /**
   * Allocates the slots' first blocks, then `primed` more that go straight to the next worker
   * (so that its first hand-off finds blocks waiting).
   * @param primed blocks to hand on at once (none without an outbox).
   */
  fill(primed: number): void {
    const { allocator, script } = this;
    for (let i = 0; i < script.live; i++) this.slots[i] = allocator.malloc(script.fillSizes[i]!);
    if (this.outbox)
      for (let k = 0; k < primed; k++) {
        const block = allocator.malloc(script.sizes[k]!);
        if (!this.outbox.push(block)) throw new Error('larson: the next inbox is too small to prime');
        allocator.handedOff?.(block);
      }
  }

  /**
   * Runs `count` steps of the script.
   * @param count free+malloc pairs.
   */
  run(count: number): void {
    const { allocator, slots } = this;
    const { victims, sizes } = this.script;
    const mask = victims.length - 1;
    const every = this.handOffEvery;
    const exchanges = this.inbox !== null;
    let pos = this.pos;
    for (let c = 0; c < count; c++) {
      const i = victims[pos]!;
      allocator.free(slots[i]!);
      slots[i] = allocator.malloc(sizes[pos]!);
      pos = (pos + 1) & mask;
      if (exchanges && pos % every === 0) this.exchange();
    }
    this.pos = pos;
    this.pairs += count;
  }

  /** Hands up to `handOffBlocks` live blocks on, adopting one from the inbox for each. */
  private exchange(): void {
    const inbox = this.inbox!;
    const outbox = this.outbox!;
    const { slots, allocator } = this;
    let j = this.cursor;
    let k = 0;
    for (; k < this.handOffBlocks && inbox.canPop() && outbox.hasRoom(); k++) {
      const block = slots[j]!;
      outbox.push(block);
      allocator.handedOff?.(block);
      slots[j] = inbox.pop();
      if (++j === slots.length) j = 0;
    }
    this.cursor = j;
    this.adopted += k;
  }

  /** After every worker has stopped: frees every slot's block and every block left in the inbox. */
  finish(): void {
    for (let i = 0; i < this.slots.length; i++) this.allocator.free(this.slots[i]!);
    if (this.inbox)
      for (let address = this.inbox.pop(); address !== -1; address = this.inbox.pop())
        this.allocator.free(address);
  }
}

/**
 * The body of one larson worker thread: opens its allocator, fills its slots (and primes the
 * next worker's inbox with `handOffBlocks` blocks), warms up, runs `pairsPerRound` steps each
 * time the main thread releases a round, then frees everything it holds.
 * @param setup the worker's data.
 * @returns what it ran (`receivedBlocks`: the blocks it adopted).
 */
export async function runLarsonThread(setup: LarsonThreadSetup): Promise<SharedChurnThreadReport> {
  const control = new Int32Array(setup.control);
  const allocator = await openAllocator(setup.allocator);
  const worker = new LarsonWorker(
    allocator,
    makeLarsonScript(setup.live, setup.seed),
    setup.inbox ? new HandoffRing(setup.inbox) : null,
    setup.outbox ? new HandoffRing(setup.outbox) : null,
    setup.handOffEvery,
    setup.handOffBlocks,
  );
  worker.fill(setup.handOffBlocks);
  serveRounds(control, setup.warmupPairs, setup.pairsPerRound, (count) => worker.run(count));
  worker.finish();
  allocator.close();
  return { pairs: worker.pairs, receivedBlocks: worker.adopted };
}
