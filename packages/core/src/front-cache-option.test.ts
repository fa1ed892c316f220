import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';
import { FRONT_CACHE_DEFAULTS } from './options/heap-options.js';
import { firstFit } from './policies/first-fit.js';

describe('the frontCache option', () => {
  it.each([
    ['tlsf', FRONT_CACHE_DEFAULTS],
    ['best-fit', FRONT_CACHE_DEFAULTS],
    ['first-fit', null],
    ['next-fit', null],
  ] as const)('defaults for %s to %o', (policy, expected) => {
    const heap = createHeap({ provider: createMockProvider(), policy });
    expect(heap.options.frontCache).toEqual(expected);
  });

  it('is off under the seed defaults, so sizes stay byte-exact', () => {
    const heap = createHeap({ provider: createMockProvider() });
    expect(heap.options.frontCache).toBeNull();
    expect(heap.usableSize(heap.allocate(1))).toBe(1);
  });

  it('takes true, false and partial settings', () => {
    const provider = createMockProvider();
    expect(createHeap({ provider, policy: 'tlsf', frontCache: true }).options.frontCache).toEqual(
      FRONT_CACHE_DEFAULTS,
    );
    expect(createHeap({ provider, policy: 'tlsf', frontCache: false }).options.frontCache).toBeNull();
    expect(createHeap({ provider, policy: 'first-fit', frontCache: false }).options.frontCache).toBeNull();
    expect(
      createHeap({ provider, policy: 'best-fit', frontCache: { maxBytes: 0, maxBlockSize: undefined } })
        .options.frontCache,
    ).toEqual({ ...FRONT_CACHE_DEFAULTS, maxBytes: 0 });
  });

  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const bad: [string, unknown, unknown, string][] = [
    ['frontCache', 'yes', 'yes', 'must be true, false or an object'],
    ['frontCache', 1, 1, 'must be true, false or an object'],
    ['frontCache', [], [], 'must be true, false or an object'],
    ['frontCache', { size: 5 }, { size: 5 }, 'unknown setting "size"'],
    ['frontCache', { maxBlockSize: 0 }, 0, 'its maxBlockSize 0 must be a multiple of 16 from 16 to 16384'],
    ['frontCache', { maxBlockSize: 100 }, 100, 'its maxBlockSize 100 must be a multiple of 16'],
    ['frontCache', { maxBlockSize: 32768 }, 32768, 'its maxBlockSize 32768 must be a multiple of 16'],
    ['frontCache', { maxBlockSize: '1024' }, '1024', 'its maxBlockSize "1024" must be a multiple of 16'],
    ['frontCache', { blocksPerClass: 0 }, 0, 'its blocksPerClass 0 must be an integer from 1 to 1024'],
    ['frontCache', { blocksPerClass: 1.5 }, 1.5, 'its blocksPerClass 1.5 must be an integer from 1 to 1024'],
    ['frontCache', { blocksPerClass: 2048 }, 2048, 'its blocksPerClass 2048 must be an integer'],
    ['frontCache', { maxBytes: -1 }, -1, 'its maxBytes -1 must be an integer from 0 to 2^32'],
    [
      'frontCache',
      { maxBytes: Number.NaN },
      Number.NaN,
      'its maxBytes NaN must be an integer from 0 to 2^32',
    ],
    ['frontCache', { maxBytes: 2 ** 33 }, 2 ** 33, 'its maxBytes 8589934592 must be an integer'],
    ['frontCache', revoked.proxy, revoked.proxy, 'could not be read'],
  ];
  it.each(bad)('refuses %s (case %#) with EINVAL naming it, mapping nothing', (name, value, _shown, rule) => {
    const provider = createMockProvider();
    let error: unknown;
    try {
      createHeap({ provider, policy: 'tlsf', frontCache: value as never });
    } catch (e) {
      error = e;
    }
    expect(isMemsError(error, 'EINVAL')).toBe(true);
    expect((error as Error).message).toContain(`createHeap: option ${name}`);
    expect((error as Error).message).toContain(rule);
    expect(provider.mappingCount).toBe(0);
  });

  it.each([
    ['first-fit', 'first-fit'],
    ['next-fit', 'next-fit'],
  ] as const)('refuses a cache with %s (placement by address order)', (policy, named) => {
    expect(() => createHeap({ provider: createMockProvider(), policy, frontCache: true })).toThrow(
      `createHeap: option frontCache = true: needs the policy "tlsf" or "best-fit", not "${named}"`,
    );
  });

  it('refuses a cache with a policy of your own', () => {
    const mine = { name: 'mine', create: firstFit.create };
    expect(() =>
      createHeap({ provider: createMockProvider(), policy: mine, frontCache: { maxBytes: 10 } }),
    ).toThrow(/option frontCache = .*needs the policy "tlsf" or "best-fit", not a policy of your own/);
  });
});
