// The segment record layout: this module names the slots; tables/segment-table.ts reads and
// writes them through its accessors, and ops/ (sub-chain.ts, cache-ops.ts) by index on the hot
// path. One record is 32 bytes, seen as 4 doubles or 8 32-bit words of the same buffer,
// so that everything the hot path reads about a segment sits together (two per cache line):
//
//   double 0        word 2    word 3  word 4  word 5            words 6, 7
//   start address   size      prev    next    owner node × 4    policy links A, B
//   (up to 2^53)    (uint32)                  + kind
//
// SegmentTable's accessors are one-line functions over a typed array: V8 inlines them, so the
// heap and the policies read records by name at the cost of direct indexing. The constants
// sit in a module of their own because the build inlines imported literal constants into the
// hot code (module-local ones stay variables that V8 reloads on every access).

/** Doubles per record. */
export const DOUBLES_PER_RECORD = 4;
/** 32-bit words per record. */
export const WORDS_PER_RECORD = 8;
/** Double 0: the segment's first virtual address. */
export const START = 0;
/** Word 2 (unsigned): the segment's length in bytes. */
export const SIZE = 2;
/** Word 3: previous segment of the sub-chain. */
export const PREV = 3;
/** Word 4: next segment of the sub-chain (also the id free list's link). */
export const NEXT = 4;
/** Word 5: owner node × 4 + kind (packed and unpacked in SegmentTable only). */
export const OWNER_AND_KIND = 5;
/** Word 6 + link: the two words a placement policy keeps for its own index. */
export const POLICY_LINKS = 6;

/** Bytes of one segment record. */
export const SEGMENT_RECORD_BYTES = 32;

/** Segment kind of a released record. */
export const FREE_SLOT = 0;
/** Segment kind: an allocated segment (the seed's PROCESS). */
export const PROCESS = 1;
/** Segment kind: a free segment (the seed's HOLE). */
export const HOLE = 2;
/**
 * Segment kind: a freed block waiting in the front cache (tables/front-cache-table.ts, ops/cache-ops.ts). Free memory in
 * every view, but kept out of the policy's index and still in the live-block hash.
 */
export const CACHED = 3;
/** The end-of-chain marker for segment and node links (the same value as NO_HOLE). */
export const NONE = -1;
