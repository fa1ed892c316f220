import { beforeAll, describe, expect, it } from 'vitest';
import { loadSharedMemsApi, sharedMemsForWorkers } from '../allocators/mems-api.js';
import { HandoffRing, handoffRingBuffer } from './handoff-ring.js';
import { sharedChurnThreadScript } from './shared-churn.js';
import { trackingHeap } from './thread-test-helpers.js';
import { runXmalloc, type XmallocPlan, xmallocRoles } from './xmalloc.js';
import {
  makeXmallocSizes,
  XMALLOC_MAX_SIZE,
  XMALLOC_MIN_SIZE,
  XmallocWorker,
} from './xmalloc-thread-body.js';

describe('the xmalloc roles and sizes', () => {
  it('pairs the first half of the workers, producers, with the second half, consumers', () => {
    expect(xmallocRoles(1)).toEqual([{ role: 'both', pair: 0 }]);
    expect(xmallocRoles(2)).toEqual([
      { role: 'producer', pair: 0 },
      { role: 'consumer', pair: 0 },
    ]);
    expect(xmallocRoles(4).map((r) => `${r.role}${r.pair}`)).toEqual([
      'producer0',
      'producer1',
      'consumer0',
      'consumer1',
    ]);
    expect(() => xmallocRoles(3)).toThrow(RangeError);
  });

  it('gives each producer the same sizes for the same seed, 16–128 B', () => {
    const a = makeXmallocSizes(5, 1 << 10);
    expect(makeXmallocSizes(5, 1 << 10)).toEqual(a);
    expect(makeXmallocSizes(6, 1 << 10)).not.toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(XMALLOC_MIN_SIZE);
    expect(Math.max(...a)).toBeLessThanOrEqual(XMALLOC_MAX_SIZE);
  });
});

describe('the xmalloc loops', () => {
  it('a consumer frees exactly the blocks its producer allocated, once each', () => {
    const heap = trackingHeap();
    const ring = handoffRingBuffer(64);
    const producer = new XmallocWorker(
      heap.as(0),
      'producer',
      makeXmallocSizes(1, 256),
      new HandoffRing(ring),
      0,
    );
    const consumer = new XmallocWorker(heap.as(1), 'consumer', new Uint16Array(1), new HandoffRing(ring), 0);
    for (let turn = 0; turn < 50; turn++) {
      const n = 1 + ((turn * 13) % 64);
      producer.run(n);
      expect(heap.live.size).toBe(n);
      consumer.run(n);
      expect(heap.live.size).toBe(0);
    }
    expect(consumer.freed).toBe(producer.allocated);
    expect(heap.freedByOther.count).toBe(producer.allocated); // every block died in the other thread
    producer.run(5);
    expect(consumer.finish()).toBe(5);
    expect(heap.live.size).toBe(0);
  });

  it('one worker alone allocates a batch, then frees it', () => {
    const heap = trackingHeap();
    const alone = new XmallocWorker(heap.as(0), 'both', makeXmallocSizes(1, 256), null, 100);
    alone.run(1_050);
    expect(alone.allocated).toBe(1_050);
    expect(alone.freed).toBe(1_050);
    expect(heap.live.size).toBe(0);
  });
});

describe('the xmalloc workload', () => {
  const plan: XmallocPlan = { pairsPerRound: 3_000, rounds: 3, warmupPairs: 1_000, batch: 128 };
  beforeAll(async () => {
    expect(await loadSharedMemsApi()).toBeNull();
  });

  it('runs a producer and a consumer on a shared tlsf heap: every block freed, validates', async () => {
    const shared = sharedMemsForWorkers('tlsf');
    const { point, threads } = await runXmalloc(
      'tlsf/shared',
      sharedChurnThreadScript(),
      2,
      shared.allocator,
      plan,
      shared,
    );
    expect(point).toMatchObject({ workload: 'xmalloc', point: '2 workers', opsPerTrial: plan.pairsPerRound });
    const total = plan.warmupPairs + plan.rounds * plan.pairsPerRound;
    expect(threads.map((t) => [t.pairs, t.receivedBlocks])).toEqual([
      [total, 0],
      [0, total],
    ]);
  });

  it('runs one worker alone, and glibc through koffi in the same workers', async () => {
    const shared = sharedMemsForWorkers('first-fit');
    const one = await runXmalloc(
      'first-fit/shared',
      sharedChurnThreadScript(),
      1,
      shared.allocator,
      plan,
      shared,
    );
    expect(one.point.point).toBe('1 worker');
    const koffi = await runXmalloc('koffi-libc', sharedChurnThreadScript(), 2, { kind: 'koffi-libc' }, plan);
    expect(koffi.threads[1]!.receivedBlocks).toBe(plan.warmupPairs + plan.rounds * plan.pairsPerRound);
  });
});
