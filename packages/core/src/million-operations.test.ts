import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';
import { POLICY_NAMES } from './policies/index.js';

// A deterministic xorshift generator, so a failure replays exactly.
function random(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe.each(POLICY_NAMES)('a million random operations under %s', (policy) => {
  it('leaves a heap that validates, with counters that add up', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, policy });
    const next = random(42);
    const live: number[] = [];
    let liveBytes = 0;
    const sizes = new Map<number, number>();
    for (let i = 0; i < 1_000_000; i++) {
      if (live.length < 2000 || (live.length < 20000 && next() < 0.5)) {
        const size = 16 + Math.floor(next() * 496);
        const address = heap.allocate(size);
        live.push(address);
        // Under tlsf and best-fit the front cache rounds small sizes up to 16 bytes.
        const usable = heap.usableSize(address);
        expect(usable - size).toBeLessThan(16);
        sizes.set(address, usable);
        liveBytes += usable;
      } else {
        const j = Math.floor(next() * live.length);
        const address = live[j]!;
        live[j] = live[live.length - 1]!;
        live.pop();
        heap.free(address);
        liveBytes -= sizes.get(address)!;
        sizes.delete(address);
      }
      if (i % 250_000 === 0) heap.validate();
    }
    heap.validate();
    expect(heap.counters()).toMatchObject({ liveBlocks: live.length, bytesInUse: liveBytes });
    heap.destroy();
    expect(provider.mappedBytes).toBe(0);
  }, 60_000);
});
