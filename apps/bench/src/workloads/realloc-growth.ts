import type { Allocator } from '../allocators/allocator.js';
import { type BatchMeasurement, measureRounds, nowNs, type TrialPlan } from '../measure.js';
import type { PointResult } from '../results.js';

/** Growth step and range: each block grows 16 → 1024 bytes, 16 bytes at a time (63 reallocs). */
export const GROWTH_STEP = 16;
export const GROWTH_LAST = 1024;
const FENCE = 16;
const STEPS = GROWTH_LAST / GROWTH_STEP - 1;

/**
 * Realloc growth with a free hole after each block: `blocks` triples [block 16 B][hole
 * 1008 B][fence 16 B] are laid out (the holes freed after all are allocated), then every block
 * is grown step by step to 1024 B, all blocks one step, then all the next step. An allocator
 * that grows in place into a following hole never copies here. One operation is one realloc.
 * Each round uses a fresh allocator; layout and teardown are not timed.
 * @param create makes a fresh allocator.
 * @param blocks how many blocks grow side by side.
 * @param plan trials.
 * @returns the point, keyed by `blocks`.
 */
export function runReallocWithHole<A>(
  create: () => Allocator<A>,
  blocks: number,
  plan: TrialPlan,
): PointResult {
  let id = '';
  const m = measureRounds(
    () => {
      const allocator = create();
      id = allocator.id;
      const realloc = allocator.realloc!;
      const a = allocator.newSlots(blocks);
      const holes = allocator.newSlots(blocks);
      const fences = allocator.newSlots(blocks);
      for (let i = 0; i < blocks; i++) {
        a[i] = allocator.malloc(GROWTH_STEP);
        holes[i] = allocator.malloc(GROWTH_LAST - GROWTH_STEP);
        fences[i] = allocator.malloc(FENCE);
      }
      for (let i = 0; i < blocks; i++) allocator.free(holes[i]!);
      const t0 = nowNs();
      for (let size = 2 * GROWTH_STEP; size <= GROWTH_LAST; size += GROWTH_STEP) {
        for (let i = 0; i < blocks; i++) a[i] = realloc(a[i]!, size);
      }
      const elapsed = nowNs() - t0;
      for (let i = 0; i < blocks; i++) allocator.free(fences[i]!);
      allocator.destroy(a, blocks);
      return elapsed;
    },
    blocks * STEPS,
    plan,
  );
  return reallocPoint('realloc-hole', id, blocks, m);
}

/**
 * Realloc growth with a live block after each one: for each size s = 16, 32, ..., 1008, lay out
 * `blocks` pairs [block s B][fence 16 B] (untimed), grow every block to s + 16 (timed: each
 * must move, since a live block follows), then free everything (untimed). One operation is one
 * realloc. Each round uses a fresh allocator.
 * @param create makes a fresh allocator.
 * @param blocks how many blocks per step.
 * @param plan trials.
 * @returns the point, keyed by `blocks`.
 */
export function runReallocWithLiveNeighbour<A>(
  create: () => Allocator<A>,
  blocks: number,
  plan: TrialPlan,
): PointResult {
  let id = '';
  const m = measureRounds(
    () => {
      const allocator = create();
      id = allocator.id;
      const realloc = allocator.realloc!;
      const a = allocator.newSlots(blocks);
      const fences = allocator.newSlots(blocks);
      let elapsed = 0;
      for (let size = GROWTH_STEP; size < GROWTH_LAST; size += GROWTH_STEP) {
        for (let i = 0; i < blocks; i++) {
          a[i] = allocator.malloc(size);
          fences[i] = allocator.malloc(FENCE);
        }
        const t0 = nowNs();
        for (let i = 0; i < blocks; i++) a[i] = realloc(a[i]!, size + GROWTH_STEP);
        elapsed += nowNs() - t0;
        for (let i = 0; i < blocks; i++) {
          allocator.free(a[i]!);
          allocator.free(fences[i]!);
        }
      }
      allocator.destroy(a, 0);
      return elapsed;
    },
    blocks * STEPS,
    plan,
  );
  return reallocPoint('realloc-live', id, blocks, m);
}

function reallocPoint(
  workload: 'realloc-hole' | 'realloc-live',
  contender: string,
  blocks: number,
  m: BatchMeasurement,
): PointResult {
  return {
    workload,
    contender,
    point: String(blocks),
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: null,
    mappedOverLive: null,
    fragmentation: null,
    peakLiveBytes: null,
    peakMappedBytes: null,
  };
}
