import { createMockProvider, isMemsError, type PageProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, Heap } from '../heap.js';
import type { PlacementPolicyFactory } from '../policies/placement-policy.js';

/*
 * createHeap checks everything the heap will rely on before it exists: every member of the
 * provider, options it cannot read (revoked proxies, throwing getters), and policy factories
 * that throw or return junk. Each is EINVAL naming what is wrong, and nothing is mapped.
 */

const mock = createMockProvider();

/** A complete provider over `mock`, with some members replaced or deleted. */
function provider(overrides: Record<string, unknown>, remove: readonly string[] = []): PageProvider {
  const p: Record<string, unknown> = {
    name: 'fake',
    pageSize: 4096,
    maxMappingBytes: 2 ** 32,
    mappedBytes: 0,
    mappingCount: 0,
    map: (n: number) => mock.map(n),
    unmap: (m: never) => mock.unmap(m),
    ...overrides,
  };
  for (const key of remove) delete p[key];
  return p as unknown as PageProvider;
}

/** The MemsError `create` threw (fails the test if it threw anything else or nothing). */
function refusal(create: () => unknown): Error & { code: string } {
  const mapped = mock.mapCalls;
  try {
    create();
  } catch (error) {
    expect(isMemsError(error), String(error)).toBe(true);
    expect(mock.mapCalls).toBe(mapped);
    return error as Error & { code: string };
  }
  return expect.fail('created a heap');
}

const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

const throwing = (key: string, rest: Record<string, unknown> = {}): object =>
  Object.defineProperty({ ...rest }, key, {
    enumerable: true,
    get() {
      throw new RangeError(`no ${key} today`);
    },
  });

describe('createHeap checks every provider member the heap relies on', () => {
  it.each([
    [
      'maxMappingBytes missing',
      provider({}, ['maxMappingBytes']),
      /its maxMappingBytes undefined must be an integer/,
    ],
    ['maxMappingBytes NaN', provider({ maxMappingBytes: Number.NaN }), /its maxMappingBytes NaN/],
    [
      'maxMappingBytes below a page',
      provider({ maxMappingBytes: 100 }),
      /its maxMappingBytes 100 .*at least its pageSize \(4096\)/,
    ],
    ['maxMappingBytes a string', provider({ maxMappingBytes: '4096' }), /its maxMappingBytes "4096"/],
    ['pageSize not a power of two', provider({ pageSize: 3000 }), /its pageSize 3000 must be a power of two/],
    // 3 × 2^32 has a zero low word: a 32-bit bit test would take it for a power of two.
    [
      'pageSize 3 × 2^32, not a power of two',
      provider({ pageSize: 3 * 2 ** 32, maxMappingBytes: 2 ** 40 }),
      /its pageSize 12884901888 must be a power of two/,
    ],
    ['pageSize missing', provider({}, ['pageSize']), /its pageSize undefined/],
    ['map not a function', provider({ map: 5 }), /its map 5 must be a function/],
    ['unmap missing', provider({}, ['unmap']), /its unmap undefined must be a function/],
    ['name missing', provider({}, ['name']), /its name undefined must be a string/],
  ])('%s: EINVAL naming the member', (_name, p, message) => {
    const error = refusal(() => createHeap({ provider: p }));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(/^createHeap: option provider = an object \(Object\): /);
    expect(error.message).toMatch(message);
  });

  it('a provider whose getter throws: EINVAL naming the member, the error as cause', () => {
    const p = throwing('maxMappingBytes', provider({}, ['maxMappingBytes']) as never);
    const error = refusal(() => createHeap({ provider: p as PageProvider }));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(/its maxMappingBytes could not be read: no maxMappingBytes today/);
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('a revoked proxy as provider: EINVAL', () => {
    const error = refusal(() => createHeap({ provider: revoked() as PageProvider }));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(
      /^createHeap: option provider = an unreadable object: its name could not be read/,
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('the heap reads the provider once: a provider accepted at creation cannot make malloc fail later', () => {
    let reads = 0;
    const p = provider({});
    Object.defineProperty(p, 'pageSize', {
      get() {
        reads++;
        return reads === 1 ? 4096 : Number.NaN;
      },
    });
    const heap = createHeap({ provider: p });
    expect(heap.allocate(5000)).toBe(1000);
    expect(heap.allocate(10)).toBe(6000);
    heap.validate();
    heap.destroy();
  });
});

describe('createHeap refuses options it cannot read', () => {
  it('a revoked proxy: EINVAL, the TypeError as cause', () => {
    const error = refusal(() => createHeap(revoked() as never));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(/^createHeap\(an unreadable object\): the options could not be read: /);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('a throwing getter: EINVAL naming the option, its error as cause', () => {
    const error = refusal(() => createHeap(throwing('pageSize', { provider: mock }) as never));
    expect(error.message).toBe('createHeap: option pageSize could not be read: no pageSize today');
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('a proxy whose ownKeys trap throws: EINVAL', () => {
    const options = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    const error = refusal(() => createHeap(options as never));
    expect(error.message).toMatch(/the options could not be read: no keys/);
  });

  it('a callNames object with a throwing getter: EINVAL naming the entry', () => {
    const error = refusal(() => createHeap({ provider: mock, callNames: throwing('free') as never }));
    expect(error.message).toBe('createHeap: option callNames.free could not be read: no free today');
  });
});

describe('createHeap checks a policy factory', () => {
  const factory = (create: () => unknown, name: unknown = 'mine'): PlacementPolicyFactory =>
    ({ name, create }) as unknown as PlacementPolicyFactory;

  it('whose create throws: EINVAL, the error as cause', () => {
    const error = refusal(() =>
      createHeap({
        provider: mock,
        policy: factory(() => {
          throw new Error('broken policy');
        }),
      }),
    );
    expect(error.message).toBe(
      'createHeap: option policy = an object (Object): its create() threw: broken policy',
    );
    expect((error.cause as Error).message).toBe('broken policy');
  });

  it.each([
    ['undefined', () => undefined, /its create\(\) returned undefined, not a PlacementPolicy/],
    ['a number', () => 5, /its create\(\) returned 5, not a PlacementPolicy/],
    ['an empty object', () => ({}), /its create\(\) returned a policy whose addHole is not a function/],
    [
      'a policy without findHole',
      () => ({
        ...Object.fromEntries(
          ['addHole', 'removeHole', 'holeResized', 'allocated', 'clear', 'check'].map((k) => [k, () => {}]),
        ),
        name: 'x',
      }),
      /whose findHole is not a function/,
    ],
    ['a revoked proxy', revoked, /its create\(\) returned a policy that could not be read/],
  ])('whose create returns %s: EINVAL', (_name, create, message) => {
    const error = refusal(() => createHeap({ provider: mock, policy: factory(create) }));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(message);
  });

  it('whose members throw: EINVAL', () => {
    const error = refusal(() =>
      createHeap({ provider: mock, policy: throwing('create', { name: 'x' }) as never }),
    );
    expect(error.message).toMatch(
      /^createHeap: option policy = an object \(Object\): its members could not be read: no create today/,
    );
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('names the creator a layer passes', () => {
    const error = refusal(() => new Heap({ provider: mock, policy: factory(() => null) }, 'mems_init'));
    expect(error.message).toMatch(/^mems_init: option policy = /);
  });
});
