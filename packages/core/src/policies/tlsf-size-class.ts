// The size class the tlsf policy files a hole under, for people (the visualiser shows it): the
// same mapping as tlsfList in tlsf.ts, which a test checks. (Not in tlsf-classes.ts: that module
// holds constants only, which the build inlines into the hot code; with a function and an
// import beside them it stopped doing so, and tlsf's churn lost about 10%.)

import { describeValue, MemsError } from '@mems/os';
import { SL_BITS, SL_COUNT, SMALL_LIMIT } from './tlsf-classes.js';

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
