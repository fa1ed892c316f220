// Finding what lies at an address: the segment of a node that holds it, the live block that
// holds it, the free run around a hole or cached block, and the EFAULT message that says why an
// address is not a block. Read-only: nothing here changes the heap.

import { MemsError } from '@mems/os';
import { CACHED, HOLE, NONE, PROCESS } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { explainWithSlabs } from './slab-views.js';

/** Where a live block lies: what the views need of it (see {@link findLiveBlock}). */
export interface LiveBlockSpan {
  /** Its first virtual address. */
  start: number;
  /** Its size in bytes. */
  size: number;
  /** Its node. */
  node: number;
}

/** The one span {@link findLiveBlock} fills (a view call builds no object for it). */
const found: LiveBlockSpan = { start: 0, size: 0, node: 0 };

/**
 * The live block holding `address` (its start or an interior byte), in a slab or in a
 * sub-chain.
 * @returns a span object that the next call overwrites, or null when no live block holds it.
 */
export function findLiveBlock(t: HeapTables, address: number): LiveBlockSpan | null {
  const slabs = t.slabs;
  if (slabs !== null) {
    const s = slabs.slabAt(address);
    if (s !== NONE) {
      const index = slabs.blockIndexAt(s, address);
      if (index < 0) return null;
      const size = slabs.classSize[slabs.cls[s]!]!;
      found.start = slabs.start[s]! + index * size;
      found.size = size;
      found.node = slabs.node[s]!;
      return found;
    }
  }
  const seg = blockHolding(t, address);
  if (seg === NONE) return null;
  found.start = t.segments.start(seg);
  found.size = t.segments.size(seg);
  found.node = t.segments.node(seg);
  return found;
}

/**
 * The live block starting exactly at `address`, as {@link findLiveBlock} gives it, or null.
 */
export function findLiveBlockStart(t: HeapTables, address: number): LiveBlockSpan | null {
  const span = findLiveBlock(t, address);
  return span !== null && span.start === address ? span : null;
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

/** Whether segment `seg` (or NONE) is free memory: a HOLE or a CACHED block. */
export function isFreeSegment(t: HeapTables, seg: number): boolean {
  if (seg === NONE) return false;
  const kind = t.segments.kind(seg);
  return kind === HOLE || kind === CACHED;
}

/**
 * The free run around free segment `seg` (a hole or a cached block): the holes and cached
 * blocks beside it, as a flush would merge them.
 * @returns the run's first and last segment ids.
 */
export function freeRunAround(t: HeapTables, seg: number): { first: number; last: number } {
  const segments = t.segments;
  let first = seg;
  while (isFreeSegment(t, segments.prev(first))) first = segments.prev(first);
  let last = seg;
  while (isFreeSegment(t, segments.next(last))) last = segments.next(last);
  return { first, last };
}

/** Why `address` is not the start of a live block, for EFAULT messages. */
function explainNotABlock(t: HeapTables, address: number): string {
  const node = t.nodes.find(address);
  if (node === NONE) return 'not inside any mapped node (never allocated, or its node was unmapped)';
  if (t.slabs !== null) return explainWithSlabs(t, t.slabs, node, address);
  const seg = segmentAt(t, node, address);
  const segments = t.segments;
  if (isFreeSegment(t, seg)) {
    // A hole, or a block in the front cache: named by the hole a flush would make of them.
    const { first, last } = freeRunAround(t, seg);
    const start = segments.start(first);
    return `inside a free hole [${start}:${segments.start(last) + segments.size(last) - 1}] (already freed?)`;
  }
  return `an interior address of the block at ${segments.start(seg)}, not its start`;
}

/** The EFAULT for an address that is not (the start of) a live block. */
export function notABlock(t: HeapTables, call: string, args: string, address: number): MemsError {
  return new MemsError('EFAULT', `${call}(${args}): ${address} is ${explainNotABlock(t, address)}`);
}
