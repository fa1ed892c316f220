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

/**
 * A count and its noun, singular for exactly one: `1 page`, `2 pages`, `0 holes`.
 * @param n the count.
 * @param noun the singular noun.
 * @param plural the plural (default: the noun and an `s`).
 * @returns for example `3 nodes`.
 */
export const countText = (n: number, noun: string, plural = `${noun}s`): string =>
  `${n} ${n === 1 ? noun : plural}`;

/**
 * Where something happened over a timeline's steps, in words: step 0 is the fresh heap (the
 * start, before any command), steps 1 to n are the commands.
 * @param steps the steps, ascending (at most `limit` are named, then `…`).
 * @param limit how many to name.
 * @returns for example `on the fresh heap and after steps 3, 5`, or `after step 7`.
 */
export function stepsText(steps: readonly number[], limit = 10): string {
  const parts: string[] = [];
  if (steps[0] === 0) parts.push('on the fresh heap');
  const rest = steps.filter((s) => s !== 0);
  if (rest.length > 0)
    parts.push(
      `after ${rest.length === 1 ? 'step' : 'steps'} ${rest.slice(0, limit).join(', ')}${rest.length > limit ? ', …' : ''}`,
    );
  return parts.join(' and ');
}

/**
 * The step list's line for the steps before the ones it shows.
 * @param from the first step shown (1 or more).
 * @returns for example `… the start and steps 1–19 above`.
 */
export const earlierStepsText = (from: number): string =>
  from === 1
    ? '… the start (step 0) above'
    : `… the start and ${from === 2 ? 'step 1' : `steps 1–${from - 1}`} above`;

/**
 * The step list's line for the steps after the ones it shows.
 * @param to the first step not shown.
 * @param lastStep the timeline's last step (`to` or more).
 * @returns for example `… steps 40–120 below`, or `… step 120 below`.
 */
export const laterStepsText = (to: number, lastStep: number): string =>
  `… ${to === lastStep ? `step ${to}` : `steps ${to}–${lastStep}`} below`;
