import type { HeapCounters } from './snapshot.js';
import { plainMemory, type TableMemory } from './table-memory.js';

// The heap's O(1) counters, kept in one typed array (from the heap's TableMemory) rather than
// in JavaScript fields, so that they can live beside the other tables. Index by these names.

/** Heap pages mapped. */
export const PAGES_MAPPED = 0;
/** Bytes in live blocks. */
export const BYTES_IN_USE = 1;
/** Bytes in holes. */
export const BYTES_FREE = 2;
/** Live blocks. */
export const LIVE_BLOCKS = 3;
/** Holes. */
export const HOLES = 4;
/** Segments (blocks and holes). */
export const SEGMENTS = 5;
/** Nodes mapped since the heap was created (calloc's test for fresh pages). */
export const NODES_EVER_MAPPED = 6;
const COUNTER_COUNT = 7;

/**
 * @param memory where the counters live.
 * @returns a zeroed counters array.
 */
export function createCounters(memory: TableMemory = plainMemory): Float64Array {
  return new Float64Array(memory(COUNTER_COUNT * 8));
}

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
