/** Values that are not what a MeMS call asks for, grouped by the parameter they break. */

/** Not numbers at all. */
export const WRONG_TYPES: readonly unknown[] = [
  '64',
  '',
  null,
  undefined,
  true,
  64n,
  {},
  [64],
  () => 64,
  Symbol('size'),
];

/** Numbers that are never a size or count (a positive safe integer). */
export const BAD_SIZE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  -4096,
  0.5,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  1e300,
];

/** Every value that is not a size (EINVAL whatever the heap holds). */
export const BAD_SIZES: readonly unknown[] = [...BAD_SIZE_NUMBERS, ...WRONG_TYPES];

/** Safe integers past the largest block a heap over a 2^32-byte provider can give (EINVAL). */
export const TOO_LARGE_SIZES: readonly number[] = [2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER];

/** Every value that is not an address (a non-negative safe integer). */
export const BAD_ADDRESSES: readonly unknown[] = [
  -1,
  -1000,
  1000.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  1e300,
  ...WRONG_TYPES.filter((v) => v !== undefined),
  undefined,
];

/**
 * Values of the `frontCache` heap option that every creator refuses (`EINVAL` naming the option
 * and the value), with a policy that may have a cache (`tlsf`). `true` with first fit is refused
 * too; see {@link FRONT_CACHE_NEEDS_POLICY}.
 */
export const BAD_FRONT_CACHE_VALUES: readonly unknown[] = [
  'yes',
  1,
  0,
  [],
  { size: 64 },
  { maxBlockSize: 0 },
  { maxBlockSize: 100 },
  { maxBlockSize: 32768 },
  { maxBlockSize: '1024' },
  { blocksPerClass: 0 },
  { blocksPerClass: 1.5 },
  { blocksPerClass: 2048 },
  { maxBytes: -1 },
  { maxBytes: Number.NaN },
  { maxBytes: 2 ** 33 },
];

/** Policies under which any front cache is refused: they place blocks by address order. */
export const FRONT_CACHE_NEEDS_POLICY: readonly string[] = ['first-fit', 'next-fit'];
