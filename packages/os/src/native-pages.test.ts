import { describe, expect, it } from 'vitest';
import { bindNativePages } from './native-pages.js';
import { FakeOs, type FakePlatform } from './test-support/fake-koffi.js';
import { expectMemsError } from './testing.js';

// Each platform's page calls, bound over a fake koffi: the flags and constants passed, the
// failure values recognised and the errors they become. These run on every machine; only the
// Linux branch also runs for real (mmap-provider.test.ts).

const MiB = 2 ** 20;

function bind(platform: FakePlatform, options?: ConstructorParameters<typeof FakeOs>[1]) {
  const os = new FakeOs(platform, options);
  return { os, native: bindNativePages(os.koffi, platform) };
}

describe('Linux page calls (fake koffi)', () => {
  it('asks sysconf(_SC_PAGESIZE = 30) for the page size and loads libc.so.6 first', () => {
    const { os, native } = bind('linux', { pageSize: 65536 });
    expect(native.api).toBe('mmap');
    expect(native.pageSize).toBe(65536);
    expect(os.callsOf('sysconf')).toEqual([{ name: 'sysconf', args: [30] }]);
  });

  it('falls back to the process’s own symbols when libc.so.6 is missing, and fails with ENOMEM when nothing loads', () => {
    expect(bind('linux', { missingLibraries: ['libc.so.6'] }).native.pageSize).toBe(4096);
    const os = new FakeOs('linux', { missingLibraries: ['libc.so.6', null] });
    const error = expectMemsError(() => bindNativePages(os.koffi, 'linux'), 'ENOMEM');
    expect(error.message).toContain(
      'cannot load the C library (libc.so.6: fake koffi: cannot load libc.so.6; (process)',
    );
  });

  it('reserves PROT_NONE with MAP_PRIVATE|MAP_ANONYMOUS (0x22), commits with mprotect, discards with madvise(MADV_DONTNEED = 4), releases with munmap', () => {
    const { os, native } = bind('linux');
    const address = native.reserve('t', 4 * MiB);
    native.commit('t', address, 8192);
    native.decommit('t', address, 4096);
    native.release('t', address, 4 * MiB);
    expect(os.calls.filter((call) => call.name !== 'sysconf')).toEqual([
      { name: 'mmap', args: [null, 4 * MiB, 0, 0x22, -1, 0] },
      { name: 'mprotect', args: [address, 8192, 3] },
      { name: 'madvise', args: [address, 4096, 4] },
      { name: 'munmap', args: [address, 4 * MiB] },
    ]);
    expect(os.reservationCount).toBe(0);
  });

  it('discarded pages read as zeros and stay one kernel mapping', () => {
    const { os, native } = bind('linux');
    const address = native.reserve('t', 16 * 4096);
    native.commit('t', address, 16 * 4096);
    new Uint8Array(native.view(address, 16 * 4096)).fill(7);
    native.decommit('t', address + 4096n, 4096);
    native.decommit('t', address + 3n * 4096n, 4096);
    expect(os.readByte(address)).toBe(7);
    expect(os.readByte(address + 4096n)).toBe(0);
    expect(os.readByte(address + 3n * 4096n + 5n)).toBe(0);
    expect(os.kernelMappings).toBe(1);
  });

  it.each<[string, number, 'ENOMEM' | 'EINVAL', string]>([
    [
      'mmap',
      12,
      'ENOMEM',
      't: mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) failed with ENOMEM (errno 12)',
    ],
    ['mmap', 22, 'EINVAL', 'failed with EINVAL (errno 22)'],
    ['mmap', 1, 'ENOMEM', 'failed with EPERM (errno 1)'],
  ])('turns %s failing with errno %i (MAP_FAILED) into %s', (name, errno, code, message) => {
    const { os, native } = bind('linux');
    os.failNext(name, errno);
    expect(expectMemsError(() => native.reserve('t', 8192), code).message).toContain(message);
  });

  it('turns mprotect, madvise and munmap returning -1 into MemsErrors naming the call', () => {
    const { os, native } = bind('linux');
    const address = native.reserve('t', 8192);
    const hex = `0x${address.toString(16)}`;
    os.failNext('mprotect', 12);
    expect(expectMemsError(() => native.commit('c', address, 4096), 'ENOMEM').message).toBe(
      `c: mprotect(${hex}, 4096, PROT_READ|PROT_WRITE) failed with ENOMEM (errno 12)`,
    );
    native.commit('c', address, 4096);
    os.failNext('madvise', 22);
    expect(expectMemsError(() => native.decommit('d', address, 4096), 'EINVAL').message).toBe(
      `d: madvise(${hex}, 4096, MADV_DONTNEED) failed with EINVAL (errno 22)`,
    );
    os.failNext('munmap', 22);
    expect(expectMemsError(() => native.release('r', address, 8192), 'EINVAL').message).toBe(
      `r: munmap(${hex}, 8192) failed with EINVAL (errno 22)`,
    );
    expect(os.reservationCount).toBe(1);
  });

  it('refuses a page size that is not a power of two', () => {
    const os = new FakeOs('linux', { pageSize: 3000 });
    expect(expectMemsError(() => bindNativePages(os.koffi, 'linux'), 'ENOMEM').message).toContain(
      'sysconf(_SC_PAGESIZE) returned 3000, not a power of two',
    );
  });
});

describe('macOS page calls (fake koffi)', () => {
  it('asks sysconf(_SC_PAGESIZE = 29), so 16 KiB pages on Apple silicon are seen', () => {
    const { os, native } = bind('darwin', { pageSize: 16384 });
    expect(native.api).toBe('mmap');
    expect(native.pageSize).toBe(16384);
    expect(os.callsOf('sysconf')).toEqual([{ name: 'sysconf', args: [29] }]);
  });

  it('loads libSystem, then libc.dylib, then the process', () => {
    const { native } = bind('darwin', { missingLibraries: ['/usr/lib/libSystem.B.dylib', 'libc.dylib'] });
    expect(native.pageSize).toBe(4096);
    const os = new FakeOs('darwin', { missingLibraries: ['/usr/lib/libSystem.B.dylib', 'libc.dylib', null] });
    expectMemsError(() => bindNativePages(os.koffi, 'darwin'), 'ENOMEM');
  });

  it('reserves with MAP_ANON (0x1000), discards with fresh MAP_FIXED pages (0x1012), never madvise', () => {
    const { os, native } = bind('darwin', { pageSize: 16384 });
    const address = native.reserve('t', 64 * 16384);
    native.commit('t', address, 2 * 16384);
    new Uint8Array(native.view(address, 2 * 16384)).fill(9);
    native.decommit('t', address, 16384);
    native.release('t', address, 64 * 16384);
    expect(os.calls.filter((call) => call.name !== 'sysconf')).toEqual([
      { name: 'mmap', args: [null, 64 * 16384, 0, 0x1002, -1, 0] },
      { name: 'mprotect', args: [address, 2 * 16384, 3] },
      { name: 'mmap', args: [address, 16384, 3, 0x1012, -1, 0] },
      { name: 'munmap', args: [address, 64 * 16384] },
    ]);
  });

  it('discarded pages read as zeros; a failing MAP_FIXED becomes a MemsError', () => {
    const { os, native } = bind('darwin');
    const address = native.reserve('t', 4 * 4096);
    native.commit('t', address, 4 * 4096);
    new Uint8Array(native.view(address, 4 * 4096)).fill(9);
    native.decommit('t', address + 4096n, 4096);
    expect([os.readByte(address), os.readByte(address + 4096n), os.readByte(address + 8192n)]).toEqual([
      9, 0, 9,
    ]);
    expect(os.kernelMappings).toBe(1);
    os.failNext('mmap', 12);
    expect(expectMemsError(() => native.decommit('d', address, 4096), 'ENOMEM').message).toContain(
      'MAP_FIXED|MAP_PRIVATE|MAP_ANON, -1, 0) failed with ENOMEM (errno 12)',
    );
    expect(os.readByte(address)).toBe(9);
  });
});

describe('Windows page calls (fake koffi)', () => {
  it('takes the page size from GetSystemInfo, or 4096 when it cannot be bound', () => {
    expect(bind('win32', { pageSize: 8192 }).native).toMatchObject({ api: 'VirtualAlloc', pageSize: 8192 });
    expect(bind('win32', { pageSize: 8192, systemInfo: false }).native.pageSize).toBe(4096);
  });

  it('reserves with MEM_RESERVE/PAGE_NOACCESS, commits with MEM_COMMIT/PAGE_READWRITE, decommits with MEM_DECOMMIT, releases with MEM_RELEASE and size 0', () => {
    const { os, native } = bind('win32');
    const address = native.reserve('t', 4 * MiB);
    native.commit('t', address, 8192);
    native.decommit('t', address, 8192);
    native.release('t', address, 4 * MiB);
    expect(os.calls.filter((call) => call.name !== 'GetSystemInfo')).toEqual([
      { name: 'VirtualAlloc', args: [null, 4 * MiB, 0x2000, 0x01] },
      { name: 'VirtualAlloc', args: [address, 8192, 0x1000, 0x04] },
      { name: 'VirtualFree', args: [address, 8192, 0x4000] },
      { name: 'VirtualFree', args: [address, 0, 0x8000] },
    ]);
    expect(os.reservationCount).toBe(0);
  });

  it('decommitted pages cannot be touched until committed again, and then read as zeros', () => {
    const { os, native } = bind('win32');
    const address = native.reserve('t', 4 * 4096);
    native.commit('t', address, 4 * 4096);
    new Uint8Array(native.view(address, 4 * 4096)).fill(5);
    native.decommit('t', address, 4096);
    expect(() => os.readByte(address)).toThrow('not committed');
    native.commit('t', address, 4096);
    expect([os.readByte(address), os.readByte(address + 4096n)]).toEqual([0, 5]);
  });

  it.each<[number, 'ENOMEM' | 'EINVAL', string]>([
    [8, 'ENOMEM', 'failed with Windows error 8 (out of memory)'],
    [1455, 'ENOMEM', 'failed with Windows error 1455 (out of memory)'],
    [87, 'EINVAL', 'failed with Windows error 87'],
    [5, 'ENOMEM', 'failed with Windows error 5'],
  ])('turns VirtualAlloc returning NULL with GetLastError %i into %s', (error, code, message) => {
    const { os, native } = bind('win32');
    os.failNext('VirtualAlloc', error);
    expect(expectMemsError(() => native.reserve('t', 8192), code).message).toBe(
      `t: VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS) ${message}`,
    );
  });

  it('turns a failed commit, decommit or release into MemsErrors naming the call', () => {
    const { os, native } = bind('win32');
    const address = native.reserve('t', 8192);
    const hex = `0x${address.toString(16)}`;
    os.failNext('VirtualAlloc', 1455);
    expect(expectMemsError(() => native.commit('c', address, 4096), 'ENOMEM').message).toBe(
      `c: VirtualAlloc(${hex}, 4096, MEM_COMMIT, PAGE_READWRITE) failed with Windows error 1455 (out of memory)`,
    );
    native.commit('c', address, 4096);
    os.failNext('VirtualFree', 487);
    expect(expectMemsError(() => native.decommit('d', address, 4096), 'EINVAL').message).toBe(
      `d: VirtualFree(${hex}, 4096, MEM_DECOMMIT) failed with Windows error 487`,
    );
    os.failNext('VirtualFree', 87);
    expect(expectMemsError(() => native.release('r', address, 8192), 'EINVAL').message).toBe(
      `r: VirtualFree(${hex}, 0, MEM_RELEASE) failed with Windows error 87`,
    );
    expect(os.reservationCount).toBe(1);
  });
});

it('refuses a platform without known page calls with ENOMEM', () => {
  const os = new FakeOs('linux');
  expect(expectMemsError(() => bindNativePages(os.koffi, 'aix'), 'ENOMEM').message).toContain(
    'no page calls are known for aix',
  );
});
