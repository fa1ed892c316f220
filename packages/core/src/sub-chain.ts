// The seed's sub-chain surgery as small functions over a heap's tables: cut a block off the
// front of a hole, turn a freed block back into a hole and merge it with its neighbours,
// shrink or grow a block in place. Each keeps every table in step (records, node counts, the
// live-block hash, the policy's index, the counters); none checks arguments or builds
// messages: the heap does that before it calls them, and they cannot fail.
//
// The hot path's share (take from a hole, free and merge) is in hot-path.ts. Call `segments.reserve(2)` and `live.reserve(1)` before any of them that may take
// a segment id or a hash slot.

import {
  BYTES_FREE,
  BYTES_IN_USE,
  HOLES,
  NODES_EVER_MAPPED,
  PAGES_MAPPED,
  SEGMENTS,
} from './counter-slots.js';
import type { HeapTables } from './heap-tables.js';
import { dropSegment } from './hot-path.js';
import { HOLE, NONE, PROCESS } from './segment-table.js';

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

/** The segment of `node` that holds `address` (which must be inside the node). */
export function segmentAt(t: HeapTables, node: number, address: number): number {
  const segments = t.segments;
  // Walk from whichever end of the sub-chain is nearer in address.
  const middle = t.nodes.start[node]! + t.nodes.bytes[node]! / 2;
  if (address < middle) {
    let seg = t.nodes.head[node]!;
    while (address >= segments.start(seg) + segments.size(seg)) seg = segments.next(seg);
    return seg;
  }
  let seg = t.nodes.tail[node]!;
  while (address < segments.start(seg)) seg = segments.prev(seg);
  return seg;
}

/** The live block holding `address` (its start or an interior byte), or NONE. */
export function blockHolding(t: HeapTables, address: number): number {
  const seg = t.live.get(address);
  // The hash also holds the front cache's blocks (CACHED), which are free memory.
  if (seg !== NONE && t.segments.kind(seg) === PROCESS) return seg;
  const node = t.nodes.find(address);
  if (node === NONE) return NONE;
  const holder = segmentAt(t, node, address);
  return t.segments.kind(holder) === PROCESS ? holder : NONE;
}
