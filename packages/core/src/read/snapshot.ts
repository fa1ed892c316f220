// The snapshot of a heap: its whole main chain as plain objects, cached blocks shown as the
// free memory they are, slabs as the blocks and free blocks their bitmaps say.

import { NONE, PROCESS } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { visibleCounters } from './counters.js';
import { visibleSegments } from './slab-views.js';
import type { HeapSnapshot, NodeSnapshot, SegmentKind, SegmentSnapshot } from './snapshot-types.js';

/** What {@link describeHeap} needs besides the tables. */
export interface SnapshotFacts {
  readonly pageSize: number;
  readonly startAddress: number;
  readonly alignment: number;
  readonly provider: string;
}

/**
 * A plain, JSON-safe description of a heap (what `@mems/stats` formats). Blocks in the front
 * cache are free memory: they and the holes beside them are shown as one HOLE, exactly as a
 * flush would merge them.
 * @param t the heap's tables.
 * @param facts its settings.
 * @returns the snapshot.
 */
export function describeHeap(t: HeapTables, facts: SnapshotFacts): HeapSnapshot {
  const { segments, nodes } = t;
  const nodeList: NodeSnapshot[] = [];
  for (let i = 0; i < nodes.count; i++) {
    const node = nodes.order[i]!;
    const segmentList: SegmentSnapshot[] = [];
    const slabs = t.slabs;
    if (slabs !== null) {
      for (const seg of visibleSegments(t, slabs, node))
        segmentList.push({
          kind: seg.kind,
          start: seg.start,
          lastAddress: seg.start + seg.size - 1,
          size: seg.size,
        });
    }
    for (let seg = slabs === null ? nodes.head[node]! : NONE; seg !== NONE; seg = segments.next(seg)) {
      const start = segments.start(seg);
      const size = segments.size(seg);
      const kind: SegmentKind = segments.kind(seg) === PROCESS ? 'PROCESS' : 'HOLE';
      const last = segmentList[segmentList.length - 1];
      if (kind === 'HOLE' && last?.kind === 'HOLE') {
        // Only a cached block lies beside a hole: show the hole a flush would make.
        segmentList[segmentList.length - 1] = {
          kind,
          start: last.start,
          lastAddress: start + size - 1,
          size: last.size + size,
        };
        continue;
      }
      segmentList.push({ kind, start, lastAddress: start + size - 1, size });
    }
    const start = nodes.start[node]!;
    const size = nodes.bytes[node]!;
    nodeList.push({
      start,
      lastAddress: start + size - 1,
      size,
      pages: size / facts.pageSize,
      physicalAddress: nodes.mappingOf(node).address.toString(),
      segments: segmentList,
    });
  }
  return {
    policy: t.policy.name,
    pageSize: facts.pageSize,
    startAddress: facts.startAddress,
    alignment: facts.alignment,
    provider: facts.provider,
    counters: visibleCounters(t, facts.pageSize),
    nodes: nodeList,
  };
}
