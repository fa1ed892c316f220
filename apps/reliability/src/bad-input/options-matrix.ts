/**
 * Bad options for the three functions that create a heap (`mems_init`, `createMems`,
 * `createHeap`): each is `EINVAL` naming the option and its value, and maps nothing.
 */
import type { PageProvider } from '@mems/os';
import { BAD_FRONT_CACHE_VALUES, FRONT_CACHE_NEEDS_POLICY } from '@mems/reference-model';
import { type BadCase, badCase } from './harness.js';

const fakeProvider = (overrides: Record<string, unknown>) => ({
  name: 'fake',
  pageSize: 4096,
  maxMappingBytes: 2 ** 32,
  mappedBytes: 0,
  mappingCount: 0,
  map() {
    throw new Error('never called');
  },
  unmap() {},
  ...overrides,
});

/** A revoked proxy: every operation on it throws a TypeError. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose enumerable `key` getter throws. */
export function throwingGetter(key: string, rest: Record<string, unknown> = {}): object {
  return Object.defineProperty({ ...rest }, key, {
    enumerable: true,
    get() {
      throw new RangeError(`${key} cannot be read`);
    },
  });
}

/** [option, value] pairs the documentation calls invalid for every creator. */
export const BAD_OPTION_VALUES: readonly [string, unknown][] = [
  ['provider', {}],
  ['provider', 5],
  ['provider', 'mmap'],
  ['provider', fakeProvider({ pageSize: 3 })],
  ['provider', fakeProvider({ map: 5 })],
  ['provider', fakeProvider({ unmap: undefined })],
  ['provider', fakeProvider({ maxMappingBytes: undefined })],
  ['provider', fakeProvider({ maxMappingBytes: Number.NaN })],
  ['provider', fakeProvider({ maxMappingBytes: 1000 })],
  ['provider', fakeProvider({ name: 5 })],
  ['provider', throwingGetter('pageSize', fakeProvider({}))],
  ['provider', revokedProxy()],
  ['pageSize', 0],
  ['pageSize', -4096],
  ['pageSize', 4097],
  ['pageSize', 1000],
  ['pageSize', 6144],
  ['pageSize', 3000],
  ['pageSize', Number.NaN],
  ['pageSize', Number.POSITIVE_INFINITY],
  ['pageSize', 4096.5],
  ['pageSize', '4096'],
  ['pageSize', 4096n],
  ['pageSize', 2 ** 53],
  ['pageSize', 2 ** 33],
  ['startAddress', -1],
  ['startAddress', 1.5],
  ['startAddress', Number.NaN],
  ['startAddress', Number.POSITIVE_INFINITY],
  ['startAddress', '1000'],
  ['startAddress', 2 ** 53],
  ['startAddress', 1000n],
  ['policy', 'worst-fit'],
  ['policy', ''],
  ['policy', 'FIRST-FIT'],
  ['policy', 'toString'],
  ['policy', 5],
  ['policy', {}],
  ['policy', { name: 'mine' }],
  [
    'policy',
    {
      name: 'mine',
      create() {
        throw new Error('no policy');
      },
    },
  ],
  ['policy', { name: 'mine', create: () => 42 }],
  ['policy', { name: 'mine', create: () => ({}) }],
  ['policy', throwingGetter('create', { name: 'mine' })],
  ['alignment', 0],
  ['alignment', 3],
  ['alignment', 12],
  ['alignment', 8192],
  ['alignment', 1.5],
  ['alignment', Number.NaN],
  ['alignment', -8],
  ['alignment', '8'],
  ['minNodePages', 0],
  ['minNodePages', -1],
  ['minNodePages', 1.5],
  ['minNodePages', Number.NaN],
  ['minNodePages', '2'],
  ['minNodePages', 2 ** 21],
  ['autoTrim', 'yes'],
  ['autoTrim', 1],
  ['autoTrim', 0],
];

/** Options arguments that are not objects. */
export const NOT_OPTIONS: readonly unknown[] = [5, 'seed', true, [], null, () => ({})];

/**
 * The cases for one creator.
 * @param call the creator's name (what messages start with).
 * @param create calls the creator with the given options.
 * @param provider a provider that must never be mapped from (passed unless the case sets one).
 * @param api whether the creator is `@mems/api`'s, which also refuses unknown options and nulls.
 */
export function badOptionCases(
  call: string,
  create: (options: unknown) => unknown,
  provider: () => PageProvider,
  api: boolean,
): BadCase[] {
  const cases: BadCase[] = [];
  for (const options of NOT_OPTIONS)
    cases.push(badCase(call, 'EINVAL', [options], [options], () => create(options)));
  const withOption = (key: string, value: unknown, offending: unknown[], note: string) => {
    const c = badCase(
      call,
      'EINVAL',
      [{ [key]: value }],
      offending,
      () => create({ provider: provider(), [key]: value }),
      note,
    );
    c.mentions.push(key); // the message names the option too
    cases.push(c);
  };
  for (const [key, value] of BAD_OPTION_VALUES) withOption(key, value, [value], key);
  // The front cache: bad values under tlsf (which may have one), and any cache under first and next fit.
  const withCache = (policy: string, value: unknown, offending: unknown[], note: string) => {
    const c = badCase(
      call,
      'EINVAL',
      [{ policy, frontCache: value }],
      offending,
      () => create({ provider: provider(), policy, frontCache: value }),
      note,
    );
    c.mentions.push('frontCache');
    cases.push(c);
  };
  for (const value of BAD_FRONT_CACHE_VALUES) withCache('tlsf', value, [value], 'frontCache');
  for (const policy of FRONT_CACHE_NEEDS_POLICY) {
    withCache(policy, true, [true, policy], `frontCache under ${policy}`);
    withCache(policy, { maxBytes: 1024 }, [policy], `frontCache under ${policy}`);
  }
  {
    const c = badCase(
      call,
      'EINVAL',
      [],
      [],
      () => create({ provider: provider(), policy: 'best-fit', frontCache: throwingGetter('maxBytes') }),
      'frontCache.maxBytes getter throws',
    );
    c.mentions.push('frontCache', 'could not be read');
    cases.push(c);
  }
  // Options it cannot read: a revoked proxy, and a getter that throws (named by its option).
  const revoked = revokedProxy();
  cases.push(badCase(call, 'EINVAL', [revoked], [revoked], () => create(revoked), 'revoked proxy'));
  for (const key of ['provider', 'pageSize', 'policy']) {
    const c = badCase(
      call,
      'EINVAL',
      [],
      [],
      () => create(throwingGetter(key, key === 'provider' ? {} : { provider: provider() })),
      `${key} getter throws`,
    );
    c.mentions.push(key, 'could not be read');
    cases.push(c);
  }
  if (api) {
    for (const key of ['pagesize', 'policies', 'maxBytes']) {
      const c = badCase(
        call,
        'EINVAL',
        [{ [key]: 1 }],
        [],
        () => create({ provider: provider(), [key]: 1 }),
        'unknown option',
      );
      c.mentions = [JSON.stringify(key)];
      cases.push(c);
    }
    for (const key of ['provider', 'pageSize', 'policy', 'alignment', 'autoTrim', 'frontCache'])
      withOption(key, null, [null], `${key} null`);
  } else {
    for (const value of [5, 'names', { allocate: 5 }, { free: {} }])
      withOption('callNames', value, [], 'callNames');
  }
  return cases;
}
