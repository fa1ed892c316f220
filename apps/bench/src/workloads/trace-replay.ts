import { OP_ALLOCATE, OP_FREE } from '@mems/traces';
import type { Allocator } from '../allocators/allocator.js';
import { measureRounds, nowNs, type TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';
import { type TraceScript, traceLiveBytes } from '../traces/trace-script.js';
import { MemorySampler, metadataPerBlock } from './memory-sampler.js';

/** Peak resident set of this process so far, and its resident set now, in bytes. */
export function residentSet(): { peak: number; now: number } {
  return { peak: process.resourceUsage().maxRSS * 1024, now: process.memoryUsage().rss };
}

/**
 * Replays a real program's allocation trace. Each round replays the whole trace from the state
 * the previous round left (every block freed, the allocator's memory kept, as a long-running
 * program's would be), timing only the trace's own operations; the blocks still live at its end
 * are freed untimed. One operation is one malloc, free or realloc. Memory is measured on a first,
 * untimed replay that samples the allocator after every operation and writes both ends of every
 * block: peak bytes mapped ÷ peak bytes requested by live blocks (utilisation is its inverse),
 * and the process's peak RSS. Run one
 * trace per process, so the peak RSS belongs to it.
 * @param allocator the contender (fresh).
 * @param script the trace.
 * @param plan trials.
 * @returns the point, workload `traces`, point = the trace's name.
 */
export function runTraceReplay<A>(
  allocator: Allocator<A>,
  script: TraceScript,
  plan: TrialPlan,
): PointResult {
  const before = residentSet();
  const { ops, slots: slotOf, sizes } = script;
  const n = script.length;
  const slots = allocator.newSlots(script.blocks);
  const live = new Uint8Array(script.blocks);
  const sampler = new MemorySampler(allocator);
  sampler.sample();

  const step = (k: number): void => {
    const slot = slotOf[k]!;
    const op = ops[k]!;
    if (op === OP_ALLOCATE) {
      slots[slot] = allocator.malloc(sizes[k]!);
      live[slot] = 1;
    } else if (op === OP_FREE) {
      allocator.free(slots[slot]!);
      live[slot] = 0;
    } else {
      slots[slot] = allocator.realloc!(slots[slot]!, sizes[k]!);
    }
  };
  const freeTheRest = (): void => {
    for (let slot = 0; slot < script.blocks; slot++) {
      if (live[slot] === 0) continue;
      allocator.free(slots[slot]!);
      live[slot] = 0;
    }
  };

  // The measuring replay (untimed): memory after every operation, and the two ends of every
  // block of 16 bytes or more written, so that the peak RSS counts the pages a program that uses
  // its blocks touches (an allocator with in-band headers writes them anyway; MeMS does not).
  const touch = allocator.touch;
  let peakLiveCount = 0;
  let liveCount = 0;
  for (let k = 0; k < n; k++) {
    step(k);
    if (touch !== null && ops[k] !== OP_FREE && sizes[k]! >= 16)
      touch.write(slots[slotOf[k]!]!, sizes[k]!, k);
    if (ops[k] === OP_ALLOCATE) liveCount++;
    else if (ops[k] === OP_FREE) liveCount--;
    if (liveCount > peakLiveCount) peakLiveCount = liveCount;
    sampler.sample();
  }
  const metadata = metadataPerBlock(allocator, Math.max(liveCount, 1));
  const fragmentation = allocator.fragmentation();
  freeTheRest();
  const after = residentSet();

  const m = measureRounds(
    () => {
      const t0 = nowNs();
      for (let k = 0; k < n; k++) step(k);
      const elapsed = nowNs() - t0;
      freeTheRest();
      return elapsed;
    },
    n,
    plan,
  );
  const peakLive = traceLiveBytes(script).peak;
  const result: PointResult = {
    workload: 'traces',
    contender: allocator.id,
    point: script.name,
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps + n,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: metadata,
    mappedOverLive: sampler.ratio(peakLive),
    fragmentation,
    peakLiveBytes: peakLive,
    peakMappedBytes: sampler.peakMapped,
    peakRssBytes: after.peak,
    baseRssBytes: before.now,
  };
  allocator.destroy(slots, 0);
  return result;
}
