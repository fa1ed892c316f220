import type { Allocator } from '../allocators/allocator.js';
import type { TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';
import type { ChurnSequence } from '../sequence.js';
import { measureChurnPoint } from './churn.js';
import { MemorySampler } from './memory-sampler.js';

/**
 * Churn that uses its memory, as a program does: every new block gets a stamp (a float64) in
 * its first and last 8 bytes, and just before a block is freed both ends are read back and
 * checked. Writing and reading go through the contender's own access path (views for MeMS and
 * @thi.ng/malloc, koffi memory access for libc), so an allocator whose metadata lives beside the
 * blocks and one whose metadata lives apart both pay for the cache lines a real program touches.
 * One operation is one check+free+malloc+write step.
 * @param allocator the contender; its `touch` must not be null.
 * @param seq the churn script (sizes of at least 16 bytes).
 * @param plan trials.
 * @returns the point, workload `churn-touch`.
 * @throws Error when the contender cannot touch memory, a size is below 16, or a block's ends
 *   do not hold what was written (the allocator handed out overlapping or moving memory).
 */
export function runChurnTouch<A>(allocator: Allocator<A>, seq: ChurnSequence, plan: TrialPlan): PointResult {
  const touch = allocator.touch;
  if (touch === null) throw new Error(`${allocator.id} has no memory to touch`);
  const live = seq.live;
  const slots = allocator.newSlots(live);
  const slotSizes = new Uint32Array(live);
  const stamps = new Float64Array(live);
  const fill = seq.fillSizes;
  for (let i = 0; i < live; i++) {
    const size = fill[i]!;
    if (size < 16) throw new Error(`churn-touch needs blocks of at least 16 bytes, got ${size}`);
    slots[i] = allocator.malloc(size);
    slotSizes[i] = size;
    stamps[i] = i;
    touch.write(slots[i]!, size, i);
  }
  const sampler = new MemorySampler(allocator);
  sampler.sample();

  const victims = seq.victims;
  const sizes = seq.sizes;
  const n = victims.length;
  let pos = 0;
  let steps = 0;
  // Stamps count up from `live` and wrap below 2^32, so a stale stamp from an earlier pass of
  // the script is never mistaken for the current one within a run.
  let stamp = live;
  const run = (count: number): void => {
    steps += count;
    while (count > 0) {
      const end = Math.min(n, pos + count);
      for (let k = pos; k < end; k++) {
        const i = victims[k]!;
        const old = slots[i]!;
        if (!touch.read(old, slotSizes[i]!, stamps[i]!))
          throw new Error(`${allocator.id}: block ${i} lost its stamp ${stamps[i]} before its free`);
        allocator.free(old);
        const size = sizes[k]!;
        const fresh = allocator.malloc(size);
        slots[i] = fresh;
        slotSizes[i] = size;
        stamp = stamp === 0xffffffff ? 0 : stamp + 1;
        stamps[i] = stamp;
        touch.write(fresh, size, stamp);
      }
      count -= end - pos;
      pos = end === n ? 0 : end;
    }
  };

  return measureChurnPoint('churn-touch', allocator, seq, plan, slots, sampler, run, () => steps);
}
