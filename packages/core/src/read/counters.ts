// The counters a heap shows: the raw O(1) counters of its table, with the front cache's blocks
// moved to free memory as a flush would leave them, or, with slabs, the
// counts of a walk that shows every slab's blocks.

import {
  BYTES_FREE,
  BYTES_IN_USE,
  HOLES,
  LIVE_BLOCKS,
  PAGES_MAPPED,
  SEGMENTS,
} from '../memory/counter-slots.js';
import { HOLE } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { freeRunAround } from './lookup.js';
import { visibleTotals } from './slab-views.js';
import type { HeapCounters } from './snapshot-types.js';

/**
 * The public view of the counters.
 * @param c the counters array.
 * @param pageSize the heap's page size.
 * @param nodes the number of nodes in the main chain.
 * @returns a fresh {@link HeapCounters}.
 */
export function describeCounters(c: Float64Array, pageSize: number, nodes: number): HeapCounters {
  return {
    pagesMapped: c[PAGES_MAPPED]!,
    bytesMapped: c[PAGES_MAPPED]! * pageSize,
    bytesInUse: c[BYTES_IN_USE]!,
    bytesFree: c[BYTES_FREE]!,
    liveBlocks: c[LIVE_BLOCKS]!,
    holes: c[HOLES]!,
    nodes,
    segments: c[SEGMENTS]!,
  };
}

/**
 * The counters the heap shows: the raw counters (which count a cached block as live, so that
 * the hot path leaves them alone) with every cached block moved to free memory, and each free
 * run that holds a cached block counted as one hole and one segment, as a flush would leave
 * them. O(1) without cached blocks, else O(cached blocks + their runs). With slabs, the counts of
 * a walk of every sub-chain that shows each slab's blocks (O(segments + slab blocks)).
 * @param t the heap's tables.
 * @param pageSize the heap's page size.
 * @returns the counters.
 */
export function visibleCounters(t: HeapTables, pageSize: number): HeapCounters {
  const counters = describeCounters(t.count, pageSize, t.nodes.count);
  if (t.slabs !== null) {
    // With slabs, the views walk every sub-chain (read/slab-views.ts): O(segments + slab blocks).
    return { ...counters, ...visibleTotals(t, t.slabs) };
  }
  const cache = t.cache;
  if (cache === null || cache.blocks === 0) return counters;
  let holes = counters.holes;
  let segments = counters.segments;
  const seen = new Set<number>();
  const S = t.segments;
  for (const id of cache.ids()) {
    if (seen.has(id)) continue;
    const { first, last } = freeRunAround(t, id);
    let length = 0;
    let holesInRun = 0;
    for (let seg = first; ; seg = S.next(seg)) {
      length++;
      if (S.kind(seg) === HOLE) holesInRun++;
      else seen.add(seg);
      if (seg === last) break;
    }
    segments -= length - 1;
    holes -= holesInRun - 1;
  }
  return {
    ...counters,
    bytesInUse: counters.bytesInUse - cache.bytes,
    bytesFree: counters.bytesFree + cache.bytes,
    liveBlocks: counters.liveBlocks - cache.blocks,
    holes,
    segments,
  };
}
