/**
 * A segment's or node's virtual range as the seed prints it.
 * @param s anything with a first and a last address.
 * @returns `[start:lastAddress]`.
 */
export const rangeText = (s: { readonly start: number; readonly lastAddress: number }): string =>
  `[${s.start}:${s.lastAddress}]`;

/**
 * A fraction as a percentage with one decimal.
 * @param x the fraction (0.5 is half).
 * @returns for example `50.0%`.
 */
export const percentText = (x: number): string => `${(x * 100).toFixed(1)}%`;
