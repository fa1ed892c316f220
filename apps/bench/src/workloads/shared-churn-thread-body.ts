import type { PolicyName } from '@mems/core';
import { makeChurnSequence } from '../sequence.js';
import { HandoffRing } from './handoff-ring.js';

/** How a worker thread of shared-churn gets its allocator. */
export type ThreadAllocatorSpec =
  /** Attaches to the heap `createSharedMems` made in the job's main thread. */
  | { readonly kind: 'mems-shared'; readonly handle: unknown }
  /**
   * Makes its own single-threaded heap: `createMems({ policy })` on mmap pages (the reference;
   * one worker only; the api's default policy when left out).
   */
  | { readonly kind: 'mems-private'; readonly policy?: PolicyName }
  /** glibc's malloc and free through koffi, declared on Number pointers. */
  | { readonly kind: 'koffi-libc' }
  /** @daneren2005/shared-memory-objects: a `MemoryHeap` over the buffers the main thread made. */
  | { readonly kind: 'smo'; readonly buffers: readonly SharedArrayBuffer[] };

/** Words of the control buffer the job's main thread and its workers share. */
export const CONTROL = {
  /** Workers that have filled their blocks and warmed up. */
  READY: 0,
  /** The round the main thread released (0 before the first; {@link STOP_ROUND} to stop). */
  ROUND: 1,
  /** Rounds finished, summed over workers. */
  DONE: 2,
  /** Set to 1 by a worker that failed (its error follows as a message). */
  FAILED: 3,
} as const;
/** Bytes of the control buffer. */
export const CONTROL_BYTES = 16;
/** The ROUND value that tells workers to free everything and end. */
export const STOP_ROUND = -1;

/** What one worker thread is given (its `workerData`). */
export interface SharedChurnThreadSetup {
  /** Which workload's body the thread runs (absent: shared-churn). */
  readonly workload?: 'shared-churn';
  readonly index: number;
  readonly workers: number;
  /** Live blocks this worker keeps. */
  readonly live: number;
  readonly pairsPerRound: number;
  readonly warmupPairs: number;
  /** Seed of this worker's churn script. */
  readonly seed: number;
  readonly allocator: ThreadAllocatorSpec;
  readonly control: SharedArrayBuffer;
  /** Blocks other workers hand to this one (null with one worker). */
  readonly inbox: SharedArrayBuffer | null;
  /** The next worker's inbox, where this one hands blocks (null with one worker). */
  readonly outbox: SharedArrayBuffer | null;
  /** Hand one new block in this many steps to the next worker. */
  readonly handOffEvery: number;
}

/** What a worker reports when it ends. */
export interface SharedChurnThreadReport {
  /** free+malloc pairs run, warm-up included. */
  readonly pairs: number;
  /** Blocks this worker took from its inbox: allocated by another worker, freed by this one. */
  readonly receivedBlocks: number;
}

/**
 * Blocks each worker hands to the next before it starts, so that hand-offs begin at once and go
 * on while one worker runs ahead of the other (a hand-off needs a block waiting in the inbox).
 */
const PRIMED_HAND_OFFS = 2048;
const SCRIPT_STEPS = 1 << 18;

/** A shared-memory-objects block offset is below 2^20 (its pointers keep 20 bits for it). */
export const SMO_OFFSETS = 2 ** 20;

/**
 * A shared-memory-objects block as one Number: buffer position × 2^20 + byte offset.
 * @param block the block's position and offset.
 * @returns the number the workload keeps and hands over.
 */
export function smoAddress(block: {
  readonly bufferPosition: number;
  readonly bufferByteOffset: number;
}): number {
  return block.bufferPosition * SMO_OFFSETS + block.bufferByteOffset;
}

/** A worker's allocator, as the shared-churn loop drives it. */
export interface ThreadAllocator {
  malloc(size: number): number;
  free(address: number): void;
  /** This thread gave the block to another thread, which will free it (optional). */
  handedOff?(address: number): void;
  close(): void;
}

/**
 * Opens a worker's allocator as its spec says (shared by every thread workload).
 * @param spec how this worker reaches its allocator.
 * @returns the allocator; `close` detaches or finishes it.
 */
export async function openAllocator(spec: ThreadAllocatorSpec): Promise<ThreadAllocator> {
  switch (spec.kind) {
    case 'mems-shared': {
      const api = (await import('@mems/api')) as unknown as {
        attachMems(handle: unknown): { malloc(n: number): number; free(p: number): void; detach(): void };
      };
      const mems = api.attachMems(spec.handle);
      const shared: ThreadAllocator = {
        malloc: (n) => mems.malloc(n),
        free: (p) => mems.free(p),
        close: () => mems.detach(),
      };
      return shared;
    }
    case 'mems-private': {
      const { createMems } = await import('@mems/api');
      const { createMmapProvider } = await import('@mems/os/mmap');
      const policy = spec.policy;
      const mems = createMems({
        provider: createMmapProvider(),
        ...(policy === undefined ? {} : { policy }),
      });
      return { malloc: (n) => mems.malloc(n), free: (p) => mems.free(p), close: () => mems.finish() };
    }
    case 'smo': {
      const { MemoryHeap } = await import('../allocators/smo-loader.js');
      const heap = new MemoryHeap({ buffers: [...spec.buffers] });
      return {
        malloc: (n) => smoAddress(heap.allocUI32(Math.ceil(n / 4)).getSharedMemory()),
        free: (p) => heap.buffers[Math.floor(p / SMO_OFFSETS)]!.free(p % SMO_OFFSETS),
        close: () => {},
      };
    }
    case 'koffi-libc': {
      const { libcKoffiAllocator } = await import('../allocators/libc-koffi.js');
      const libc = libcKoffiAllocator('koffi-libc');
      return { malloc: (n) => libc.malloc(n), free: (p) => libc.free(p), close: () => {} };
    }
  }
}

/**
 * The round protocol every thread workload follows: runs the warm-up, says it is ready, then
 * runs one round's work each time the main thread releases a round (bumping DONE after each),
 * and returns when the main thread says stop.
 * @param control the control words.
 * @param warmup what `run` is given before the first round.
 * @param perRound what `run` is given in each timed round.
 * @param run the worker's loop.
 */
export function serveRounds(
  control: Int32Array,
  warmup: number,
  perRound: number,
  run: (count: number) => void,
): void {
  run(warmup);
  Atomics.add(control, CONTROL.READY, 1);
  Atomics.notify(control, CONTROL.READY);
  let round = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.ROUND, round);
    round = Atomics.load(control, CONTROL.ROUND);
    if (round === STOP_ROUND) return;
    run(perRound);
    Atomics.add(control, CONTROL.DONE, 1);
    Atomics.notify(control, CONTROL.DONE);
  }
}

/**
 * The body of one shared-churn worker: opens its allocator, fills `live` blocks, warms up,
 * then runs `pairsPerRound` free+malloc pairs each time the main thread releases a round, and
 * finally frees every block it holds (and every block still waiting in its inbox).
 *
 * Each step frees the live block the script names and allocates one in its place; every
 * `handOffEvery`-th step the new block goes to the next worker's inbox instead, and this worker
 * takes a block from its own inbox into the slot, so about that share of all blocks are freed by
 * a thread other than the one that allocated them.
 * @param setup the worker's data.
 * @returns what it ran.
 * @throws whatever the allocator throws; the caller reports it.
 */
export async function runSharedChurnThread(setup: SharedChurnThreadSetup): Promise<SharedChurnThreadReport> {
  const control = new Int32Array(setup.control);
  const allocator = await openAllocator(setup.allocator);
  const inbox = setup.inbox ? new HandoffRing(setup.inbox) : null;
  const outbox = setup.outbox ? new HandoffRing(setup.outbox) : null;
  const seq = makeChurnSequence(setup.live, { seed: setup.seed, steps: SCRIPT_STEPS });
  const slots = new Float64Array(setup.live);
  for (let i = 0; i < setup.live; i++) slots[i] = allocator.malloc(seq.fillSizes[i]!);
  if (outbox)
    for (let k = 0; k < PRIMED_HAND_OFFS; k++) {
      const block = allocator.malloc(seq.sizes[k]!);
      outbox.push(block);
      allocator.handedOff?.(block);
    }

  const victims = seq.victims;
  const sizes = seq.sizes;
  const every = setup.handOffEvery;
  let pos = 0;
  let pairs = 0;
  let receivedBlocks = 0;
  const run = (count: number): void => {
    for (let c = 0; c < count; c++) {
      const i = victims[pos]!;
      allocator.free(slots[i]!);
      const fresh = allocator.malloc(sizes[pos]!);
      if (inbox !== null && pos % every === 0 && inbox.canPop() && outbox!.push(fresh)) {
        allocator.handedOff?.(fresh);
        slots[i] = inbox.pop();
        receivedBlocks++; // allocated by another worker; this one frees it
      } else {
        slots[i] = fresh;
      }
      pos = (pos + 1) & (SCRIPT_STEPS - 1);
    }
    pairs += count;
  };

  serveRounds(control, setup.warmupPairs, setup.pairsPerRound, run);
  // Every worker has stopped pushing: free what this one holds and what waits for it.
  for (let i = 0; i < setup.live; i++) allocator.free(slots[i]!);
  if (inbox) for (let address = inbox.pop(); address !== -1; address = inbox.pop()) allocator.free(address);
  allocator.close();
  return { pairs, receivedBlocks };
}
