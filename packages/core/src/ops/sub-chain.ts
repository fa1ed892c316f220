// The seed's sub-chain surgery, as functions over a heap's tables: cut a block off the front of
// a hole, turn a freed block back into a hole and merge it with its neighbours, make a new
// node's hole and drop an empty node's, shrink or grow a block in place. Each keeps every table
// in step (records, node counts, the live-block hash, the policy's index, the counters); none
// checks arguments or builds messages: the heap does that before it calls them, and they
// cannot fail.
//
// Together with ops/cache-ops.ts, this is the only code outside tables/ that indexes segment
// records directly (layout in memory/segment-layout.ts) instead of calling SegmentTable's
// accessors, and only in the hot path (takeFromHole, freeBlock and their helpers). allocate and
// free inline everything they call into one optimized function, and V8 stops inlining once the
// inlined bytecode passes a budget: at one accessor call per field read, the policy's calls fell
// outside it and the churn benchmark lost a third of its speed. So each hot function reads the
// record words once into locals and writes them back by index; the rarer edges below use the
// accessors. The owner-and-kind word is packed as (node << 2) | kind, as in SegmentTable.
//
// Call `segments.reserve(2)` and `live.reserve(1)` first: the raw views are read once per
// function, and a table that grew mid-function would leave them stale.

import {
  BYTES_FREE,
  BYTES_IN_USE,
  HOLES,
  LIVE_BLOCKS,
  NODES_EVER_MAPPED,
  PAGES_MAPPED,
  SEGMENTS,
} from '../memory/counter-slots.js';
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
} from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';

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

// ------------------------------------------------------------------ the edges: nodes, shrink, grow

/**
 * A freshly mapped node: its whole length becomes one hole.
 * @returns the hole's segment id.
 */
export function addNodeHole(t: HeapTables, node: number, pages: number): number {
  const nodes = t.nodes;
  const bytes = nodes.bytes[node]!;
  const hole = t.segments.take();
  t.segments.init(hole, nodes.start[node]!, bytes, node, HOLE, NONE, NONE);
  nodes.head[node] = hole;
  nodes.tail[node] = hole;
  nodes.segmentCount[node] = 1;
  const c = t.count;
  c[PAGES_MAPPED]! += pages;
  c[BYTES_FREE]! += bytes;
  c[HOLES]!++;
  c[SEGMENTS]!++;
  c[NODES_EVER_MAPPED]!++;
  t.policy.addHole(hole);
  return hole;
}

/**
 * An empty node is going away: forgets its one hole (the caller unmaps and unlinks the node).
 */
export function dropNodeHole(t: HeapTables, node: number, pages: number): void {
  const hole = t.nodes.head[node]!;
  t.policy.removeHole(hole);
  t.segments.release(hole);
  const c = t.count;
  c[HOLES]!--;
  c[SEGMENTS]!--;
  c[BYTES_FREE]! -= t.nodes.bytes[node]!;
  c[PAGES_MAPPED]! -= pages;
}

/**
 * Shrinks block `block` to `n` bytes in place; the freed tail joins the hole after it or
 * becomes a new hole.
 */
export function shrinkBlock(t: HeapTables, block: number, n: number): void {
  const segments = t.segments;
  const start = segments.start(block);
  const tail = segments.size(block) - n;
  const node = segments.node(block);
  const after = segments.next(block);
  segments.setSize(block, n);
  if (segments.isHole(after)) {
    const oldStart = segments.start(after);
    const oldSize = segments.size(after);
    segments.setStart(after, oldStart - tail);
    segments.setSize(after, oldSize + tail);
    t.policy.holeResized(after, oldStart, oldSize);
  } else {
    const hole = segments.take();
    segments.init(hole, start + n, tail, node, HOLE, block, after);
    segments.setNext(block, hole);
    if (after === NONE) t.nodes.tail[node] = hole;
    else segments.setPrev(after, hole);
    t.nodes.segmentCount[node]!++;
    t.count[SEGMENTS]!++;
    t.count[HOLES]!++;
    t.policy.addHole(hole);
  }
  t.count[BYTES_IN_USE]! -= tail;
  t.count[BYTES_FREE]! += tail;
}

/**
 * Grows block `block` to `n` bytes in place, into the hole after it, when that hole is large
 * enough.
 * @returns whether it grew (false: nothing changed).
 */
export function growBlockInPlace(t: HeapTables, block: number, n: number): boolean {
  const segments = t.segments;
  const need = n - segments.size(block);
  const after = segments.next(block);
  if (!segments.isHole(after) || segments.size(after) < need) return false;
  const oldStart = segments.start(after);
  const oldSize = segments.size(after);
  if (oldSize === need) {
    t.policy.removeHole(after);
    dropSegment(t, after);
    t.count[HOLES]!--;
  } else {
    segments.setStart(after, oldStart + need);
    segments.setSize(after, oldSize - need);
    t.policy.holeResized(after, oldStart, oldSize);
  }
  segments.setSize(block, n);
  t.count[BYTES_IN_USE]! += need;
  t.count[BYTES_FREE]! -= need;
  return true;
}
