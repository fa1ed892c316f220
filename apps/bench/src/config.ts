import type { JobWorkload } from './contenders.js';
import type { TrialPlan } from './measure.js';
import type { LarsonPlan } from './workloads/larson.js';
import type { SharedChurnPlan } from './workloads/shared-churn.js';
import type { XmallocPlan } from './workloads/xmalloc.js';

/** Sizes, counts and trial plans of one benchmark run. */
export interface BenchConfig {
  readonly mode: 'full' | 'quick';
  /** Live-block counts of the churn workload. */
  readonly churnLive: readonly number[];
  /** Steps of each churn-shaped script (churn, churn-touch, seed-churn, translate); undefined: the script's default (2^20 or more). */
  readonly scriptSteps?: number;
  /** Live-block counts of the churn-touch workload. */
  readonly churnTouchLive: readonly number[];
  /** Live-block counts of the access workload. */
  readonly accessLive: readonly number[];
  /** Accesses in the access workload's script (replayed from the start when a run needs more). */
  readonly accessSteps: number;
  /** Traces: replay at most this many operations of each (the first ones); null for all. */
  readonly traceOperations: number | null;
  /** Live-block counts of the seed pattern. */
  readonly seedLive: readonly number[];
  /** Live-block counts of the translate workload. */
  readonly translateLive: readonly number[];
  /** Block counts of glibc-simple. */
  readonly simpleCounts: readonly number[];
  /** Block sizes of glibc-simple. */
  readonly simpleSizes: readonly number[];
  /** Blocks grown side by side in the realloc workloads (one point each). */
  readonly reallocBlocks: readonly number[];
  /** Precomputed addresses the translate workload cycles through. */
  readonly translateProbes: number;
  readonly plans: {
    readonly churn: TrialPlan;
    readonly traces: TrialPlan;
    readonly simple: TrialPlan;
    readonly seed: TrialPlan;
    readonly realloc: TrialPlan;
    readonly translate: TrialPlan;
    readonly access: TrialPlan;
  };
  /** The shared-churn workload: worker counts, live blocks per worker, pairs and rounds. */
  readonly sharedChurn: {
    readonly workers: readonly number[];
    readonly plan: SharedChurnPlan;
  };
  /** The larson workload (issue 21): worker counts, slots per worker, hand-offs, pairs and rounds. */
  readonly larson: {
    readonly workers: readonly number[];
    readonly plan: LarsonPlan;
  };
  /** The xmalloc workload (issue 21): worker counts (1 or even), pairs and rounds. */
  readonly xmalloc: {
    readonly workers: readonly number[];
    readonly plan: XmallocPlan;
  };
  /** A benchmark process that runs longer than this is stopped and its points reported as skipped. */
  readonly jobTimeoutMs: number;
  /**
   * Interleaved rounds per workload: every contender of the workload runs once per round, each
   * in a fresh process, in the same order (A B C … A B C …), so that every ratio of the report
   * can compare two contenders measured minutes apart at most, round by round.
   */
  readonly rounds: Readonly<Record<JobWorkload, number>>;
  /** Contenders this mode leaves out unless `--contenders` names them. */
  readonly skipContender?: (id: string) => boolean;
}

/** The same number of rounds for every workload. */
function everyWorkload(rounds: number): Record<JobWorkload, number> {
  return {
    churn: rounds,
    'churn-touch': rounds,
    access: rounds,
    'glibc-simple': rounds,
    seed: rounds,
    realloc: rounds,
    translate: rounds,
    traces: rounds,
    'shared-churn': rounds,
    larson: rounds,
    xmalloc: rounds,
  };
}

/** The full run: 5 interleaved rounds of every workload, each contender in a fresh process per round. */
export const FULL: BenchConfig = {
  mode: 'full',
  churnLive: [1_000, 10_000, 100_000, 1_000_000],
  churnTouchLive: [1_000, 10_000, 100_000, 1_000_000],
  accessLive: [1_000, 10_000, 100_000],
  accessSteps: 1 << 20,
  traceOperations: null,
  seedLive: [1_000, 10_000, 100_000],
  translateLive: [1_000, 10_000, 100_000, 1_000_000],
  simpleCounts: [25, 100, 400, 1600],
  simpleSizes: [16, 256, 4096],
  reallocBlocks: [100, 1000],
  translateProbes: 1 << 20,
  plans: {
    // 5 trials per process and round; the 5 rounds give each point 25 trials in 5 processes.
    churn: { trials: 5, targetTrialMs: 100, warmupMs: 200, minHeapOps: 1_000_000 },
    traces: { trials: 5, targetTrialMs: 100, warmupMs: 100 },
    simple: { trials: 5, targetTrialMs: 20, warmupMs: 50 },
    seed: { trials: 5, targetTrialMs: 100, warmupMs: 100 },
    realloc: { trials: 5, targetTrialMs: 50, warmupMs: 100 },
    translate: { trials: 5, targetTrialMs: 50, warmupMs: 100 },
    access: { trials: 5, targetTrialMs: 50, warmupMs: 100 },
  },
  sharedChurn: {
    workers: [1, 2],
    plan: { live: 10_000, pairsPerRound: 200_000, rounds: 7, warmupPairs: 100_000, handOffEvery: 4 },
  },
  // 4 workers on the 2-core machine: what oversubscription does.
  larson: {
    workers: [1, 2, 4],
    plan: {
      live: 5_000,
      pairsPerRound: 200_000,
      rounds: 7,
      warmupPairs: 50_000,
      handOffEvery: 1_024,
      handOffBlocks: 256,
    },
  },
  xmalloc: {
    workers: [1, 2, 4],
    plan: { pairsPerRound: 200_000, rounds: 7, warmupPairs: 50_000, batch: 1_024 },
  },
  jobTimeoutMs: 240_000,
  rounds: everyWorkload(5),
};

/**
 * The quick run (`--quick`): a smoke test of every code path in about two minutes of a 2-core
 * machine: 1k and 10k live blocks (1k only beyond churn), short scripts, fewer and shorter
 * trials, the first 5k operations of each trace, no mock-provider rows.
 */
export const QUICK: BenchConfig = {
  mode: 'quick',
  churnLive: [1_000, 10_000],
  scriptSteps: 1 << 16,
  churnTouchLive: [1_000],
  accessLive: [1_000, 10_000],
  accessSteps: 1 << 16,
  traceOperations: 5_000,
  seedLive: [1_000],
  translateLive: [1_000],
  simpleCounts: [25, 400],
  simpleSizes: [16, 256],
  reallocBlocks: [100],
  translateProbes: 1 << 16,
  plans: {
    churn: { trials: 3, targetTrialMs: 10, warmupMs: 10 },
    traces: { trials: 3, targetTrialMs: 5, warmupMs: 5 },
    simple: { trials: 3, targetTrialMs: 3, warmupMs: 3 },
    seed: { trials: 3, targetTrialMs: 10, warmupMs: 10 },
    realloc: { trials: 3, targetTrialMs: 5, warmupMs: 5 },
    translate: { trials: 3, targetTrialMs: 5, warmupMs: 5 },
    access: { trials: 3, targetTrialMs: 5, warmupMs: 5 },
  },
  sharedChurn: {
    workers: [1, 2],
    plan: { live: 1_000, pairsPerRound: 10_000, rounds: 3, warmupPairs: 5_000, handOffEvery: 4 },
  },
  larson: {
    workers: [1, 2, 4],
    plan: {
      live: 1_000,
      pairsPerRound: 10_000,
      rounds: 3,
      warmupPairs: 5_000,
      handOffEvery: 512,
      handOffBlocks: 64,
    },
  },
  xmalloc: {
    workers: [1, 2, 4],
    plan: { pairsPerRound: 10_000, rounds: 3, warmupPairs: 2_000, batch: 256 },
  },
  jobTimeoutMs: 60_000,
  // A smoke test: the headline workload in two rounds (the paired-ratio path), the rest in one.
  rounds: { ...everyWorkload(1), churn: 2 },
  // The mock-provider rows run the same allocator code as the mmap rows (unit tests run them on
  // every workload); the smoke test leaves them out to stay within about two minutes.
  skipContender: (id) => id.endsWith('/mock'),
};
