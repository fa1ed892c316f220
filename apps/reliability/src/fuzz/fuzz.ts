/**
 * The time-budgeted differential fuzzer behind `pnpm fuzz`: batches of fast-check runs of
 * {@link runSequence}, each batch seeded from the run's seed and its number, so that
 * `--seed S` replays the same batches in the same order and `--seed S --batch K` replays one.
 */
import fc from 'fast-check';
import { fuzzSequenceArb } from './commands.js';
import { type FuzzCounters, newCounters, runSequence } from './run-sequence.js';

/** Sequences per batch: small enough that the time budget is kept to within a fraction of a second. */
export const BATCH_RUNS = 100;

/** The fast-check seed of batch `batch` of a fuzz run with seed `seed`. */
export function batchSeed(seed: number, batch: number): number {
  return (seed + Math.imul(batch, 0x9e3779b1)) | 0;
}

export interface FuzzOptions {
  /** The run's seed (a 32-bit integer). */
  seed: number;
  /** Stop starting batches after this many seconds. */
  seconds: number;
  /** Run only this batch (a replay). */
  batch?: number;
  /** Most commands of a long sequence after the first init (default 400; short ones have 60). */
  maxLength?: number;
  /** Called after each batch (for progress). */
  onBatch?: (batch: number, counters: FuzzCounters) => void;
}

export interface FuzzResult {
  counters: FuzzCounters;
  batches: number;
  milliseconds: number;
  /** On failure: the batch that failed and fast-check's report (shrunk counterexample, error). */
  failure: { batch: number; report: string } | null;
}

/**
 * Fuzzes until the time budget is spent or a sequence fails.
 * @param options seed, budget, optional single batch.
 * @returns the counts, and the failure report if any.
 */
export function fuzz(options: FuzzOptions): FuzzResult {
  const counters = newCounters();
  const property = fc.property(fuzzSequenceArb(options.maxLength ?? 400), (sequence) => {
    runSequence(sequence, counters);
  });
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let batches = 0;
  for (let batch = options.batch ?? 0; ; batch++) {
    const details = fc.check(property, { seed: batchSeed(options.seed, batch), numRuns: BATCH_RUNS });
    batches++;
    if (details.failed) {
      const error = details.errorInstance;
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const report = `${fc.defaultReportMessage(details) ?? ''}\n\n${why}`;
      return { counters, batches, milliseconds: performance.now() - started, failure: { batch, report } };
    }
    options.onBatch?.(batch, counters);
    if (options.batch !== undefined || performance.now() >= deadline) break;
  }
  return { counters, batches, milliseconds: performance.now() - started, failure: null };
}
