// The hot path: taking a block from a hole and freeing it back, with its merges. This is the
// one module that indexes segment records directly (layout in segment-layout.ts) instead of
// calling SegmentTable's accessors. allocate and free inline everything they call into one
// optimized function, and V8 stops inlining once the inlined bytecode passes a budget: at one
// accessor call per field read, the policy's calls fell outside it and the churn benchmark
// lost a third of its speed. Here each function reads the record words once into locals and
// writes them back by index. The owner-and-kind word is packed as (node << 2) | kind, as in
// SegmentTable.
//
// Call `segments.reserve(2)` and `live.reserve(1)` first: the raw views are read once per
// function, and a table that grew mid-function would leave them stale.

import { BYTES_FREE, BYTES_IN_USE, HOLES, LIVE_BLOCKS, SEGMENTS } from './counter-slots.js';
import type { HeapTables } from './heap-tables.js';
import {
  DOUBLES_PER_RECORD as D,
  HOLE,
  NEXT,
  NONE,
  OWNER_AND_KIND,
  PREV,
  PROCESS,
  SIZE,
  START,
  WORDS_PER_RECORD as W,
} from './segment-layout.js';

/**
 * Takes the front `n` bytes of `hole` for a new block (the rest, if any, stays a hole).
 * @returns the block's start address.
 */
export function takeFromHole(t: HeapTables, hole: number, n: number): number {
  const segments = t.segments;
  const words = segments.words;
  const start = segments.doubles[D * hole + START]!;
  const holeSize = segments.unsignedWords[W * hole + SIZE]!;
  const ownerAndKind = words[W * hole + OWNER_AND_KIND]!;
  const node = ownerAndKind >> 2;
  let block = hole;
  const c = t.count;
  if (holeSize === n) {
    t.policy.removeHole(hole);
    words[W * hole + OWNER_AND_KIND] = (ownerAndKind & ~3) | PROCESS;
    c[HOLES]!--;
  } else {
    block = cutFront(t, hole, start, holeSize, n, node);
  }
  t.nodes.liveCount[node]!++;
  c[LIVE_BLOCKS]!++;
  c[BYTES_IN_USE]! += n;
  c[BYTES_FREE]! -= n;
  t.live.add(block, start);
  t.policy.allocated(start, n);
  return start;
}

/**
 * Cuts a new block of `n` bytes off the front of `hole` (`holeSize` bytes at `start`, in
 * `node`), which keeps the rest. Apart from takeFromHole so that both stay small.
 * @returns the new block's segment id.
 */
function cutFront(
  t: HeapTables,
  hole: number,
  start: number,
  holeSize: number,
  n: number,
  node: number,
): number {
  const segments = t.segments;
  const block = segments.take(); // reserved: the views do not change
  const doubles = segments.doubles;
  const words = segments.words;
  const sizes = segments.unsignedWords;
  const before = words[W * hole + PREV]!;
  doubles[D * block + START] = start;
  sizes[W * block + SIZE] = n;
  words[W * block + OWNER_AND_KIND] = (node << 2) | PROCESS;
  words[W * block + PREV] = before;
  words[W * block + NEXT] = hole;
  words[W * hole + PREV] = block;
  if (before === NONE) t.nodes.head[node] = block;
  else words[W * before + NEXT] = block;
  t.nodes.segmentCount[node]!++;
  t.count[SEGMENTS]!++;
  doubles[D * hole + START] = start + n;
  sizes[W * hole + SIZE] = holeSize - n;
  t.policy.holeResized(hole, start, holeSize);
  return block;
}

/**
 * Turns `block` (already out of the live-block hash) into a hole, merged with the holes beside
 * it in its sub-chain (never across nodes).
 * @returns the block's node.
 */
export function freeBlock(t: HeapTables, block: number): number {
  const segments = t.segments;
  const words = segments.words;
  const size = segments.unsignedWords[W * block + SIZE]!;
  const node = words[W * block + OWNER_AND_KIND]! >> 2;
  const c = t.count;
  c[LIVE_BLOCKS]!--;
  c[BYTES_IN_USE]! -= size;
  c[BYTES_FREE]! += size;
  t.nodes.liveCount[node]!--;
  const before = words[W * block + PREV]!;
  const after = words[W * block + NEXT]!;
  const holeBefore = before !== NONE && (words[W * before + OWNER_AND_KIND]! & 3) === HOLE;
  const holeAfter = after !== NONE && (words[W * after + OWNER_AND_KIND]! & 3) === HOLE;
  if (!holeBefore && !holeAfter) {
    words[W * block + OWNER_AND_KIND] = (node << 2) | HOLE;
    c[HOLES]!++;
    t.policy.addHole(block);
  } else if (holeBefore) {
    mergeInto(t, block, size, before, holeAfter ? after : NONE, NONE);
  } else {
    mergeInto(t, block, size, after, NONE, segments.doubles[D * block + START]!);
  }
  return node;
}

/**
 * Merges freed `block` (`size` bytes) into the neighbouring `hole`; `alsoAfter`, when not NONE,
 * is the hole on the block's other side, which joins too. `newStart` is the hole's new start
 * when it lies after the block (NONE when it lies before).
 */
function mergeInto(
  t: HeapTables,
  block: number,
  size: number,
  hole: number,
  alsoAfter: number,
  newStart: number,
): void {
  const segments = t.segments;
  const doubles = segments.doubles;
  const sizes = segments.unsignedWords;
  const oldStart = doubles[D * hole + START]!;
  const oldSize = sizes[W * hole + SIZE]!;
  let merged = oldSize + size;
  if (alsoAfter !== NONE) {
    t.policy.removeHole(alsoAfter);
    merged += sizes[W * alsoAfter + SIZE]!;
    dropSegment(t, alsoAfter);
    t.count[HOLES]!--;
  }
  dropSegment(t, block);
  if (newStart !== NONE) doubles[D * hole + START] = newStart;
  sizes[W * hole + SIZE] = merged;
  t.policy.holeResized(hole, oldStart, oldSize);
}

/** Unlinks a segment from its sub-chain and recycles its id. */
export function dropSegment(t: HeapTables, seg: number): void {
  const segments = t.segments;
  const words = segments.words;
  const node = words[W * seg + OWNER_AND_KIND]! >> 2;
  const before = words[W * seg + PREV]!;
  const after = words[W * seg + NEXT]!;
  if (before === NONE) t.nodes.head[node] = after;
  else words[W * before + NEXT] = after;
  if (after === NONE) t.nodes.tail[node] = before;
  else words[W * after + PREV] = before;
  t.nodes.segmentCount[node]!--;
  segments.release(seg);
  t.count[SEGMENTS]!--;
}
