/**
 * A xorshift32 generator with a fixed seed, so every contender (and the C reference) replays
 * exactly the same sequence. Returns integers in [0, 2^32).
 * @param seed any non-zero 32-bit integer.
 * @returns a function giving the next value.
 */
export function xorshift32(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/**
 * An integer in [lo, hi] from a xorshift32 value (multiply-shift, no modulo bias to speak of).
 * @param value a value in [0, 2^32).
 * @param lo the smallest result.
 * @param hi the largest result.
 * @returns an integer in [lo, hi].
 */
export function inRange(value: number, lo: number, hi: number): number {
  return lo + Math.floor((value / 4294967296) * (hi - lo + 1));
}
