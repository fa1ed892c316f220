import {
  createMems,
  type Mems,
  mems_finish,
  mems_free,
  mems_init,
  mems_malloc,
  mems_realloc,
  mems_trim,
} from '@mems/api';
import { createHeap } from '@mems/core';
import { createMockProvider, type PageProvider } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../integrity/random.js';
import { hasProcMaps, mappingsOverlapping, readProcMaps } from './proc-maps.js';

/** Many nodes of many sizes, with frees, reallocs and trims on the way; leaves some blocks live. */
function churn(mems: Pick<Mems, 'malloc' | 'free' | 'realloc' | 'trim'>, seed: number, ops = 2000): void {
  const random = mulberry32(seed);
  const live: number[] = [];
  for (let i = 0; i < ops; i++) {
    const r = random();
    if (live.length === 0 || r < 0.55) live.push(mems.malloc(1 + Math.floor(random() ** 3 * 40_000)));
    else if (r < 0.85) mems.free(live.splice(Math.floor(random() * live.length), 1)[0]!);
    else if (r < 0.98) {
      const i = Math.floor(random() * live.length);
      live[i] = mems.realloc(live[i]!, 1 + Math.floor(random() ** 3 * 40_000));
    } else mems.trim();
  }
}

const expectNothingMapped = (provider: PageProvider) => {
  expect(provider.mappedBytes).toBe(0);
  expect(provider.mappingCount).toBe(0);
};

describe('nothing leaks: after finish or destroy the provider holds nothing', () => {
  for (const [label, make] of [
    ['mock', () => createMockProvider()],
    ['mmap', () => createMmapProvider()],
  ] as const) {
    it(`${label}: mems_finish after churn (with trims)`, () => {
      const provider = make();
      mems_init({ provider });
      churn({ malloc: mems_malloc, free: mems_free, realloc: mems_realloc, trim: mems_trim }, 1);
      expect(provider.mappingCount).toBeGreaterThan(0);
      mems_finish();
      expectNothingMapped(provider);
    });

    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const)
      it(`${label}: createMems({ policy: '${policy}', autoTrim: true }).finish() after churn`, () => {
        const provider = make();
        const mems = createMems({ provider, policy, autoTrim: true, minNodePages: 2 });
        churn(mems, 2);
        mems.finish();
        expectNothingMapped(provider);
      });

    it(`${label}: Heap.destroy() after churn`, () => {
      const provider = make();
      const heap = createHeap({ provider, pageSize: 8192, alignment: 16 });
      churn(
        {
          malloc: (n) => heap.allocate(n),
          free: (p) => heap.free(p as number), // Mems.free also takes a typed array from mallocAs
          realloc: (p, n) => heap.realloc(p, n),
          trim: () => heap.trim(),
        },
        3,
      );
      heap.destroy();
      expectNothingMapped(provider);
    });
  }
});

describe.skipIf(!hasProcMaps())(
  "the process's own mappings (/proc/self/maps) hold MeMS's nodes while it has them, and none after finish",
  () => {
    /** One attempt: returns what went wrong, or null. */
    function attempt(seed: number): string | null {
      const provider = createMmapProvider();
      const mems = createMems({ provider });
      churn(mems, seed, 3000);
      // Every node's pages are in the kernel's list while MeMS holds them...
      const nodes = mems.stats().nodes.map((n) => ({ address: BigInt(n.physicalAddress), size: n.size }));
      const during = readProcMaps();
      const missing = nodes.filter((n) => mappingsOverlapping(during, n.address, n.size).length === 0);
      if (missing.length > 0) return `${missing.length} live nodes are not in /proc/self/maps`;
      mems.finish();
      // ...and none of them after finish, whatever their protection (a kept reservation shows).
      const after = readProcMaps();
      const stale = nodes.filter((n) => mappingsOverlapping(after, n.address, n.size).length > 0);
      if (stale.length > 0)
        return `${stale.length} of ${nodes.length} node ranges are still mapped after finish`;
      // The provider's reserved regions are gone too. (The kernel's line count is no test of it:
      // V8 grows its own heap in 256 KiB mappings and glibc adds arenas while the churn runs,
      // so the count after finish may exceed the baseline with nothing of ours left.)
      if (provider.regionCount !== 0 || provider.reservedBytes !== 0)
        return `the provider still reserves ${provider.regionCount} regions (${provider.reservedBytes} bytes) after finish`;
      return null;
    }

    it('after thousands of allocations, frees and trims on mmap, then finish', () => {
      expect(attempt(11)).toBeNull();
      expect(attempt(12)).toBeNull();
    });
  },
);
