import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { mems_finish, mems_init, mems_malloc, mems_stats } from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

describe('createMems', () => {
  it('makes heaps independent of each other and of the globals', () => {
    const a = createMems({ provider: createMockProvider() });
    const b = createMems({ provider: createMockProvider({ addressOrder: 'descending' }), startAddress: 0 });
    mems_init({ provider: createMockProvider() });
    try {
      expect(a.malloc(100)).toBe(1000);
      expect(a.malloc(100)).toBe(1100);
      expect(b.malloc(100)).toBe(0);
      expect(mems_malloc(50)).toBe(1000);
      a.view(1000).fill(1);
      b.view(0).fill(2);
      expect(a.view(1000)[0]).toBe(1);
      expect(a.get(1000)).not.toBe(b.get(0));
      b.finish();
      expect(a.stats().counters.liveBlocks).toBe(2);
      expect(mems_stats().counters.liveBlocks).toBe(1);
      a.free(1000);
      expect(a.malloc(100)).toBe(1000);
    } finally {
      finishIfLive(mems_finish);
      finishIfLive(a.finish);
    }
    expect(a.isFinished).toBe(true);
  });

  it('names its methods in errors, without the mems_ prefix', () => {
    const heap = createMems({ provider: createMockProvider() });
    expect(() => heap.malloc(0)).toThrow(/^malloc\(0\): /);
    expect(() => heap.free(5)).toThrow(/^free\(5\): /);
    expect(() => heap.get(5)).toThrow(/^get\(5\): /);
    expect(() => heap.calloc(0, 1)).toThrow(/^calloc\(0, 1\): /);
    expect(() => heap.realloc(5, 1)).toThrow(/^realloc\(5, 1\): /);
    expect(() => heap.view(5)).toThrow(/^view\(5\): /);
    expect(() => heap.viewAs(Int32Array, 5)).toThrow(/^viewAs\(Int32Array, 5\): /);
    expect(() => heap.usableSize(5)).toThrow(/^usableSize\(5\): /);
    expect(() => heap.printStats('x' as unknown as () => void)).toThrow(
      /^printStats\("x"\): write must be a function$/,
    );
    expect(() => createMems({ pageSize: 3 })).toThrow(/^createMems: option pageSize = 3/);
    heap.finish();
  });

  it('works with destructured methods', () => {
    const { malloc, free, get, finish, stats } = createMems({ provider: createMockProvider() });
    const p = malloc(10);
    expect(typeof get(p)).toBe('bigint');
    free(p);
    expect(stats().counters.liveBlocks).toBe(0);
    finish();
  });

  it('refuses every call but finish after finish with ESTATE, naming the method', () => {
    const provider = createMockProvider();
    const heap = createMems({ provider });
    heap.malloc(10);
    expect(heap.isFinished).toBe(false);
    heap.finish();
    expect(heap.isFinished).toBe(true);
    expect(provider.mappedBytes).toBe(0);
    const calls: Array<[string, () => unknown]> = [
      ['malloc', () => heap.malloc(1)],
      ['free', () => heap.free(1000)],
      ['get', () => heap.get(1000)],
      ['printStats', () => heap.printStats(() => {})],
      ['calloc', () => heap.calloc(1, 1)],
      ['realloc', () => heap.realloc(1000, 1)],
      ['view', () => heap.view(1000)],
      ['viewAs', () => heap.viewAs(Uint8Array, 1000)],
      ['usableSize', () => heap.usableSize(1000)],
      ['trim', () => heap.trim()],
      ['stats', () => heap.stats()],
      ['validate', () => heap.validate()],
      ['mallocAs', () => heap.mallocAs(Float64Array, 1)],
      ['callocAs', () => heap.callocAs(Float64Array, 1)],
      ['freeAll', () => heap.freeAll()],
    ];
    for (const [name, call] of calls) {
      let error: unknown;
      try {
        call();
      } catch (caught) {
        error = caught;
      }
      expect(isMemsError(error, 'ESTATE'), name).toBe(true);
      expect((error as Error).message, name).toMatch(
        new RegExp(`^${name}\\(.*\\): this heap is finished \\(finish was called\\)$`),
      );
    }
  });

  it('printStats sends the seed text to a write sink when given one', () => {
    const heap = createMems({ provider: createMockProvider() });
    heap.malloc(1000);
    const chunks: string[] = [];
    heap.printStats((text) => chunks.push(text));
    expect(chunks).toEqual([
      '----- MeMS SYSTEM STATS -----\nMAIN[1000:5095]-> P[1000:1999] <-> H[2000:5095] <-> NULL\nPages used:\t1\nSpace unused:\t3096\nMain Chain Length:\t1\nSub-chain Length array: [2, ]\n-----------------------------\n',
    ]);
    heap.finish();
  });
});
