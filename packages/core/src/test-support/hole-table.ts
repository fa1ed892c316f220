import { HOLE, SegmentTable } from '../tables/segment-table.js';

/**
 * A segment table holding one HOLE per size, for tests of the hole indexes: hole k has id k,
 * the given size, and starts at k × 2^32 (so holes of up to 2^32 − 1 bytes never overlap).
 * @param sizes the holes' sizes, each from 1 to 2^32 − 1.
 * @returns the table; give each id to the index under test.
 */
export function holeTable(sizes: readonly number[]): SegmentTable {
  const segments = new SegmentTable(undefined, 4);
  sizes.forEach((size, k) => {
    segments.reserve(1);
    const id = segments.take();
    segments.setStart(id, k * 2 ** 32);
    segments.setSize(id, size);
    segments.setNodeKind(id, 0, HOLE);
  });
  return segments;
}
