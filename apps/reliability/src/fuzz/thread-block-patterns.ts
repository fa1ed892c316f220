/**
 * The bytes a `pnpm fuzz --shared N` block holds: byte i of block `id` is
 * `patternByte(id, i)` (the integrity checker's mix of the id and the offset), whatever the
 * block's address, so that a realloc keeps its prefix's pattern and two blocks that overlap
 * overwrite each other's. Block ids are unique in a run (a worker's counter × 64 + its index).
 */

import { patternByte } from '../integrity/block-patterns.js';
import type { HeldBlock } from './block-registry.js';
import type { FuzzedHeap } from './fuzzed-heap.js';
import { ThreadCheckFailed } from './thread-check-failed.js';

/** The most workers a run may have (block ids keep the worker's index in six bits). */
export const MAX_THREAD_WORKERS = 64;

/** The id of the `counter`-th block of worker `worker`. */
export function threadBlockId(worker: number, counter: number): number {
  return counter * MAX_THREAD_WORKERS + worker;
}

/** Which worker made block `id`, and its counter there: `#12 (worker 3, block 7)`. */
export function describeBlockId(id: number): string {
  return `#${id} (worker ${id % MAX_THREAD_WORKERS}'s block ${Math.floor(id / MAX_THREAD_WORKERS)})`;
}

/** Writes the block's pattern over its bytes [from, to) through a view. */
export function fillPattern(
  heap: Pick<FuzzedHeap, 'view'>,
  block: HeldBlock,
  from: number,
  to: number,
): void {
  if (to <= from) return;
  const view = heap.view(block.address + from, to - from);
  const id = block.id;
  for (let i = 0; i < view.length; i++) view[i] = patternByte(id, from + i);
}

/**
 * Checks that the first `length` bytes of a block hold its pattern.
 * @param what the moment of the check, for the message (`before free`).
 * @param others blocks that might explain damaged bytes (the run's live blocks), or null.
 * @returns the bytes checked.
 * @throws ThreadCheckFailed naming the first bad byte, how many bad bytes follow it and, when
 *   one of `others` overlaps the damaged bytes and its pattern explains them, that block.
 */
export function checkPattern(
  heap: Pick<FuzzedHeap, 'view'>,
  block: HeldBlock,
  length: number,
  what: string,
  others: (() => readonly HeldBlock[]) | null = null,
): number {
  if (length <= 0) return 0;
  const view = heap.view(block.address, length);
  const id = block.id;
  for (let i = 0; i < view.length; i++) {
    if (view[i] === patternByte(id, i)) continue;
    let bad = 0;
    for (let j = i; j < view.length; j++) if (view[j] !== patternByte(id, j)) bad++;
    const at = block.address + i;
    let why = 'no other live block explains them';
    for (const other of others?.() ?? []) {
      if (other.id === id || at < other.address || at >= other.address + other.size) continue;
      if (view[i] === patternByte(other.id, at - other.address))
        why = `they hold the pattern of block ${describeBlockId(other.id)} [${other.address}, +${other.size}), which overlaps this one`;
    }
    throw new ThreadCheckFailed(
      `${what}: block ${describeBlockId(id)} [${block.address}, +${block.size}): byte ${at} (offset ${i}) holds 0x${view[i]!.toString(16)}, its pattern is 0x${patternByte(id, i).toString(16)}; ${bad} bad bytes in the first ${length}: ${why}`,
    );
  }
  return view.length;
}
