import { HeapInvariantError } from '@mems/core';
import { createMockProvider } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_realloc,
  mems_stats,
  mems_trim,
  mems_usable_size,
  mems_validate,
  mems_view,
  mems_view_as,
} from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

afterEach(() => finishIfLive(mems_finish));

describe('the functions beyond the seed, through the globals', () => {
  it('mems_calloc zeroes a reused hole', () => {
    mems_init({ provider: createMockProvider() });
    const p = mems_malloc(64);
    mems_view(p).fill(9);
    mems_free(p);
    const q = mems_calloc(16, 4);
    expect(q).toBe(p);
    expect(mems_usable_size(q)).toBe(64);
    expect(mems_view(q).every((byte) => byte === 0)).toBe(true);
  });

  it('mems_realloc keeps the bytes, in place or moved', () => {
    mems_init({ provider: createMockProvider() });
    const p = mems_malloc(8);
    mems_view(p).set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mems_realloc(p, 16)).toBe(p);
    const blocker = mems_malloc(10);
    const moved = mems_realloc(p, 5000);
    expect(moved).not.toBe(p);
    expect(Array.from(mems_view(moved, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mems_usable_size(moved)).toBe(5000);
    expect(mems_realloc(moved, 4)).toBe(moved);
    expect(mems_usable_size(moved)).toBe(4);
    mems_free(blocker);
  });

  it('mems_view and mems_view_as share memory, and mems_get tracks interior bytes', () => {
    mems_init({ provider: createMockProvider() });
    const p = mems_malloc(16);
    mems_view_as(Uint32Array, p, 2)[1] = 0x04030201;
    expect(Array.from(mems_view(p + 4, 4))).toEqual([1, 2, 3, 4]);
    expect(mems_view(p).byteLength).toBe(16);
    expect(mems_view_as(Int32Array, p).length).toBe(4);
    expect(mems_get(p + 15) - mems_get(p)).toBe(15n);
  });

  it('mems_trim unmaps empty nodes and mems_stats reports it', () => {
    const provider = createMockProvider();
    mems_init({ provider });
    const a = mems_malloc(5000);
    const b = mems_malloc(4000);
    expect(mems_stats().counters).toMatchObject({ nodes: 2, pagesMapped: 3, liveBlocks: 2 });
    mems_free(a);
    expect(mems_trim()).toBe(8192);
    expect(provider.mappedBytes).toBe(4096);
    const stats = mems_stats();
    expect(stats.counters).toMatchObject({ nodes: 1, pagesMapped: 1, liveBlocks: 1 });
    expect(stats.nodes[0]!.start).toBe(9192);
    expect(stats).toMatchObject({
      policy: 'first-fit',
      pageSize: 4096,
      startAddress: 1000,
      provider: 'mock',
    });
    mems_free(b);
    mems_validate();
  });

  it('passes the growth, alignment, policy and autoTrim options to the heap', () => {
    const provider = createMockProvider();
    mems_init({
      provider,
      minNodePages: 4,
      alignment: 8,
      policy: 'best-fit',
      autoTrim: true,
      startAddress: 0,
    });
    const p = mems_malloc(3);
    expect(p).toBe(0);
    expect(mems_usable_size(p)).toBe(16); // best fit's front cache rounds sizes up to 1024 to 16
    expect(mems_stats()).toMatchObject({ policy: 'best-fit', alignment: 8 });
    expect(provider.mappedBytes).toBe(4 * 4096);
    mems_free(p);
    expect(provider.mappedBytes).toBe(0);
  });

  it('re-exports HeapInvariantError as the error mems_validate throws', async () => {
    const api = await import('./index.js');
    expect(api.HeapInvariantError).toBe(HeapInvariantError);
  });
});
