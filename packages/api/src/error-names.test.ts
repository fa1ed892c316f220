import { createMockProvider, isMemsError, type MemsErrorCode } from '@mems/os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  mems_usable_size,
  mems_view,
  mems_view_as,
} from './globals.js';
import { captureStdout } from './test-support/capture-stdout.js';
import { finishIfLive } from './test-support/seed-fixture.js';

// A heap with two blocks (1000 and 2000) and a freed one (3000), then the checks below.
beforeEach(() => {
  mems_init({ provider: createMockProvider({ maxBytes: 2 * 4096 }) });
  mems_malloc(1000);
  mems_malloc(1000);
  mems_free(mems_malloc(1000));
  mems_view(1000).fill(0xab);
});
afterEach(() => finishIfLive(mems_finish));

const BAD_CALLS: Array<[string, MemsErrorCode, () => unknown]> = [
  ['mems_malloc', 'EINVAL', () => mems_malloc(0)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(-1)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(1.5)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(Number.NaN)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(Number.POSITIVE_INFINITY)],
  ['mems_malloc', 'EINVAL', () => mems_malloc('100' as unknown as number)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(100n as unknown as number)],
  ['mems_malloc', 'EINVAL', () => mems_malloc(2 ** 40)],
  ['mems_malloc', 'ENOMEM', () => mems_malloc(8192)],
  ['mems_free', 'EINVAL', () => mems_free(-1)],
  ['mems_free', 'EINVAL', () => mems_free(undefined as unknown as number)],
  ['mems_free', 'EFAULT', () => mems_free(1001)],
  ['mems_free', 'EFAULT', () => mems_free(3000)],
  ['mems_free', 'EFAULT', () => mems_free(999_999)],
  ['mems_get', 'EINVAL', () => mems_get(Number.NaN)],
  ['mems_get', 'EFAULT', () => mems_get(3500)],
  ['mems_get', 'EFAULT', () => mems_get(100)],
  ['mems_calloc', 'EINVAL', () => mems_calloc(0, 4)],
  ['mems_calloc', 'EINVAL', () => mems_calloc(2 ** 30, 2 ** 30)],
  ['mems_realloc', 'EFAULT', () => mems_realloc(3000, 10)],
  ['mems_realloc', 'EINVAL', () => mems_realloc(1000, 0)],
  ['mems_realloc', 'ENOMEM', () => mems_realloc(1000, 9000)],
  ['mems_view', 'EINVAL', () => mems_view(1000, 1001)],
  ['mems_view', 'EFAULT', () => mems_view(3000)],
  ['mems_view_as', 'EINVAL', () => mems_view_as(Array as unknown as Int32ArrayConstructor, 1000)],
  ['mems_view_as', 'EINVAL', () => mems_view_as(Int32Array, 1001)],
  ['mems_usable_size', 'EFAULT', () => mems_usable_size(1500)],
];

describe('a failed call through the globals', () => {
  it.each(BAD_CALLS)('%s → %s names the function and changes nothing (case %#)', (name, code, call) => {
    const before = mems_stats();
    const statsText = captureStdout(mems_print_stats);
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    expect(isMemsError(error, code)).toBe(true);
    expect((error as Error).message.startsWith(`${name}(`)).toBe(true);
    expect(mems_stats()).toEqual(before);
    expect(captureStdout(mems_print_stats)).toBe(statsText);
    expect(mems_view(1000).every((byte) => byte === 0xab)).toBe(true);
    expect(mems_malloc(10)).toBe(3000);
  });

  it('names the offending value', () => {
    expect(() => mems_free(1001)).toThrow(
      /^mems_free\(1001\): 1001 is an interior address of the block at 1000/,
    );
    expect(() => mems_malloc(-5)).toThrow(/^mems_malloc\(-5\): size must be a positive safe integer$/);
    expect(() => mems_get(3500)).toThrow(/^mems_get\(3500\): 3500 is inside a free hole/);
  });

  it('refuses hostile values (a revoked Proxy) with EINVAL, not a TypeError', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const call of [
      () => mems_malloc(proxy as unknown as number),
      () => mems_free(proxy as unknown as number),
      () => mems_view(1000, proxy as unknown as number),
    ]) {
      expect(call).toThrow(/an unreadable object/);
      try {
        call();
      } catch (error) {
        expect(isMemsError(error, 'EINVAL')).toBe(true);
      }
    }
  });

  it('refuses null for an optional length instead of reading it as the default', () => {
    expect(() => mems_view(1000, null as unknown as number)).toThrow(/^mems_view\(1000, null\): byteLength/);
    expect(() => mems_view_as(Int32Array, 1000, null as unknown as number)).toThrow(
      /^mems_view_as\(Int32Array, 1000, null\): length/,
    );
  });

  it('names mems_init in an option error', () => {
    mems_finish();
    expect(() => mems_init({ pageSize: 1000, provider: createMockProvider() })).toThrow(
      /^mems_init: option pageSize = 1000: must be a positive multiple or divisor of the provider's page size 4096$/,
    );
  });
});
