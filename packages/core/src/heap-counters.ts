import { BYTES_FREE, BYTES_IN_USE, HOLES, LIVE_BLOCKS, PAGES_MAPPED, SEGMENTS } from './counter-slots.js';
import type { HeapCounters } from './snapshot.js';

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
