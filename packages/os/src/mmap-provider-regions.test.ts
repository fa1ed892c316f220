import { describe, expect, it } from 'vitest';
import { createNativePageProvider, type MmapPageProvider } from './mmap-provider.js';
import { bindNativePages } from './native-pages.js';
import type { Mapping } from './page-provider.js';
import { FakeOs, type FakePlatform } from './test-support/fake-koffi.js';
import { describeProviderContract, expectMemsError } from './testing.js';

// The mmap provider's regions over each platform's page calls, bound to a fake koffi: the
// contract suite, bounded kernel mappings, reuse of returned ranges and failed calls that
// change nothing. The Linux branch also runs for real in mmap-provider.test.ts.

const PLATFORMS: readonly FakePlatform[] = ['linux', 'darwin', 'win32'];
const PAGE = 4096;

function providerOver(os: FakeOs, regionPages = 8): MmapPageProvider {
  return createNativePageProvider(bindNativePages(os.koffi, os.platform), {
    regionBytes: regionPages * PAGE,
  });
}

for (const platform of PLATFORMS) {
  const os = new FakeOs(platform);
  describeProviderContract(`mmap over a fake ${platform} (8-page regions)`, () => providerOver(os), {
    readRawByte: os.readByte,
  });
  describeProviderContract(`mmap over a fake ${platform} (64 MiB regions)`, () =>
    createNativePageProvider(bindNativePages(os.koffi, platform)),
  );

  describe(`mmap provider regions over a fake ${platform}`, () => {
    it('keeps the kernel mappings bounded by the regions, not by maps and unmaps', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 64);
      const mappings: Mapping[] = [];
      for (let i = 0; i < 2000; i++) mappings.push(provider.map(PAGE));
      for (let i = 0; i < mappings.length; i += 2) provider.unmap(mappings[i]!);
      expect(provider.regionCount).toBe(Math.ceil(2000 / 64));
      expect(fake.reservationCount).toBe(provider.regionCount);
      // Without regions every other unmap would split a mapping: about 1000 of them. (Windows
      // keeps one VAD per reservation whatever is committed; there the reservations count.)
      if (platform !== 'win32') expect(fake.kernelMappings).toBeLessThanOrEqual(2 * provider.regionCount);
      for (let i = 1; i < mappings.length; i += 2) provider.unmap(mappings[i]!);
      expect([provider.regionCount, provider.reservedBytes, fake.reservationCount]).toEqual([0, 0, 0]);
    });

    it('reuses a returned range (lowest first) with zero-filled pages, and releases a region with its last mapping', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 8);
      const [a, b, c] = [provider.map(2 * PAGE), provider.map(PAGE), provider.map(PAGE)];
      expect([b!.address - a!.address, c!.address - a!.address]).toEqual([2n * 4096n, 3n * 4096n]);
      for (const m of [a!, b!, c!]) new Uint8Array(m.buffer).fill(0xee);
      provider.unmap(a!);
      const again = provider.map(PAGE);
      expect(again.address).toBe(a!.address);
      expect(new Uint8Array(again.buffer).every((byte) => byte === 0)).toBe(true);
      if (platform === 'win32') expect(() => fake.readByte(a!.address + 4096n)).toThrow('not committed');
      else expect(fake.readByte(a!.address + 4096n)).toBe(0);
      expect(fake.readByte(b!.address)).toBe(0xee);
      expect(provider.regionCount).toBe(1);
      for (const m of [again, b!, c!]) provider.unmap(m);
      expect(fake.reservationCount).toBe(0);
      expect(fake.callsOf(platform === 'win32' ? 'VirtualFree' : 'munmap').at(-1)!.args[0]).toBe(a!.address);
    });

    it('gives a mapping longer than a region its own reservation, released by its unmap', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 8);
      const small = provider.map(PAGE);
      const big = provider.map(9 * PAGE);
      expect([provider.regionCount, provider.reservedBytes]).toEqual([2, 17 * PAGE]);
      provider.unmap(big);
      expect([provider.regionCount, fake.reservationCount]).toEqual([1, 1]);
      provider.unmap(small);
      expect(fake.reservationCount).toBe(0);
    });

    it('changes nothing when reserving, committing or viewing fails', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 8);
      const keep = provider.map(PAGE);
      const state = () => [
        provider.mappedBytes,
        provider.mappingCount,
        provider.regionCount,
        fake.reservationCount,
      ];
      const before = state();
      const reserveCall = platform === 'win32' ? 'VirtualAlloc' : 'mmap';
      const commitCall = platform === 'win32' ? 'VirtualAlloc' : 'mprotect';
      fake.failNext(reserveCall, 12);
      expectMemsError(() => provider.map(9 * PAGE), 'ENOMEM'); // a dedicated reservation
      expect(state()).toEqual(before);
      // Committing in the existing region fails.
      fake.failNext(commitCall, 12);
      expectMemsError(() => provider.map(PAGE), 'ENOMEM');
      expect(state()).toEqual(before);
      // Committing in a fresh reservation fails: the reservation goes back.
      const other = provider.map(7 * PAGE); // fills the region
      const full = state();
      fake.failNext(commitCall, 12);
      expectMemsError(() => provider.map(PAGE), 'ENOMEM');
      expect(state()).toEqual(full);
      fake.viewFailures = 1;
      expect(expectMemsError(() => provider.map(PAGE), 'ENOMEM').message).toContain(
        'cannot view the mapped memory: fake koffi: view failed',
      );
      expect(state()).toEqual(full);
      provider.unmap(other);
      fake.viewFailures = 1;
      expectMemsError(() => provider.map(PAGE), 'ENOMEM');
      expect(state()).toEqual(before);
      expect(keep.live).toBe(true);
      // The range whose view failed is handed out again, zero-filled.
      const next = provider.map(PAGE);
      expect(next.address).toBe(keep.address + 4096n);
      provider.unmap(next);
      provider.unmap(keep);
      expect(fake.reservationCount).toBe(0);
    });

    it('turns a koffi fault in a page call into ENOMEM and changes nothing', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 8);
      const keep = provider.map(PAGE);
      const other = provider.map(PAGE);
      const before = [
        provider.mappedBytes,
        provider.mappingCount,
        provider.regionCount,
        fake.reservationCount,
      ];
      const commitCall = platform === 'win32' ? 'VirtualAlloc' : 'mprotect';
      const discardCall = platform === 'linux' ? 'madvise' : platform === 'darwin' ? 'mmap' : 'VirtualFree';
      fake.throwNext(commitCall);
      expect(expectMemsError(() => provider.map(PAGE), 'ENOMEM').message).toContain(
        'the page call failed: fake koffi',
      );
      fake.throwNext(discardCall);
      expectMemsError(() => provider.unmap(other), 'ENOMEM');
      expect([
        provider.mappedBytes,
        provider.mappingCount,
        provider.regionCount,
        fake.reservationCount,
      ]).toEqual(before);
      expect(other.live).toBe(true);
      provider.unmap(other);
      provider.unmap(keep);
      expect(fake.reservationCount).toBe(0);
    });

    it('changes nothing when discarding or releasing pages fails, and a retry succeeds', () => {
      const fake = new FakeOs(platform);
      const provider = providerOver(fake, 8);
      const a = provider.map(PAGE);
      const b = provider.map(PAGE);
      new Uint8Array(a.buffer).fill(3);
      const discardCall = platform === 'linux' ? 'madvise' : platform === 'darwin' ? 'mmap' : 'VirtualFree';
      const releaseCall = platform === 'win32' ? 'VirtualFree' : 'munmap';
      const einval = platform === 'win32' ? 87 : 22;
      fake.failNext(discardCall, einval);
      expectMemsError(() => provider.unmap(a), 'EINVAL');
      expect([a.live, provider.mappingCount, provider.mappedBytes]).toEqual([true, 2, 2 * PAGE]);
      expect(new Uint8Array(a.buffer)[0]).toBe(3);
      provider.unmap(a);
      fake.failNext(releaseCall, einval);
      expectMemsError(() => provider.unmap(b), 'EINVAL');
      expect([b.live, provider.mappingCount, provider.regionCount, fake.reservationCount]).toEqual([
        true,
        1,
        1,
        1,
      ]);
      provider.unmap(b);
      expect([provider.mappingCount, provider.regionCount, fake.reservationCount]).toEqual([0, 0, 0]);
    });
  });
}

it('rejects a regionBytes that is not a page multiple from one page to 2^32 with EINVAL', () => {
  const native = bindNativePages(new FakeOs('linux').koffi, 'linux');
  for (const regionBytes of [0, 4095, 4097, 2 ** 32 + 4096, 1.5, Number.NaN, '65536']) {
    expect(
      expectMemsError(
        () => createNativePageProvider(native, { regionBytes: regionBytes as number }),
        'EINVAL',
      ).message,
    ).toContain('regionBytes');
  }
  expect(createNativePageProvider(native).regionBytes).toBe(2 ** 26);
});
