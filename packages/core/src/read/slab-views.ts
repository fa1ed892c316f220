// How slab nodes look in every view: a slab node has no sub-chain of its own, so its PROCESS
// and HOLE segments are derived from the slabs' bitmaps: every live block is a PROCESS segment,
// and the free blocks, a slab's unused tail and unused slabs between them merge into HOLEs, as
// if the blocks had been placed in a node of their own. Also the slabs' invariants, which
// validate checks (read/validate-heap.ts).

import { NONE } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { SLAB_BYTES, SLAB_WORDS, type SlabTable } from '../tables/slab-table.js';

/** One visible segment of a slab node. */
export interface SlabSegment {
  readonly kind: 'PROCESS' | 'HOLE';
  readonly start: number;
  readonly size: number;
}

/**
 * The visible segments of slab node `node`, in address order, free runs merged.
 * @param t the heap's tables.
 * @param slabs its slabs.
 * @param node a slab node.
 * @returns the segments, tiling the node.
 */
export function slabNodeSegments(t: HeapTables, slabs: SlabTable, node: number): SlabSegment[] {
  const out: SlabSegment[] = [];
  let holeStart = -1;
  const closeHole = (end: number): void => {
    if (holeStart >= 0) out.push({ kind: 'HOLE', start: holeStart, size: end - holeStart });
    holeStart = -1;
  };
  const start = t.nodes.start[node]!;
  const end = start + t.nodes.bytes[node]!;
  for (let page = start; page < end; page += SLAB_BYTES) {
    const s = slabs.slabAt(page);
    const c = slabs.cls[s]!;
    if (c < 0 || slabs.live[s] === 0) {
      if (holeStart < 0) holeStart = page;
      continue;
    }
    const size = slabs.classSize[c]!;
    const blocks = slabs.classBlocks[c]!;
    for (let i = 0; i < blocks; i++) {
      const at = page + i * size;
      if (slabs.isLiveBlock(s, i)) {
        closeHole(at);
        out.push({ kind: 'PROCESS', start: at, size });
      } else if (holeStart < 0) {
        holeStart = at;
      }
    }
    // The slab's tail past its last block is free memory too.
    if (blocks * size < SLAB_BYTES && holeStart < 0) holeStart = page + blocks * size;
  }
  closeHole(end);
  return out;
}

/**
 * The slabs of a heap when `node` is one of its slab nodes, else null.
 * @param t the heap's tables.
 * @param node a live node id.
 */
export function slabsOfNode(t: HeapTables, node: number): SlabTable | null {
  const slabs = t.slabs;
  return slabs?.isSlabNode(t.nodes.start[node]!) ? slabs : null;
}

/** The slab nodes of a heap, in address order. */
export function slabNodes(t: HeapTables, slabs: SlabTable): number[] {
  const out: number[] = [];
  const nodes = t.nodes;
  for (let i = 0; i < nodes.count; i++) {
    const node = nodes.order[i]!;
    if (slabs.isSlabNode(nodes.start[node]!)) out.push(node);
  }
  return out;
}

/** What the slab nodes add to the visible counters (which leave slab blocks out). */
export interface SlabTotals {
  liveBlocks: number;
  bytesInUse: number;
  bytesFree: number;
  holes: number;
  segments: number;
}

/**
 * The slab nodes' part of the visible counters: their live blocks and bytes, their free bytes
 * and their visible holes and segments. O(slab blocks).
 */
export function slabTotals(t: HeapTables, slabs: SlabTable): SlabTotals {
  const totals: SlabTotals = { liveBlocks: 0, bytesInUse: 0, bytesFree: 0, holes: 0, segments: 0 };
  for (const node of slabNodes(t, slabs)) {
    for (const seg of slabNodeSegments(t, slabs, node)) {
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
 * Why `address`, inside slab node `node`, is not the start of a live block (for EFAULT
 * messages), worded as for any other node.
 */
export function explainInSlabNode(t: HeapTables, slabs: SlabTable, node: number, address: number): string {
  for (const seg of slabNodeSegments(t, slabs, node)) {
    if (address >= seg.start + seg.size) continue;
    return seg.kind === 'HOLE'
      ? `inside a free hole [${seg.start}:${seg.start + seg.size - 1}] (already freed?)`
      : `an interior address of the block at ${seg.start}, not its start`;
  }
  return 'not inside any mapped node (never allocated, or its node was unmapped)';
}

/**
 * Checks slab node `node`: no sub-chain, every page a slab of this node, each slab's bitmap,
 * live count and hint consistent, and the node's live count their sum.
 * @returns the first broken invariant, or null.
 */
export function checkSlabNode(t: HeapTables, slabs: SlabTable, node: number, where: string): string | null {
  const nodes = t.nodes;
  if (nodes.head[node] !== NONE || nodes.segmentCount[node] !== 0)
    return `${where}: a slab node with a sub-chain`;
  const start = nodes.start[node]!;
  const bytes = nodes.bytes[node]!;
  if ((start - slabs.base) % SLAB_BYTES !== 0 || bytes % SLAB_BYTES !== 0)
    return `${where}: a slab node that is not whole slabs`;
  let live = 0;
  for (let page = start; page < start + bytes; page += SLAB_BYTES) {
    const s = slabs.slabAt(page);
    const at = `${where}, slab at ${page} (id ${s})`;
    if (s === NONE) return `${at} is missing from the page map`;
    if (slabs.node[s] !== node || slabs.start[s] !== page)
      return `${at} names node ${slabs.node[s]} at ${slabs.start[s]}`;
    const c = slabs.cls[s]!;
    if (c < 0) {
      if (slabs.live[s] !== 0) return `${at} is unused but counts ${slabs.live[s]} blocks`;
      continue;
    }
    if (c >= slabs.classes) return `${at} has class ${c}`;
    const blocks = slabs.classBlocks[c]!;
    let free = 0;
    for (let w = 0; w < SLAB_WORDS; w++) {
      const word = slabs.bits[s * SLAB_WORDS + w]!;
      for (let b = 0; b < 32; b++) {
        if ((word & (1 << b)) === 0) continue;
        if (w * 32 + b >= blocks) return `${at} marks block ${w * 32 + b} free, past its ${blocks} blocks`;
        free++;
      }
      if (w < slabs.hint[s]! && word !== 0)
        return `${at} has a free block before its hint word ${slabs.hint[s]}`;
    }
    if (slabs.live[s] !== blocks - free)
      return `${at} counts ${slabs.live[s]} live blocks, its bitmap ${blocks - free}`;
    live += blocks - free;
  }
  if (nodes.liveCount[node] !== live)
    return `${where}: counts ${nodes.liveCount[node]} blocks, its slabs ${live}`;
  return null;
}

/**
 * Checks the slabs' lists: each class's list holds exactly its slabs with a free block (and
 * at most one empty slab, its first), the unused list exactly the unused slabs.
 * @returns the first broken invariant, or null.
 */
export function checkSlabLists(t: HeapTables, slabs: SlabTable): string | null {
  const listed = new Set<number>();
  const walk = (head: number, c: number, name: string): string | null => {
    let prev = NONE;
    for (let s = head; s !== NONE; s = slabs.next[s]!) {
      if (listed.has(s)) return `slab ${s} is listed twice (${name})`;
      listed.add(s);
      if (slabs.prev[s] !== prev) return `slab ${s} has a bad back link (${name})`;
      if (slabs.cls[s] !== c) return `slab ${s} of class ${slabs.cls[s]} is in ${name}`;
      if (c >= 0 && slabs.live[s] === slabs.classBlocks[c]) return `full slab ${s} is in ${name}`;
      if (c >= 0 && slabs.live[s] === 0 && s !== head) return `empty slab ${s} is in ${name} but not first`;
      prev = s;
    }
    return null;
  };
  const unused = walk(slabs.unused, -1, 'the unused list');
  if (unused !== null) return unused;
  for (let c = 0; c < slabs.classes; c++) {
    const problem = walk(slabs.partial[c]!, c, `class ${c}'s list`);
    if (problem !== null) return problem;
  }
  for (const node of slabNodes(t, slabs)) {
    const start = t.nodes.start[node]!;
    for (let page = start; page < start + t.nodes.bytes[node]!; page += SLAB_BYTES) {
      const s = slabs.slabAt(page);
      const c = slabs.cls[s]!;
      const shouldList = c < 0 || slabs.live[s]! < slabs.classBlocks[c]!;
      if (shouldList !== listed.has(s))
        return `slab ${s} at ${page} is ${shouldList ? 'missing from' : 'wrongly in'} its list`;
    }
  }
  return null;
}
