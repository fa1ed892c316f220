/** The summary of one measurement: several trials of the same work. */
export interface Summary {
  /** The median of the samples (the mean of the two middle ones for an even count). */
  readonly median: number;
  /** The smallest sample. */
  readonly min: number;
  /** The largest sample. */
  readonly max: number;
  /** How many samples. */
  readonly n: number;
}

/**
 * The median of a list of numbers.
 * @param samples at least one finite number (not modified).
 * @returns the middle value, or the mean of the two middle values for an even count.
 * @throws RangeError for an empty list or a non-finite sample.
 */
export function median(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median, min and max of a list of samples.
 * @param samples at least one finite number (not modified).
 * @returns the {@link Summary}.
 * @throws RangeError for an empty list or a non-finite sample.
 */
export function summarize(samples: readonly number[]): Summary {
  const sorted = sortedCopy(samples);
  const mid = sorted.length >> 1;
  const med = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: med, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('no samples');
  for (const s of samples)
    if (!Number.isFinite(s)) throw new RangeError(`sample ${s} is not a finite number`);
  return [...samples].sort((a, b) => a - b);
}
