import type { PointResult } from '../results.js';
import { handoffRingBuffer } from './handoff-ring.js';
import { INBOX_CAPACITY, runWorkerThreads, type SharedHeapForWorkers } from './shared-churn.js';
import type { SharedChurnThreadReport, ThreadAllocatorSpec } from './shared-churn-thread-body.js';
import { XMALLOC_MAX_SIZE, type XmallocRole, type XmallocThreadSetup } from './xmalloc-thread-body.js';

/** Sizes and rounds of one xmalloc point. */
export interface XmallocPlan {
  /** malloc+free pairs per timed round for each producer (and its consumer), or the lone worker. */
  readonly pairsPerRound: number;
  /** Timed rounds (the point's samples). */
  readonly rounds: number;
  /** Pairs before timing. */
  readonly warmupPairs: number;
  /** One worker: blocks allocated before they are all freed. */
  readonly batch: number;
}

/**
 * The roles of `workers` xmalloc workers: one worker does both; otherwise the first half are
 * producers and producer `i` hands its blocks to consumer `i + workers / 2`.
 * @param workers 1 or an even count.
 * @returns each worker's role and the index of the producer-consumer pair it belongs to.
 * @throws RangeError for an odd count above 1.
 */
export function xmallocRoles(workers: number): { role: XmallocRole; pair: number }[] {
  if (workers === 1) return [{ role: 'both', pair: 0 }];
  if (!(Number.isInteger(workers) && workers > 1 && workers % 2 === 0))
    throw new RangeError(`xmalloc runs with 1 worker or an even number of them, not ${workers}`);
  const half = workers / 2;
  return Array.from({ length: workers }, (_, i) =>
    i < half ? { role: 'producer' as const, pair: i } : { role: 'consumer' as const, pair: i - half },
  );
}

/**
 * The `xmalloc` workload at one worker count (mimalloc-bench's xmalloc-test, producer and
 * consumer): half the workers allocate blocks of 16–128 B (a precomputed script each) and push
 * every one through a lock-free ring to a consumer worker, which frees it; one worker alone
 * allocates a batch and frees it (see {@link XmallocWorker}). A sample is the round's wall time
 * ÷ the malloc+free pairs completed in it (each producer's `plan.pairsPerRound`).
 * @param contender contender id, to report under.
 * @param threadScript the built worker entry (dist/shared-churn-thread.js).
 * @param workers 1 or an even number of worker threads.
 * @param allocator how each worker gets its allocator.
 * @param plan sizes and rounds.
 * @param shared the heap the workers share, checked and finished at the end.
 * @returns the point and what the workers reported.
 * @throws Error when a worker fails or the shared heap's final check fails.
 */
export async function runXmalloc(
  contender: string,
  threadScript: URL,
  workers: number,
  allocator: ThreadAllocatorSpec,
  plan: XmallocPlan,
  shared: SharedHeapForWorkers | null = null,
): Promise<{ point: PointResult; threads: SharedChurnThreadReport[] }> {
  const roles = xmallocRoles(workers);
  const pairs = roles.filter((r) => r.role !== 'consumer').length;
  const rings = workers > 1 ? Array.from({ length: pairs }, () => handoffRingBuffer(INBOX_CAPACITY)) : [];
  return runWorkerThreads({
    workload: 'xmalloc',
    contender,
    threadScript,
    workers,
    rounds: plan.rounds,
    pairsPerRound: pairs * plan.pairsPerRound,
    shared,
    setupOf: (index, control): XmallocThreadSetup => ({
      workload: 'xmalloc',
      index,
      workers,
      role: roles[index]!.role,
      pairsPerRound: plan.pairsPerRound,
      warmupPairs: plan.warmupPairs,
      seed: 0x6c8e9cf5 + roles[index]!.pair * 0x632be5ab,
      allocator,
      control,
      ring: rings[roles[index]!.pair] ?? null,
      batch: plan.batch,
    }),
  });
}

/**
 * The most bytes an xmalloc run holds at once: every ring full (or the lone worker's batch), at
 * the largest size.
 * @param workers worker threads.
 * @param plan the run's sizes.
 * @returns bytes.
 */
export function xmallocBytesAtMost(workers: number, plan: XmallocPlan): number {
  return (workers === 1 ? plan.batch : (workers / 2) * INBOX_CAPACITY) * XMALLOC_MAX_SIZE;
}
