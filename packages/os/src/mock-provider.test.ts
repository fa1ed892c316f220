import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMemsError, type MemsErrorCode } from './errors.js';
import { createMockProvider, type MockFault, type MockPageProvider } from './mock-provider.js';
import type { Mapping } from './page-provider.js';
import { describeProviderContract, expectMemsError } from './testing.js';

describeProviderContract('mock (defaults)', () => createMockProvider());
describeProviderContract('mock (64-byte pages, descending addresses)', () =>
  createMockProvider({ pageSize: 64, addressOrder: 'descending', name: 'mock-64' }),
);
describeProviderContract('mock (16 KiB pages like Apple silicon, byte pages limit)', () =>
  createMockProvider({ pageSize: 16384, maxBytes: 64 * 16384 * 24 }),
);
describeProviderContract('mock (1-byte pages)', () => createMockProvider({ pageSize: 1 }), { maxPages: 64 });

function state(provider: MockPageProvider) {
  return {
    mappedBytes: provider.mappedBytes,
    mappingCount: provider.mappingCount,
    mapCalls: provider.mapCalls,
    unmapCalls: provider.unmapCalls,
  };
}

describe('createMockProvider options', () => {
  it('uses 4096-byte pages, the name "mock", no byte limit and a 4 GiB mapping limit by default', () => {
    const provider = createMockProvider();
    expect(provider.name).toBe('mock');
    expect(provider.pageSize).toBe(4096);
    expect(provider.maxBytes).toBe(Number.POSITIVE_INFINITY);
    expect(provider.maxMappingBytes).toBe(2 ** 32);
    expect(provider.pendingFaults).toBe(0);
  });

  it.each([
    [{ pageSize: 3 }, 'pageSize 3'],
    [{ pageSize: 0 }, 'pageSize 0'],
    [{ pageSize: -4096 }, 'pageSize -4096'],
    [{ pageSize: 4096.5 }, 'pageSize 4096.5'],
    [{ pageSize: 2 ** 31 }, 'pageSize 2147483648'],
    [{ pageSize: '4096' }, 'pageSize "4096"'],
    [{ maxBytes: -1 }, 'maxBytes -1'],
    [{ maxBytes: Number.NaN }, 'maxBytes NaN'],
    [{ maxBytes: 1.5 }, 'maxBytes 1.5'],
    [{ maxMappingBytes: 100 }, 'maxMappingBytes 100'],
    [{ name: '' }, 'name ""'],
    [{ name: 7 }, 'name 7'],
    [{ addressOrder: 'random' }, 'addressOrder "random"'],
    [{ shortBuffer: 'yes' }, 'shortBuffer "yes"'],
    [{ failMapAt: [0] }, 'failMapAt contains 0: call numbers are positive integers'],
    [{ failUnmapAt: [1.5] }, 'failUnmapAt contains 1.5: call numbers are positive integers'],
    [{ failMapAt: 3 }, 'failMapAt 3'],
  ])('rejects %o with EINVAL', (options, mention) => {
    const error = expectMemsError(() => createMockProvider(options as never), 'EINVAL');
    expect(error.message).toContain(mention);
  });

  it('rejects options that are not an object', () => {
    expectMemsError(() => createMockProvider(null as never), 'EINVAL');
    expectMemsError(() => createMockProvider(4096 as never), 'EINVAL');
  });

  it('names itself in mappings and error messages', () => {
    const provider = createMockProvider({ name: 'fake-os' });
    expect(provider.map(4096).provider).toBe('fake-os');
    expect(expectMemsError(() => provider.map(4097), 'EINVAL').message).toBe(
      'fake-os.map(4097): byteLength must be a positive multiple of the page size 4096',
    );
  });

  it('refuses mappings over maxMappingBytes with EINVAL', () => {
    const provider = createMockProvider({ maxMappingBytes: 8192 });
    provider.map(8192);
    expect(expectMemsError(() => provider.map(12288), 'EINVAL').message).toContain('mock.map(12288)');
  });
});

describe('mock addresses', () => {
  it('are deterministic, ascending from 0x10000000 with a one-page gap by default', () => {
    const addresses = (provider: MockPageProvider) => [4096, 8192, 4096].map((n) => provider.map(n).address);
    const first = addresses(createMockProvider());
    expect(first).toEqual([0x10000000n, 0x10002000n, 0x10005000n]);
    expect(addresses(createMockProvider())).toEqual(first);
  });

  it('descend from 0x7f0000000000 with addressOrder descending', () => {
    const provider = createMockProvider({ addressOrder: 'descending' });
    const a = provider.map(4096);
    const b = provider.map(8192);
    expect(a.address).toBe(0x7f0000000000n - 4096n);
    expect(b.address + 8192n + 4096n).toBe(a.address);
  });

  it('are never adjacent and never reused', () => {
    for (const addressOrder of ['ascending', 'descending'] as const) {
      const provider = createMockProvider({ pageSize: 256, addressOrder });
      const seen = new Set<bigint>();
      const live: Mapping[] = [];
      for (let i = 0; i < 50; i++) {
        const mapping = provider.map(((i % 5) + 1) * 256);
        expect(seen.has(mapping.address)).toBe(false);
        seen.add(mapping.address);
        live.push(mapping);
        if (i % 3 === 0) provider.unmap(live.shift()!);
      }
      const all = [...live].sort((x, y) => (x.address < y.address ? -1 : 1));
      for (let i = 1; i < all.length; i++) {
        expect(
          all[i]!.address - (all[i - 1]!.address + BigInt(all[i - 1]!.byteLength)),
        ).toBeGreaterThanOrEqual(256n);
      }
    }
  });

  it('are aligned to the page size, even to 1 GiB pages', () => {
    // An untouched ArrayBuffer is only reserved memory, so a 1 GiB mapping is cheap here.
    const provider = createMockProvider({ pageSize: 2 ** 30 });
    const mapping = provider.map(2 ** 30);
    expect(mapping.address % 2n ** 30n).toBe(0n);
    expect(mapping.address).toBeGreaterThanOrEqual(0x10000000n);
    provider.unmap(mapping);
  });
});

describe('mock maxBytes', () => {
  it('throws ENOMEM past the limit, changes nothing, and accepts again after an unmap', () => {
    const provider = createMockProvider({ maxBytes: 3 * 4096 });
    const a = provider.map(8192);
    provider.map(4096);
    const before = state(provider);
    const error = expectMemsError(() => provider.map(4096), 'ENOMEM');
    expect(error.message).toContain('mock.map(4096)');
    expect(error.message).toContain('maxBytes 12288');
    expect(state(provider)).toEqual(before);
    provider.unmap(a);
    expect(provider.map(8192).byteLength).toBe(8192);
    expect(provider.mappedBytes).toBe(3 * 4096);
  });

  it('with maxBytes 0 refuses every map', () => {
    const provider = createMockProvider({ maxBytes: 0 });
    expectMemsError(() => provider.map(4096), 'ENOMEM');
    expect(provider.mappedBytes).toBe(0);
  });

  it('checks the byteLength (EINVAL) before the limit (ENOMEM)', () => {
    const provider = createMockProvider({ maxBytes: 0 });
    expectMemsError(() => provider.map(100), 'EINVAL');
  });
});

describe('mock fault injection', () => {
  it('fails the nth map from now with ENOMEM and changes nothing', () => {
    const provider = createMockProvider();
    provider.map(4096);
    provider.injectFault({ op: 'map', nth: 3 });
    expect(provider.pendingFaults).toBe(1);
    const one = provider.map(4096);
    provider.map(4096);
    const before = state(provider);
    const error = expectMemsError(() => provider.map(8192), 'ENOMEM');
    expect(error.message).toBe('mock.map(8192): injected fault (ENOMEM)');
    expect(state(provider)).toEqual(before);
    expect(provider.pendingFaults).toBe(0);
    expect(provider.map(8192).live).toBe(true);
    expect(one.live).toBe(true);
  });

  it('does not move the fake address cursor on a failed map', () => {
    const faulty = createMockProvider();
    const clean = createMockProvider();
    faulty.injectFault({ op: 'map' });
    expectMemsError(() => faulty.map(4096), 'ENOMEM');
    expect(faulty.map(4096).address).toBe(clean.map(4096).address);
  });

  it('throws the requested code', () => {
    for (const code of ['EINVAL', 'EFAULT', 'ENOMEM', 'ESTATE'] as MemsErrorCode[]) {
      const provider = createMockProvider();
      provider.injectFault({ op: 'map', code });
      expectMemsError(() => provider.map(4096), code);
    }
  });

  it('counts only calls whose argument is valid', () => {
    const provider = createMockProvider();
    provider.injectFault({ op: 'map', nth: 2 });
    provider.map(4096);
    expectMemsError(() => provider.map(0), 'EINVAL');
    expectMemsError(() => provider.map(4097), 'EINVAL');
    expectMemsError(() => provider.map(4096), 'ENOMEM');
  });

  it('fails the nth unmap and leaves the mapping live and accounted', () => {
    const provider = createMockProvider();
    const a = provider.map(4096);
    const b = provider.map(4096);
    new Uint8Array(b.buffer)[10] = 99;
    provider.injectFault({ op: 'unmap', nth: 2 });
    provider.unmap(a);
    const before = state(provider);
    expectMemsError(() => provider.unmap(a), 'EFAULT'); // an invalid call does not count
    expect(expectMemsError(() => provider.unmap(b), 'ENOMEM').message).toBe(
      'mock.unmap(0x10002000 (4096 bytes)): injected fault (ENOMEM)',
    );
    expect(state(provider)).toEqual(before);
    expect(b.live).toBe(true);
    expect(new Uint8Array(b.buffer)[10]).toBe(99);
    provider.unmap(b);
    expect(provider.mappingCount).toBe(0);
  });

  it('arms faults from the failMapAt and failUnmapAt options, counted from creation', () => {
    const provider = createMockProvider({ failMapAt: [2, 4], failUnmapAt: [1] });
    expect(provider.pendingFaults).toBe(3);
    const outcomes = [1, 2, 3, 4, 5].map((i) => {
      try {
        return provider.map(4096 * i).byteLength;
      } catch (error) {
        return isMemsError(error, 'ENOMEM') ? 'ENOMEM' : error;
      }
    });
    expect(outcomes).toEqual([4096, 'ENOMEM', 12288, 'ENOMEM', 20480]);
    expect(provider.mapCalls).toBe(3);
    expect(provider.mappingCount).toBe(3);
  });

  it('fires several faults armed for the same call once, and clearFaults disarms the rest', () => {
    const provider = createMockProvider();
    provider.injectFault({ op: 'map', nth: 1 });
    provider.injectFault({ op: 'map', nth: 1, code: 'ESTATE' });
    provider.injectFault({ op: 'map', nth: 3 });
    provider.injectFault({ op: 'unmap', nth: 1 });
    expectMemsError(() => provider.map(4096), 'ENOMEM');
    expect(provider.pendingFaults).toBe(2);
    provider.clearFaults();
    expect(provider.pendingFaults).toBe(0);
    const mapping = provider.map(4096);
    provider.map(4096);
    provider.map(4096);
    provider.unmap(mapping);
    expect(provider.mappingCount).toBe(2);
  });

  it('can return a buffer shorter than the mapping (short-buffer)', () => {
    const provider = createMockProvider();
    provider.injectFault({ op: 'map', kind: 'short-buffer' });
    provider.injectFault({ op: 'map', nth: 2, kind: 'short-buffer', shortBy: 1 });
    provider.injectFault({ op: 'map', nth: 3, kind: 'short-buffer', shortBy: 1 << 20 });
    const a = provider.map(8192);
    const b = provider.map(8192);
    const c = provider.map(8192);
    const d = provider.map(8192);
    expect([a, b, c, d].map((m) => m.byteLength)).toEqual([8192, 8192, 8192, 8192]);
    expect([a, b, c, d].map((m) => m.buffer.byteLength)).toEqual([4096, 8191, 0, 8192]);
    expect(provider.mappedBytes).toBe(4 * 8192);
    provider.unmap(a);
    expect(provider.mappedBytes).toBe(3 * 8192);
  });

  it('makes every buffer one page short with shortBuffer: true', () => {
    const provider = createMockProvider({ shortBuffer: true, pageSize: 1024 });
    expect(provider.map(4096).buffer.byteLength).toBe(3072);
    expect(provider.map(1024).buffer.byteLength).toBe(0);
  });

  it.each<[unknown, string]>([
    [null, 'fault must be an object'],
    [{ op: 'mmap' }, 'op "mmap"'],
    [{ op: 'map', nth: 0 }, 'nth 0'],
    [{ op: 'map', nth: -1 }, 'nth -1'],
    [{ op: 'map', nth: 1.5 }, 'nth 1.5'],
    [{ op: 'map', nth: '2' }, 'nth "2"'],
    [{ op: 'map', kind: 'crash' }, 'kind "crash"'],
    [{ op: 'unmap', kind: 'short-buffer' }, 'applies to map only'],
    [{ op: 'map', code: 'EIO' }, 'code "EIO"'],
    [{ op: 'map', kind: 'short-buffer', shortBy: 0 }, 'shortBy 0'],
  ])('injectFault(%o) throws EINVAL and arms nothing', (fault, mention) => {
    const provider = createMockProvider();
    const error = expectMemsError(() => provider.injectFault(fault as MockFault), 'EINVAL');
    expect(error.message).toContain('mock.injectFault(');
    expect(error.message).toContain(mention);
    expect(provider.pendingFaults).toBe(0);
  });
});

describe('mock unmap', () => {
  it('detaches the buffer, so stale views read as empty instead of reaching freed memory', () => {
    const provider = createMockProvider();
    const mapping = provider.map(4096);
    const stale = new Uint8Array(mapping.buffer);
    stale[0] = 1;
    const buffer = mapping.buffer;
    provider.unmap(mapping);
    expect(buffer.byteLength).toBe(0);
    expect(stale.length).toBe(0);
    expect(stale[0]).toBeUndefined();
  });

  it('counts successful calls only', () => {
    const provider = createMockProvider();
    const mapping = provider.map(4096);
    expectMemsError(() => provider.map(1), 'EINVAL');
    provider.unmap(mapping);
    expectMemsError(() => provider.unmap(mapping), 'EFAULT');
    expect([provider.mapCalls, provider.unmapCalls]).toEqual([1, 1]);
  });

  it('refuses a mapping of another mock provider with EFAULT, naming it', () => {
    const a = createMockProvider();
    const b = createMockProvider();
    const theirs = b.map(4096);
    expect(expectMemsError(() => a.unmap(theirs), 'EFAULT').message).toBe(
      'mock.unmap(0x10000000 (4096 bytes)): not a mapping made by this provider',
    );
  });
});

describe('mock provider against a model (property)', () => {
  type Op = { kind: 'map'; pages: number } | { kind: 'unmap'; pick: number } | { kind: 'fault'; nth: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('map' as const), pages: fc.integer({ min: -1, max: 6 }) }),
    fc.record({ kind: fc.constant('unmap' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('fault' as const), nth: fc.integer({ min: 1, max: 3 }) }),
  );

  it('keeps accounting, limits and non-overlap exact under any sequence of calls', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 24 }), (ops, limitPages) => {
        const pageSize = 128;
        const provider = createMockProvider({ pageSize, maxBytes: limitPages * pageSize });
        const live: Mapping[] = [];
        const unmapped: Mapping[] = [];
        let faultsIn: number[] = [];
        for (const step of ops) {
          if (step.kind === 'fault') {
            provider.injectFault({ op: 'map', nth: step.nth });
            faultsIn.push(step.nth);
            continue;
          }
          const before = state(provider);
          if (step.kind === 'map') {
            const byteLength = step.pages * pageSize;
            const valid = step.pages > 0;
            const fires = valid && faultsIn.some((n) => n === 1);
            if (valid) faultsIn = faultsIn.map((n) => n - 1).filter((n) => n > 0);
            const fits = before.mappedBytes + byteLength <= limitPages * pageSize;
            try {
              const mapping = provider.map(byteLength);
              expect(valid && !fires && fits).toBe(true);
              expect(mapping.buffer.byteLength).toBe(byteLength);
              live.push(mapping);
            } catch (error) {
              const expected = !valid ? 'EINVAL' : 'ENOMEM';
              expect(isMemsError(error, expected)).toBe(true);
              expect(state(provider)).toEqual(before);
            }
          } else if (live.length > 0 && step.pick % 3 !== 0) {
            const [mapping] = live.splice(step.pick % live.length, 1);
            provider.unmap(mapping!);
            unmapped.push(mapping!);
          } else if (unmapped.length > 0) {
            expectMemsError(() => provider.unmap(unmapped[step.pick % unmapped.length]!), 'EFAULT');
            expect(state(provider)).toEqual(before);
          }
          expect(provider.mappingCount).toBe(live.length);
          expect(provider.mappedBytes).toBe(live.reduce((sum, m) => sum + m.byteLength, 0));
          expect(provider.mappedBytes).toBeLessThanOrEqual(limitPages * pageSize);
          const sorted = [...live].sort((x, y) => (x.address < y.address ? -1 : 1));
          for (let i = 1; i < sorted.length; i++) {
            expect(sorted[i - 1]!.address + BigInt(sorted[i - 1]!.byteLength) < sorted[i]!.address).toBe(
              true,
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
