import { MemPool } from '@thi.ng/malloc';
import { type Allocator, viewToucher } from './allocator.js';

/**
 * @thi.ng/malloc's `MemPool`: a pure-TypeScript first-fit allocator over one ArrayBuffer, with
 * block compaction and splitting on (its defaults), 8-byte alignment, and an 8-byte header in
 * front of each block. Its free list is a linked list, so each call is O(free blocks).
 * @param id contender id.
 * @param poolBytes the pool's size: enough for the workload's live set with room to spare.
 * @returns the allocator.
 */
export function thingMallocAllocator(
  id: string,
  poolBytes: number,
): Allocator<number> & { readonly pool: MemPool } {
  const pool = new MemPool({ size: poolBytes });
  // `top` (the end of the part of the pool handed out so far) is a public getter at run time.
  const top = (): number => (pool as unknown as { readonly top: number }).top;
  const start = top();
  const poolBytes8 = new Uint8Array(pool.buf);
  let highWater = start;
  return {
    id,
    pool,
    malloc: (size) => {
      const address = pool.malloc(size);
      if (address === 0)
        throw new Error(`@thi.ng/malloc: malloc(${size}) failed: the ${poolBytes}-byte pool is full`);
      return address;
    },
    free: (address) => {
      if (!pool.free(address)) throw new Error(`@thi.ng/malloc: free(${address}) refused`);
    },
    realloc: (address, size) => {
      const moved = pool.realloc(address, size);
      if (moved === 0) throw new Error(`@thi.ng/malloc: realloc(${address}, ${size}) failed`);
      return moved;
    },
    translate: null,
    interior: (address, offset) => address + offset,
    newSlots: (count) => new Float64Array(count),
    // Addresses are byte offsets into the pool's buffer: one view over it serves every block.
    touch: viewToucher((address: number) => ({ bytes: poolBytes8, offset: address })),
    memory: () => {
      // `top` can drop when the top block is freed: keep its high-water mark.
      const now = top();
      if (now > highWater) highWater = now;
      return { mappedBytes: highWater - start, metadataBytes: null };
    },
    fragmentation: () => null,
    destroy: () => pool.release(),
  };
}
