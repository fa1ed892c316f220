// How slabs look in every view. In its node's sub-chain a slab is one PROCESS segment of 4 KiB
// outside the live-block hash; every view shows its live blocks as PROCESS segments and its
// free blocks and its tail as free memory, merged with the holes (and front-cache blocks)
// beside them, as if each block had been placed on its own. Also the slabs' invariants, which
// validate checks (read/validate-heap.ts).

import { CACHED, HOLE, NONE, PROCESS } from '../memory/segment-layout.js';
import { SLAB_BYTES, SLAB_WORDS } from '../memory/slab-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import type { SlabTable } from '../tables/slab-table.js';

/** One visible segment. */
export interface VisibleSegment {
  readonly kind: 'PROCESS' | 'HOLE';
  readonly start: number;
  readonly size: number;
}

/**
 * The slab that segment `seg` is, or NONE when it is not one.
 * @param t the heap's tables (with slabs).
 * @param slabs its slabs.
 * @param seg a PROCESS segment.
 */
export function slabOfSegment(t: HeapTables, slabs: SlabTable, seg: number): number {
  const s = slabs.slabAt(t.segments.start(seg));
  return s !== NONE && slabs.seg[s] === seg ? s : NONE;
}

/**
 * The visible segments of node `node` in a heap with slabs, in address order: slabs shown as
 * their blocks, and every run of holes, cached blocks and free slab blocks merged into one HOLE.
 * @param t the heap's tables.
 * @param slabs its slabs.
 * @param node a live node.
 * @returns the segments, tiling the node.
 */
export function visibleSegments(t: HeapTables, slabs: SlabTable, node: number): VisibleSegment[] {
  const out: VisibleSegment[] = [];
  const S = t.segments;
  let holeStart = -1;
  const block = (start: number, size: number): void => {
    if (holeStart >= 0) out.push({ kind: 'HOLE', start: holeStart, size: start - holeStart });
    holeStart = -1;
    out.push({ kind: 'PROCESS', start, size });
  };
  for (let seg = t.nodes.head[node]!; seg !== NONE; seg = S.next(seg)) {
    const start = S.start(seg);
    const kind = S.kind(seg);
    if (kind === HOLE || kind === CACHED) {
      if (holeStart < 0) holeStart = start;
      continue;
    }
    const s = slabOfSegment(t, slabs, seg);
    if (s === NONE) {
      block(start, S.size(seg));
      continue;
    }
    const c = slabs.cls[s]!;
    const size = slabs.classSize[c]!;
    const blocks = slabs.classBlocks[c]!;
    for (let i = 0; i < blocks; i++) {
      if (slabs.isLiveBlock(s, i)) block(start + i * size, size);
      else if (holeStart < 0) holeStart = start + i * size;
    }
    // The slab's tail past its last block is free memory too.
    if (blocks * size < slabs.classSpan[c]! && holeStart < 0) holeStart = start + blocks * size;
  }
  const end = t.nodes.start[node]! + t.nodes.bytes[node]!;
  if (holeStart >= 0) out.push({ kind: 'HOLE', start: holeStart, size: end - holeStart });
  return out;
}

/** The visible counts of a heap with slabs: what {@link visibleSegments} gives, summed over every node. */
export interface VisibleTotals {
  liveBlocks: number;
  bytesInUse: number;
  bytesFree: number;
  holes: number;
  segments: number;
}

/** Sums {@link visibleSegments} over every node. O(segments + slab blocks). */
export function visibleTotals(t: HeapTables, slabs: SlabTable): VisibleTotals {
  const totals: VisibleTotals = { liveBlocks: 0, bytesInUse: 0, bytesFree: 0, holes: 0, segments: 0 };
  for (let i = 0; i < t.nodes.count; i++) {
    for (const seg of visibleSegments(t, slabs, t.nodes.order[i]!)) {
      totals.segments++;
      if (seg.kind === 'HOLE') {
        totals.holes++;
        totals.bytesFree += seg.size;
      } else {
        totals.liveBlocks++;
        totals.bytesInUse += seg.size;
      }
    }
  }
  return totals;
}

/**
 * Why `address`, inside node `node` of a heap with slabs, is not the start of a live block
 * (for EFAULT messages), worded as for a heap without slabs.
 */
export function explainWithSlabs(t: HeapTables, slabs: SlabTable, node: number, address: number): string {
  for (const seg of visibleSegments(t, slabs, node)) {
    if (address >= seg.start + seg.size) continue;
    return seg.kind === 'HOLE'
      ? `inside a free hole [${seg.start}:${seg.start + seg.size - 1}] (already freed?)`
      : `an interior address of the block at ${seg.start}, not its start`;
  }
  return 'not inside any mapped node (never allocated, or its node was unmapped)';
}

/**
 * Checks slab `s`, found at segment `seg` of node `node`: its record names them, it is 4 KiB
 * aligned from the heap's first address, and its bitmap, live count and hint agree.
 * @returns the first broken invariant, or null.
 */
export function checkSlab(
  t: HeapTables,
  slabs: SlabTable,
  s: number,
  seg: number,
  node: number,
  at: string,
): string | null {
  const S = t.segments;
  if (slabs.node[s] !== node || slabs.start[s] !== S.start(seg))
    return `${at}: slab ${s} names node ${slabs.node[s]} at ${slabs.start[s]}`;
  const c = slabs.cls[s]!;
  if (!(c >= 0 && c < slabs.classes)) return `${at}: slab ${s} has class ${c}`;
  const span = slabs.classSpan[c]!;
  if (S.size(seg) !== span || (S.start(seg) - slabs.base) % SLAB_BYTES !== 0)
    return `${at}: slab ${s} is not ${span} bytes aligned to ${SLAB_BYTES}`;
  if (S.kind(seg) !== PROCESS) return `${at}: slab ${s} is not a PROCESS segment`;
  if (t.live.get(S.start(seg)) !== NONE) return `${at}: slab ${s} is in the live-block hash`;
  for (let page = 0; page < span; page += SLAB_BYTES)
    if (slabs.slabAt(S.start(seg) + page) !== s)
      return `${at}: the page map gives slab ${slabs.slabAt(S.start(seg) + page)} for byte ${page} of slab ${s}`;
  const blocks = slabs.classBlocks[c]!;
  let free = 0;
  for (let w = 0; w < SLAB_WORDS; w++) {
    const word = slabs.bits[s * SLAB_WORDS + w]!;
    for (let b = 0; b < 32; b++) {
      if ((word & (1 << b)) === 0) continue;
      if (w * 32 + b >= blocks)
        return `${at}: slab ${s} marks block ${w * 32 + b} free, past its ${blocks} blocks`;
      free++;
    }
    if (w < slabs.hint[s]! && word !== 0) return `${at}: slab ${s} has a free block before its hint word`;
  }
  if (slabs.live[s] !== blocks - free)
    return `${at}: slab ${s} counts ${slabs.live[s]} live blocks, its bitmap ${blocks - free}`;
  return null;
}

/**
 * Checks the slabs' lists: each class's list holds every slab of the class with a free block
 * (and maybe full ones), only its first may be empty, the listed marks agree; every slab in use
 * was found in a sub-chain (`found` of them).
 * @returns the first broken invariant, or null.
 */
export function checkSlabLists(slabs: SlabTable, found: number): string | null {
  if (slabs.count !== found) return `the slab table holds ${slabs.count} slabs, the sub-chains ${found}`;
  const listed = new Set<number>();
  for (let c = 0; c < slabs.classes; c++) {
    let prev = NONE;
    const head = slabs.partial[c]!;
    for (let s = head; s !== NONE; s = slabs.next[s]!) {
      const at = `slab ${s} in class ${c}'s list`;
      if (listed.has(s)) return `${at} is listed twice`;
      listed.add(s);
      if (slabs.prev[s] !== prev) return `${at} has a bad back link`;
      if (slabs.cls[s] !== c) return `${at} is of class ${slabs.cls[s]}`;
      if (slabs.listed[s] !== 1) return `${at} is not marked listed`;
      if (slabs.live[s] === 0 && s !== head) return `${at} is empty but not first`;
      prev = s;
    }
  }
  for (const s of slabs.ids()) {
    // A full slab may stay listed until an allocation finds it; one with a free block must be.
    if (slabs.live[s]! < slabs.classBlocks[slabs.cls[s]!]! && !listed.has(s))
      return `slab ${s} at ${slabs.start[s]} has a free block but is missing from its class's list`;
    if (slabs.listed[s] !== (listed.has(s) ? 1 : 0))
      return `slab ${s} at ${slabs.start[s]} is marked listed wrongly`;
  }
  return null;
}
