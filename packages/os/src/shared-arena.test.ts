import { beforeAll, describe, expect, it } from 'vitest';
import { SharedArena, type SharedArenaHandle } from './shared-arena.js';
import { SharedMutex } from './shared-mutex.js';
import { builtEntry, runWorkers } from './test-support/workers.js';
import { expectMemsError } from './testing.js';

const packageDir = new URL('..', import.meta.url).pathname;
const script = new URL('./test-support/workers/arena-counters.mjs', import.meta.url);

describe('SharedArena', () => {
  it('gives slots regions, keeps their bytes when they grow, zeroes the rest, bumps the generation', () => {
    const arena = SharedArena.create({ slots: 3, maxBytes: 1 << 20 });
    expect(arena.slots).toBe(3);
    expect(arena.region(0)).toEqual({ byteOffset: 0, byteLength: 0 });
    expect(arena.capacityBytes).toBe(0);
    const before = arena.generation;
    arena.resize(0, 12); // rounded to 16
    expect(arena.region(0)).toEqual({ byteOffset: 0, byteLength: 16 });
    expect(arena.generation).toBe(before + 1);
    arena.int32(0).set([1, 2, 3, 4]);
    arena.resize(1, 8);
    arena.resize(0, 32);
    expect(arena.region(0).byteOffset).toBe(24);
    expect([...arena.int32(0)]).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    // The old region of slot 0 (0..16) is free and taken first.
    arena.resize(2, 16);
    expect(arena.region(2)).toEqual({ byteOffset: 0, byteLength: 16 });
    expect([...arena.int32(2)]).toEqual([0, 0, 0, 0]); // zeroed although it held slot 0's bytes
    expect(arena.usedBytes).toBe(16 + 8 + 32);
    // Shrinking keeps the first bytes.
    arena.resize(0, 8);
    expect([...arena.int32(0)]).toEqual([1, 2]);
  });

  it('merges freed neighbours and lowers the top, so regions are reused and the buffer stays small', () => {
    const arena = SharedArena.create({ slots: 4, maxBytes: 1 << 20 });
    for (let slot = 0; slot < 4; slot++) arena.resize(slot, 1024);
    for (let slot = 0; slot < 4; slot++) arena.resize(slot, 0);
    expect(arena.usedBytes).toBe(0);
    arena.resize(3, 4096);
    expect(arena.region(3).byteOffset).toBe(0);
    // Doubling one slot again and again never needs more than about twice its final size.
    for (let bytes = 8; bytes <= 1 << 16; bytes *= 2) arena.resize(0, bytes);
    expect(arena.capacityBytes).toBeLessThanOrEqual(3 * (1 << 16) + 4096 + 64 * 1024);
  });

  it('refuses to grow past maxBytes with ENOMEM and changes nothing', () => {
    const arena = SharedArena.create({ slots: 2, maxBytes: 1024 });
    arena.resize(0, 512);
    arena.int32(0)[0] = 7;
    const generation = arena.generation;
    expectMemsError(() => arena.resize(0, 1024), 'ENOMEM');
    expectMemsError(() => arena.resize(1, 600), 'ENOMEM');
    expect(arena.generation).toBe(generation);
    expect(arena.region(0)).toEqual({ byteOffset: 0, byteLength: 512 });
    expect(arena.int32(0)[0]).toBe(7);
    arena.resize(1, 512);
    expect(arena.region(1).byteOffset).toBe(512);
  });

  it('shares the directory: an arena opened from a cloned handle sees every move', () => {
    const arena = SharedArena.create({ slots: 2, maxBytes: 1 << 20 });
    const other = SharedArena.open(structuredClone(arena.handle));
    arena.resize(0, 16);
    const stale = other.int32(0);
    arena.resize(1, 8);
    arena.resize(0, 64);
    expect(other.generation).toBe(arena.generation);
    expect(other.region(0)).toEqual(arena.region(0));
    other.int32(0)[3] = 42;
    expect(arena.int32(0)[3]).toBe(42);
    expect(stale.length).toBe(4); // a view made before the move is not re-pointed: re-make views
  });

  it('rejects bad arguments with EINVAL', () => {
    for (const options of [
      undefined,
      null,
      {},
      { slots: 0, maxBytes: 64 },
      { slots: 1.5, maxBytes: 64 },
      { slots: 2000, maxBytes: 64 },
      { slots: 1, maxBytes: 0 },
      { slots: 1, maxBytes: 12 },
      { slots: 1, maxBytes: 2 ** 33 },
      { slots: 1, maxBytes: '64' },
    ]) {
      expectMemsError(() => SharedArena.create(options as never), 'EINVAL');
    }
    const arena = SharedArena.create({ slots: 2, maxBytes: 1024 });
    for (const slot of [-1, 2, 0.5, Number.NaN, '0', null]) {
      expectMemsError(() => arena.resize(slot as number, 8), 'EINVAL');
      expectMemsError(() => arena.region(slot as number), 'EINVAL');
    }
    for (const length of [-8, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '8', 8n]) {
      expectMemsError(() => arena.resize(0, length as number), 'EINVAL');
    }
    expect(arena.generation).toBe(0);
    const { handle } = arena;
    for (const bad of [
      null,
      1,
      {},
      { ...handle, kind: 'x' },
      { ...handle, data: new ArrayBuffer(8) },
      { ...handle, control: new SharedArrayBuffer(64) },
    ]) {
      expectMemsError(() => SharedArena.open(bad as SharedArenaHandle), 'EINVAL');
    }
  });
});

describe('SharedArena across worker threads', () => {
  let entry = '';
  beforeAll(() => {
    entry = builtEntry(packageDir, 'index.js');
  });

  it('4 workers move a slot while the others re-make their views from the generation: no update lost', async () => {
    const arena = SharedArena.create({ slots: 2, maxBytes: 1 << 20 });
    const mutex = SharedMutex.create();
    arena.resize(0, 4 * 4);
    const rounds = 4000;
    const workers = 4;
    const maxCounters = 1024;
    const barrier = new SharedArrayBuffer(4);
    const results = await runWorkers<{ rebinds: number; grows: number }>(
      script,
      Array.from({ length: workers }, () => ({
        entry,
        mutexBuffer: mutex.buffer,
        arenaHandle: arena.handle,
        barrier,
        workers,
        rounds,
        growEvery: 20,
        maxCounters,
      })),
    );
    const counters = arena.int32(0);
    // Counter 0 existed from the start: every round of every worker added 1 to it.
    expect(counters[0]).toBe(workers * rounds);
    // Later counters start at 0 when their slot grows; each holds what was added since.
    for (let i = 1; i < counters.length; i++) expect(counters[i]).toBeLessThanOrEqual(counters[i - 1]!);
    const grows = results.reduce((sum, result) => sum + result.grows, 0);
    expect(grows).toBeGreaterThan(10);
    expect(results.some((result) => result.rebinds > 1)).toBe(true);
  }, 60_000);
});
