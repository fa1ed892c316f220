import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Allocator } from './allocators/allocator.js';
import { numberLibc } from './allocators/libc-koffi.js';
import { CONTENDERS, type ContenderSpec, THREAD_WORKLOADS } from './contenders.js';
import { koffiMinimalUnavailable, runKoffiMinimalChurn } from './koffi-minimal.js';
import type { TrialPlan } from './measure.js';
import { compileNative, runNativeAccess, runNativeChurn } from './native-churn.js';
import { runNativeTraceReplay } from './native-trace.js';
import { runSharedChurnFor, runThreadWorkloadFor } from './run-job.js';
import { makeChurnSequence } from './sequence.js';
import { parseTraceScript } from './traces/trace-script.js';
import { makeAccessScript, runAccess } from './workloads/access.js';
import { runChurn } from './workloads/churn.js';
import { runChurnTouch } from './workloads/churn-touch.js';
import { runGlibcSimple } from './workloads/glibc-simple.js';
import { runReallocWithHole, runReallocWithLiveNeighbour } from './workloads/realloc-growth.js';
import { runSeedFill } from './workloads/seed-fill.js';
import { runTraceReplay } from './workloads/trace-replay.js';
import { runTranslate } from './workloads/translate.js';

/** A small trace with every kind of operation, blocks left live at the end, and sizes 1 to 5000. */
const SMALL_TRACE = parseTraceScript(
  'small',
  Array.from({ length: 200 }, (_, i) => {
    const lines = [`a b${i} ${1 + ((i * 97) % 5000)}`];
    if (i % 3 === 0) lines.push(`r b${i} ${20 + i}`);
    if (i % 2 === 0) lines.push(`f b${i}`);
    return lines.join('\n');
  }).join('\n'),
);

const TINY: TrialPlan = { trials: 2, targetTrialMs: 0.2, warmupMs: 0 };
const POOL = 8 * 2 ** 20;

/** Asserts that blocks [address, address + size) do not overlap. */
function expectDisjoint(blocks: { address: number | bigint; size: number }[]): void {
  const sorted = blocks
    .map((b) => ({ start: BigInt(b.address), end: BigInt(b.address) + BigInt(b.size) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start >= sorted[i - 1]!.end).toBe(true);
}

async function ready(spec: ContenderSpec, skip: (reason: string) => void): Promise<void> {
  const reason = await spec.prepare();
  // @mems/api is written alongside this package: report it as skipped, not failed, while it is missing.
  if (reason !== null && spec.id === 'api') skip(reason);
  expect(reason).toBeNull();
}

const jsContenders = CONTENDERS.filter((c) => !c.native && !c.program);
/**
 * Shared heaps run only in worker threads, and the access workload's own rows reach their blocks
 * through an access target: they have no allocator of their own to test here.
 */
const threadOnly = (spec: ContenderSpec): boolean =>
  spec.workloads.every((w) => THREAD_WORKLOADS.includes(w) || w === 'access');

describe.each(jsContenders.map((c) => [c.id, c] as const))('%s', (_id, spec) => {
  if (!threadOnly(spec))
    it('hands out distinct, non-overlapping blocks and accepts every free', async (ctx) => {
      await ready(spec, (reason) => ctx.skip(reason));
      const allocator = spec.create(POOL) as Allocator<number | bigint>;
      const sizes = Array.from({ length: 300 }, (_, i) => 16 + ((i * 37) % 496));
      const live = sizes.map((size) => ({ address: allocator.malloc(size), size }));
      expect(new Set(live.map((b) => b.address)).size).toBe(live.length);
      expectDisjoint(live);
      // Free every other block, allocate again: still distinct from the blocks kept.
      for (let i = 0; i < live.length; i += 2) allocator.free(live[i]!.address);
      const kept = live.filter((_, i) => i % 2 === 1);
      const fresh = sizes.slice(0, 150).map((size) => ({ address: allocator.malloc(size), size }));
      expectDisjoint([...kept, ...fresh]);
      const all = [...kept, ...fresh];
      if (allocator.realloc) {
        const grown = allocator.realloc(all[0]!.address, 2000);
        all[0] = { address: grown, size: 2000 };
        expectDisjoint(all);
      }
      if (allocator.translate) {
        const b = all[1]!;
        expect(allocator.translate(allocator.interior(b.address, 7))).toBe(
          allocator.translate(b.address) + 7n,
        );
      }
      for (const b of all) allocator.free(b.address);
      allocator.destroy(allocator.newSlots(0), 0);
    });

  it('runs every workload it is listed for on a tiny size', async (ctx) => {
    await ready(spec, (reason) => ctx.skip(reason));
    const create = (): Allocator<unknown> => spec.create(POOL);
    for (const workload of spec.workloads) {
      if (workload === 'shared-churn') {
        const plan = { live: 200, pairsPerRound: 500, rounds: 2, warmupPairs: 200, handOffEvery: 4 };
        for (const workers of [1, 2].filter((w) => w <= spec.threads!.maxWorkers)) {
          const r = await runSharedChurnFor(spec, workers, plan);
          const share = spec.threads!.pairsShare ?? 1;
          const pairs = share === 1 ? 500 : Math.max(100, Math.round(500 * share));
          expect(r).toMatchObject({
            workload: 'shared-churn',
            contender: spec.id,
            opsPerTrial: workers * pairs,
          });
          expect(r.ns.median).toBeGreaterThan(0);
        }
      }
      if (workload === 'larson' || workload === 'xmalloc') {
        const job =
          workload === 'larson'
            ? {
                workload,
                plan: {
                  live: 100,
                  pairsPerRound: 500,
                  rounds: 2,
                  warmupPairs: 200,
                  handOffEvery: 64,
                  handOffBlocks: 16,
                },
              }
            : { workload, plan: { pairsPerRound: 500, rounds: 2, warmupPairs: 200, batch: 64 } };
        for (const workers of [1, 2].filter((w) => w <= spec.threads!.maxWorkers)) {
          const r = await runThreadWorkloadFor(spec, workers, job);
          expect(r).toMatchObject({
            workload,
            contender: spec.id,
            point: workers === 1 ? '1 worker' : '2 workers',
          });
          expect(r.ns.median).toBeGreaterThan(0);
        }
      }
      if (workload === 'access') {
        const seq = makeChurnSequence(64, { steps: 10 });
        const r = runAccess(spec.access!(64), seq, makeAccessScript(seq.fillSizes, 1000), TINY);
        expect(r).toMatchObject({ workload: 'access', contender: spec.id, point: '64' });
        expect(r.ns.median).toBeGreaterThan(0);
      }
      if (workload === 'churn') {
        const r = runChurn(create(), makeChurnSequence(64, { steps: 1000 }), TINY);
        expect(r.ns.median).toBeGreaterThan(0);
        expect(r.point).toBe('64');
        if (r.mappedOverLive !== null) expect(r.mappedOverLive).toBeGreaterThanOrEqual(1);
        if (spec.group === 'mems' && spec.id !== 'api') expect(r.metadataPerBlock).toBeGreaterThan(0);
        if (r.fragmentation !== null) expect(r.fragmentation).toBeGreaterThanOrEqual(0);
      } else if (workload === 'glibc-simple') {
        expect(runGlibcSimple(create(), 25, 256, TINY).point).toBe('25×256');
      } else if (workload === 'seed') {
        expect(runSeedFill(create, 20, TINY).ns.n).toBe(2);
        const seq = makeChurnSequence(20, { minSize: 1000, maxSize: 1000, steps: 200 });
        expect(runChurn(create(), seq, TINY, 'seed-churn').workload).toBe('seed-churn');
      } else if (workload === 'realloc') {
        expect(runReallocWithHole(create, 4, TINY).ns.median).toBeGreaterThan(0);
        expect(runReallocWithLiveNeighbour(create, 4, TINY).ns.median).toBeGreaterThan(0);
      } else if (workload === 'churn-touch') {
        const r = runChurnTouch(create(), makeChurnSequence(64, { steps: 1000 }), TINY);
        expect(r.workload).toBe('churn-touch');
        expect(r.ns.median).toBeGreaterThan(0);
      } else if (workload === 'traces') {
        const r = runTraceReplay(create(), SMALL_TRACE, TINY);
        expect(r).toMatchObject({ workload: 'traces', point: 'small' });
        expect(r.ns.median).toBeGreaterThan(0);
        expect(r.peakRssBytes).toBeGreaterThan(r.baseRssBytes! / 2);
        if (r.mappedOverLive !== null) expect(r.mappedOverLive).toBeGreaterThanOrEqual(1);
      } else if (workload === 'translate') {
        const r = runTranslate(create(), makeChurnSequence(64, { steps: 10 }), 256, TINY);
        expect(r.ns.median).toBeGreaterThan(0);
      }
    }
  });
});

describe('the contenders of issue 20 (memory access)', () => {
  const ids = CONTENDERS.map((c) => c.id);

  it('lists the access rows and the memoryOf churn-touch row', () => {
    for (const id of [
      'tlsf+cache/mmap/a8/viewAs',
      'tlsf+cache/mmap/a8/memoryOf',
      'tlsf+cache/mmap/a8/memoryOf-interior',
      'tlsf+cache/mmap/a8/memoryOf-hoisted',
      'typed-array',
      'tlsf+cache/mmap/memoryOf',
    ])
      expect(ids).toContain(id);
    const access = CONTENDERS.filter((c) => c.workloads.includes('access')).map((c) => c.id);
    expect(access).toContain('koffi-libc');
    // Every access contender can make a target; the other MeMS rows do not run access.
    for (const c of CONTENDERS)
      expect(c.workloads.includes('access')).toBe(c.access !== undefined || c.native === true);
    expect(CONTENDERS.find((c) => c.id === 'tlsf+cache/mmap/memoryOf')!.workloads).toEqual(['churn-touch']);
  });

  it('lists slabs to 8 KiB for the traces only, serving medium sizes from slabs', () => {
    const spec = CONTENDERS.find((c) => c.id === 'tlsf+slabs8k/mmap')!;
    expect(spec.workloads).toEqual(['traces']);
    const allocator = spec.create(POOL) as Allocator<number> & { heap: import('@mems/core').Heap };
    const slabs = (allocator.heap as unknown as { t: { slabs: { slabAt(a: number): number } } }).t.slabs;
    // A medium class gets its slab after its warm-up: 5000-byte blocks end up in one.
    const blocks = Array.from({ length: 200 }, () => allocator.malloc(5000));
    expect(blocks.some((p) => slabs.slabAt(p) >= 0)).toBe(true);
    for (const p of blocks) allocator.free(p);
    allocator.heap.validate();
  });

  it('the memoryOf row stamps the same bytes a view reads (default alignment 1)', () => {
    const spec = CONTENDERS.find((c) => c.id === 'tlsf+cache/mmap/memoryOf')!;
    const allocator = spec.create(POOL) as Allocator<number> & { heap: import('@mems/core').Heap };
    const odd = allocator.malloc(3);
    const p = allocator.malloc(37);
    expect(odd).toBeGreaterThan(0);
    allocator.touch!.write(p, 37, 12345);
    const bytes = allocator.heap.view(p, 37).slice();
    const view = new DataView(bytes.buffer);
    expect(view.getFloat64(0, true)).toBe(12345);
    expect(view.getFloat64(29, true)).toBe(12345);
    expect(allocator.touch!.read(p, 37, 12345)).toBe(true);
    expect(allocator.touch!.read(p, 37, 12346)).toBe(false);
    allocator.destroy(allocator.newSlots(0), 0);
  });
});

describe('churn-touch', () => {
  it('catches an allocator that hands out memory that is still in use', () => {
    const spec = CONTENDERS.find((c) => c.id === 'tlsf/mock')!;
    const real = spec.create(POOL) as Allocator<number>;
    // Every malloc returns the same block: the stamp of the block freed before is overwritten.
    let only = -1;
    const broken: Allocator<number> = {
      ...real,
      malloc: (size) => (only < 0 ? (only = real.malloc(600)) : only) + 0 * size,
      free: () => {},
    };
    expect(() => runChurnTouch(broken, makeChurnSequence(8, { steps: 100 }), TINY)).toThrow(/lost its stamp/);
  });

  it('is refused by a contender with no memory', () => {
    const baseline = CONTENDERS.find((c) => c.id === 'baseline')!.create(POOL);
    expect(() => runChurnTouch(baseline, makeChurnSequence(8, { steps: 100 }), TINY)).toThrow(
      /no memory to touch/,
    );
  });
});

describe('native C reference', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mems-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles with cc -O2 and replays a churn script', (ctx) => {
    const build = compileNative(dir);
    if ('reason' in build) ctx.skip(build.reason);
    if (!('binary' in build)) return;
    const seq = makeChurnSequence(100, { steps: 5000 });
    const r = runNativeChurn(build.binary, seq, { trials: 3, targetTrialMs: 1, warmupMs: 0 });
    expect(r.contender).toBe('native-c');
    expect(r.ns.n).toBe(3);
    expect(r.ns.median).toBeGreaterThan(0);
    expect(r.totalOps).toBeGreaterThan(100);
    expect(r.peakLiveBytes).toBeGreaterThan(100 * 16);
  });

  it('runs churn-touch, checking the stamps', (ctx) => {
    const build = compileNative(dir);
    if (!('binary' in build)) return ctx.skip(build.reason);
    const seq = makeChurnSequence(100, { steps: 5000 });
    const r = runNativeChurn(build.binary, seq, { trials: 3, targetTrialMs: 1, warmupMs: 0 }, 'churn-touch');
    expect(r.workload).toBe('churn-touch');
    expect(r.ns.n).toBe(3);
  });

  it('runs the access script, checking every value read back', (ctx) => {
    const build = compileNative(dir);
    if (!('binary' in build)) return ctx.skip(build.reason);
    const seq = makeChurnSequence(100, { steps: 50 });
    const r = runNativeAccess(build.binary, seq, makeAccessScript(seq.fillSizes, 5000), {
      trials: 3,
      targetTrialMs: 1,
      warmupMs: 0,
    });
    expect(r).toMatchObject({ workload: 'access', contender: 'native-c', point: '100' });
    expect(r.ns.n).toBe(3);
    expect(r.ns.median).toBeGreaterThan(0);
    expect(r.peakLiveBytes).toBeGreaterThan(100 * 16);
  });

  it('replays a trace with glibc and reports its memory', (ctx) => {
    const build = compileNative(dir);
    if (!('binary' in build)) return ctx.skip(build.reason);
    const r = runNativeTraceReplay(build.traceBinary, SMALL_TRACE, {
      trials: 3,
      targetTrialMs: 1,
      warmupMs: 0,
    });
    expect(r).toMatchObject({ workload: 'traces', contender: 'native-c', point: 'small' });
    expect(r.ns.n).toBe(3);
    expect(r.peakMappedBytes).toBeGreaterThan(0);
    expect(r.mappedOverLive).toBeGreaterThanOrEqual(1);
    expect(r.peakRssBytes).toBeGreaterThan(r.baseRssBytes!);
  });
});

describe('libc through koffi', () => {
  it('binds malloc and free once per process, whatever the number of allocators', () => {
    const first = numberLibc();
    CONTENDERS.find((c) => c.id === 'koffi-libc')!.create(POOL);
    const again = numberLibc();
    expect(again.malloc).toBe(first.malloc);
    expect(again.free).toBe(first.free);
    expect(again.realloc).toBe(first.realloc);
  });

  it('koffi-libc-minimal replays the churn script in a process of its own', (ctx) => {
    const missing = koffiMinimalUnavailable();
    if (missing !== null) return ctx.skip(missing);
    const seq = makeChurnSequence(100, { steps: 5000 });
    const r = runKoffiMinimalChurn(seq, { trials: 3, targetTrialMs: 1, warmupMs: 0 });
    expect(r).toMatchObject({ workload: 'churn', contender: 'koffi-libc-minimal', point: '100' });
    expect(r.ns.n).toBe(3);
    expect(r.ns.median).toBeGreaterThan(0);
    // At least one warm-up replacement of every block, then three trials.
    expect(r.totalOps).toBeGreaterThanOrEqual(100 + 3 * r.opsPerTrial);
    expect(r.peakLiveBytes).toBeGreaterThan(100 * 16);
  });
});
