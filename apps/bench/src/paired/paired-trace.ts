import { abSchedule, median } from '../ab/paired-ratios.js';
import type { TraceScript } from '../traces/trace-script.js';
import { compileTraceLoop, type TraceMethods } from './trace-loop.js';

/** One side of a paired trace run: an allocator object and the names of its methods. */
export interface PairedSide {
  /** How the side is reported (`MeMS tlsf + slabs to 8 KiB`, `libc via koffi`). */
  readonly label: string;
  /** The allocator: an object with the three methods {@link methods} names. */
  readonly target: object;
  readonly methods: TraceMethods;
}

/** How a paired run goes. */
export interface PairedPlan {
  /** Timed rounds; each round replays the trace once on each side, in ABBA order. */
  readonly rounds: number;
  /** Untimed replays per side before the first round (the JIT warms up, the heaps grow). */
  readonly warmups: number;
}

/** The spread of some numbers: median, quartiles and range. */
export interface Spread {
  readonly median: number;
  /** The lower and upper quartiles (medians of the lower and upper halves). */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

/** What a paired run measured. */
export interface PairedTraceResult {
  readonly trace: string;
  readonly operations: number;
  /** The two sides' labels, as given. */
  readonly labels: readonly [string, string];
  /** Median ns per operation of each side. */
  readonly ns: readonly [number, number];
  /**
   * Per round, the second side's time ÷ the first side's: how many times faster the first side
   * is in that round (the same machine state for both). Its spread.
   */
  readonly speedup: Spread;
  /** The per-round speed-ups, in round order. */
  readonly perRound: readonly number[];
}

/**
 * The median, quartiles and range of `values`.
 * @param values at least one finite number.
 * @returns their spread.
 * @throws RangeError as {@link median} does.
 */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  const lower = sorted.slice(0, Math.max(1, half));
  const upper = sorted.slice(sorted.length - Math.max(1, half));
  return {
    median: median(sorted),
    q1: median(lower),
    q3: median(upper),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * Replays `script` on two allocators in this one process, round by round: each side gets its
 * own compiled copy of the replay loop, `plan.warmups` untimed replays, then `plan.rounds`
 * timed replays in ABBA order (A B B A A B ...), so that the machine's state in a round weighs
 * on both alike. Every replay starts with no block live (the loop frees what the trace leaves).
 * @param script the trace.
 * @param sides the two allocators: the first is the one whose speed-up is reported.
 * @param plan rounds and warm-ups.
 * @param clock a monotonic clock in nanoseconds (tests give a fake one).
 * @returns the medians and the per-round speed-ups.
 * @throws RangeError for a plan whose counts are not positive integers (warm-ups may be 0), or
 *   a replay the clock timed at 0 or less; whatever an allocator throws.
 */
export function runPairedTrace(
  script: TraceScript,
  sides: readonly [PairedSide, PairedSide],
  plan: PairedPlan,
  clock: () => number,
): PairedTraceResult {
  if (!Number.isInteger(plan.warmups) || plan.warmups < 0)
    throw new RangeError(`runPairedTrace: warmups ${String(plan.warmups)} must be a non-negative integer`);
  const order = abSchedule(plan.rounds);
  const loops = sides.map((side) => compileTraceLoop(side.methods));
  const slots = sides.map(() => new Float64Array(script.blocks).fill(-1));
  const replay = (s: 0 | 1): number => loops[s]!(sides[s].target, script, slots[s]!, clock);
  for (let w = 0; w < plan.warmups; w++) {
    replay(0);
    replay(1);
  }
  const times: [number[], number[]] = [[], []];
  for (const s of order) {
    const t = replay(s);
    if (!(Number.isFinite(t) && t > 0))
      throw new RangeError(`runPairedTrace: the clock gave ${t} ns for a replay of ${script.name}`);
    times[s].push(t);
  }
  const perRound = times[0].map((t, r) => times[1][r]! / t);
  const perOp = (t: readonly number[]): number => median(t) / script.length;
  return {
    trace: script.name,
    operations: script.length,
    labels: [sides[0].label, sides[1].label],
    ns: [perOp(times[0]), perOp(times[1])],
    speedup: spreadOf(perRound),
    perRound,
  };
}
