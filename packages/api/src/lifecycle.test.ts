import { createMockProvider, isMemsError, type MemsError } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_print_stats,
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

/** Every global function but mems_init, called with plausible arguments. */
const CALLS: Array<[string, () => unknown]> = [
  ['mems_malloc', () => mems_malloc(100)],
  ['mems_free', () => mems_free(1000)],
  ['mems_get', () => mems_get(1000)],
  ['mems_print_stats', () => mems_print_stats()],
  ['mems_finish', () => mems_finish()],
  ['mems_calloc', () => mems_calloc(4, 25)],
  ['mems_realloc', () => mems_realloc(1000, 10)],
  ['mems_view', () => mems_view(1000)],
  ['mems_view_as', () => mems_view_as(Int32Array, 1000)],
  ['mems_usable_size', () => mems_usable_size(1000)],
  ['mems_trim', () => mems_trim()],
  ['mems_stats', () => mems_stats()],
  ['mems_validate', () => mems_validate()],
];

function thrown(action: () => unknown): MemsError {
  try {
    action();
  } catch (error) {
    if (isMemsError(error)) return error;
    throw error;
  }
  throw new Error('expected a MemsError');
}

describe('the lifecycle of the process-wide heap', () => {
  it.each(CALLS)('%s before mems_init is ESTATE, naming the function', (name, call) => {
    const error = thrown(call);
    expect(error.code).toBe('ESTATE');
    expect(error.message).toMatch(
      new RegExp(`^${name}\\(.*\\): MeMS is not initialised; call mems_init\\(\\) first$`),
    );
  });

  it.each(CALLS)('%s after mems_finish is ESTATE, naming the function', (name, call) => {
    mems_init({ provider: createMockProvider() });
    mems_malloc(100);
    mems_finish();
    const error = thrown(call);
    expect(error.code).toBe('ESTATE');
    expect(error.message).toMatch(new RegExp(`^${name}\\(.*\\): MeMS was finished by mems_finish\\(\\)`));
  });

  it('names the offending argument in an ESTATE message', () => {
    expect(thrown(() => mems_malloc(1234)).message).toMatch(
      /^mems_malloc\(1234\): MeMS (is not initialised|was finished)/,
    );
    expect(thrown(() => mems_view_as(Int32Array, 1000, 2)).message).toMatch(
      /^mems_view_as\(.*Int32Array.*, 1000, 2\)/,
    );
  });

  it('refuses mems_init while a heap is live, leaving that heap untouched and mapping nothing new', () => {
    const provider = createMockProvider();
    mems_init({ provider });
    const p = mems_malloc(1000);
    mems_view(p).fill(7);
    const before = mems_stats();
    const other = createMockProvider();
    const error = thrown(() => mems_init({ provider: other }));
    expect(error.code).toBe('ESTATE');
    expect(error.message).toMatch(
      /^mems_init\(.*\): MeMS is already initialised; call mems_finish\(\) first$/,
    );
    expect(thrown(() => mems_init()).code).toBe('ESTATE');
    expect(mems_stats()).toEqual(before);
    expect(mems_view(p).every((byte) => byte === 7)).toBe(true);
    expect(other.mapCalls).toBe(0);
    expect(provider.mappingCount).toBe(1);
  });

  it('starts afresh after mems_finish: same first address, new pages, old ones unmapped', () => {
    const first = createMockProvider();
    mems_init({ provider: first });
    expect(mems_malloc(5000)).toBe(1000);
    mems_malloc(10);
    mems_finish();
    expect(first.mappedBytes).toBe(0);

    const second = createMockProvider();
    mems_init({ provider: second });
    expect(mems_stats().nodes).toEqual([]);
    expect(mems_malloc(10)).toBe(1000);
    expect(second.mappingCount).toBe(1);
    mems_finish();
  });

  it('mems_finish twice is ESTATE the second time', () => {
    mems_init({ provider: createMockProvider() });
    mems_finish();
    expect(thrown(() => mems_finish()).code).toBe('ESTATE');
  });

  it('a mems_init that fails on a bad option leaves MeMS uninitialised', () => {
    const provider = createMockProvider();
    expect(thrown(() => mems_init({ provider, pageSize: 1000 })).code).toBe('EINVAL');
    expect(thrown(() => mems_malloc(1)).code).toBe('ESTATE');
    expect(provider.mapCalls).toBe(0);
    mems_init({ provider });
    expect(mems_malloc(1)).toBe(1000);
  });

  it('a mems_finish whose unmap fails still finishes, unmaps the rest, and reports the failure', () => {
    const provider = createMockProvider({ failUnmapAt: [1] });
    mems_init({ provider });
    mems_malloc(4096);
    mems_malloc(4096);
    const error = thrown(() => mems_finish());
    expect(error.code).toBe('ENOMEM');
    expect(error.message).toMatch(/^mems_finish\(\)/);
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(provider.mappingCount).toBe(1);
    expect(thrown(() => mems_malloc(1)).code).toBe('ESTATE');
    mems_init({ provider: createMockProvider() });
    expect(mems_malloc(1)).toBe(1000);
  });
});
