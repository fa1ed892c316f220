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
 * Every fill starts from a fresh allocator, so the page mapping is part of what is measured;
 * making and destroying the allocators is not timed. A trial is as many fills as make about
 * `plan.targetTrialMs` (judged from two untimed warm-up fills), at least one.
 * @param create makes a fresh allocator.
 * @param count blocks to allocate.
 * @param plan trials.
 * @returns the point.
 */
export function runSeedFill<A>(create: () => Allocator<A>, count: number, plan: TrialPlan): PointResult {
  let result: Omit<PointResult, 'ns' | 'heapGrowthBytes' | 'heapOps'> | null = null;
  const fill = (keep: boolean): number => {
    const allocator = create();
    const slots = allocator.newSlots(count);
    const t0 = nowNs();
    for (let i = 0; i < count; i++) slots[i] = allocator.malloc(SEED_BLOCK_BYTES);
    const elapsed = nowNs() - t0;
    if (keep) {
      const sampler = new MemorySampler(allocator);
      sampler.sample();
      result = {
        workload: 'seed-fill',
        contender: allocator.id,
        point: String(count),
        opsPerTrial: 0,
        totalOps: 0,
        metadataPerBlock: metadataPerBlock(allocator, count),
        mappedOverLive: sampler.ratio(count * SEED_BLOCK_BYTES),
        fragmentation: allocator.fragmentation(),
        peakLiveBytes: count * SEED_BLOCK_BYTES,
        peakMappedBytes: sampler.peakMapped,
      };
    }
    allocator.destroy(slots, count);
    return elapsed;
  };
  fill(false);
  const warm = fill(false);
  const fillsPerTrial = Math.max(1, Math.round((plan.targetTrialMs * 1e6) / Math.max(warm, 1)));
  const before = heapUsedAfterGc();
  const samples: number[] = [];
  for (let t = 0; t < plan.trials; t++) {
    let elapsed = 0;
    for (let f = 0; f < fillsPerTrial; f++) elapsed += fill(t === plan.trials - 1 && f === fillsPerTrial - 1);
    samples.push(elapsed / (count * fillsPerTrial));
  }
  const after = heapUsedAfterGc();
  const opsPerTrial = count * fillsPerTrial;
  return {
    ...result!,
    opsPerTrial,
    totalOps: opsPerTrial * plan.trials + 2 * count,
    ns: summarize(samples),
    heapGrowthBytes: before === null || after === null ? null : after - before,
    heapOps: opsPerTrial * plan.trials,
  };
}
