import type { SegmentSnapshot } from '@mems/core';
import { countText } from './format-text.js';
import type { StepRecord } from './timeline.js';

/** Where a hole's bytes come from: how many of them some block held before this step. */
export interface HoleHistory {
  /** `'never-allocated'`: no block ever held a byte of it; `'freed'`: blocks held every byte; `'partly-freed'`: some. */
  readonly kind: 'never-allocated' | 'freed' | 'partly-freed';
  /** Bytes of the hole that some block held at an earlier step. */
  readonly usedBytes: number;
  /** The sentence the page shows. */
  readonly text: string;
}

/**
 * Says whether a hole is memory no block has ever held (the untouched rest of a node's pages)
 * or memory a free gave back (or a realloc that moved or shrank a block), from the blocks the
 * steps up to `step` placed (`StepRecord.placed`).
 * @param steps the timeline's steps.
 * @param step the current step (steps after it are not looked at).
 * @param hole the hole, at this step.
 * @returns its history.
 * @throws RangeError when `step` is not a step of `steps`, or `hole` is not a HOLE.
 */
export function holeHistory(
  steps: readonly StepRecord[],
  step: number,
  hole: Pick<SegmentSnapshot, 'kind' | 'start' | 'lastAddress'>,
): HoleHistory {
  if (!Number.isInteger(step) || step < 0 || step >= steps.length)
    throw new RangeError(`holeHistory: step ${step} is not in 0..${steps.length - 1}`);
  if (hole.kind !== 'HOLE') throw new RangeError(`holeHistory: the segment at ${hole.start} is not a HOLE`);
  // The parts of the hole that earlier blocks covered, merged.
  const covered: [number, number][] = [];
  for (let k = 1; k <= step; k++) {
    const placed = steps[k]!.placed;
    if (placed === null || placed.lastAddress < hole.start || placed.start > hole.lastAddress) continue;
    covered.push([Math.max(placed.start, hole.start), Math.min(placed.lastAddress, hole.lastAddress)]);
  }
  covered.sort((a, b) => a[0] - b[0]);
  let usedBytes = 0;
  let end = hole.start - 1;
  for (const [from, to] of covered) {
    if (to <= end) continue;
    usedBytes += to - Math.max(from, end + 1) + 1;
    end = to;
  }
  const size = hole.lastAddress - hole.start + 1;
  if (usedBytes === 0)
    return {
      kind: 'never-allocated',
      usedBytes,
      text: 'never allocated: no block has held these bytes yet (the unused rest of the node’s pages)',
    };
  if (usedBytes === size)
    return {
      kind: 'freed',
      usedBytes,
      text: 'freed: blocks held all of it before (a free, or a realloc that moved or shrank a block, gave it back)',
    };
  return {
    kind: 'partly-freed',
    usedBytes,
    text: `partly freed: blocks held ${countText(usedBytes, 'byte')} of its ${size} before (given back by a free or a realloc); the other ${countText(size - usedBytes, 'byte')} were never allocated`,
  };
}

/**
 * `mems_get`'s refusal of an address inside a hole, as the page shows it: MeMS's own message,
 * without its guess `(already freed?)` (a guess for a caller with a stale pointer; the page says
 * where the hole came from instead, see {@link holeHistory}).
 * @param refusal the error text (`CODE: message`).
 * @returns the text.
 */
export const holeRefusalText = (refusal: string): string => refusal.replace(/ \(already freed\?\)$/, '');
