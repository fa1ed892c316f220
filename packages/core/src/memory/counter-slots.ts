// The heap's O(1) counters, kept in one typed array (from the heap's TableMemory) rather than
// in JavaScript fields, so that they can live beside the other tables. Index by these names.
// (A module of constants only: the build inlines them into the hot code.)

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
/** How many counters there are. */
export const COUNTER_COUNT = 7;
