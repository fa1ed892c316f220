import {
  createDefaultProvider,
  createMockProvider,
  describeValue,
  isMemsError,
  isPowerOfTwo,
  type Mapping,
  MemsError,
  type PageProvider,
  validateByteLength,
} from '@mems/os';
import { createMmapProvider, readByteAt, readInt32At, writeByteAt, writeInt32At } from '@mems/os/mmap';
import { mentionOf } from '@mems/reference-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadCase, badCase, itRefuses } from './harness.js';

/** Lengths that are never a valid `map` argument for a 4096-byte-page provider. */
const BAD_LENGTHS: readonly unknown[] = [
  0,
  -0,
  -4096,
  1,
  2048,
  4097,
  4096.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 33,
  2 ** 53,
  '4096',
  4096n,
  null,
  undefined,
  {},
  [4096],
  true,
  Symbol('length'),
  function length() {},
];

/** A provider with two live mappings full of bytes, a retired one, and a stranger's. */
function providerFixture(make: () => PageProvider) {
  const state = {} as { provider: PageProvider; live: Mapping[]; retired: Mapping; stranger: Mapping };
  beforeAll(() => {
    const provider = make();
    const live = [provider.map(4096), provider.map(8192)];
    for (const [k, m] of live.entries()) {
      const bytes = new Uint8Array(m.buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + k) & 255;
    }
    const retired = provider.map(4096);
    provider.unmap(retired);
    Object.assign(state, { provider, live, retired, stranger: make().map(4096) });
  });
  afterAll(() => {
    for (const m of state.live) if (m.live) state.provider.unmap(m);
  });
  const observe = () => {
    const p = state.provider as PageProvider & {
      mapCalls?: number;
      unmapCalls?: number;
      pendingFaults?: number;
    };
    return [
      `${p.mappedBytes} bytes in ${p.mappingCount} mappings; ${p.mapCalls} maps, ${p.unmapCalls} unmaps, ${p.pendingFaults} faults`,
      ...state.live.map((m) => `${m.address}: ${m.live} ${Buffer.from(m.buffer).toString('hex')}`),
    ].join('\n');
  };
  return { state, observe };
}

function providerCases(
  name: string,
  state: { provider: PageProvider; live: Mapping[]; retired: Mapping; stranger: Mapping },
): BadCase[] {
  const cases: BadCase[] = [];
  for (const length of BAD_LENGTHS)
    cases.push(
      badCase(`${name}.map`, 'EINVAL', [length], [length], () => state.provider.map(length as number)),
    );
  for (const target of [null, undefined, 5, 'mapping', true, 4096n])
    cases.push(
      badCase(`${name}.unmap`, 'EINVAL', [target], [target], () => state.provider.unmap(target as never)),
    );
  const hex = (m: Mapping) => `0x${m.address.toString(16)}`;
  const efault: [string, () => unknown, () => string][] = [
    ['{}', () => ({}), () => 'object'],
    [
      'a look-alike',
      () => ({ ...state.live[0]!, live: true, buffer: new ArrayBuffer(4096) }),
      () => hex(state.live[0]!),
    ],
    ['Object.create(mapping)', () => Object.create(state.live[0]!), () => hex(state.live[0]!)],
    ['an unmapped mapping (double unmap)', () => state.retired, () => hex(state.retired)],
    ["another provider's mapping", () => state.stranger, () => hex(state.stranger)],
  ];
  for (const [label, target, mention] of efault) {
    const c = badCase(
      `${name}.unmap`,
      'EFAULT',
      [],
      [],
      () => state.provider.unmap(target() as Mapping),
      label,
    );
    c.title = `${name}.unmap(${label})`;
    Object.defineProperty(c, 'mentions', { get: () => [mention()] });
    cases.push(c);
  }
  return cases;
}

describe('@mems/os refuses bad input and changes nothing', () => {
  describe('createMockProvider options', () => {
    const cases: BadCase[] = [];
    for (const options of [5, 'mock', true, null, () => ({})])
      cases.push(
        badCase('createMockProvider', 'EINVAL', [options], [options], () =>
          createMockProvider(options as never),
        ),
      );
    const bad: [string, unknown][] = [
      ['name', ''],
      ['name', 5],
      ['pageSize', 3],
      ['pageSize', 0],
      ['pageSize', 2 ** 31],
      ['pageSize', 1.5],
      ['pageSize', Number.NaN],
      ['pageSize', '4096'],
      ['maxBytes', -1],
      ['maxBytes', 1.5],
      ['maxBytes', Number.NaN],
      ['maxBytes', Number.NEGATIVE_INFINITY],
      ['maxBytes', '1'],
      ['maxMappingBytes', 0],
      ['maxMappingBytes', 100],
      ['maxMappingBytes', 4096.5],
      ['maxMappingBytes', Number.POSITIVE_INFINITY],
      ['addressOrder', 'up'],
      ['shortBuffer', 'yes'],
      ['failMapAt', 5],
      ['failUnmapAt', 'x'],
    ];
    for (const [key, value] of bad) {
      const c = badCase(
        'createMockProvider',
        'EINVAL',
        [{ [key]: value }],
        [value],
        () => createMockProvider({ [key]: value }),
        key,
      );
      c.mentions.push(key);
      cases.push(c);
    }
    itRefuses(cases, () => '');
  });

  describe('mock provider', () => {
    const { state, observe } = providerFixture(() => createMockProvider());
    itRefuses(providerCases('mock', state), observe);
    const faults: [unknown, unknown][] = [
      [null, null],
      [5, 5],
      ['map', 'map'],
      [{}, 'undefined'],
      [{ op: 'read' }, 'read'],
      [{ op: 'map', nth: 0 }, 0],
      [{ op: 'map', nth: -1 }, -1],
      [{ op: 'map', nth: 1.5 }, 1.5],
      [{ op: 'map', nth: '1' }, '1'],
      [{ op: 'map', kind: 'explode' }, 'explode'],
      [{ op: 'unmap', kind: 'short-buffer' }, 'short-buffer'],
      [{ op: 'map', code: 'EPERM' }, 'EPERM'],
      [{ op: 'map', kind: 'short-buffer', shortBy: 0 }, 0],
      [{ op: 'map', kind: 'short-buffer', shortBy: 1.5 }, 1.5],
    ];
    itRefuses(
      faults.map(([fault, offending]) => {
        const c = badCase('mock.injectFault', 'EINVAL', [fault], [], () =>
          (state.provider as ReturnType<typeof createMockProvider>).injectFault(fault as never),
        );
        c.mentions = [
          offending === 'undefined' ? 'undefined' : mentionOf(offending).replace(/^"(.*)"$/, '$1'),
        ];
        return c;
      }),
      observe,
    );
  });

  describe('createMmapProvider options', () => {
    const cases: BadCase[] = [];
    for (const options of [5, 'mmap', null])
      cases.push(
        badCase('createMmapProvider', 'EINVAL', [options], [options], () =>
          createMmapProvider(options as never),
        ),
      );
    for (const [key, value] of [
      ['name', ''],
      ['name', 5],
      ['maxMappingBytes', 0],
      ['maxMappingBytes', 100],
      ['maxMappingBytes', 2 ** 33],
      ['maxMappingBytes', 4096.5],
      ['maxMappingBytes', Number.NaN],
      ['maxMappingBytes', '4096'],
    ] as [string, unknown][]) {
      const c = badCase(
        'createMmapProvider',
        'EINVAL',
        [{ [key]: value }],
        [value],
        () => createMmapProvider({ [key]: value }),
        key,
      );
      c.mentions.push(key);
      cases.push(c);
    }
    itRefuses(cases, () => '');
  });

  describe('mmap provider and raw memory', () => {
    const { state, observe } = providerFixture(() => createMmapProvider());
    itRefuses(providerCases('mmap', state), observe);
    itRefuses(
      [
        badCase(
          'mmap.unmap',
          'EFAULT',
          [],
          [],
          () => state.provider.unmap(createMockProvider().map(4096)),
          "a mock's mapping",
        ),
      ],
      observe,
    );
    const address = () => state.live[0]!.address + 8n;
    const BAD_RAW_ADDRESSES: readonly unknown[] = [
      0n,
      -1n,
      2n ** 64n,
      4096,
      '4096',
      null,
      undefined,
      Number.NaN,
      {},
    ];
    const cases: BadCase[] = [];
    for (const a of BAD_RAW_ADDRESSES) {
      cases.push(badCase('readByteAt', 'EINVAL', [a], [a], () => readByteAt(a as bigint)));
      cases.push(badCase('readInt32At', 'EINVAL', [a], [a], () => readInt32At(a as bigint)));
      cases.push(badCase('writeByteAt', 'EINVAL', [a, 1], [a], () => writeByteAt(a as bigint, 1)));
      cases.push(badCase('writeInt32At', 'EINVAL', [a, 1], [a], () => writeInt32At(a as bigint, 1)));
    }
    for (const v of [256, -1, 1.5, Number.NaN, '1', null, undefined, 1n])
      cases.push(
        badCase('writeByteAt', 'EINVAL', ['live address', v], [v], () => writeByteAt(address(), v as number)),
      );
    for (const v of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN, '1', 1n])
      cases.push(
        badCase('writeInt32At', 'EINVAL', ['live address', v], [v], () =>
          writeInt32At(address(), v as number),
        ),
      );
    itRefuses(cases, observe);
  });

  describe('validateByteLength', () => {
    itRefuses(
      BAD_LENGTHS.map((v) =>
        badCase('probe', 'EINVAL', [v], [v], () => validateByteLength('probe', v, 4096, 2 ** 32)),
      ),
      () => '',
    );
  });

  describe('total functions never throw', () => {
    const revokedProxy = (target: object = {}): object => {
      const { proxy, revoke } = Proxy.revocable(target, {});
      revoke();
      return proxy;
    };
    const JUNK: readonly unknown[] = [
      undefined,
      null,
      Number.NaN,
      -0,
      Number.NEGATIVE_INFINITY,
      '',
      'x'.repeat(100),
      4n,
      Symbol('s'),
      {},
      [],
      () => 0,
      Object.create(null),
      new Error('x'),
      revokedProxy(),
      revokedProxy(new MemsError('EINVAL', 'x')),
      new Proxy(new MemsError('EINVAL', 'x'), {
        getPrototypeOf() {
          throw new Error('trap');
        },
      }),
      Object.defineProperty(new MemsError('EINVAL', 'x'), 'code', {
        get() {
          throw new Error('getter');
        },
      }),
    ];
    it('isPowerOfTwo is false for everything that is not a power of two', () => {
      for (const v of [...JUNK, 0, 3, 6, 1.5, -4, '4', 4n, 2 ** 53 + 2])
        expect(isPowerOfTwo(v), describeValue(v)).toBe(false);
    });
    it('isMemsError is false for look-alikes', () => {
      const fake = Object.assign(new Error('x'), { name: 'MemsError', code: 'EBOGUS' });
      for (const v of [...JUNK, { name: 'MemsError', code: 'EINVAL' }, fake])
        expect(isMemsError(v)).toBe(false);
      expect(isMemsError(new MemsError('EINVAL', 'x'), 'EFAULT')).toBe(false);
    });
    it('describeValue describes anything in a short string', () => {
      for (const v of JUNK) expect(describeValue(v).length).toBeLessThan(60);
    });
    it('createDefaultProvider takes no arguments and never throws', () => {
      expect(() => createDefaultProvider()).not.toThrow();
    });
  });
});
