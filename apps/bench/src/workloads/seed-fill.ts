import type { Allocator } from '../allocators/allocator.js';
import { heapUsedAfterGc, nowNs, type TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';
import { summarize } from '../stats.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/** The seed example's block: 250 four-byte ints. */
export const SEED_BLOCK_BYTES = 1000;

/**
 * The seed example's allocation pattern, scaled up: from an empty allocator, `count` calls of
 * malloc(1000) in a row (pages are mapped as the heap grows). One operation is one malloc.
 * Each trial uses a fresh allocator, so the page mapping is part of what is measured.
 * @param create makes a fresh allocator.
 * @param count blocks to allocate.
 * @param plan trials (`targetTrialMs` is not used: a trial is one fill).
 * @returns the point.
 */
export function runSeedFill<A>(create: () => Allocator<A>, count: number, plan: TrialPlan): PointResult {
  const samples: number[] = [];
  let result: Omit<PointResult, 'ns' | 'heapGrowthBytes' | 'heapOps'> | null = null;
  let before: number | null = null;
  // One untimed fill first, as a warm-up, then the timed ones.
  for (let t = -1; t < plan.trials; t++) {
    if (t === 0) before = heapUsedAfterGc();
    const allocator = create();
    const slots = allocator.newSlots(count);
    const t0 = nowNs();
    for (let i = 0; i < count; i++) slots[i] = allocator.malloc(SEED_BLOCK_BYTES);
    const elapsed = nowNs() - t0;
    if (t >= 0) samples.push(elapsed / count);
    const sampler = new MemorySampler(allocator);
    sampler.sample();
    if (t === plan.trials - 1) {
      result = {
        workload: 'seed-fill',
        contender: allocator.id,
        point: String(count),
        opsPerTrial: count,
        totalOps: count * (plan.trials + 1),
        metadataPerBlock: metadataPerBlock(allocator, count),
        mappedOverLive: sampler.ratio(count * SEED_BLOCK_BYTES),
        fragmentation: allocator.fragmentation(),
        peakLiveBytes: count * SEED_BLOCK_BYTES,
        peakMappedBytes: sampler.peakMapped,
      };
    }
    allocator.destroy(slots, count);
  }
  const after = heapUsedAfterGc();
  return {
    ...result!,
    ns: summarize(samples),
    heapGrowthBytes: before === null || after === null ? null : after - before,
    heapOps: count * plan.trials,
  };
}
