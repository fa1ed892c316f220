import { mems_finish, mems_free, mems_get, mems_init, mems_malloc, mems_trim } from '@mems/api';
import { createHeap } from '@mems/core';
import { createMmapProvider } from '@mems/os/mmap';
import { describe, expect, it } from 'vitest';
import { hasProcMaps, type ProcessMapping, readProcMaps } from './proc-maps.js';

// Trimming every other one-page node used to munmap each one, splitting the kernel's mapping
// each time: 140,000 nodes reached vm.max_map_count (65,530) and killed the process. The mmap
// provider now returns a node's pages with madvise(MADV_DONTNEED) inside a reserved region.

/** How many distinct kernel mappings hold the given addresses. */
function mappingsHolding(addresses: readonly bigint[]): number {
  const maps: ProcessMapping[] = readProcMaps();
  const holding = new Set<number>();
  for (const address of addresses) {
    let lo = 0;
    let hi = maps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (maps[mid]!.start <= address) lo = mid;
      else hi = mid - 1;
    }
    if (maps[lo]!.start <= address && address < maps[lo]!.end) holding.add(lo);
  }
  return holding.size;
}

describe.runIf(hasProcMaps())('trim on the mmap provider keeps kernel mappings bounded', () => {
  it('20,000 one-page nodes, every other one trimmed (mems_trim): one kernel mapping per region', () => {
    const provider = createMmapProvider();
    mems_init({ provider, pageSize: provider.pageSize });
    const blocks: number[] = [];
    for (let i = 0; i < 20_000; i++) blocks.push(mems_malloc(provider.pageSize));
    const physical = blocks.map((block) => mems_get(block));
    for (let i = 0; i < blocks.length; i += 2) mems_free(blocks[i]!);
    expect(mems_trim()).toBe(10_000 * provider.pageSize);
    // Before: the 10,000 nodes left sat in 10,000 kernel mappings. Now: one per region at most.
    expect(provider.regionCount).toBe(Math.ceil((20_000 * provider.pageSize) / provider.regionBytes));
    expect(mappingsHolding(physical)).toBeLessThanOrEqual(provider.regionCount);
    mems_finish();
    expect([provider.mappingCount, provider.regionCount]).toEqual([0, 0]);
  });

  it('the same with autoTrim', () => {
    const provider = createMmapProvider();
    const heap = createHeap({ provider, pageSize: provider.pageSize, autoTrim: true });
    const blocks: number[] = [];
    for (let i = 0; i < 10_000; i++) blocks.push(heap.allocate(provider.pageSize));
    const physical = blocks.map((block) => heap.translate(block));
    for (let i = 1; i < blocks.length; i += 2) heap.free(blocks[i]!);
    expect(heap.counters().nodes).toBe(5_000);
    expect(mappingsHolding(physical)).toBeLessThanOrEqual(provider.regionCount);
    heap.validate();
    heap.destroy();
    expect(provider.regionCount).toBe(0);
  });
});
