import { describe, expect, it } from 'vitest';
import { fuzzSharedThreads } from './shared-threads.js';
import { detectThreadCache } from './thread-cache-support.js';
import type { ThreadHeapOptions } from './thread-heap-options.js';
import { fuzzThreadScript } from './thread-script.js';

const threadScript = fuzzThreadScript(true);
const threadCache = detectThreadCache().supported;

/** Every policy with the front cache as it may be (on and off where the policy takes one), on both shared providers. */
const SETS: ThreadHeapOptions[] = (['shared-mmap', 'shared-memory'] as const).flatMap((provider) =>
  (
    [
      ['first-fit', undefined],
      ['next-fit', undefined],
      ['best-fit', true],
      ['best-fit', false],
      ['tlsf', true],
      ['tlsf', false],
    ] as const
  ).map(([policy, frontCache], i) => ({
    policy,
    frontCache,
    provider,
    alignment: ([1, 8, 16] as const)[i % 3]!,
    pageSize: 4096,
    startAddress: 1000,
    minNodePages: 1,
    autoTrim: i % 2 === 1,
    // Passed only when this build has the option (the fuzzer drops it otherwise).
    threadCache: true,
  })),
);
const WORKERS = [2, 4, 8];
/** Each worker count gets both providers, the cache on and off, and three or four policies. */
const workersOf = (i: number): number => WORKERS[(i + 2 * Math.floor(i / 6)) % WORKERS.length]!;

describe(`worker threads on one shared heap, through the thread fuzzer (threadCache ${threadCache ? 'on' : 'not in this build'})`, () => {
  SETS.forEach((set, i) => {
    const workers = workersOf(i);
    const cache = set.frontCache === undefined ? '' : `, front cache ${set.frontCache ? 'on' : 'off'}`;
    it(`${workers} workers, ${set.policy}${cache}, ${set.provider}`, async () => {
      const result = await fuzzSharedThreads({
        seed: 2100 + i,
        seconds: 0,
        batch: i,
        runSeconds: 0.1,
        roundOps: 40,
        slotsPerWorker: 48,
        workers,
        heapOptions: set,
        threadScript,
      });
      if (result.failure) console.log(result.failure.report);
      expect(result.failure?.report ?? null).toBeNull();
      // The front cache and thread caches exclude each other: a set with the front cache on runs without.
      expect(result.optionSets[0]).toContain(
        threadCache && set.frontCache !== true ? ', threadCache' : 'no threadCache',
      );
      const c = result.counts;
      expect(c.checkpoints).toBeGreaterThan(0);
      expect(c.frees).toBe(c.mallocs + c.callocs);
      expect(c.received).toBe(c.handedOn);
    }, 30_000);
  });

  it('covers 2, 4 and 8 workers, every policy, the front cache on and off, and both providers', () => {
    for (const workers of WORKERS) {
      const mine = SETS.filter((_, i) => workersOf(i) === workers);
      expect(new Set(mine.map((s) => s.provider)).size).toBe(2);
      expect(new Set(mine.map((s) => s.policy)).size).toBeGreaterThanOrEqual(3);
    }
    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'])
      for (const provider of ['shared-mmap', 'shared-memory'])
        expect(SETS.some((s) => s.policy === policy && s.provider === provider)).toBe(true);
    expect(SETS.some((s) => s.frontCache === true) && SETS.some((s) => s.frontCache === false)).toBe(true);
  });
});
