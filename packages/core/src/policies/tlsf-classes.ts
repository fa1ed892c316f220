// TLSF's size classes, in a module of its own: the build inlines imported literal constants
// into the hot code (module-local ones stay variables that V8 reloads on every access). The
// policy (tlsf.ts) uses tlsfList; tlsfClass is the same mapping for people (the visualiser).

import { describeValue, MemsError } from '@mems/os';

/** log2 of the number of second-level lists per first-level class. */
export const SL_BITS = 4;
/** Second-level lists per first-level class (2^SL_BITS). */
export const SL_COUNT = 16;
/** Sizes below this (SL_COUNT) share first-level class 0, split linearly into SL_COUNT lists. */
export const SMALL_LIMIT = 16;
/** First-level classes (32 - SL_BITS + 1): class 0 for small sizes, then one per power of two up to 2^31. */
export const FL_COUNT = 29;

/**
 * The list (size class) of a hole of `size` bytes (1 <= size < 2^32), as the policy indexes its
 * lists: first level × SL_COUNT + second level. Unchecked: the hot path's form of
 * {@link tlsfClass}.
 */
export function tlsfList(size: number): number {
  if (size < SMALL_LIMIT) return size;
  const log2 = 31 - Math.clz32(size);
  return ((log2 - SL_BITS + 1) << SL_BITS) | ((size >>> (log2 - SL_BITS)) ^ SL_COUNT);
}

/** A TLSF size class: its two levels and the sizes it holds. */
export interface TlsfSizeClass {
  /** First level: 0 for sizes below 16, else log2(size) - 3 (one per power of two). */
  readonly fl: number;
  /** Second level: which of the 16 equal slices of the power of two (for fl 0, the size itself). */
  readonly sl: number;
  /** The smallest size in the class. */
  readonly from: number;
  /** The largest size in the class. */
  readonly to: number;
}

/**
 * The size class the `tlsf` policy files a hole of `size` bytes under (Masmano et al. 2004):
 * the first level is a power of two, the second one of its 16 equal slices; sizes below 16
 * share first level 0, one list each.
 * @param size a hole size in bytes: an integer from 1 to 2^32 - 1 (a node is under 4 GiB).
 * @returns the levels and the range of sizes of the class.
 * @throws MemsError `EINVAL` for any other value.
 */
export function tlsfClass(size: number): TlsfSizeClass {
  if (!Number.isSafeInteger(size) || size < 1 || size >= 2 ** 32)
    throw new MemsError(
      'EINVAL',
      `tlsfClass(${describeValue(size)}): size must be an integer from 1 to 2^32 - 1`,
    );
  if (size < SMALL_LIMIT) return { fl: 0, sl: size, from: size, to: size };
  const log2 = 31 - Math.clz32(size);
  const sl = (size >>> (log2 - SL_BITS)) ^ SL_COUNT;
  const step = 2 ** (log2 - SL_BITS);
  const from = 2 ** log2 + sl * step;
  return { fl: log2 - SL_BITS + 1, sl, from, to: from + step - 1 };
}
