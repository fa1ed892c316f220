import { execFileSync } from 'node:child_process';
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createMmapProvider } from './mmap-provider.js';
import { createMockProvider } from './mock-provider.js';
import type { Mapping } from './page-provider.js';
import { readByteAt, readInt32At, writeByteAt, writeInt32At } from './raw-memory.js';
import { describeProviderContract, expectMemsError } from './testing.js';

const supported = ['linux', 'darwin', 'win32'].includes(process.platform);

describe.runIf(supported)('mmap provider', () => {
  describeProviderContract('mmap', () => createMmapProvider(), { readRawByte: readByteAt });
  describeProviderContract('mmap (maxMappingBytes 64 KiB, named)', () =>
    createMmapProvider({ name: 'mmap-small', maxMappingBytes: 65536 }),
  );

  it('is named mmap, uses the OS page size and allows mappings up to 4 GiB', () => {
    const provider = createMmapProvider();
    expect(provider.name).toBe('mmap');
    expect(provider.api).toBe(process.platform === 'win32' ? 'VirtualAlloc' : 'mmap');
    expect(provider.maxMappingBytes).toBe(2 ** 32);
    if (process.platform !== 'win32') {
      expect(provider.pageSize).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
    }
  });

  it.each<[object, string]>([
    [{ name: '' }, 'name ""'],
    [{ name: 42 }, 'name 42'],
    [{ maxMappingBytes: 2 ** 32 + 4096 }, 'maxMappingBytes 4294971392'],
    [{ maxMappingBytes: 1 }, 'maxMappingBytes 1'],
    [{ maxMappingBytes: 8192.5 }, 'maxMappingBytes 8192.5'],
    [{ maxMappingBytes: Number.NaN }, 'maxMappingBytes NaN'],
  ])('rejects the option %o with EINVAL', (options, mention) => {
    expect(expectMemsError(() => createMmapProvider(options as never), 'EINVAL').message).toContain(mention);
  });

  it('refuses a mapping over 4 GiB with EINVAL before calling the OS (a larger view would abort)', () => {
    const provider = createMmapProvider();
    for (const byteLength of [2 ** 32 + provider.pageSize, 2 ** 40, 2 ** 52]) {
      const error = expectMemsError(() => provider.map(byteLength), 'EINVAL');
      expect(error.message).toBe(
        `mmap.map(${byteLength}): byteLength is larger than the largest mapping this provider accepts (4294967296 bytes)`,
      );
    }
    expect(provider.mappingCount).toBe(0);
  });

  it('maps exactly 4 GiB (or refuses with ENOMEM) without aborting', () => {
    const provider = createMmapProvider();
    let mapping: Mapping;
    try {
      mapping = provider.map(2 ** 32);
    } catch (error) {
      expectMemsError(() => {
        throw error;
      }, 'ENOMEM');
      return;
    }
    const bytes = new Uint8Array(mapping.buffer);
    expect(bytes.length).toBe(2 ** 32);
    bytes[2 ** 32 - 1] = 0x5a;
    expect(readByteAt(mapping.address + BigInt(2 ** 32 - 1))).toBe(0x5a);
    provider.unmap(mapping);
    expect(provider.mappedBytes).toBe(0);
  });

  it('names the value in EINVAL messages', () => {
    const provider = createMmapProvider();
    expect(expectMemsError(() => provider.map(provider.pageSize + 1), 'EINVAL').message).toBe(
      `mmap.map(${provider.pageSize + 1}): byteLength must be a positive multiple of the page size ${provider.pageSize}`,
    );
    expect(expectMemsError(() => provider.map('4096' as never), 'EINVAL').message).toContain(
      'mmap.map("4096")',
    );
  });

  it('refuses mock mappings with EFAULT, and the mock refuses mmap mappings', () => {
    const mmap = createMmapProvider();
    const mock = createMockProvider({ pageSize: mmap.pageSize });
    const real = mmap.map(mmap.pageSize);
    const fake = mock.map(mmap.pageSize);
    expect(expectMemsError(() => mmap.unmap(fake), 'EFAULT').message).toContain(
      'not a mapping made by this provider',
    );
    expectMemsError(() => mock.unmap(real), 'EFAULT');
    expect([mmap.mappingCount, mock.mappingCount]).toEqual([1, 1]);
    mmap.unmap(real);
    mock.unmap(fake);
  });

  it('returns pages to the OS: 2000 map/unmap cycles of 64 KiB leave nothing mapped', () => {
    const provider = createMmapProvider();
    for (let i = 0; i < 2000; i++) {
      const mapping = provider.map(65536);
      new Uint8Array(mapping.buffer)[i % 65536] = 1;
      provider.unmap(mapping);
    }
    expect(provider.mappedBytes).toBe(0);
    expect(provider.mappingCount).toBe(0);
  });
});

describe.runIf(supported)('raw memory access', () => {
  it('reads and writes bytes and native-endian int32s at the addresses of mapping.buffer', () => {
    const provider = createMmapProvider();
    const mapping = provider.map(provider.pageSize);
    const view = new DataView(mapping.buffer);
    const little = endianness() === 'LE';

    writeByteAt(mapping.address + 3n, 0xfe);
    expect(view.getUint8(3)).toBe(0xfe);
    view.setUint8(4, 17);
    expect(readByteAt(mapping.address + 4n)).toBe(17);

    writeInt32At(mapping.address + 8n, -123456789);
    expect(view.getInt32(8, little)).toBe(-123456789);
    view.setInt32(13, 2 ** 31 - 1, little); // unaligned
    expect(readInt32At(mapping.address + 13n)).toBe(2 ** 31 - 1);
    writeInt32At(mapping.address + 20n, -(2 ** 31));
    expect(readInt32At(mapping.address + 20n)).toBe(-(2 ** 31));

    provider.unmap(mapping);
  });

  it.each<[string, () => unknown, string]>([
    ['readByteAt(0n)', () => readByteAt(0n), 'readByteAt(0n)'],
    ['readByteAt(-1n)', () => readByteAt(-1n), 'readByteAt(-1n)'],
    ['readByteAt(2n ** 64n)', () => readByteAt(2n ** 64n), 'readByteAt(18446744073709551616n)'],
    ['readByteAt(4096)', () => readByteAt(4096 as never), 'readByteAt(4096)'],
    ['readInt32At(null)', () => readInt32At(null as never), 'readInt32At(null)'],
    ['writeByteAt(0n, 1)', () => writeByteAt(0n, 1), 'writeByteAt(0n)'],
    ['writeByteAt(addr, 256)', () => writeByteAt(0x1000n, 256), 'writeByteAt(0x1000n, 256)'],
    ['writeByteAt(addr, -1)', () => writeByteAt(0x1000n, -1), 'writeByteAt(0x1000n, -1)'],
    ['writeByteAt(addr, 1.5)', () => writeByteAt(0x1000n, 1.5), 'writeByteAt(0x1000n, 1.5)'],
    [
      'writeInt32At(addr, 2 ** 31)',
      () => writeInt32At(0x1000n, 2 ** 31),
      'writeInt32At(0x1000n, 2147483648)',
    ],
    ['writeInt32At(addr, "1")', () => writeInt32At(0x1000n, '1' as never), 'writeInt32At(0x1000n, "1")'],
  ])('%s throws EINVAL before touching memory', (_label, call, mention) => {
    expect(expectMemsError(call, 'EINVAL').message).toContain(mention);
  });
});
