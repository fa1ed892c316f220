import { type Summary, summarize } from './stats.js';

/** How long and how often to measure. */
export interface TrialPlan {
  /** Timed trials; the report gives their median, min and max. */
  readonly trials: number;
  /** Wanted duration of one trial, ms: the batch size is calibrated to it. */
  readonly targetTrialMs: number;
  /** Warm-up before the first trial, at least this many ms (and at least one trial's worth). */
  readonly warmupMs: number;
  /** Churn only: the fewest steady-state operations between the two heap measurements. */
  readonly minHeapOps?: number;
}

/** What {@link measureBatches} found. */
export interface BatchMeasurement {
  /** ns per operation: median, min and max over the trials. */
  readonly ns: Summary;
  /** The per-trial samples, ns per operation. */
  readonly samples: readonly number[];
  /** Operations in each timed trial. */
  readonly opsPerTrial: number;
  /** Operations run in total: calibration, warm-up and trials (and heap-check units). */
  readonly totalOps: number;
  /** heapUsed after the trials − after the warm-up, both after a full GC; null without --expose-gc. */
  readonly heapGrowthBytes: number | null;
  /** Operations run between the two heap measurements. */
  readonly heapOps: number;
}

/** Options of {@link measureBatches}. */
export interface MeasureOptions {
  /** The fewest warm-up units (churn: the live-block count, so every block is replaced about once). */
  readonly minWarmupUnits?: number;
  /**
   * The fewest units between the two heap measurements: when the timed trials run fewer, more
   * untimed units follow them before the second measurement.
   */
  readonly minHeapUnits?: number;
  /** The most time the extra heap-check units may take, ms (default 5000): slow contenders stop short of minHeapUnits. */
  readonly maxHeapCheckMs?: number;
  /** Called after each timed trial, outside the timing (to sample memory). */
  readonly afterTrial?: () => void;
}

/** Called around the timed trials of every {@link measureBatches} (after the warm-up). */
export interface SteadyStateHooks {
  start(): void;
  stop(): void;
}

let hooks: SteadyStateHooks | null = null;

/**
 * Installs hooks run around the timed trials (the worker uses them to CPU-profile the steady
 * state only, without the fill, the warm-up and the forced GCs).
 * @param next the hooks, or null to remove them.
 */
export function setSteadyStateHooks(next: SteadyStateHooks | null): void {
  hooks = next;
}

/** Nanoseconds from a monotonic clock, as a number. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Times a steady-state loop in batches: `run(units)` performs `units` units of work, each of
 * `opsPerUnit` operations, continuing where the last call stopped. A warm-up of at least
 * `minWarmupUnits` units, `plan.warmupMs` and one trial's worth lets the JIT settle and the
 * heap reach its steady state; then `plan.trials` batches of about `plan.targetTrialMs` are timed with `process.hrtime.bigint()`, one clock read
 * per batch, so the clock costs nothing per operation. The batch size comes from the rate of
 * the last warm-up chunk, once the code is optimised. The JS heap is measured (after a full
 * GC) once the warm-up is over and again after the trials: the steady state's garbage or leak.
 * @param run the work.
 * @param opsPerUnit operations in one unit (1 for one free+malloc pair).
 * @param plan trials and durations.
 * @param options warm-up, heap-check length and a per-trial hook.
 * @returns the measurement.
 */
export function measureBatches(
  run: (units: number) => void,
  opsPerUnit: number,
  plan: TrialPlan,
  options: MeasureOptions = {},
): BatchMeasurement {
  let totalUnits = 0;
  const minWarmupUnits = options.minWarmupUnits ?? 0;
  const afterTrial = options.afterTrial ?? (() => {});
  // A cold first estimate: double the batch until it takes at least 2 ms.
  let units = 1;
  let elapsed = 0;
  for (;;) {
    const t0 = nowNs();
    run(units);
    elapsed = nowNs() - t0;
    totalUnits += units;
    if (elapsed >= 2e6 || units >= 2 ** 30) break;
    units *= 2;
  }
  // Warm-up in ~10 ms chunks, re-estimating the rate from each chunk: the cold estimate includes
  // interpretation and compilation, and would make the trials far shorter than planned.
  let nsPerUnit = Math.max(elapsed / units, 0.01);
  const warmupStart = nowNs();
  let warmed = 0;
  for (;;) {
    const wanted = Math.max(minWarmupUnits, Math.round((plan.targetTrialMs * 1e6) / nsPerUnit));
    if (warmed >= wanted && nowNs() - warmupStart >= plan.warmupMs * 1e6) break;
    const chunk = Math.max(1, Math.round(10e6 / nsPerUnit));
    const t0 = nowNs();
    run(chunk);
    nsPerUnit = Math.max((nowNs() - t0) / chunk, 0.01);
    warmed += chunk;
  }
  const unitsPerTrial = Math.max(1, Math.round((plan.targetTrialMs * 1e6) / nsPerUnit));
  totalUnits += warmed;
  const before = heapUsedAfterGc();
  let heapUnits = 0;
  const samples: number[] = [];
  hooks?.start();
  for (let t = 0; t < plan.trials; t++) {
    const t0 = nowNs();
    run(unitsPerTrial);
    const t1 = nowNs();
    samples.push((t1 - t0) / (unitsPerTrial * opsPerUnit));
    totalUnits += unitsPerTrial;
    heapUnits += unitsPerTrial;
    afterTrial();
  }
  hooks?.stop();
  const timeCap = Math.floor(((options.maxHeapCheckMs ?? 5000) * 1e6) / nsPerUnit);
  const extra = Math.min((options.minHeapUnits ?? 0) - heapUnits, timeCap);
  if (extra > 0) {
    run(extra);
    totalUnits += extra;
    heapUnits += extra;
  }
  const after = heapUsedAfterGc();
  return {
    ns: summarize(samples),
    samples,
    opsPerTrial: unitsPerTrial * opsPerUnit,
    totalOps: totalUnits * opsPerUnit,
    heapGrowthBytes: before === null || after === null ? null : after - before,
    heapOps: heapUnits * opsPerUnit,
  };
}

/**
 * `process.memoryUsage().heapUsed` after a full garbage collection.
 * @returns bytes, or null when the process was not started with `--expose-gc`.
 */
export function heapUsedAfterGc(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return null;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Times work that needs untimed setup around it (a fresh allocator, a layout to rebuild): each
 * call of `round()` does its setup, times its own work and returns that time in ns. Two untimed
 * rounds (more until `plan.warmupMs`) warm up; each trial then sums as many rounds as make about
 * `plan.targetTrialMs` of timed work, at least one. The JS heap is measured, after a full GC,
 * before the first and after the last trial.
 * @param round one round: returns the ns of its timed part.
 * @param opsPerRound operations timed in one round.
 * @param plan trials and durations.
 * @returns the measurement.
 */
export function measureRounds(round: () => number, opsPerRound: number, plan: TrialPlan): BatchMeasurement {
  let warm = 0;
  let rounds = 0;
  const warmupStart = nowNs();
  while (rounds < 2 || nowNs() - warmupStart < plan.warmupMs * 1e6) {
    warm = round();
    rounds++;
  }
  const roundsPerTrial = Math.max(1, Math.round((plan.targetTrialMs * 1e6) / Math.max(warm, 1)));
  const before = heapUsedAfterGc();
  const samples: number[] = [];
  hooks?.start();
  for (let t = 0; t < plan.trials; t++) {
    let elapsed = 0;
    for (let r = 0; r < roundsPerTrial; r++) elapsed += round();
    samples.push(elapsed / (opsPerRound * roundsPerTrial));
  }
  hooks?.stop();
  const after = heapUsedAfterGc();
  const opsPerTrial = opsPerRound * roundsPerTrial;
  return {
    ns: summarize(samples),
    samples,
    opsPerTrial,
    totalOps: opsPerTrial * plan.trials + opsPerRound * rounds,
    heapGrowthBytes: before === null || after === null ? null : after - before,
    heapOps: opsPerTrial * plan.trials,
  };
}
