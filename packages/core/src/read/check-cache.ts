// The front cache's own invariants, checked by validate (read/validate-heap.ts).

import { CACHED } from '../memory/segment-layout.js';
import type { FrontCache } from '../tables/front-cache-table.js';
import type { HeapTables } from '../tables/heap-tables.js';

/**
 * Checks the cache's own invariants: every cached id is a CACHED record found by the
 * live-block hash, of its class's size, once; the byte and block totals match; each class and
 * the budget are respected.
 * @returns the first broken invariant, or null.
 */
export function checkCache(t: HeapTables, cache: FrontCache): string | null {
  const S = t.segments;
  const seen = new Set<number>();
  let bytes = 0;
  for (let c = 0; c < cache.classes; c++) {
    const top = cache.tops[c]!;
    if (top < 0 || top > cache.perClass)
      return `front cache: class ${c} holds ${top} blocks (at most ${cache.perClass})`;
    const size = (c + 1) * cache.granule;
    for (let i = 0; i < top; i++) {
      const id = cache.stacks[c * cache.perClass + i]!;
      const at = `front cache: class ${c} (${size} bytes), entry ${i} (id ${id})`;
      if (!(id >= 0 && id < S.capacity)) return `${at} is not a segment id`;
      if (seen.has(id)) return `${at} is cached twice`;
      seen.add(id);
      if (S.kind(id) !== CACHED) return `${at} is not a CACHED record`;
      if (S.size(id) !== size) return `${at} has size ${S.size(id)}`;
      if (t.live.get(S.start(id)) !== id) return `${at} is missing from the live-block hash`;
      bytes += size;
    }
  }
  if (seen.size !== cache.blocks)
    return `front cache counts ${cache.blocks} blocks, its classes hold ${seen.size}`;
  if (bytes !== cache.bytes) return `front cache counts ${cache.bytes} bytes, its classes hold ${bytes}`;
  if (bytes > cache.maxBytes) return `front cache holds ${bytes} bytes, over its budget of ${cache.maxBytes}`;
  return null;
}
