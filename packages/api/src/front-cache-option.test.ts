import { FRONT_CACHE_DEFAULTS } from '@mems/core';
import { createMockProvider, isMemsError } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import {
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_stats,
  mems_validate,
} from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

afterEach(() => finishIfLive(mems_finish));

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    return isMemsError(error) ? error.code : 'not a MemsError';
  }
}

describe('the frontCache option through @mems/api', () => {
  it('is on by default for tlsf through mems_init: a freed block comes back, invisible in mems_stats', () => {
    mems_init({ provider: createMockProvider(), policy: 'tlsf' });
    const a = mems_malloc(100);
    mems_malloc(100);
    mems_free(a);
    expect(mems_stats().nodes[0]!.segments[0]).toEqual({
      kind: 'HOLE',
      start: 1000,
      lastAddress: 1111,
      size: 112,
    });
    expect(codeOf(() => mems_get(a))).toBe('EFAULT');
    expect(codeOf(() => mems_free(a))).toBe('EFAULT');
    expect(mems_malloc(100)).toBe(a);
    mems_validate();
  });

  it('is off under the seed defaults (first fit), byte-exact sizes', () => {
    mems_init({ provider: createMockProvider() });
    const a = mems_malloc(10);
    expect(mems_stats().nodes[0]!.segments[0]!.size).toBe(10);
    mems_free(a);
    expect(mems_stats().counters.holes).toBe(1);
  });

  it('takes settings through createMems, and false turns it off', () => {
    const mems = createMems({
      provider: createMockProvider(),
      policy: 'best-fit',
      frontCache: { maxBlockSize: 64 },
    });
    const small = mems.malloc(64);
    const large = mems.malloc(65);
    mems.free(small);
    mems.free(large);
    expect(mems.malloc(64)).toBe(small); // cached
    expect(mems.stats().counters).toMatchObject({ liveBlocks: 1, bytesInUse: 64 });
    mems.finish();
    const off = createMems({ provider: createMockProvider(), policy: 'tlsf', frontCache: false });
    expect(off.usableSize(off.malloc(1))).toBe(1);
    off.finish();
    expect(FRONT_CACHE_DEFAULTS.maxBytes).toBe(262144);
  });

  it('refuses bad values and a cache under first fit with EINVAL naming the option, in the API names', () => {
    expect(() => mems_init({ provider: createMockProvider(), frontCache: true })).toThrow(
      /^mems_init: option frontCache = true: needs the policy "tlsf" or "best-fit", not "first-fit"/,
    );
    expect(() =>
      createMems({ provider: createMockProvider(), policy: 'tlsf', frontCache: { maxBytes: -1 } }),
    ).toThrow(
      /^createMems: option frontCache = an object \(Object\): its maxBytes -1 must be an integer from 0 to 2\^32/,
    );
    expect(() => mems_malloc(1)).toThrow(/mems_malloc/); // nothing was initialised
  });
});
