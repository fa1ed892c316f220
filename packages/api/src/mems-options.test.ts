/// <reference types="node" />
import { createMockProvider, isMemsError } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { mems_finish, mems_init, mems_malloc, mems_stats } from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

afterEach(() => finishIfLive(mems_finish));

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isMemsError(error) ? error.code : 'not a MemsError';
  }
  return undefined;
}

describe('mems_init options', () => {
  it('defaults to the seed: page size 4096, start 1000, first fit, alignment 1', () => {
    mems_init({ provider: createMockProvider() });
    expect(mems_stats()).toMatchObject({
      pageSize: 4096,
      startAddress: 1000,
      policy: 'first-fit',
      alignment: 1,
    });
  });

  it('uses the default provider when none is given (mmap in Node where koffi loads)', () => {
    mems_init();
    expect(mems_malloc(10)).toBe(1000);
    expect(['mmap', 'mock']).toContain(mems_stats().provider);
    if (process.platform === 'linux') expect(mems_stats().provider).toBe('mmap');
  });

  it.each([
    ['a number', 5],
    ['a string', 'big'],
    ['an array', []],
    ['null', null],
  ])('refuses options that are %s', (_what, options) => {
    expect(codeOf(() => mems_init(options as never))).toBe('EINVAL');
    expect(codeOf(() => createMems(options as never))).toBe('EINVAL');
  });

  it('refuses an unknown option (a typo), listing the known ones', () => {
    expect(() => mems_init({ pagesize: 4096 } as never)).toThrow(
      /^mems_init: unknown option "pagesize"; the options are provider, pageSize, startAddress, policy, alignment, minNodePages, autoTrim, frontCache, slabs$/,
    );
    expect(() => mems_init({ callNames: {} } as never)).toThrow(/unknown option "callNames"/);
  });

  it.each([
    ['provider', null],
    ['provider', 'mmap'],
    ['provider', {}],
    ['pageSize', null],
    ['pageSize', 0],
    ['pageSize', 4097],
    ['pageSize', '4096'],
    ['startAddress', -1],
    ['startAddress', 1.5],
    ['policy', 'worst-fit'],
    ['policy', 3],
    ['alignment', 3],
    ['alignment', 8192],
    ['minNodePages', 0],
    ['autoTrim', 'yes'],
  ])('refuses %s = %j with EINVAL naming the option', (name, value) => {
    const options = { provider: createMockProvider(), [name]: value };
    expect(() => mems_init(options as never)).toThrow(new RegExp(`^mems_init: option ${name} = `));
    expect(() => createMems(options as never)).toThrow(new RegExp(`^createMems: option ${name} = `));
    expect(codeOf(() => mems_malloc(1))).toBe('ESTATE');
  });

  it('treats an option given as undefined as left out', () => {
    mems_init({ provider: createMockProvider(), pageSize: undefined, policy: undefined });
    expect(mems_stats().pageSize).toBe(4096);
  });

  it('accepts a larger page size that is a multiple of the provider page size', () => {
    mems_init({ provider: createMockProvider(), pageSize: 16384 });
    mems_malloc(1);
    expect(mems_stats().nodes[0]!.lastAddress).toBe(1000 + 16384 - 1);
  });
});

describe('mems_init and createMems refuse options and providers they cannot rely on', () => {
  const revoked = (): object => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwingGetter = (key: string): object =>
    Object.defineProperty({ provider: createMockProvider() }, key, {
      enumerable: true,
      get() {
        throw new RangeError(`no ${key} today`);
      },
    });
  const lacking = (key: string): object => {
    const mock = createMockProvider();
    const p: Record<string, unknown> = {
      name: 'fake',
      pageSize: 4096,
      maxMappingBytes: 2 ** 32,
      map: (n: number) => mock.map(n),
      unmap: (m: never) => mock.unmap(m),
    };
    delete p[key];
    return p;
  };

  it.each([
    ['a revoked proxy', () => revoked(), /^NAME\(an unreadable object\): the options could not be read: /],
    [
      'an object with a throwing getter',
      () => throwingGetter('policy'),
      /^NAME: option policy could not be read: no policy today$/,
    ],
    [
      'a provider without maxMappingBytes',
      () => ({ provider: lacking('maxMappingBytes') }),
      /^NAME: option provider = an object \(Object\): its maxMappingBytes undefined must be an integer/,
    ],
    [
      'a provider without unmap',
      () => ({ provider: lacking('unmap') }),
      /its unmap undefined must be a function/,
    ],
    [
      'a provider that is a revoked proxy',
      () => ({ provider: revoked() }),
      /^NAME: option provider = an unreadable object: its name could not be read/,
    ],
    [
      'a policy factory whose create throws',
      () => ({
        provider: createMockProvider(),
        policy: {
          name: 'mine',
          create() {
            throw new Error('nope');
          },
        },
      }),
      /^NAME: option policy = an object \(Object\): its create\(\) threw: nope$/,
    ],
    [
      'a policy factory whose create returns junk',
      () => ({ provider: createMockProvider(), policy: { name: 'mine', create: () => 42 } }),
      /^NAME: option policy = an object \(Object\): its create\(\) returned 42, not a PlacementPolicy$/,
    ],
  ])('%s: EINVAL naming the creator and what is wrong; nothing is created', (_what, options, message) => {
    for (const [name, create] of [
      ['mems_init', (o: unknown) => mems_init(o as never)],
      ['createMems', (o: unknown) => createMems(o as never)],
    ] as const) {
      let thrown: unknown;
      try {
        create(options());
      } catch (error) {
        thrown = error;
      }
      expect(isMemsError(thrown, 'EINVAL'), String(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(new RegExp(message.source.replace('NAME', name)));
    }
    expect(codeOf(() => mems_malloc(1))).toBe('ESTATE');
  });

  it('keeps the original error as cause', () => {
    let thrown: unknown;
    try {
      createMems(throwingGetter('pageSize') as never);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).cause).toBeInstanceOf(RangeError);
  });
});
