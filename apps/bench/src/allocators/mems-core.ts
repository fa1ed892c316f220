import { createHeap, type Heap, type HeapSnapshot, type PolicyName } from '@mems/core';
import { createMockProvider, type PageProvider } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';
import { type Allocator, viewToucher } from './allocator.js';

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

/**
 * MeMS through `@mems/core` directly: `createHeap({ provider, policy, frontCache, slabs })`,
 * every other option at its default (the seed's: 4096-byte pages, one page per new node at
 * least, no trim).
 * @param id contender id.
 * @param policy placement policy.
 * @param providerKind page provider.
 * @param frontCache the front cache on or off.
 * @param slabs slabs on or off.
 * @returns the allocator and its heap.
 */
export function memsCoreAllocator(
  id: string,
  policy: PolicyName,
  providerKind: ProviderKind,
  frontCache = false,
  slabs = false,
): Allocator<number> & { readonly heap: Heap } {
  const heap = createHeap({ provider: createProvider(providerKind), policy, frontCache, slabs });
  return {
    id,
    heap,
    malloc: (size) => heap.allocate(size),
    free: (address) => heap.free(address),
    realloc: (address, size) => heap.realloc(address, size),
    translate: (address) => heap.translate(address),
    interior: (address, offset) => address + offset,
    newSlots: (count) => new Float64Array(count),
    // A user touches a MeMS block through a view: one `heap.view` per access.
    touch: viewToucher((address: number, size: number) => ({ bytes: heap.view(address, size), offset: 0 })),
    memory: () => ({ mappedBytes: heap.bytesMapped, metadataBytes: heap.metadataBytes }),
    fragmentation: () => snapshotFragmentation(heap.snapshot()),
    destroy: () => heap.destroy(),
  };
}
