import type { Allocator } from '../allocators/allocator.js';
import { measureRounds, nowNs, type TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/** The seed example's block: 250 four-byte ints. */
export const SEED_BLOCK_BYTES = 1000;

/**
 * The seed example's allocation pattern, scaled up: from an empty allocator, `count` calls of
 * malloc(1000) in a row (pages are mapped as the heap grows). One operation is one malloc.
 * Every fill starts from a fresh allocator, so the page mapping is part of what is measured;
 * making and destroying the allocators is not timed (see {@link measureRounds}).
 * @param create makes a fresh allocator.
 * @param count blocks to allocate.
 * @param plan trials.
 * @returns the point.
 */
export function runSeedFill<A>(create: () => Allocator<A>, count: number, plan: TrialPlan): PointResult {
  let memory: Pick<
    PointResult,
    'metadataPerBlock' | 'mappedOverLive' | 'fragmentation' | 'peakMappedBytes'
  > | null = null;
  let id = '';
  const m = measureRounds(
    () => {
      const allocator = create();
      id = allocator.id;
      const slots = allocator.newSlots(count);
      const t0 = nowNs();
      for (let i = 0; i < count; i++) slots[i] = allocator.malloc(SEED_BLOCK_BYTES);
      const elapsed = nowNs() - t0;
      if (memory === null) {
        const sampler = new MemorySampler(allocator);
        sampler.sample();
        memory = {
          metadataPerBlock: metadataPerBlock(allocator, count),
          mappedOverLive: sampler.ratio(count * SEED_BLOCK_BYTES),
          fragmentation: allocator.fragmentation(),
          peakMappedBytes: sampler.peakMapped,
        };
      }
      allocator.destroy(slots, count);
      return elapsed;
    },
    count,
    plan,
  );
  return {
    workload: 'seed-fill',
    contender: id,
    point: String(count),
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    ...memory!,
    peakLiveBytes: count * SEED_BLOCK_BYTES,
  };
}
