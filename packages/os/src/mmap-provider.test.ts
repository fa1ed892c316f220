import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('is named mmap, promises zero-filled pages, uses the OS page size and allows mappings up to 4 GiB', () => {
    const provider = createMmapProvider();
    expect(provider.name).toBe('mmap');
    expect(provider.zeroed).toBe(true);
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

/** The process's kernel mappings: the address ranges of /proc/self/maps, in address order. */
function kernelMappings(): Array<[bigint, bigint]> {
  return readFileSync('/proc/self/maps', 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [start, end] = line.split(' ')[0]!.split('-');
      return [BigInt(`0x${start}`), BigInt(`0x${end}`)] as [bigint, bigint];
    });
}

/** How many distinct kernel mappings hold the given addresses. */
function kernelMappingsHolding(addresses: readonly bigint[]): number {
  const ranges = kernelMappings();
  const holding = new Set<number>();
  for (const address of addresses) {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ranges[mid]![0] <= address) lo = mid;
      else hi = mid - 1;
    }
    if (ranges[lo]![0] <= address && address < ranges[lo]![1]) holding.add(lo);
  }
  return holding.size;
}

/** Resident KiB of the kernel mapping that holds `address` (from /proc/self/smaps). */
function residentKiBAt(address: bigint): number {
  let inside = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range !== null) inside = BigInt(`0x${range[1]}`) <= address && address < BigInt(`0x${range[2]}`);
    else if (inside && line.startsWith('Rss:')) return Number(/\d+/.exec(line)![0]);
  }
  throw new Error(`no mapping holds 0x${address.toString(16)}`);
}

describe.runIf(process.platform === 'linux')(
  'mmap provider on Linux: kernel mappings and resident memory',
  () => {
    it('keeps /proc/self/maps bounded: 20,000 one-page mappings, every other one unmapped', () => {
      const provider = createMmapProvider();
      const before = kernelMappings().length;
      const mappings: Mapping[] = [];
      for (let i = 0; i < 20_000; i++) mappings.push(provider.map(provider.pageSize));
      for (let i = 0; i < mappings.length; i += 2) provider.unmap(mappings[i]!);
      const regions = provider.regionCount;
      expect(regions).toBe(Math.ceil((20_000 * provider.pageSize) / provider.regionBytes));
      // Each unmap used to split a kernel mapping: the 10,000 live pages sat in 10,000 kernel
      // mappings. Now every page, live or returned, is in its region's read-write part.
      const addresses = mappings.map((mapping) => mapping.address);
      expect(kernelMappingsHolding(addresses)).toBeLessThanOrEqual(regions);
      // The whole process: two lines per region at most, plus the pages V8 maps for its own heap.
      expect(kernelMappings().length - before).toBeLessThanOrEqual(2 * regions + 256);
      for (let i = 1; i < mappings.length; i += 2) provider.unmap(mappings[i]!);
      expect([provider.regionCount, provider.reservedBytes, provider.mappedBytes]).toEqual([0, 0, 0]);
    });

    it('gives an unmapped page’s memory back to the OS (resident set) and hands it out again zero-filled', () => {
      const provider = createMmapProvider();
      const pages = 1024;
      const mappings: Mapping[] = [];
      for (let i = 0; i < pages; i++) {
        const mapping = provider.map(provider.pageSize);
        new Uint8Array(mapping.buffer).fill(0xc3);
        mappings.push(mapping);
      }
      const first = mappings[0]!.address;
      const pageKiB = provider.pageSize / 1024;
      expect(residentKiBAt(first)).toBeGreaterThanOrEqual(pages * pageKiB);
      for (let i = 1; i < pages; i += 2) provider.unmap(mappings[i]!);
      const resident = residentKiBAt(first);
      expect(resident).toBeGreaterThanOrEqual((pages / 2) * pageKiB);
      expect(resident).toBeLessThan((pages / 2 + 64) * pageKiB);
      const reused = provider.map(provider.pageSize);
      expect(reused.address).toBe(mappings[1]!.address);
      expect(new Uint8Array(reused.buffer).every((byte) => byte === 0)).toBe(true);
      provider.unmap(reused);
      for (let i = 0; i < pages; i += 2) provider.unmap(mappings[i]!);
      expect(provider.regionCount).toBe(0);
    });

    it('reserves 64 MiB regions, and a mapping longer than a region on its own', () => {
      const provider = createMmapProvider();
      expect(provider.regionBytes).toBe(2 ** 26);
      const small = provider.map(provider.pageSize);
      const big = provider.map(2 ** 26 + provider.pageSize);
      expect([provider.regionCount, provider.reservedBytes]).toEqual([2, 2 ** 27 + provider.pageSize]);
      provider.unmap(big);
      provider.unmap(small);
      expect(provider.regionCount).toBe(0);
    });
  },
);

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
