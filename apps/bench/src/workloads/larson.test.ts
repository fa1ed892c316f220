import { beforeAll, describe, expect, it } from 'vitest';
import { loadSharedMemsApi, sharedMemsForWorkers } from '../allocators/mems-api.js';
import { HandoffRing, handoffRingBuffer } from './handoff-ring.js';
import { type LarsonPlan, runLarson } from './larson.js';
import { LARSON_MAX_SIZE, LARSON_MIN_SIZE, LarsonWorker, makeLarsonScript } from './larson-thread-body.js';
import { sharedChurnThreadScript } from './shared-churn.js';
import { ringLength, trackingHeap } from './thread-test-helpers.js';

describe('the larson scripts', () => {
  it('are the same for the same seed, differ between seeds, and keep to 16–1024 B', () => {
    const a = makeLarsonScript(200, 7, 1 << 12);
    const b = makeLarsonScript(200, 7, 1 << 12);
    expect(b).toEqual(a);
    expect(makeLarsonScript(200, 8, 1 << 12).sizes).not.toEqual(a.sizes);
    for (const size of [...a.fillSizes, ...a.sizes]) {
      expect(size).toBeGreaterThanOrEqual(LARSON_MIN_SIZE);
      expect(size).toBeLessThanOrEqual(LARSON_MAX_SIZE);
    }
    expect(Math.max(...a.victims)).toBeLessThan(200);
    expect(Math.max(...a.sizes)).toBeGreaterThan(900); // the whole range is used
  });
});

describe('the larson hand-off', () => {
  it('keeps every block in exactly one slot or ring, and its last owner frees it', () => {
    const heap = trackingHeap();
    const rings = [handoffRingBuffer(256), handoffRingBuffer(256)];
    const workers = [0, 1].map(
      (w) =>
        new LarsonWorker(
          heap.as(w),
          makeLarsonScript(50, 100 + w, 1 << 10),
          new HandoffRing(rings[w]!),
          new HandoffRing(rings[(w + 1) % 2]!),
          16,
          8,
        ),
    );
    for (const w of workers) w.fill(8);
    const check = (): void => {
      const held = [...workers[0]!.slots, ...workers[1]!.slots];
      expect(new Set(held).size).toBe(held.length); // no block in two slots
      for (const address of held) expect(heap.live.has(address)).toBe(true);
      // what is live and in no slot waits in a ring
      expect(heap.live.size).toBe(held.length + ringLength(rings[0]!) + ringLength(rings[1]!));
    };
    // Uneven turns: one worker runs ahead of the other, so hand-offs sometimes find an empty inbox.
    for (let turn = 0; turn < 200; turn++) {
      workers[turn % 2]!.run(1 + ((turn * 37) % 90));
      check();
    }
    expect(workers[0]!.adopted).toBeGreaterThan(100);
    expect(workers[1]!.adopted).toBeGreaterThan(100);
    expect(heap.freedByOther.count).toBeGreaterThan(50); // adopted blocks die in their new owner
    expect(ringLength(rings[0]!) + ringLength(rings[1]!)).toBe(16); // what was primed, no more
    for (const w of workers) w.finish();
    expect(heap.live.size).toBe(0);
  });

  it('does no hand-off with one worker', () => {
    const heap = trackingHeap();
    const worker = new LarsonWorker(heap.as(0), makeLarsonScript(30, 1, 1 << 10), null, null, 4, 4);
    worker.fill(4);
    worker.run(2000);
    expect(worker.adopted).toBe(0);
    expect(heap.live.size).toBe(30);
    worker.finish();
    expect(heap.live.size).toBe(0);
  });
});

describe('the larson workload', () => {
  const plan: LarsonPlan = {
    live: 300,
    pairsPerRound: 3_000,
    rounds: 3,
    warmupPairs: 1_000,
    handOffEvery: 128,
    handOffBlocks: 32,
  };
  beforeAll(async () => {
    expect(await loadSharedMemsApi()).toBeNull();
  });

  it('runs two workers on a shared tlsf heap: blocks change hands, everything is freed and validates', async () => {
    const shared = sharedMemsForWorkers('tlsf');
    const { point, threads } = await runLarson(
      'tlsf/shared',
      sharedChurnThreadScript(),
      2,
      shared.allocator,
      plan,
      shared,
    );
    expect(point).toMatchObject({
      workload: 'larson',
      point: '2 workers',
      opsPerTrial: 2 * plan.pairsPerRound,
    });
    expect(point.ns.n).toBe(plan.rounds);
    for (const t of threads) {
      expect(t.pairs).toBe(plan.warmupPairs + plan.rounds * plan.pairsPerRound);
      expect(t.receivedBlocks).toBeGreaterThan(0);
      expect(t.receivedBlocks).toBeLessThanOrEqual((t.pairs / plan.handOffEvery) * plan.handOffBlocks);
    }
  });

  it('runs glibc through koffi in the same workers, with thread caches too', async () => {
    const koffi = await runLarson('koffi-libc', sharedChurnThreadScript(), 2, { kind: 'koffi-libc' }, plan);
    expect(koffi.point.ns.median).toBeGreaterThan(0);
    const shared = sharedMemsForWorkers('tlsf', true);
    const cached = await runLarson(
      'tlsf/shared+threadCache',
      sharedChurnThreadScript(),
      2,
      shared.allocator,
      plan,
      shared,
    );
    expect(cached.threads.every((t) => t.receivedBlocks > 0)).toBe(true);
  });
});
