import type { Allocator } from '../allocators/allocator.js';
import { measureBatches, type TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/**
 * glibc's bench-malloc-simple pattern: allocate `count` blocks of one size, then free them all
 * in the order they were allocated; repeat. One operation is one malloc+free pair.
 * @param allocator the contender (fresh).
 * @param count blocks per round (25, 100, 400, 1600).
 * @param size bytes per block.
 * @param plan trials.
 * @returns the point, keyed `count×size`.
 */
export function runGlibcSimple<A>(
  allocator: Allocator<A>,
  count: number,
  size: number,
  plan: TrialPlan,
): PointResult {
  const slots = allocator.newSlots(count);
  const sampler = new MemorySampler(allocator);
  let meta: number | null = null;
  const run = (rounds: number): void => {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < count; i++) slots[i] = allocator.malloc(size);
      for (let i = 0; i < count; i++) allocator.free(slots[i]!);
    }
  };
  // One untimed round to measure memory with every block live.
  for (let i = 0; i < count; i++) slots[i] = allocator.malloc(size);
  sampler.sample();
  meta = metadataPerBlock(allocator, count);
  for (let i = 0; i < count; i++) allocator.free(slots[i]!);

  const m = measureBatches(run, count, plan, { afterTrial: () => sampler.sample() });
  const result: PointResult = {
    workload: 'glibc-simple',
    contender: allocator.id,
    point: `${count}×${size}`,
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: meta,
    mappedOverLive: sampler.ratio(count * size),
    fragmentation: allocator.fragmentation(),
    peakLiveBytes: count * size,
    peakMappedBytes: sampler.peakMapped,
  };
  allocator.destroy(slots, 0);
  return result;
}
