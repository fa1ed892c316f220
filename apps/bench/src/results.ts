import type { Summary } from './stats.js';

/** The workloads, as reported (seed and realloc each give two). */
export type WorkloadId =
  | 'churn'
  | 'churn-touch'
  | 'access'
  | 'glibc-simple'
  | 'seed-fill'
  | 'seed-churn'
  | 'realloc-hole'
  | 'realloc-live'
  | 'translate'
  | 'traces'
  | 'shared-churn'
  | 'larson'
  | 'xmalloc';

/** One measured point: one contender, one workload, one size. */
export interface PointResult {
  readonly workload: WorkloadId;
  readonly contender: string;
  /** The point's key within the workload: the live-block count, or `N×size` for glibc-simple. */
  readonly point: string;
  /**
   * ns per operation (what an operation is: see the workload's `unit`): the median, min and
   * max of the trials, or, in a run of several rounds, of the rounds' medians.
   */
  readonly ns: Summary;
  /** Each round's median ns (index = round; null where that round has no result). Absent in runs before rounds. */
  readonly roundMedians?: readonly (number | null)[];
  /** Operations in each timed trial. */
  readonly opsPerTrial: number;
  /** Operations run in total (calibration, warm-up, trials). */
  readonly totalOps: number;
  /**
   * heapUsed after − before the measured steady-state loops (after warm-up), both after a full
   * GC; null without --expose-gc or for native code.
   */
  readonly heapGrowthBytes: number | null;
  /** Operations run between the two heap measurements. */
  readonly heapOps: number;
  /** Out-of-line metadata bytes per live block at the end, when the allocator reports metadata. */
  readonly metadataPerBlock: number | null;
  /** Peak bytes held from the OS (or the pool) ÷ peak bytes requested by live blocks. */
  readonly mappedOverLive: number | null;
  /** 1 − largest free block ÷ free bytes at the end, when the allocator can tell. */
  readonly fragmentation: number | null;
  /** Peak bytes requested by live blocks. */
  readonly peakLiveBytes: number | null;
  /** Peak bytes held from the OS (or the pool). */
  readonly peakMappedBytes: number | null;
  /** Traces: the process's peak resident set (ru_maxrss), bytes; the process replays one trace only. */
  readonly peakRssBytes?: number | null;
  /** Traces: the process's resident set just before the replay began (the runtime's own share), bytes. */
  readonly baseRssBytes?: number | null;
}

/** A point that was not measured, and why. */
export interface SkipResult {
  readonly workload: WorkloadId;
  readonly contender: string;
  readonly point: string;
  readonly reason: string;
}

/** What one benchmark process reports. */
export interface WorkerOutput {
  readonly results: PointResult[];
  readonly skips: SkipResult[];
}

/** A contender as the report describes it. */
export interface ContenderInfo {
  readonly id: string;
  readonly label: string;
  /** `mems` rows are compared against `peer` rows; the baseline is the harness alone. */
  readonly group: 'mems' | 'peer' | 'baseline';
}

/** The whole run: what `results/latest.json` holds. */
export interface BenchReport {
  readonly version: 1;
  /** ISO time the run started. */
  readonly startedAt: string;
  /** Seconds the run took. */
  readonly durationSeconds: number;
  readonly mode: 'full' | 'quick';
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly cc: string | null;
    /** 1-minute load average when the run started and when it ended (other work on the machine). */
    readonly loadAverage?: readonly [number, number];
  };
  /**
   * How many interleaved rounds each workload ran (every contender of the workload once per
   * round, each in a fresh process); absent in runs before rounds (one each).
   */
  readonly rounds?: Partial<Record<WorkloadId, number>>;
  /** The commit measured (`git rev-parse --short HEAD`), with a note when packages/ had uncommitted changes; null outside git. */
  readonly revision?: string | null;
  readonly contenders: readonly ContenderInfo[];
  readonly results: readonly PointResult[];
  readonly skips: readonly SkipResult[];
  /** Free-form notes (unavailable contenders, skipped sizes, ...). */
  readonly notes: readonly string[];
}

/**
 * Hand-written findings (`apps/bench/results/findings.json`): per workload, where MeMS is ahead
 * and behind and the measured reason. They describe one run; the Markdown says so when the page
 * comes from another.
 */
export interface Findings {
  /** The `startedAt` of the run the findings were written for. */
  readonly run: string;
  /** Markdown paragraphs per workload. */
  readonly byWorkload: Partial<Record<WorkloadId, string>>;
}
