import { readFileSync } from 'node:fs';
import { createMmapProvider } from '@mems/os/mmap';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

// Trimming every other one-page node used to munmap each one, splitting the kernel's mapping
// each time: 140,000 nodes reached vm.max_map_count (65,530) and killed the process. The mmap
// provider now returns a node's pages with madvise(MADV_DONTNEED) inside a reserved region.

/** The address ranges of /proc/self/maps, in address order. */
function kernelMappings(): Array<[bigint, bigint]> {
  return readFileSync('/proc/self/maps', 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [start, end] = line.split(' ')[0]!.split('-');
      return [BigInt(`0x${start}`), BigInt(`0x${end}`)] as [bigint, bigint];
    });
}

/** How many distinct kernel mappings hold the given addresses. */
function kernelMappingsHolding(addresses: readonly bigint[]): number {
  const ranges = kernelMappings();
  const holding = new Set<number>();
  for (const address of addresses) {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ranges[mid]![0] <= address) lo = mid;
      else hi = mid - 1;
    }
    if (ranges[lo]![0] <= address && address < ranges[lo]![1]) holding.add(lo);
  }
  return holding.size;
}

describe.runIf(process.platform === 'linux')('trim on the mmap provider', () => {
  it('keeps the kernel mappings of 20,000 one-page nodes, every other one trimmed, to its regions', () => {
    const provider = createMmapProvider();
    const heap = createHeap({ provider, pageSize: provider.pageSize });
    const blocks: number[] = [];
    for (let i = 0; i < 20_000; i++) blocks.push(heap.allocate(provider.pageSize));
    const physical = blocks.map((block) => heap.translate(block));
    for (let i = 0; i < blocks.length; i += 2) heap.free(blocks[i]!);
    expect(heap.trim()).toBe(10_000 * provider.pageSize);
    expect(heap.counters().nodes).toBe(10_000);
    // Before: 10,000 live nodes in 10,000 kernel mappings. Now: one per region at most.
    expect(kernelMappingsHolding(physical)).toBeLessThanOrEqual(provider.regionCount);
    expect(provider.regionCount).toBe(Math.ceil((20_000 * provider.pageSize) / provider.regionBytes));
    heap.validate();
    heap.destroy();
    expect([provider.mappingCount, provider.regionCount]).toEqual([0, 0]);
  });

  it('keeps them bounded with autoTrim too', () => {
    const provider = createMmapProvider();
    const heap = createHeap({ provider, pageSize: provider.pageSize, autoTrim: true });
    const blocks: number[] = [];
    for (let i = 0; i < 10_000; i++) blocks.push(heap.allocate(provider.pageSize));
    const physical = blocks.map((block) => heap.translate(block));
    for (let i = 1; i < blocks.length; i += 2) heap.free(blocks[i]!);
    expect(heap.counters().nodes).toBe(5_000);
    expect(kernelMappingsHolding(physical)).toBeLessThanOrEqual(provider.regionCount);
    heap.destroy();
    expect(provider.regionCount).toBe(0);
  });
});
