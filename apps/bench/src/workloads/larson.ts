import type { PointResult } from '../results.js';
import { handoffRingBuffer } from './handoff-ring.js';
import type { LarsonThreadSetup } from './larson-thread-body.js';
import { INBOX_CAPACITY, runWorkerThreads, type SharedHeapForWorkers } from './shared-churn.js';
import type { SharedChurnThreadReport, ThreadAllocatorSpec } from './shared-churn-thread-body.js';

/** Sizes and rounds of one larson point. */
export interface LarsonPlan {
  /** Live blocks each worker keeps (its slots). */
  readonly live: number;
  /** free+malloc pairs each worker runs per timed round. */
  readonly pairsPerRound: number;
  /** Timed rounds (the point's samples). */
  readonly rounds: number;
  /** Pairs each worker runs before timing. */
  readonly warmupPairs: number;
  /** Every this many steps a worker hands blocks to the next worker. */
  readonly handOffEvery: number;
  /** How many of its live blocks it hands on each time (adopting as many from its inbox). */
  readonly handOffBlocks: number;
}

/**
 * The `larson` workload at one worker count (mimalloc-bench's larson, a server pattern):
 * `workers` threads each keep `plan.live` blocks of 16–1024 B (a precomputed script per worker)
 * and churn them through one allocator, a free+malloc pair per step in a scripted slot; every
 * `plan.handOffEvery` steps a worker hands `plan.handOffBlocks` of its live blocks to the next
 * worker through a lock-free ring and adopts as many from its own inbox, which it frees later
 * in its own churn (see {@link LarsonWorker}). A sample is the round's wall time ÷ all the
 * pairs run in it (aggregate ns per pair).
 * @param contender contender id, to report under.
 * @param threadScript the built worker entry (dist/shared-churn-thread.js).
 * @param workers how many worker threads.
 * @param allocator how each worker gets its allocator.
 * @param plan sizes and rounds.
 * @param shared the heap the workers share, checked and finished at the end.
 * @returns the point and what the workers reported.
 * @throws Error when a worker fails or the shared heap's final check fails.
 */
export async function runLarson(
  contender: string,
  threadScript: URL,
  workers: number,
  allocator: ThreadAllocatorSpec,
  plan: LarsonPlan,
  shared: SharedHeapForWorkers | null = null,
): Promise<{ point: PointResult; threads: SharedChurnThreadReport[] }> {
  if (workers * plan.handOffBlocks > INBOX_CAPACITY)
    throw new RangeError(`larson: ${workers} × ${plan.handOffBlocks} blocks in flight exceed an inbox`);
  const inboxes = workers > 1 ? Array.from({ length: workers }, () => handoffRingBuffer(INBOX_CAPACITY)) : [];
  return runWorkerThreads({
    workload: 'larson',
    contender,
    threadScript,
    workers,
    rounds: plan.rounds,
    pairsPerRound: workers * plan.pairsPerRound,
    shared,
    setupOf: (index, control): LarsonThreadSetup => ({
      workload: 'larson',
      index,
      workers,
      live: plan.live,
      pairsPerRound: plan.pairsPerRound,
      warmupPairs: plan.warmupPairs,
      seed: 0x2545f491 + index * 0x632be5ab,
      allocator,
      control,
      inbox: inboxes[index] ?? null,
      outbox: inboxes[(index + 1) % workers] ?? null,
      handOffEvery: plan.handOffEvery,
      handOffBlocks: plan.handOffBlocks,
    }),
  });
}

/**
 * The most bytes a larson run holds at once: every worker's slots and the primed blocks in the
 * rings, all at the largest size.
 * @param workers worker threads.
 * @param plan the run's sizes.
 * @returns bytes.
 */
export function larsonBytesAtMost(workers: number, plan: LarsonPlan): number {
  return workers * (plan.live + (workers > 1 ? plan.handOffBlocks : 0)) * 1024;
}
