import type { Allocator, Slots } from '../allocators/allocator.js';
import { measureBatches, type TrialPlan } from '../measure.js';
import type { PointResult, WorkloadId } from '../results.js';
import { type ChurnSequence, liveBytesOver } from '../sequence.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/**
 * Random churn at a steady live-block count: fill `seq.live` blocks, then each step frees the
 * live block the script names and allocates a block of the script's size in its place. One
 * operation is one free+malloc pair. Warm-up replaces every block about once before timing.
 * @param allocator the contender.
 * @param seq the script (sizes 16..511 B for `churn`, 1000 B for `seed-churn`).
 * @param plan trials.
 * @param workload the id to report under.
 * @returns the point.
 */
export function runChurn<A>(
  allocator: Allocator<A>,
  seq: ChurnSequence,
  plan: TrialPlan,
  workload: WorkloadId = 'churn',
): PointResult {
  const live = seq.live;
  const slots = allocator.newSlots(live);
  const fill = seq.fillSizes;
  for (let i = 0; i < live; i++) slots[i] = allocator.malloc(fill[i]!);
  const sampler = new MemorySampler(allocator);
  sampler.sample();

  const victims = seq.victims;
  const sizes = seq.sizes;
  const n = victims.length;
  let pos = 0;
  let steps = 0;
  const run = (count: number): void => {
    steps += count;
    while (count > 0) {
      const end = Math.min(n, pos + count);
      for (let k = pos; k < end; k++) {
        const i = victims[k]!;
        allocator.free(slots[i]!);
        slots[i] = allocator.malloc(sizes[k]!);
      }
      count -= end - pos;
      pos = end === n ? 0 : end;
    }
  };

  return measureChurnPoint(workload, allocator, seq, plan, slots, sampler, run, () => steps);
}

/**
 * Times a churn loop and reports its point: the trials, the memory sampled after each, and the
 * allocator's metadata and fragmentation once timing ends; then frees the live blocks. Shared by
 * every churn-shaped workload, so each reports its point the same way.
 * @param workload the id to report under.
 * @param allocator the contender, holding `seq.live` blocks in `slots`.
 * @param seq the script the loop follows.
 * @param plan trials.
 * @param slots the live blocks, destroyed at the end.
 * @param sampler samples the allocator's mapped memory.
 * @param run runs `count` steps of the script.
 * @param stepsRun how many steps `run` has run so far.
 * @returns the point.
 */
export function measureChurnPoint<A>(
  workload: WorkloadId,
  allocator: Allocator<A>,
  seq: ChurnSequence,
  plan: TrialPlan,
  slots: Slots<A>,
  sampler: MemorySampler,
  run: (count: number) => void,
  stepsRun: () => number,
): PointResult {
  const live = seq.live;
  const m = measureBatches(run, 1, plan, {
    minWarmupUnits: live,
    minHeapUnits: plan.minHeapOps ?? 0,
    afterTrial: () => sampler.sample(),
  });
  sampler.sample();
  const liveBytes = liveBytesOver(seq, stepsRun());
  const result: PointResult = {
    workload,
    contender: allocator.id,
    point: String(live),
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: metadataPerBlock(allocator, live),
    mappedOverLive: sampler.ratio(liveBytes.peak),
    fragmentation: allocator.fragmentation(),
    peakLiveBytes: liveBytes.peak,
    peakMappedBytes: sampler.peakMapped,
  };
  allocator.destroy(slots, live);
  return result;
}
