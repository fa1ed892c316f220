import { describe, expect, it } from 'vitest';
import { frontCacheRounding, ModelHeap, ModelMismatch } from './model-heap.js';
import { ModelProvider } from './model-provider.js';

const cachedConfig = {
  pageSize: 4096,
  startAddress: 1000,
  alignment: 1,
  policy: 'tlsf' as const,
  minNodePages: 1,
  autoTrim: false,
  maxNodeBytes: 2 ** 32 - 4096,
  providerPageSize: 4096,
  frontCache: frontCacheRounding(1, 1024),
};

describe('the reference model of a heap with a front cache', () => {
  it('rounds sizes up to the limit to the granule, larger ones to the alignment', () => {
    const heap = new ModelHeap(cachedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    expect(heap.roundUp(1)).toBe(16);
    expect(heap.roundUp(1024)).toBe(1024);
    expect(heap.roundUp(1025)).toBe(1025);
    expect(frontCacheRounding(64, 1000)).toEqual({ granule: 64, limit: 960 });
  });

  it('accepts a block anywhere inside a hole (a cached block lies inside a merged hole) and splits it', () => {
    const heap = new ModelHeap(cachedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    expect(heap.allocate(32, 1000, true)).toBe(1000);
    expect(heap.allocate(32, 1032, false)).toBe(1032);
    expect(heap.allocate(32, 1064, false)).toBe(1064);
    heap.free(1032);
    heap.free(1000);
    expect(heap.allocate(32, 1032, false)).toBe(1032); // inside the hole [1000:1063]
    expect(heap.renderSeedStats()).toContain(
      'H[1000:1031] <-> P[1032:1063] <-> P[1064:1095] <-> H[1096:5095]',
    );
  });

  it('refuses a block outside every hole, and one placed without a new node when no hole fits', () => {
    const heap = new ModelHeap(cachedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    heap.allocate(4096, 1000, true);
    expect(() => heap.allocate(16, 1000, false)).toThrow(ModelMismatch);
    expect(() => heap.allocate(16, 5096, false)).toThrow(/no hole fits/);
    expect(heap.allocate(16, 5096, true)).toBe(5096);
    expect(() => heap.allocate(16, 5000, false)).toThrow(/not inside a free hole/);
  });
});
