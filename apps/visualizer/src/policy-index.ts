import { type HeapSnapshot, type SegmentSnapshot, tlsfClass } from '@mems/core';

function holes(snapshot: HeapSnapshot): SegmentSnapshot[] {
  const all: SegmentSnapshot[] = [];
  for (const node of snapshot.nodes) for (const s of node.segments) if (s.kind === 'HOLE') all.push(s);
  return all;
}

/**
 * Says where a segment sits in the placement policy's index: for a hole, its position in first
 * fit's and next fit's address-ordered tree, in best fit's (size, address)-ordered tree, or its
 * TLSF size class; for next fit also where the cursor is. A block (PROCESS) is in no index.
 * @param snapshot the heap.
 * @param segment one of its segments.
 * @param cursor next fit's cursor (where the last placement ended), `null` before any.
 * @returns one sentence.
 */
export function describeIndexPosition(
  snapshot: HeapSnapshot,
  segment: SegmentSnapshot,
  cursor: number | null,
): string {
  const policy = snapshot.policy;
  const all = holes(snapshot);
  let cursorText = '';
  if (policy === 'next-fit') {
    // Next fit looks first at holes that start at or after the cursor, then wraps around.
    cursorText =
      cursor === null
        ? '; the next-fit cursor is at the start (nothing placed yet)'
        : `; the next-fit cursor is at ${cursor}`;
    if (cursor !== null && segment.kind === 'HOLE')
      cursorText +=
        segment.start === cursor
          ? ' (the next search starts with this hole)'
          : segment.start > cursor
            ? ' (this hole is searched before the wrap-around)'
            : ' (this hole is searched after the wrap-around)';
  }
  if (segment.kind === 'PROCESS') return `a live block: in no ${policy} index (only holes are)${cursorText}`;
  switch (policy) {
    case 'first-fit':
    case 'next-fit': {
      const rank = all.filter((h) => h.start < segment.start).length + 1;
      return `hole ${rank} of ${all.length} in the ${policy} tree, ordered by address${cursorText}`;
    }
    case 'best-fit': {
      const rank =
        all.filter((h) => h.size < segment.size || (h.size === segment.size && h.start < segment.start))
          .length + 1;
      return `hole ${rank} of ${all.length} in the best-fit tree, ordered by (size, address)`;
    }
    case 'tlsf': {
      const c = tlsfClass(segment.size);
      const peers = all.filter((h) => {
        const o = tlsfClass(h.size);
        return o.fl === c.fl && o.sl === c.sl;
      }).length;
      return `TLSF list fl ${c.fl}, sl ${c.sl} (sizes ${c.from}–${c.to}), holding ${peers} of the ${all.length} holes`;
    }
    default:
      return `hole of ${segment.size} bytes in the ${policy} index`;
  }
}
