import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PointResult, WorkloadId } from '../results.js';
import { summarize } from '../stats.js';
import { handoffRingBuffer } from './handoff-ring.js';
import {
  CONTROL,
  CONTROL_BYTES,
  type SharedChurnThreadReport,
  type SharedChurnThreadSetup,
  STOP_ROUND,
  type ThreadAllocatorSpec,
} from './shared-churn-thread-body.js';

/** Sizes and rounds of one shared-churn point. */
export interface SharedChurnPlan {
  /** Live blocks each worker keeps. */
  readonly live: number;
  /** free+malloc pairs each worker runs per timed round. */
  readonly pairsPerRound: number;
  /** Timed rounds (the point's samples). */
  readonly rounds: number;
  /** Pairs each worker runs before timing. */
  readonly warmupPairs: number;
  /** Every this many steps a worker hands its new block to the next worker (4: a quarter). */
  readonly handOffEvery: number;
}

/** A heap the job's main thread made for its workers to attach to, and how to check and end it. */
export interface SharedHeapForWorkers {
  /** What each worker's allocator spec carries (the heap's handle). */
  readonly allocator: ThreadAllocatorSpec;
  /**
   * After every worker has ended: checks the heap (no live block left, invariants hold) and
   * finishes it.
   * @throws Error when a block is left or an invariant is broken.
   */
  checkAndFinish(): void;
}

/**
 * The built worker entry: beside the running bundle (in dist/), or in dist/ seen from src/ when
 * the sources run under vitest (`pnpm build` makes it).
 * @returns its URL.
 */
export function sharedChurnThreadScript(): URL {
  const beside = new URL('./shared-churn-thread.js', import.meta.url);
  return existsSync(fileURLToPath(beside))
    ? beside
    : new URL('../../dist/shared-churn-thread.js', import.meta.url);
}

/**
 * The point a worker count is reported under.
 * @param workers how many worker threads.
 * @returns `1 worker`, `2 workers`, ...
 */
export function workersPoint(workers: number): string {
  return workers === 1 ? '1 worker' : `${workers} workers`;
}

/** Entries of each worker's inbox: far more than a round can leave in flight at once. */
export const INBOX_CAPACITY = 8192;
const READY_TIMEOUT_MS = 120_000;

/**
 * The `shared-churn` workload at one worker count: `workers` threads each churn their own
 * `plan.live` blocks (the churn sizes, 16–511 B, one script per worker) through one allocator,
 * handing every `plan.handOffEvery`-th new block to the next worker, which frees it. All workers
 * run each timed round together; a sample is the round's wall time over all the pairs run in
 * it, so the point reads as aggregate ns per pair (its inverse is pairs per second).
 * @param contender contender id, to report under.
 * @param threadScript the built worker entry (dist/shared-churn-thread.js).
 * @param workers how many worker threads.
 * @param allocator how each worker gets its allocator.
 * @param plan sizes and rounds.
 * @param shared the heap the workers share, checked and finished at the end (none for allocators
 *   each worker makes for itself).
 * @returns the point (`1 worker`, `2 workers`, ...) and what the workers reported.
 * @throws Error when a worker fails or the shared heap's final check fails.
 */
export async function runSharedChurn(
  contender: string,
  threadScript: URL,
  workers: number,
  allocator: ThreadAllocatorSpec,
  plan: SharedChurnPlan,
  shared: SharedHeapForWorkers | null = null,
): Promise<{ point: PointResult; threads: SharedChurnThreadReport[] }> {
  const inboxes = workers > 1 ? Array.from({ length: workers }, () => handoffRingBuffer(INBOX_CAPACITY)) : [];
  return runWorkerThreads({
    workload: 'shared-churn',
    contender,
    threadScript,
    workers,
    rounds: plan.rounds,
    pairsPerRound: workers * plan.pairsPerRound,
    shared,
    setupOf: (index, control): SharedChurnThreadSetup => ({
      workload: 'shared-churn',
      index,
      workers,
      live: plan.live,
      pairsPerRound: plan.pairsPerRound,
      warmupPairs: plan.warmupPairs,
      seed: 0x9e3779b9 + index * 0x632be5ab,
      allocator,
      control,
      inbox: inboxes[index] ?? null,
      outbox: inboxes[(index + 1) % workers] ?? null,
      handOffEvery: plan.handOffEvery,
    }),
  });
}

/** What {@link runWorkerThreads} needs to run one point of a thread workload. */
export interface WorkerThreadsRun<Setup> {
  /** The workload the point is reported under. */
  readonly workload: Extract<WorkloadId, 'shared-churn' | 'larson' | 'xmalloc'>;
  /** Contender id, to report under. */
  readonly contender: string;
  /** The built worker entry (dist/shared-churn-thread.js), which runs the setup's workload. */
  readonly threadScript: URL;
  readonly workers: number;
  /** Timed rounds (the point's samples). */
  readonly rounds: number;
  /** Pairs all workers together complete in one timed round (a sample is the round's ns ÷ this). */
  readonly pairsPerRound: number;
  /** The heap the workers share, checked and finished at the end (null: none). */
  readonly shared: SharedHeapForWorkers | null;
  /**
   * The `workerData` of worker `index`.
   * @param index the worker.
   * @param control the control buffer every worker gets.
   */
  readonly setupOf: (index: number, control: SharedArrayBuffer) => Setup;
}

/**
 * Starts `run.workers` worker threads on the thread entry, waits until each has filled and
 * warmed up, releases `run.rounds` timed rounds (each worker bumps the control's DONE word at
 * its round's end; a sample is the round's wall time ÷ `run.pairsPerRound`), then tells them to
 * stop, collects their reports and checks the shared heap (every block freed, invariants).
 * Every thread workload (shared-churn, larson, xmalloc) runs through it.
 * @param run the workload, workers, rounds and each worker's setup.
 * @returns the point and what the workers reported.
 * @throws Error when a worker fails or the shared heap's final check fails.
 */
export async function runWorkerThreads<Setup>(
  run: WorkerThreadsRun<Setup>,
): Promise<{ point: PointResult; threads: SharedChurnThreadReport[] }> {
  const { workers, contender } = run;
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const words = new Int32Array(control);
  const ended: Promise<SharedChurnThreadReport>[] = [];
  const started: Worker[] = [];
  let failure: string | null = null;
  for (let index = 0; index < workers; index++) {
    const worker = new Worker(run.threadScript, { workerData: run.setupOf(index, control) });
    started.push(worker);
    ended.push(
      new Promise((resolve, reject) => {
        worker.on('message', (message: { done?: SharedChurnThreadReport; error?: string }) => {
          if (message.done) resolve(message.done);
          else {
            failure ??= `worker ${index}: ${message.error}`;
            reject(new Error(failure));
          }
        });
        worker.on('error', (error) => {
          failure ??= `worker ${index}: ${error.stack ?? error.message}`;
          reject(new Error(failure));
        });
        worker.on('exit', (code) => reject(new Error(`worker ${index} exited with code ${code}`)));
      }),
    );
  }
  for (const promise of ended) promise.catch(() => {}); // awaited below
  const stopAll = async (): Promise<never> => {
    await Promise.allSettled(started.map((w) => w.terminate()));
    throw new Error(
      `${run.workload} ${contender} with ${workers} worker(s): ${failure ?? 'a worker failed'}`,
    );
  };

  // Fill and warm-up: wait without blocking, so that worker errors arrive as messages.
  const readyBy = Date.now() + READY_TIMEOUT_MS;
  while (Atomics.load(words, CONTROL.READY) < workers) {
    if (failure !== null || Atomics.load(words, CONTROL.FAILED) !== 0) await settleThen(stopAll);
    if (Date.now() > readyBy) {
      failure = `the workers were not ready after ${READY_TIMEOUT_MS / 1000} s`;
      await stopAll();
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }

  // Timed rounds: block this thread on the DONE word, which every worker bumps at its round's end.
  const samples: number[] = [];
  for (let round = 1; round <= run.rounds; round++) {
    const target = workers * round;
    const t0 = performance.now();
    Atomics.store(words, CONTROL.ROUND, round);
    Atomics.notify(words, CONTROL.ROUND);
    for (
      let done = Atomics.load(words, CONTROL.DONE);
      done < target;
      done = Atomics.load(words, CONTROL.DONE)
    ) {
      if (Atomics.load(words, CONTROL.FAILED) !== 0) await settleThen(stopAll);
      Atomics.wait(words, CONTROL.DONE, done, 1000);
    }
    const elapsedMs = performance.now() - t0;
    samples.push((elapsedMs * 1e6) / run.pairsPerRound);
  }
  Atomics.store(words, CONTROL.ROUND, STOP_ROUND);
  Atomics.notify(words, CONTROL.ROUND);
  let threads: SharedChurnThreadReport[];
  try {
    threads = await Promise.all(ended); // an exit after `done` rejects a settled promise: no effect
  } catch {
    return stopAll();
  }
  await Promise.all(started.map((w) => w.terminate()));
  run.shared?.checkAndFinish();
  const totalPairs = threads.reduce((sum, t) => sum + t.pairs, 0);
  return {
    point: {
      workload: run.workload,
      contender,
      point: workersPoint(workers),
      ns: summarize(samples),
      opsPerTrial: run.pairsPerRound,
      totalOps: totalPairs,
      heapGrowthBytes: null,
      heapOps: 0,
      metadataPerBlock: null,
      mappedOverLive: null,
      fragmentation: null,
      peakLiveBytes: null,
      peakMappedBytes: null,
    },
    threads,
  };
}

/** Lets pending worker messages arrive (so the failure text is the worker's), then calls `then`. */
async function settleThen(then: () => Promise<never>): Promise<never> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return then();
}
