/**
 * The order of a paired A/B run: ABBA blocks (A B B A A B B A ...), so that a drift of the
 * machine during the run weighs on both sides alike and neither always goes first.
 * @param rounds how many rounds (each round runs both sides once): a positive integer.
 * @returns for each trial, in order, which side runs: 0 for A (old), 1 for B (new).
 * @throws RangeError for a count that is not a positive integer.
 */
export function abSchedule(rounds: number): (0 | 1)[] {
  if (!Number.isInteger(rounds) || rounds <= 0)
    throw new RangeError(`abSchedule(${String(rounds)}): rounds must be a positive integer`);
  const order: (0 | 1)[] = [];
  for (let r = 0; r < rounds; r++) order.push(...((r % 2 === 0 ? [0, 1] : [1, 0]) as (0 | 1)[]));
  return order;
}

/** The ratios of a paired run: new ÷ old per round, and their median and range. */
export interface PairedRatios {
  /** new ÷ old, one per round, in round order. */
  readonly perRound: readonly number[];
  /** The median of {@link perRound}. */
  readonly median: number;
  /** The smallest ratio. */
  readonly min: number;
  /** The largest ratio. */
  readonly max: number;
}

/**
 * The median of some numbers (the mean of the two middle ones for an even count).
 * @param values at least one finite number.
 * @returns the median.
 * @throws RangeError for an empty list or a value that is not finite.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median([]): no values');
  for (const v of values)
    if (!Number.isFinite(v)) throw new RangeError(`median: ${v} is not a finite number`);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Pairs the times of each round: round r's ratio is `newer[r] / older[r]` (above 1: the new
 * code is slower), so that the machine's state in that round cancels out.
 * @param older the old side's time per round.
 * @param newer the new side's time per round (as many as `older`).
 * @returns the ratios, their median and range.
 * @throws RangeError when the lists differ in length, are empty, or hold a time that is not
 *   a positive finite number.
 */
export function pairedRatios(older: readonly number[], newer: readonly number[]): PairedRatios {
  if (older.length !== newer.length || older.length === 0)
    throw new RangeError(
      `pairedRatios: ${older.length} old and ${newer.length} new times; need the same, at least 1`,
    );
  for (const t of [...older, ...newer])
    if (!(Number.isFinite(t) && t > 0)) throw new RangeError(`pairedRatios: ${t} is not a positive time`);
  const perRound = older.map((t, r) => newer[r]! / t);
  return { perRound, median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
}
