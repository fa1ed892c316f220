import { describeValue, MemsError } from './errors.js';

/**
 * The largest mapping the built-in providers accept: 4 GiB. A koffi view over more than 4 GiB
 * aborts the process, so the mmap provider refuses larger mappings before calling the OS.
 */
export const MAX_MAPPING_BYTES: number = 2 ** 32;

/**
 * Whether a value is a positive integer power of two (1, 2, 4, …) that is a safe integer.
 * @param value anything.
 * @returns true for 1, 2, 4, 8, … up to 2^52; false for everything else (including non-numbers).
 */
export function isPowerOfTwo(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) return false;
  // Exact for every safe integer: a power of two has a single set bit, so its base-2 log is whole.
  return Number.isInteger(Math.log2(value)) && 2 ** Math.log2(value) === value;
}

/**
 * Checks the argument of a `map` call and returns it as a number.
 * @param call the call to name in the error message, for example `'mock.map'`.
 * @param byteLength the argument as received (any type).
 * @param pageSize the provider's page size (a power of two).
 * @param maxMappingBytes the largest byteLength the provider accepts.
 * @returns `byteLength`, known to be a positive safe-integer multiple of `pageSize` that is at
 *   most `maxMappingBytes`.
 * @throws MemsError `EINVAL` when `byteLength` is not a number, is NaN, ±Infinity, zero,
 *   negative, fractional, not a multiple of `pageSize`, or larger than `maxMappingBytes`. The
 *   message names the call and the value, for example
 *   `mock.map(4097): byteLength must be a positive multiple of the page size 4096`.
 */
export function validateByteLength(
  call: string,
  byteLength: unknown,
  pageSize: number,
  maxMappingBytes: number,
): number {
  if (
    typeof byteLength !== 'number' ||
    !Number.isSafeInteger(byteLength) ||
    byteLength <= 0 ||
    byteLength % pageSize !== 0
  ) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(byteLength)}): byteLength must be a positive multiple of the page size ${pageSize}`,
    );
  }
  if (byteLength > maxMappingBytes) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(byteLength)}): byteLength is larger than the largest mapping this provider accepts (${maxMappingBytes} bytes)`,
    );
  }
  return byteLength;
}
