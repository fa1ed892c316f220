import { describe, expect, it } from 'vitest';
import { type ThreadAllocator, withThreadCache } from './shared-churn-thread-body.js';

/** A heap that hands out dense addresses and records every call. */
function recordingHeap(): ThreadAllocator & { live: Map<number, number>; calls: string[]; closed: boolean } {
  let next = 1000;
  const live = new Map<number, number>();
  const calls: string[] = [];
  return {
    live,
    calls,
    closed: false,
    malloc(n) {
      calls.push(`malloc ${n}`);
      const p = next;
      next += n;
      live.set(p, n);
      return p;
    },
    free(p) {
      calls.push(`free ${p}`);
      if (!live.delete(p)) throw new Error(`double free ${p}`);
    },
    close() {
      this.closed = true;
    },
  };
}

describe('the per-thread cache prototype of the shared-churn bench', () => {
  it('serves a malloc of a cached class without calling the heap, and rounds to 16 B classes', () => {
    const heap = recordingHeap();
    const cache = withThreadCache(heap);
    const a = cache.malloc(20);
    expect(heap.live.get(a)).toBe(32);
    cache.free(a);
    expect(heap.live.has(a)).toBe(true); // cached, not freed
    heap.calls.length = 0;
    expect(cache.malloc(17)).toBe(a); // same class (17..32)
    expect(heap.calls).toEqual([]);
    expect(cache.malloc(33)).not.toBe(a);
  });

  it('frees handed-off blocks and blocks from other threads straight to the heap, and everything at close', () => {
    const heap = recordingHeap();
    const cache = withThreadCache(heap);
    const mine = cache.malloc(100);
    const given = cache.malloc(100);
    cache.handedOff?.(given);
    cache.free(given); // as if another thread's cache freed it: not cached here
    expect(heap.live.has(given)).toBe(false);
    const big = cache.malloc(5000);
    cache.free(big);
    expect(heap.live.has(big)).toBe(false);
    const kept = Array.from({ length: 70 }, () => cache.malloc(64));
    for (const p of kept) cache.free(p); // 64 stay, 6 go back
    expect(heap.live.size).toBe(1 + 64);
    cache.free(mine);
    cache.close();
    expect(heap.live.size).toBe(0);
    expect(heap.closed).toBe(true);
  });
});
