import type { Allocator } from '../allocators/allocator.js';
import { measureBatches, type TrialPlan } from '../measure.js';
import { inRange, xorshift32 } from '../random.js';
import type { PointResult } from '../results.js';
import type { ChurnSequence } from '../sequence.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/**
 * Address translation (`translate` / `mems_get`) of random interior addresses: fill
 * `seq.live` blocks of the churn sizes, pick `probes` random (block, interior offset) pairs
 * beforehand, then translate them in a loop. One operation is one translation.
 * @param allocator the contender (must have `translate`).
 * @param seq the churn script (only its fill sizes are used).
 * @param probes how many precomputed addresses to cycle through.
 * @param plan trials.
 * @returns the point.
 */
export function runTranslate<A>(
  allocator: Allocator<A>,
  seq: ChurnSequence,
  probes: number,
  plan: TrialPlan,
): PointResult {
  const translate = allocator.translate!;
  const live = seq.live;
  const slots = allocator.newSlots(live);
  let liveBytes = 0;
  for (let i = 0; i < live; i++) {
    slots[i] = allocator.malloc(seq.fillSizes[i]!);
    liveBytes += seq.fillSizes[i]!;
  }
  const next = xorshift32(0x5bd1e995);
  const addresses = allocator.newSlots(probes);
  for (let k = 0; k < probes; k++) {
    const i = inRange(next(), 0, live - 1);
    addresses[k] = allocator.interior(slots[i]!, inRange(next(), 1, seq.fillSizes[i]! - 1));
  }
  const sampler = new MemorySampler(allocator);
  sampler.sample();
  let pos = 0;
  let zeros = 0;
  const run = (count: number): void => {
    while (count > 0) {
      const end = Math.min(probes, pos + count);
      for (let k = pos; k < end; k++) if (translate(addresses[k]!) === 0n) zeros++;
      count -= end - pos;
      pos = end === probes ? 0 : end;
    }
  };
  const m = measureBatches(run, 1, plan);
  if (zeros !== 0) throw new Error(`${allocator.id}: ${zeros} translations gave address 0`);
  const result: PointResult = {
    workload: 'translate',
    contender: allocator.id,
    point: String(live),
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: metadataPerBlock(allocator, live),
    mappedOverLive: sampler.ratio(liveBytes),
    fragmentation: allocator.fragmentation(),
    peakLiveBytes: liveBytes,
    peakMappedBytes: sampler.peakMapped,
  };
  allocator.destroy(slots, live);
  return result;
}
