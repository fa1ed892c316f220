import { createHeap, type Heap, type HeapSnapshot, type PolicyName } from '@mems/core';
import { createMockProvider, type PageProvider } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';
import { type Allocator, type BlockToucher, viewToucher } from './allocator.js';

/** Which page provider a MeMS contender runs on. */
export type ProviderKind = 'mmap' | 'mock';

/**
 * Creates the page provider of a MeMS contender.
 * @param kind `'mmap'` (real pages through koffi) or `'mock'` (ArrayBuffers).
 * @returns a fresh provider.
 */
export function createProvider(kind: ProviderKind): PageProvider {
  return kind === 'mmap' ? createMmapProvider() : createMockProvider();
}

/**
 * External fragmentation of a heap snapshot: 1 − largest hole ÷ total hole bytes.
 * @param snapshot a heap snapshot.
 * @returns a number in [0, 1); 0 when there is no hole.
 */
export function snapshotFragmentation(snapshot: HeapSnapshot): number {
  let total = 0;
  let largest = 0;
  for (const node of snapshot.nodes) {
    for (const seg of node.segments) {
      if (seg.kind !== 'HOLE') continue;
      total += seg.size;
      if (seg.size > largest) largest = seg.size;
    }
  }
  return total > 0 ? 1 - largest / total : 0;
}

/** How a MeMS contender's program reaches its blocks' bytes (the `churn-touch` workload). */
export type MemsTouchPath = 'view' | 'memoryOf';

/** Options of {@link memsCoreAllocator} beyond the policy and the provider. */
export interface MemsCoreOptions {
  /** The front cache (issue 14). Default false. */
  readonly frontCache?: boolean;
  /** Small blocks from per-size-class slabs (issue 20), as the heap's `slabs` option. Default false. */
  readonly slabs?: boolean | { readonly maxBlockSize: number };
  /** `heap.view` per access (default), or `heap.memoryOf` per access. */
  readonly touch?: MemsTouchPath;
}

/**
 * A {@link BlockToucher} through `heap.memoryOf`: one call per access, then the node's long-lived
 * DataView at `address - base` (blocks of the default alignment 1 are not 8-byte aligned, so
 * the float64 goes through `setFloat64`/`getFloat64`, little-endian, not through `f64`).
 * @param heap the heap.
 * @returns the toucher.
 */
export function memoryOfToucher(heap: Heap): BlockToucher<number> {
  return {
    write: (address, size, stamp) => {
      const m = heap.memoryOf(address);
      const at = address - m.base;
      m.dataView.setFloat64(at, stamp, true);
      m.dataView.setFloat64(at + size - 8, stamp, true);
    },
    read: (address, size, stamp) => {
      const m = heap.memoryOf(address);
      const at = address - m.base;
      return (
        m.dataView.getFloat64(at, true) === stamp && m.dataView.getFloat64(at + size - 8, true) === stamp
      );
    },
  };
}

/**
 * MeMS through `@mems/core` directly: `createHeap({ provider, policy, frontCache, slabs })`,
 * every other option at its default (the seed's: 4096-byte pages, one page per new node at
 * least, no trim).
 * @param id contender id.
 * @param policy placement policy.
 * @param providerKind page provider.
 * @param options the front cache, slabs, and the access path `touch` uses.
 * @returns the allocator and its heap.
 */
export function memsCoreAllocator(
  id: string,
  policy: PolicyName,
  providerKind: ProviderKind,
  options: MemsCoreOptions = {},
): Allocator<number> & { readonly heap: Heap } {
  const heap = createHeap({
    provider: createProvider(providerKind),
    policy,
    frontCache: options.frontCache ?? false,
    slabs: options.slabs ?? false,
  });
  return {
    id,
    heap,
    malloc: (size) => heap.allocate(size),
    free: (address) => heap.free(address),
    realloc: (address, size) => heap.realloc(address, size),
    translate: (address) => heap.translate(address),
    interior: (address, offset) => address + offset,
    newSlots: (count) => new Float64Array(count),
    // A user touches a MeMS block through a view (one `heap.view` per access), or through the
    // node's long-lived typed arrays (one `heap.memoryOf` per access).
    touch:
      options.touch === 'memoryOf'
        ? memoryOfToucher(heap)
        : viewToucher((address: number, size: number) => ({ bytes: heap.view(address, size), offset: 0 })),
    memory: () => ({ mappedBytes: heap.bytesMapped, metadataBytes: heap.metadataBytes }),
    fragmentation: () => snapshotFragmentation(heap.snapshot()),
    destroy: () => heap.destroy(),
  };
}
