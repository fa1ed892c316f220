import { createMockProvider, isMemsError } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { mems_finish, mems_free, mems_init, mems_malloc, mems_memory_of } from './globals.js';
import { attachMems, createSharedMems } from './shared-mems.js';

function failure(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    if (isMemsError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a MemsError');
}

describe('memoryOf on every API surface', () => {
  afterEach(() => {
    try {
      mems_finish();
    } catch {
      // not initialised
    }
  });

  it('gives one long-lived object per node, whose arrays reach the block a view sees', () => {
    const mems = createMems({ provider: createMockProvider(), alignment: 8 });
    const p = mems.malloc(64);
    const q = mems.malloc(64);
    const m = mems.memoryOf(p);
    expect(mems.memoryOf(q)).toBe(m);
    m.f64[(q - m.base) >> 3] = 2.5;
    expect(mems.viewAs(Float64Array, q, 1)[0]).toBe(2.5);
    m.u8[p - m.base] = 7;
    expect(mems.view(p, 1)[0]).toBe(7);
    mems.finish();
    expect(failure(() => mems.memoryOf(p)).code).toBe('ESTATE');
  });

  it('names the method in its errors and leaves the heap as it was', () => {
    const mems = createMems({ provider: createMockProvider() });
    const p = mems.malloc(16);
    const before = mems.stats();
    const bad = failure(() => mems.memoryOf(p + 100_000));
    expect(bad.code).toBe('EFAULT');
    expect(bad.message).toMatch(/^memoryOf\(/);
    expect(failure(() => mems.memoryOf(Number.NaN)).message).toMatch(/^memoryOf\(NaN\)/);
    expect(mems.stats()).toEqual(before);
    mems.free(p);
    expect(failure(() => mems.memoryOf(p)).code).toBe('EFAULT');
    mems.finish();
  });

  it('is mems_memory_of on the global heap', () => {
    expect(failure(() => mems_memory_of(1000)).code).toBe('ESTATE');
    mems_init({ provider: createMockProvider() });
    const p = mems_malloc(8);
    const m = mems_memory_of(p);
    m.u8[p - m.base] = 9;
    expect(failure(() => mems_memory_of(-1)).message).toMatch(/^mems_memory_of\(-1\)/);
    mems_free(p);
    mems_finish();
    expect(failure(() => mems_memory_of(p)).code).toBe('ESTATE');
  });

  it('runs under the lock on a shared heap', () => {
    const mems = createSharedMems({ provider: undefined, maxBytes: 2 ** 24 });
    const p = mems.malloc(32);
    const m = mems.memoryOf(p);
    m.i32[(p - m.base) >> 2] = 42;
    expect(mems.viewAs(Int32Array, p, 1)[0]).toBe(42);
    expect(failure(() => mems.memoryOf(p + 2 ** 26)).message).toMatch(/^memoryOf\(/);
    mems.finish();
    expect(failure(() => mems.memoryOf(p)).code).toBe('ESTATE');
  });

  it('gives another object of a shared heap a new object when a node its cache knows is unmapped and its id reused', () => {
    const mems = createSharedMems({ maxBytes: 2 ** 24 });
    const other = attachMems(mems.handle);
    // Two nodes; the other object caches the memory of both.
    const first = mems.malloc(8000);
    const second = mems.malloc(6000);
    const before = [other.memoryOf(first), other.memoryOf(second)];
    mems.free(first);
    mems.free(second);
    mems.trim(); // both nodes unmapped, their ids free
    // New nodes of other sizes take the ids back, at other places.
    const blocks = [mems.malloc(20_000), mems.malloc(3000), mems.malloc(12_000)];
    for (const [i, p] of blocks.entries()) {
      const m = other.memoryOf(p);
      m.u8[p - m.base] = 0x5a + i;
      m.u8[p + 2999 - m.base] = 0xa5 - i;
      const bytes = mems.view(p, 3000);
      expect([bytes[0], bytes[2999]]).toEqual([0x5a + i, 0xa5 - i]);
    }
    expect(before).toHaveLength(2);
    mems.finish();
  });
});
