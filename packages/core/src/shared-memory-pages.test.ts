import { bytesOfMapping, createMockProvider, createSharedMemoryProvider, type Mapping } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

const PAGE = 4096;

/** The provider's mapping of the node holding `address` (any thread's view of the same pages). */
function nodeMapping(provider: ReturnType<typeof createSharedMemoryProvider>, physical: bigint): Mapping {
  const base = physical - (physical % BigInt(PAGE));
  for (let address = base; ; address -= BigInt(PAGE)) {
    try {
      return provider.mappingAt(address);
    } catch {
      // Not the first page of the mapping: look one page lower.
    }
  }
}

// The shared-memory provider hands out mappings whose buffer is one SharedArrayBuffer, with the
// pages at mapping.byteOffset: every node of the heap lives at its own offset in it.
describe('a heap over shared-memory pages', () => {
  it('reads and writes each block at its own node’s place in the shared buffer', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 64 * PAGE });
    const heap = createHeap({ provider });
    const a = heap.allocate(4000); // the first node: byteOffset 0
    const b = heap.allocate(5000); // the second node: byteOffset 4096, two pages
    heap.view(a).fill(7);
    heap.viewAs(Int32Array, b)[1] = 0x01020304;
    const second = nodeMapping(provider, heap.translate(b));
    expect(second.byteOffset).toBe(PAGE);
    expect([...bytesOfMapping(second).subarray(4, 8)]).toEqual([4, 3, 2, 1]);
    const first = nodeMapping(provider, heap.translate(a));
    expect(
      bytesOfMapping(first)
        .subarray(0, 4000)
        .every((byte) => byte === 7),
    ).toBe(true);
    expect(heap.translate(b + 4)).toBe(second.address + 4n);
    heap.validate();
  });

  it('moves bytes with realloc and zero-fills calloc blocks on reused pages', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 64 * PAGE });
    const heap = createHeap({ provider, policy: 'tlsf' });
    const a = heap.allocate(3000);
    heap.view(a).set([1, 2, 3, 4, 5]);
    const filler = heap.allocate(1000);
    const moved = heap.realloc(a, 6000); // no room after a: a new node
    expect([...heap.view(moved, 5)]).toEqual([1, 2, 3, 4, 5]);
    heap.view(filler).fill(0xff);
    heap.free(filler);
    const zeroed = heap.calloc(10, 100);
    expect(heap.view(zeroed).every((byte) => byte === 0)).toBe(true);
    heap.validate();
    heap.destroy();
    expect(provider.mappedBytes).toBe(0);
    expect(provider.mappingCount).toBe(0);
  });

  it('gives the same addresses and snapshot as the mock provider for the same calls', () => {
    const run = (
      provider: ReturnType<typeof createMockProvider> | ReturnType<typeof createSharedMemoryProvider>,
    ) => {
      const heap = createHeap({ provider });
      const addresses: number[] = [];
      for (let i = 0; i < 10; i++) addresses.push(heap.allocate(1000));
      heap.free(addresses[3]!);
      heap.free(addresses[4]!);
      addresses.push(heap.allocate(600), heap.allocate(3000), heap.realloc(addresses[0]!, 2500));
      const { nodes } = heap.snapshot();
      return {
        addresses,
        nodes: nodes.map(({ physicalAddress: _physical, ...node }) => node),
        counters: heap.counters(),
      };
    };
    expect(run(createSharedMemoryProvider({ maxBytes: 64 * PAGE }))).toEqual(run(createMockProvider()));
  });

  it('refuses a mapping whose byteOffset puts its pages outside its buffer with ENOMEM, changing nothing', () => {
    const inner = createSharedMemoryProvider({ maxBytes: 16 * PAGE });
    const made = new Map<object, Mapping>();
    for (const byteOffset of [64 * PAGE, -PAGE, 0.5, Number.NaN, '0']) {
      const provider = {
        name: 'shifted',
        pageSize: PAGE,
        maxMappingBytes: inner.maxMappingBytes,
        get mappedBytes() {
          return inner.mappedBytes;
        },
        get mappingCount() {
          return inner.mappingCount;
        },
        map(byteLength: number): Mapping {
          const real = inner.map(byteLength);
          const shifted = { ...real, buffer: real.buffer, live: true, byteOffset: byteOffset as number };
          made.set(shifted, real);
          return shifted;
        },
        unmap(mapping: Mapping): void {
          inner.unmap(made.get(mapping)!);
        },
      };
      const heap = createHeap({ provider });
      expect(() => heap.allocate(100)).toThrow(
        expect.objectContaining({ name: 'MemsError', code: 'ENOMEM' }),
      );
      expect(inner.mappedBytes).toBe(0);
      expect(heap.counters().pagesMapped).toBe(0);
    }
  });
});
