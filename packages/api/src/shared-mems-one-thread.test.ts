import { createMockProvider, createSharedMemoryProvider } from '@mems/os';
import { createSharedMmapProvider } from '@mems/os/mmap';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { attachMems, createSharedMems, type SharedMems } from './shared-mems.js';
import { SEED_EXAMPLE_OUTPUT, statsBlocks } from './test-support/seed-fixture.js';

/** The seed example's calls; returns the three stats blocks it prints. */
function seedExample(mems: SharedMems | ReturnType<typeof createMems>): string[] {
  const printed: string[] = [];
  const arrays = Array.from({ length: 10 }, () => mems.malloc(1000));
  expect(arrays).toEqual([1000, 2000, 3000, 4000, 5096, 6096, 7096, 8096, 9192, 10192]);
  mems.viewAs(Int32Array, arrays[0]! + 4, 1)[0] = 200;
  expect(mems.get(arrays[0]! + 4) - mems.get(arrays[0]!)).toBe(4n);
  expect(mems.viewAs(Int32Array, arrays[0]!)[1]).toBe(200);
  mems.printStats((text) => printed.push(text));
  mems.free(arrays[3]!);
  mems.printStats((text) => printed.push(text));
  expect(mems.malloc(1000)).toBe(4000);
  mems.printStats((text) => printed.push(text));
  return printed;
}

describe('a shared heap used from one thread', () => {
  it("prints the seed example's three stats blocks byte for byte (default provider)", () => {
    const mems = createSharedMems();
    expect(mems.stats().provider).toBe('shared-mmap'); // real pages where koffi loads
    expect(seedExample(mems)).toEqual(statsBlocks(SEED_EXAMPLE_OUTPUT));
    mems.validate();
    mems.finish();
    expect(mems.isFinished).toBe(true);
  });

  it('prints them too over a shared mmap provider and a shared-memory provider, which it leaves to their owner', () => {
    for (const provider of [
      createSharedMmapProvider({ maxBytes: 1024 * 4096 }),
      createSharedMemoryProvider({ maxBytes: 1024 * 4096 }),
    ]) {
      const mems = createSharedMems({ provider });
      expect(seedExample(mems)).toEqual(statsBlocks(SEED_EXAMPLE_OUTPUT));
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
      expect(provider.mappingCount).toBe(0);
      if ('destroy' in provider) provider.destroy(); // not the heap's to destroy: still open
    }
  });

  it('gives the addresses and snapshots of createMems with the same options, through two attached objects', () => {
    // The front cache too: on by default for best-fit and tlsf, off or with settings of its own
    // when asked (the attached object must resolve the creator's settings, not its defaults).
    for (const options of [
      { policy: 'first-fit' },
      { policy: 'next-fit' },
      { policy: 'best-fit' },
      { policy: 'tlsf' },
      { policy: 'tlsf', frontCache: false },
      { policy: 'best-fit', frontCache: { maxBlockSize: 64, blocksPerClass: 4, maxBytes: 4096 } },
    ] as const) {
      const shared = createSharedMems({
        ...options,
        provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
      });
      const other = attachMems(shared.handle);
      const plain = createMems({ ...options, provider: createMockProvider() });
      let seed = 7;
      const rnd = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      const live: number[] = [];
      for (let i = 0; i < 3000; i++) {
        const mems = i % 2 === 0 ? shared : other;
        if (live.length > 0 && rnd(3) === 0) {
          const p = live.splice(rnd(live.length), 1)[0]!;
          mems.free(p);
          plain.free(p);
        } else if (live.length > 0 && rnd(10) === 0) {
          const at = rnd(live.length);
          const size = 1 + rnd(5000);
          const q = mems.realloc(live[at]!, size);
          expect(q).toBe(plain.realloc(live[at]!, size));
          live[at] = q;
        } else {
          const size = 1 + rnd(3000);
          const p = mems.malloc(size);
          expect(p).toBe(plain.malloc(size));
          live.push(p);
        }
      }
      const a = other.stats();
      const b = plain.stats();
      expect(a.counters).toEqual(b.counters);
      expect(a.nodes.map((n) => n.segments)).toEqual(b.nodes.map((n) => n.segments));
      shared.validate();
      other.finish();
      expect(() => shared.malloc(1)).toThrow(expect.objectContaining({ code: 'ESTATE' }));
      plain.finish();
    }
  });
});
