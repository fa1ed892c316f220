import type { Allocator } from './allocator.js';

/**
 * No allocator at all: `malloc` hands out increasing numbers and `free` does nothing. Run
 * through the same loops, it shows what the harness itself costs per operation (array reads
 * and writes, the adapter call), to subtract mentally from every other row.
 * @param id contender id.
 * @returns the allocator.
 */
export function baselineAllocator(id: string): Allocator<number> {
  let next = 16;
  let sink = 0;
  return {
    id,
    malloc: (size) => {
      const address = next;
      next += size;
      if (next > 2 ** 52) next = 16;
      return address;
    },
    free: (address) => {
      sink ^= address;
    },
    realloc: (_address, size) => {
      const address = next;
      next += size;
      return address;
    },
    translate: (address) => BigInt(address + sink * 0),
    interior: (address, offset) => address + offset,
    newSlots: (count) => new Float64Array(count),
    touch: null,
    memory: () => ({ mappedBytes: null, metadataBytes: null }),
    fragmentation: () => null,
    destroy: () => {},
  };
}
