import { createMockProvider, type Mapping, type PageProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

/**
 * A mock provider that writes 0xee over every fresh mapping and says whether it promises
 * zero-filled pages: where calloc leaves the 0xee, it skipped the fill.
 */
function markingProvider(zeroed: boolean | undefined): PageProvider & { maps: number } {
  const mock = createMockProvider();
  const provider = {
    name: 'marking',
    zeroed,
    maps: 0,
    get pageSize() {
      return mock.pageSize;
    },
    get maxMappingBytes() {
      return mock.maxMappingBytes;
    },
    get mappedBytes() {
      return mock.mappedBytes;
    },
    get mappingCount() {
      return mock.mappingCount;
    },
    map(byteLength: number): Mapping {
      const mapping = mock.map(byteLength);
      new Uint8Array(mapping.buffer).fill(0xee);
      provider.maps++;
      return mapping;
    },
    unmap(mapping: Mapping): void {
      mock.unmap(mapping);
    },
  };
  if (zeroed === undefined) delete (provider as { zeroed?: boolean }).zeroed;
  return provider;
}

const all = (bytes: Uint8Array, value: number) => bytes.every((byte) => byte === value);

describe('calloc and fresh pages', () => {
  it('skips the fill exactly when the block lies on pages just mapped by a zeroed provider', () => {
    const provider = markingProvider(true);
    const heap = createHeap({ provider });
    const fresh = heap.calloc(100, 10);
    expect(provider.maps).toBe(1);
    expect(all(heap.view(fresh), 0xee)).toBe(true); // the provider's promise, taken at its word
    // The rest of that node is a hole now: a block from it is filled, like any reused hole.
    const fromHole = heap.calloc(10, 10);
    expect(provider.maps).toBe(1);
    expect(all(heap.view(fromHole), 0)).toBe(true);
    heap.view(fromHole).fill(0x11);
    heap.free(fromHole);
    const reused = heap.calloc(5, 20);
    expect(reused).toBe(fromHole);
    expect(all(heap.view(reused), 0)).toBe(true);
    heap.validate();
  });

  it.each([false, undefined])('fills fresh pages too when the provider’s zeroed is %s', (zeroed) => {
    const provider = markingProvider(zeroed);
    const heap = createHeap({ provider });
    const block = heap.calloc(3, 4096);
    expect(provider.maps).toBe(1);
    expect(all(heap.view(block), 0)).toBe(true);
  });

  it('takes a zeroed getter that throws as no promise, and fills', () => {
    const provider = markingProvider(undefined);
    Object.defineProperty(provider, 'zeroed', {
      get() {
        throw new Error('zeroed getter');
      },
    });
    const heap = createHeap({ provider });
    const block = heap.calloc(8, 8);
    expect(all(heap.view(block), 0)).toBe(true);
  });

  it('fills the whole usable block of a reused hole, alignment padding included', () => {
    const heap = createHeap({ provider: createMockProvider(), alignment: 16 });
    const a = heap.allocate(32);
    heap.view(a).fill(0x77);
    heap.free(a);
    const b = heap.calloc(1, 17);
    expect(b).toBe(a);
    expect(heap.usableSize(b)).toBe(32);
    expect(all(heap.view(b), 0)).toBe(true);
  });

  it('returns zeroes from the mock and mmap-like zeroed providers with or without a fresh node', () => {
    const provider = createMockProvider();
    expect(provider.zeroed).toBe(true);
    const heap = createHeap({ provider, autoTrim: true });
    for (let round = 0; round < 3; round++) {
      const block = heap.calloc(1000, 5);
      expect(all(heap.view(block), 0)).toBe(true);
      heap.view(block).fill(0xab);
      heap.free(block); // autoTrim unmaps the node: the next calloc gets a fresh one
    }
  });
});
