import type { HeapTables } from '../tables/heap-tables.js';
import { CACHED, HOLE, NONE, PROCESS } from '../tables/segment-table.js';
import { checkCache } from './check-cache.js';
import { describeCounters } from './counters.js';
import { checkSlab, checkSlabLists, slabOfSegment } from './slab-views.js';

/**
 * Walks a heap's structures and checks every invariant (the heap-walk of TLSF's style), the
 * front cache's included: a CACHED block is free memory (counted in bytesFree, not a live
 * block), kept in the live-block hash and in its class, never in the policy's index.
 * @param heap the heap's tables.
 * @param pageSize its page size.
 * @param alignment its block alignment.
 * @returns a description of the first broken invariant, or null when all hold.
 */
export function checkHeap(heap: HeapTables, pageSize: number, alignment: number): string | null {
  const { segments: S, nodes: N, live, policy } = heap;
  let pages = 0;
  let inUse = 0;
  let free = 0;
  let blocks = 0;
  let segmentCount = 0;
  let cached = 0;
  let slabsFound = 0;
  const holes = new Set<number>();
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < N.count; i++) {
    const node = N.order[i]!;
    const nodeStart = N.start[node]!;
    const nodeBytes = N.bytes[node]!;
    const where = `node ${i} [${nodeStart}:${nodeStart + nodeBytes - 1}]`;
    if (nodeStart < previousEnd) return `${where} overlaps or comes before the node before it`;
    previousEnd = nodeStart + nodeBytes;
    if (nodeBytes <= 0 || nodeBytes % pageSize !== 0) return `${where} is not a whole number of pages`;
    const mapping = N.mappingOrNull(node);
    if (!mapping?.live) return `${where} has no live mapping`;
    if (mapping.byteLength < nodeBytes) return `${where} has a mapping of only ${mapping.byteLength} bytes`;
    if (N.find(nodeStart) !== node || N.find(nodeStart + nodeBytes - 1) !== node)
      return `${where} is not found by an address lookup`;
    pages += nodeBytes / pageSize;
    let expectedStart = nodeStart;
    let previous = NONE;
    let count = 0;
    let liveInNode = 0;
    for (let seg = N.head[node]!; seg !== NONE; seg = S.next(seg)) {
      const at = `${where}, segment ${count} (id ${seg})`;
      if (++count > nodeBytes) return `${where}: its sub-chain does not end`;
      if (S.node(seg) !== node) return `${at} names node ${S.node(seg)} as its owner`;
      if (S.prev(seg) !== previous) return `${at} has a bad back link`;
      if (S.start(seg) !== expectedStart) return `${at} starts at ${S.start(seg)}, expected ${expectedStart}`;
      const size = S.size(seg);
      if (!(size > 0) || !Number.isInteger(size)) return `${at} has size ${size}`;
      if ((S.start(seg) - nodeStart) % alignment !== 0) return `${at} is not aligned to ${alignment}`;
      const kind = S.kind(seg);
      if (kind === HOLE) {
        if (previous !== NONE && S.kind(previous) === HOLE) return `${at} is a hole next to another hole`;
        holes.add(seg);
        free += size;
      } else if (kind === PROCESS && heap.slabs !== null && slabOfSegment(heap, heap.slabs, seg) !== NONE) {
        // A slab: a live block of 4 KiB to the raw counters, outside the live-block hash.
        const problem = checkSlab(heap, heap.slabs, slabOfSegment(heap, heap.slabs, seg), seg, node, at);
        if (problem !== null) return problem;
        inUse += size;
        blocks++;
        liveInNode++;
        slabsFound++;
      } else if (kind === PROCESS) {
        if (live.get(S.start(seg)) !== seg) return `${at} is a block missing from the live-block hash`;
        inUse += size;
        blocks++;
        liveInNode++;
      } else if (kind === CACHED && heap.cache !== null) {
        if (live.get(S.start(seg)) !== seg) return `${at} is a cached block missing from the live-block hash`;
        free += size;
        cached++;
      } else {
        return `${at} is a released slot still linked`;
      }
      expectedStart += size;
      previous = seg;
    }
    if (expectedStart !== nodeStart + nodeBytes) return `${where}: its segments end at ${expectedStart - 1}`;
    if (N.tail[node] !== previous) return `${where}: its tail link is wrong`;
    if (N.segmentCount[node] !== count)
      return `${where}: counts ${N.segmentCount[node]} segments, has ${count}`;
    if (N.liveCount[node] !== liveInNode)
      return `${where}: counts ${N.liveCount[node]} blocks, has ${liveInNode}`;
    segmentCount += count;
  }
  const c = describeCounters(heap.count, pageSize, N.count);
  // The raw counters count a cached block as live; the heap shows them with the cache's totals moved.
  const cachedBytes = heap.cache?.bytes ?? 0;
  const cachedBlocks = heap.cache?.blocks ?? 0;
  if (c.pagesMapped !== pages) return `counter pagesMapped is ${c.pagesMapped}, the chain has ${pages}`;
  if (c.bytesInUse - cachedBytes !== inUse)
    return `counter bytesInUse is ${c.bytesInUse - cachedBytes}, the chain has ${inUse}`;
  if (c.bytesFree + cachedBytes !== free)
    return `counter bytesFree is ${c.bytesFree + cachedBytes}, the chain has ${free}`;
  if (c.liveBlocks - cachedBlocks !== blocks)
    return `counter liveBlocks is ${c.liveBlocks - cachedBlocks}, the chain has ${blocks}`;
  if (c.holes !== holes.size) return `counter holes is ${c.holes}, the chain has ${holes.size}`;
  if (c.segments !== segmentCount) return `counter segments is ${c.segments}, the chain has ${segmentCount}`;
  if (S.count !== segmentCount)
    return `the segment table holds ${S.count} segments, the chains ${segmentCount}`;
  if (live.size !== blocks - slabsFound + cached)
    return `the live-block hash holds ${live.size} entries, the chains ${blocks - slabsFound} blocks and ${cached} cached ones`;
  if (heap.cache !== null) {
    if (heap.cache.blocks !== cached)
      return `the front cache counts ${heap.cache.blocks} blocks, the chains hold ${cached} cached ones`;
    const problem = checkCache(heap, heap.cache);
    if (problem !== null) return problem;
  }
  if (heap.slabs !== null) {
    const problem = checkSlabLists(heap.slabs, slabsFound);
    if (problem !== null) return problem;
  }
  return policy.check(holes);
}
