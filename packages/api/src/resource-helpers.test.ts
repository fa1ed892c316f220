import { createMockProvider, isMemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { DISPOSE } from './dispose-symbol.js';
import { attachMems, createSharedMems } from './shared-mems.js';

function code(call: () => unknown): string {
  try {
    call();
    return 'no error';
  } catch (error) {
    return isMemsError(error) ? error.code : 'not a MemsError';
  }
}

describe('mallocAs, callocAs, free(array), freeAll, finish twice, Symbol.dispose', () => {
  it('explains how to get aligned blocks when a typed view is misaligned', () => {
    const mems = createMems({ provider: createMockProvider() });
    mems.malloc(3);
    const p = mems.malloc(8);
    expect(() => mems.viewAs(Float64Array, p)).toThrow(
      /not aligned to 8 bytes in physical memory: .*\{ alignment: 8 \} to createMems, or allocate typed arrays with mallocAs or callocAs/,
    );
    mems.finish();
  });

  it('mallocAs gives an aligned array even at alignment 1, and free(array) frees its block', () => {
    const mems = createMems({ provider: createMockProvider() });
    mems.malloc(3);
    const a = mems.mallocAs(Float64Array, 4);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(4);
    expect(a.byteOffset % 8).toBe(0);
    a[3] = 1.5;
    const z = mems.callocAs(Int32Array, 10);
    expect([...z]).toEqual(new Array(10).fill(0));
    expect(mems.stats().counters.liveBlocks).toBe(3);
    mems.free(a);
    mems.free(z);
    expect(mems.stats().counters.liveBlocks).toBe(1);
    expect(code(() => mems.free(a))).toBe('EFAULT');
    mems.validate();
    mems.finish();
  });

  it('refuses bad input with EINVAL and changes nothing', () => {
    const mems = createMems({ provider: createMockProvider() });
    mems.malloc(10);
    const before = JSON.stringify(mems.stats());
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '4', 2 ** 53])
      expect(code(() => mems.mallocAs(Float64Array, bad as number))).toBe('EINVAL');
    for (const type of [Array, DataView, Object, null, 'Float64Array'])
      expect(code(() => mems.callocAs(type as unknown as Float64ArrayConstructor, 1))).toBe('EINVAL');
    expect(code(() => mems.free(new Float64Array(2)))).toBe('EINVAL');
    expect(code(() => mems.free(mems.view(1000) as unknown as Float64Array))).toBe('EINVAL');
    expect(() => mems.mallocAs(Float64Array, 0)).toThrow(/^mallocAs\(Float64Array, 0\): count must be/);
    expect(JSON.stringify(mems.stats())).toBe(before);
    mems.finish();
  });

  it('freeAll frees every block for any sequence of allocations, keeps the heap, and makes arrays stale', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 600 })), { maxLength: 40 }),
        (steps) => {
          const mems = createMems({ provider: createMockProvider() });
          const arrays = steps.map(([typed, n]) => (typed ? mems.mallocAs(Float64Array, n) : mems.malloc(n)));
          const mapped = mems.stats().nodes.length;
          expect(mems.freeAll()).toBe(steps.length);
          expect(mems.stats().counters.liveBlocks).toBe(0);
          expect(mems.stats().nodes.length).toBe(mapped);
          mems.validate();
          for (const a of arrays) if (typeof a !== 'number') expect(code(() => mems.free(a))).toBe('EFAULT');
          expect(mems.malloc(10)).toBe(1000);
          mems.finish();
        },
      ),
      { numRuns: 50 },
    );
  });

  it('finish twice does nothing on an instance; dispose finishes; using works', () => {
    const provider = createMockProvider();
    const mems = createMems({ provider });
    mems.malloc(10);
    mems.finish();
    expect(code(() => mems.finish())).toBe('no error');
    const other = createMems({ provider });
    other.malloc(10);
    other[DISPOSE]();
    expect(other.isFinished).toBe(true);
    expect(provider.mappedBytes).toBe(0);
    other[DISPOSE]();
    expect(DISPOSE).toBe(Symbol.dispose ?? Symbol.for('Symbol.dispose'));
    {
      using scoped = createMems({ provider });
      scoped.malloc(1);
      expect(provider.mappedBytes).toBeGreaterThan(0);
    }
    expect(provider.mappedBytes).toBe(0);
  });

  it('shared heaps: typed helpers under the lock, dispose finishes (creator) or detaches (attached)', () => {
    const mems = createSharedMems({ policy: 'tlsf', maxBytes: 2 ** 24 });
    const other = attachMems(mems.handle);
    const a = other.mallocAs(Float64Array, 3);
    expect(a.byteOffset % 8).toBe(0);
    other.free(a);
    mems.malloc(10);
    expect(other.freeAll()).toBe(1);
    other[DISPOSE]();
    expect(other.isDetached).toBe(true);
    expect(mems.isFinished).toBe(false);
    mems[DISPOSE]();
    expect(mems.isFinished).toBe(true);
    expect(code(() => mems.finish())).toBe('no error');
  });
});
