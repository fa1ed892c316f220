import type { PointResult, SkipResult } from './results.js';
import { type Summary, summarize } from './stats.js';

/** The key of a point: workload, contender and point. */
function keyOf(r: { workload: string; contender: string; point: string }): string {
  return `${r.workload}\u0000${r.contender}\u0000${r.point}`;
}

/**
 * Merges the points of interleaved rounds (round 0 ran every contender of a workload once, then
 * round 1 did, …) into one point per (workload, contender, point): the first round's memory
 * figures, `roundMedians[r]` = round r's median ns (null where that round has no result, e.g.
 * its process failed), and `ns` = median, min and max of those round medians.
 * @param rounds each round's points, in round order; at least one round.
 * @returns the merged points, in first-seen order.
 * @throws RangeError when there is no round.
 */
export function mergeRounds(rounds: readonly (readonly PointResult[])[]): PointResult[] {
  if (rounds.length === 0) throw new RangeError('mergeRounds: no round');
  const order: string[] = [];
  const byKey = new Map<string, { first: PointResult; medians: (number | null)[] }>();
  rounds.forEach((points, r) => {
    for (const p of points) {
      const key = keyOf(p);
      let entry = byKey.get(key);
      if (!entry) {
        entry = { first: p, medians: new Array<number | null>(rounds.length).fill(null) };
        byKey.set(key, entry);
        order.push(key);
      }
      entry.medians[r] = p.ns.median;
    }
  });
  return order.map((key) => {
    const { first, medians } = byKey.get(key)!;
    const measured = medians.filter((m): m is number => m !== null);
    return { ...first, ns: rounds.length === 1 ? first.ns : summarize(measured), roundMedians: medians };
  });
}

/**
 * The skips of every round, each (workload, contender, point, reason) once.
 * @param rounds each round's skips.
 * @returns the skips, in first-seen order.
 */
export function mergeSkips(rounds: readonly (readonly SkipResult[])[]): SkipResult[] {
  const seen = new Set<string>();
  const out: SkipResult[] = [];
  for (const s of rounds.flat()) {
    const key = `${keyOf(s)}\u0000${s.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** Paired ratios of two contenders at one point: one per round both were measured in. */
export interface PairedRatio extends Summary {
  /** numerator ÷ denominator per round; null where either has no result in that round. */
  readonly perRound: readonly (number | null)[];
}

/**
 * The ratio of two points round by round (`a`'s median ns ÷ `b`'s in the same round), with
 * their median and range. Points from a run without rounds (no `roundMedians`) give the one
 * ratio of their medians.
 * @param a the numerator's point (a peer's, for "how many times faster").
 * @param b the denominator's point.
 * @returns the paired ratios, or undefined when no round has both.
 */
export function pairedRatio(a: PointResult, b: PointResult): PairedRatio | undefined {
  const ra = a.roundMedians ?? [a.ns.median];
  const rb = b.roundMedians ?? [b.ns.median];
  const n = Math.max(ra.length, rb.length);
  const perRound: (number | null)[] = [];
  for (let r = 0; r < n; r++) {
    const x = ra[r] ?? null;
    const y = rb[r] ?? null;
    perRound.push(x === null || y === null || y <= 0 ? null : x / y);
  }
  const measured = perRound.filter((v): v is number => v !== null);
  if (measured.length === 0) return undefined;
  return { ...summarize(measured), perRound };
}
