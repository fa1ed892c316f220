import { loadavg } from 'node:os';
import { makeChurnSequence } from '../sequence.js';
import type { AbSide } from './build-core.js';
import { type ChurnMethods, ChurnTrial } from './churn-trial.js';
import { abSchedule, median, type PairedRatios, pairedRatios } from './paired-ratios.js';

/** The configurations an A/B run can compare, by name. */
export const AB_CONFIGS = [
  'first-fit',
  'next-fit',
  'best-fit',
  'tlsf',
  'best-fit+cache',
  'tlsf+cache',
  'api',
] as const;

/** A configuration's name: a core policy (`+cache`: with the front cache), or `api` (createMems). */
export type AbConfig = (typeof AB_CONFIGS)[number];

/** Settings of an A/B run. */
export interface AbSettings {
  /** Live blocks during the churn. */
  readonly live: number;
  /** Rounds (each round times both sides once, in ABBA order). */
  readonly rounds: number;
  /** free+malloc pairs per timed trial. */
  readonly steps: number;
  /** The configurations to compare. */
  readonly configs: readonly AbConfig[];
}

/** One configuration's result. */
export interface AbConfigResult {
  readonly config: AbConfig;
  /** The old side's ns per pair, one per round. */
  readonly oldTimes: readonly number[];
  /** The new side's ns per pair, one per round (paired with {@link oldTimes}). */
  readonly newTimes: readonly number[];
  /** Median ns per pair of the old side. */
  readonly oldNs: number;
  /** Median ns per pair of the new side. */
  readonly newNs: number;
  /** new ÷ old per round, with median and range. */
  readonly ratios: PairedRatios;
}

/** What a run gives. */
export interface AbResult {
  readonly results: readonly AbConfigResult[];
  /** The 1-minute load average before and after. */
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/**
 * A configuration's allocator on one side, with the names of its methods.
 * @throws MemsError when the side refuses the options (for example a policy it lacks).
 */
function makeTarget(
  side: AbSide,
  config: AbConfig,
): { target: object; methods: ChurnMethods; end: () => void } {
  const provider = side.createMockProvider();
  if (config === 'api') {
    const mems = side.createMems({ provider });
    return { target: mems, methods: { malloc: 'malloc', free: 'free' }, end: () => mems.finish() };
  }
  const cache = config.endsWith('+cache');
  const policy = cache ? config.slice(0, -'+cache'.length) : config;
  const heap = side.createHeap({ provider, policy, frontCache: cache });
  return { target: heap, methods: { malloc: 'allocate', free: 'free' }, end: () => heap.destroy() };
}

/**
 * Alternates the two sides' churn trials in this one process, configuration by configuration:
 * each side gets its own heap and its own compiled copy of the loop, one untimed warm-up trial,
 * then `rounds` timed trials each in ABBA order.
 * @param older the old side (the ref).
 * @param newer the new side (usually the working tree).
 * @param settings what to run.
 * @param report called after each configuration (for progress output), optional.
 * @returns every configuration's medians and paired ratios, and the load average around the run.
 */
export function runAb(
  older: AbSide,
  newer: AbSide,
  settings: AbSettings,
  report?: (result: AbConfigResult) => void,
): AbResult {
  const loadBefore = loadavg()[0]!;
  const seq = makeChurnSequence(settings.live, { steps: Math.max(2 ** 20, settings.steps) });
  const results: AbConfigResult[] = [];
  for (const config of settings.configs) {
    const made = [makeTarget(older, config), makeTarget(newer, config)];
    const trials = made.map((m) => new ChurnTrial(m.target, m.methods, seq));
    for (const trial of trials) trial.time(settings.steps);
    const times: [number[], number[]] = [[], []];
    for (const side of abSchedule(settings.rounds)) times[side].push(trials[side]!.time(settings.steps));
    for (let s = 0; s < 2; s++) {
      trials[s]!.drain();
      made[s]!.end();
    }
    const result = configResult(config, times[0], times[1]);
    results.push(result);
    report?.(result);
  }
  return { results, loadBefore, loadAfter: loadavg()[0]! };
}

/**
 * A configuration's result from its paired per-round times.
 * @param config the configuration.
 * @param oldTimes the old side's times, one per round.
 * @param newTimes the new side's, paired with them.
 * @returns medians and paired ratios.
 * @throws RangeError as {@link pairedRatios} does.
 */
export function configResult(
  config: AbConfig,
  oldTimes: readonly number[],
  newTimes: readonly number[],
): AbConfigResult {
  return {
    config,
    oldTimes,
    newTimes,
    oldNs: median(oldTimes),
    newNs: median(newTimes),
    ratios: pairedRatios(oldTimes, newTimes),
  };
}

/**
 * Pools the runs of several processes: each configuration's rounds from every run, still in
 * pairs, so that the ratio's median and range cover the JIT's different choices in different
 * processes (one process alone varies by several per cent from the next).
 * @param runs the runs, each over the same configurations.
 * @returns one result per configuration, in the first run's order.
 * @throws RangeError when there is no run, or the runs differ in their configurations.
 */
export function poolRuns(runs: readonly AbResult[]): AbResult {
  if (runs.length === 0) throw new RangeError('poolRuns: no runs');
  const configs = runs[0]!.results.map((r) => r.config);
  for (const run of runs)
    if (run.results.map((r) => r.config).join() !== configs.join())
      throw new RangeError('poolRuns: the runs compare different configurations');
  const results = configs.map((config, i) =>
    configResult(
      config,
      runs.flatMap((run) => run.results[i]!.oldTimes),
      runs.flatMap((run) => run.results[i]!.newTimes),
    ),
  );
  return { results, loadBefore: runs[0]!.loadBefore, loadAfter: runs[runs.length - 1]!.loadAfter };
}
