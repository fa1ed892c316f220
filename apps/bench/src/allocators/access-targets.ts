import { type BlockMemory, createHeap, type Heap } from '@mems/core';
import { createMmapProvider } from '@mems/os/mmap';
import type { AccessTarget } from '../workloads/access.js';
import { numberLibc } from './libc-koffi.js';

/** How a MeMS access contender reaches a block's float64 (the `access` workload). */
export type MemsAccessPath = 'viewAs' | 'memoryOf' | 'memoryOf-interior' | 'memoryOf-hoisted';

/**
 * The heap of the MeMS access contenders: tlsf with the front cache on real pages, and
 * `alignment: 8`, so that every block, and every 8-aligned offset in it, is 8-byte aligned in
 * physical memory and a Float64Array may index it.
 * @param slabs whether small blocks come from slabs (issue 20's fast path).
 * @returns a fresh heap.
 */
export function accessHeap(slabs = false): Heap {
  return createHeap({
    policy: 'tlsf',
    frontCache: true,
    slabs,
    alignment: 8,
    provider: createMmapProvider(),
  });
}

/**
 * MeMS on the {@link accessHeap}, reaching each block through one of three paths:
 * - `viewAs`: `heap.viewAs(Float64Array, address + offset, 1)` per access (a new, checked
 *   typed array each time);
 * - `memoryOf`: `heap.memoryOf(address)` of the block's address per access, then its
 *   long-lived `f64` at `(address + offset - base) >> 3`;
 * - `memoryOf-interior`: the same with `heap.memoryOf(address + offset)`, the interior address
 *   (which MeMS finds by a search of the node's segments, as `translate` does, not by the hash of
 *   block addresses);
 * - `memoryOf-hoisted`: the `memoryOf` object fetched once when the block was allocated and
 *   kept in a plain array beside the addresses, so an access is the index arithmetic and the
 *   typed-array access alone.
 * @param id contender id.
 * @param path the access path.
 * @param live how many blocks will be allocated.
 * @returns the target.
 * @throws Error (from `allocate`) when a block is not 8-byte aligned in its node's buffer.
 */
export function memsAccessTarget(
  id: string,
  path: MemsAccessPath,
  live: number,
  slabs = false,
): AccessTarget & { readonly heap: Heap; addressOf(index: number): number } {
  const heap = accessHeap(slabs);
  const addresses = new Float64Array(live);
  // Filled in index order, so the array stays packed.
  const memories: BlockMemory[] = [];
  const allocate = (index: number, size: number): void => {
    const p = heap.allocate(size);
    addresses[index] = p;
    const m = heap.memoryOf(p);
    if ((p - m.base) % 8 !== 0) throw new Error(`${id}: block ${p} is not 8-byte aligned in its node`);
    memories[index] = m;
  };
  const common = {
    id,
    heap,
    addressOf: (index: number) => addresses[index]!,
    allocate,
    mappedBytes: () => heap.bytesMapped,
    destroy: () => heap.destroy(),
  };
  switch (path) {
    case 'viewAs':
      return {
        ...common,
        access: (index, offset, value) => {
          const v = heap.viewAs(Float64Array, addresses[index]! + offset, 1);
          v[0] = value;
          return v[0]!;
        },
      };
    case 'memoryOf':
      return {
        ...common,
        access: (index, offset, value) => {
          const address = addresses[index]!;
          const m = heap.memoryOf(address);
          const word = (address + offset - m.base) >> 3;
          m.f64[word] = value;
          return m.f64[word]!;
        },
      };
    case 'memoryOf-interior':
      return {
        ...common,
        access: (index, offset, value) => {
          const p = addresses[index]! + offset;
          const m = heap.memoryOf(p);
          const word = (p - m.base) >> 3;
          m.f64[word] = value;
          return m.f64[word]!;
        },
      };
    case 'memoryOf-hoisted':
      return {
        ...common,
        access: (index, offset, value) => {
          const m = memories[index]!;
          const word = (addresses[index]! + offset - m.base) >> 3;
          m.f64[word] = value;
          return m.f64[word]!;
        },
      };
  }
}

/**
 * libc `malloc` through koffi (Number pointers, bound once per process by `numberLibc`), each
 * access `koffi.encode(pointer + offset, 'double', value)` then `koffi.decode(pointer + offset, 'double')`.
 * @param id contender id.
 * @param live how many blocks will be allocated.
 * @returns the target.
 * @throws Error when koffi or libc.so.6 cannot be loaded, or (from `allocate`) malloc returns NULL.
 */
export function koffiAccessTarget(id: string, live: number): AccessTarget {
  const { koffi, malloc, free } = numberLibc();
  const pointers = new Float64Array(live);
  let count = 0;
  return {
    id,
    allocate: (index, size) => {
      const p = malloc(size);
      if (p === 0) throw new Error(`libc malloc(${size}) returned NULL`);
      pointers[index] = p;
      count = Math.max(count, index + 1);
    },
    access: (index, offset, value) => {
      const p = pointers[index]! + offset;
      koffi.encode(p, 'double', value);
      return koffi.decode(p, 'double') as number;
    },
    mappedBytes: () => null,
    destroy: () => {
      for (let i = 0; i < count; i++) free(pointers[i]!);
      count = 0;
    },
  };
}

/**
 * The JavaScript floor: no allocator, one `new Float64Array(size >> 3)` per block kept in a
 * plain array, each access an index into it.
 * @param id contender id.
 * @param _live how many blocks will be allocated (the array grows as they come).
 * @returns the target.
 */
export function typedArrayAccessTarget(id: string, _live: number): AccessTarget {
  // Filled in index order, so the array stays packed.
  let arrays: Float64Array[] = [];
  return {
    id,
    allocate: (index, size) => {
      arrays[index] = new Float64Array(size >> 3);
    },
    access: (index, offset, value) => {
      const a = arrays[index]!;
      a[offset >> 3] = value;
      return a[offset >> 3]!;
    },
    mappedBytes: () => null,
    destroy: () => {
      arrays = [];
    },
  };
}
