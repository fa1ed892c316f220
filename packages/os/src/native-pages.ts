import { errorMessage, isMemsError, MemsError } from './errors.js';
import { type Koffi, loadKoffi } from './load-koffi.js';

/**
 * The OS's page calls, bound through koffi, in the four steps a region allocator needs:
 * reserve address space, commit pages in it, decommit them (the memory goes back to the OS, the
 * address range stays reserved) and release a whole reservation. Every method is unchecked
 * beyond what the OS checks: the mmap provider validates arguments first.
 *
 * | step     | Linux                         | macOS                                   | Windows                                   |
 * | -------- | ----------------------------- | --------------------------------------- | ----------------------------------------- |
 * | reserve  | `mmap(PROT_NONE, MAP_PRIVATE\|MAP_ANONYMOUS)` | `mmap(PROT_NONE, MAP_PRIVATE\|MAP_ANON)` | `VirtualAlloc(MEM_RESERVE, PAGE_NOACCESS)` |
 * | commit   | `mprotect(PROT_READ\|PROT_WRITE)` | `mprotect(PROT_READ\|PROT_WRITE)`      | `VirtualAlloc(MEM_COMMIT, PAGE_READWRITE)` |
 * | decommit | `madvise(MADV_DONTNEED)`      | `mmap(MAP_FIXED, PROT_READ\|PROT_WRITE)` | `VirtualFree(MEM_DECOMMIT)`               |
 * | release  | `munmap`                      | `munmap`                                | `VirtualFree(0, MEM_RELEASE)`             |
 *
 * Decommitted pages read as zeros when next used on every platform: Linux's `MADV_DONTNEED`
 * on private anonymous memory and macOS's fresh `MAP_FIXED` pages are zero-fill-on-demand
 * (macOS's `MADV_FREE`/`MADV_DONTNEED` are not, which is why macOS replaces the pages), and
 * Windows zeroes pages when they are committed again.
 */
export interface NativePages {
  /** Which OS interface is bound: `'mmap'` (Linux, macOS) or `'VirtualAlloc'` (Windows). */
  readonly api: 'mmap' | 'VirtualAlloc';
  /** The OS page size in bytes (`sysconf(_SC_PAGESIZE)`, or `GetSystemInfo`'s `dwPageSize`). */
  readonly pageSize: number;
  /**
   * Reserves `byteLength` bytes of address space that cannot be touched until committed.
   * @param call the call to name in error messages, for example `'mmap.map(4096)'`.
   * @param byteLength a positive multiple of `pageSize`.
   * @returns the address of the first byte.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  reserve(call: string, byteLength: number): bigint;
  /**
   * Makes reserved pages readable and writable. Pages never committed before, and pages
   * decommitted since, read as zeros. Committing pages that are committed already is allowed
   * and changes nothing.
   * @param call the call to name in error messages.
   * @param address a page-aligned address inside a reservation.
   * @param byteLength a positive multiple of `pageSize`, inside the same reservation.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  commit(call: string, address: bigint, byteLength: number): void;
  /**
   * Returns committed pages' memory to the OS, keeping their addresses reserved, without
   * splitting the OS's mapping. Afterwards the pages must be committed again before use (on
   * Linux and macOS they stay accessible and read as zeros).
   * @param call the call to name in error messages.
   * @param address a page-aligned address inside a reservation.
   * @param byteLength a positive multiple of `pageSize`, inside the same reservation.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  decommit(call: string, address: bigint, byteLength: number): void;
  /**
   * Returns a whole reservation (committed or not) to the OS.
   * @param call the call to name in error messages.
   * @param address the address `reserve` returned.
   * @param byteLength the length passed to `reserve`.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  release(call: string, address: bigint, byteLength: number): void;
  /**
   * A zero-copy `ArrayBuffer` over committed memory (`koffi.view`). Using it after the memory is
   * released crashes the process.
   * @param address the first byte.
   * @param byteLength at most 2^32 (a larger view aborts the process).
   * @returns the view.
   */
  view(address: bigint, byteLength: number): ArrayBuffer;
}

/**
 * Runs one of the {@link NativePages} calls for a provider: a `MemsError` it throws passes
 * through, anything else (a koffi fault: a bad argument type, a missing symbol) becomes
 * `ENOMEM`, so that no other error type escapes a provider.
 * @param label the call to name in the message, for example `'mmap.map(4096)'`.
 * @param step the page call.
 * @returns what `step` returns.
 * @throws MemsError the one `step` threw, or `ENOMEM` with the fault as `cause`.
 */
export function pageCall<T>(label: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isMemsError(error)) throw error;
    throw new MemsError('ENOMEM', `${label}: the page call failed: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * The part of koffi that {@link bindNativePages} uses. The real koffi module has it; tests pass
 * a fake to check each platform's calls on any machine.
 */
export type KoffiPages = Pick<
  Koffi,
  'load' | 'errno' | 'os' | 'sizeof' | 'view' | 'struct' | 'out' | 'pointer'
>;

/** `PROT_NONE`: reserved address space that faults when touched. */
export const PROT_NONE = 0x0;
/** `PROT_READ | PROT_WRITE` (the same on Linux and macOS). */
export const PROT_READ_WRITE = 0x1 | 0x2;
/** `MAP_PRIVATE` (Linux and macOS). */
export const MAP_PRIVATE = 0x02;
/** `MAP_FIXED` (Linux and macOS). */
export const MAP_FIXED = 0x10;
/** `MAP_ANONYMOUS` on Linux (x86, ARM, RISC-V, PowerPC, LoongArch). */
export const LINUX_MAP_ANONYMOUS = 0x20;
/** `MAP_ANON` on macOS. */
export const DARWIN_MAP_ANON = 0x1000;
/** `_SC_PAGESIZE` on Linux. */
export const LINUX_SC_PAGESIZE = 30;
/** `_SC_PAGESIZE` on macOS. */
export const DARWIN_SC_PAGESIZE = 29;
/** `MADV_DONTNEED` on Linux: private anonymous pages are dropped and read as zeros afterwards. */
export const LINUX_MADV_DONTNEED = 4;
/** `MEM_COMMIT` (Windows). */
export const MEM_COMMIT = 0x1000;
/** `MEM_RESERVE` (Windows). */
export const MEM_RESERVE = 0x2000;
/** `MEM_DECOMMIT` (Windows). */
export const MEM_DECOMMIT = 0x4000;
/** `MEM_RELEASE` (Windows). */
export const MEM_RELEASE = 0x8000;
/** `PAGE_NOACCESS` (Windows). */
export const PAGE_NOACCESS = 0x01;
/** `PAGE_READWRITE` (Windows). */
export const PAGE_READWRITE = 0x04;

/** Windows error codes that mean "out of memory" (GetLastError). */
const WINDOWS_NOMEM = new Set([8 /* NOT_ENOUGH_MEMORY */, 14 /* OUTOFMEMORY */, 1455 /* COMMITMENT_LIMIT */]);
/** Windows error codes that mean "bad argument". */
const WINDOWS_INVALID = new Set([87 /* INVALID_PARAMETER */, 487 /* INVALID_ADDRESS */]);

let bound: NativePages | undefined;

/**
 * Loads koffi and binds the OS's page calls for this platform, once; later calls return the
 * same bindings.
 * @returns the bindings.
 * @throws MemsError `ENOMEM` (with the original error as `cause`) when koffi cannot be loaded,
 *   the platform is not Linux, macOS or Windows, or the C library cannot be bound.
 */
export function loadNativePages(): NativePages {
  if (bound === undefined) bound = bindNativePages(loadKoffi('createMmapProvider'), process.platform);
  return bound;
}

/**
 * Binds the page calls of `platform` through a koffi module (the real one, or a fake in tests).
 * @param koffi the koffi module, or an object with the same members.
 * @param platform a `process.platform` value: `'linux'`, `'darwin'` or `'win32'`.
 * @returns the bindings.
 * @throws MemsError `ENOMEM` (with the original error as `cause`) when the platform has no
 *   known page calls or its C library cannot be bound.
 */
export function bindNativePages(koffi: KoffiPages, platform: string): NativePages {
  try {
    if (platform === 'linux') {
      // glibc's soname first, then the process's own symbols (musl and other C libraries).
      return bindPosix(koffi, ['libc.so.6', null], 'linux');
    }
    if (platform === 'darwin') {
      return bindPosix(koffi, ['/usr/lib/libSystem.B.dylib', 'libc.dylib', null], 'darwin');
    }
    if (platform === 'win32') return bindWindows(koffi);
    throw new Error(`no page calls are known for ${platform}`);
  } catch (cause) {
    const reason = errorMessage(cause);
    const where = typeof process === 'object' ? `${platform}/${process.arch}` : platform;
    throw new MemsError('ENOMEM', `createMmapProvider(): no page calls on ${where}: ${reason}`, { cause });
  }
}

function loadFirst(koffi: KoffiPages, candidates: (string | null)[]): ReturnType<Koffi['load']> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      return koffi.load(candidate);
    } catch (error) {
      failures.push(`${candidate ?? '(process)'}: ${errorMessage(error)}`);
    }
  }
  throw new Error(`cannot load the C library (${failures.join('; ')})`);
}

function bindPosix(
  koffi: KoffiPages,
  libraries: (string | null)[],
  platform: 'linux' | 'darwin',
): NativePages {
  const linux = platform === 'linux';
  const mapAnonymous = linux ? LINUX_MAP_ANONYMOUS : DARWIN_MAP_ANON;
  const anonymous = linux ? 'MAP_ANONYMOUS' : 'MAP_ANON';
  const libc = loadFirst(koffi, libraries);
  // off_t as intptr_t: 64-bit on every 64-bit system and on macOS, 32-bit for plain mmap on
  // 32-bit Linux, which is what the C prototype expects there.
  const mmap = libc.func(
    'void *mmap(void *addr, size_t length, int prot, int flags, int fd, intptr_t offset)',
  );
  const munmap = libc.func('int munmap(void *addr, size_t length)');
  const mprotect = libc.func('int mprotect(void *addr, size_t length, int prot)');
  const madvise = linux ? libc.func('int madvise(void *addr, size_t length, int advice)') : undefined;
  const sysconf = libc.func('long sysconf(int name)');
  const pageSize = Number(sysconf(linux ? LINUX_SC_PAGESIZE : DARWIN_SC_PAGESIZE));
  if (!Number.isSafeInteger(pageSize) || pageSize <= 0 || (pageSize & (pageSize - 1)) !== 0) {
    throw new Error(`sysconf(_SC_PAGESIZE) returned ${pageSize}, not a power of two`);
  }
  const mapFailed = (1n << BigInt(8 * koffi.sizeof('void *'))) - 1n;
  const errnoNames = invert(koffi.os.errno);
  const osError = (call: string, what: string): MemsError => {
    const errno = koffi.errno();
    const name = errnoNames.get(errno) ?? 'unknown errno';
    const code = errno === koffi.os.errno.EINVAL ? 'EINVAL' : 'ENOMEM';
    return new MemsError(code, `${call}: ${what} failed with ${name} (errno ${errno})`);
  };
  const hex = (address: bigint): string => `0x${address.toString(16)}`;
  const check = (call: string, what: string, result: unknown): void => {
    if (result !== 0) throw osError(call, what);
  };
  return {
    api: 'mmap',
    pageSize,
    reserve(call, byteLength) {
      koffi.errno(0);
      const address: unknown = mmap(null, byteLength, PROT_NONE, MAP_PRIVATE | mapAnonymous, -1, 0);
      if (typeof address !== 'bigint' || address === 0n || address === mapFailed) {
        throw osError(call, `mmap(NULL, ${byteLength}, PROT_NONE, MAP_PRIVATE|${anonymous}, -1, 0)`);
      }
      return address;
    },
    commit(call, address, byteLength) {
      koffi.errno(0);
      const what = `mprotect(${hex(address)}, ${byteLength}, PROT_READ|PROT_WRITE)`;
      check(call, what, mprotect(address, byteLength, PROT_READ_WRITE));
    },
    decommit(call, address, byteLength) {
      koffi.errno(0);
      if (madvise !== undefined) {
        const what = `madvise(${hex(address)}, ${byteLength}, MADV_DONTNEED)`;
        check(call, what, madvise(address, byteLength, LINUX_MADV_DONTNEED));
        return;
      }
      // macOS: fresh zero-fill pages in place of the old ones, in the same reservation.
      const flags = MAP_FIXED | MAP_PRIVATE | mapAnonymous;
      const result: unknown = mmap(address, byteLength, PROT_READ_WRITE, flags, -1, 0);
      if (result !== address) {
        throw osError(
          call,
          `mmap(${hex(address)}, ${byteLength}, PROT_READ|PROT_WRITE, MAP_FIXED|MAP_PRIVATE|${anonymous}, -1, 0)`,
        );
      }
    },
    release(call, address, byteLength) {
      koffi.errno(0);
      check(call, `munmap(${hex(address)}, ${byteLength})`, munmap(address, byteLength));
    },
    view(address, byteLength) {
      return koffi.view(address, byteLength);
    },
  };
}

function bindWindows(koffi: KoffiPages): NativePages {
  const kernel32 = koffi.load('kernel32.dll');
  const VirtualAlloc = kernel32.func(
    'void * __stdcall VirtualAlloc(void *lpAddress, uintptr_t dwSize, uint32_t flAllocationType, uint32_t flProtect)',
  );
  const VirtualFree = kernel32.func(
    'int __stdcall VirtualFree(void *lpAddress, uintptr_t dwSize, uint32_t dwFreeType)',
  );
  const GetLastError = kernel32.func('uint32_t __stdcall GetLastError()');
  const pageSize = windowsPageSize(koffi, kernel32);
  const osError = (call: string, what: string): MemsError => {
    const error = Number(GetLastError());
    const code = WINDOWS_INVALID.has(error) ? 'EINVAL' : 'ENOMEM';
    const kind = WINDOWS_NOMEM.has(error) ? ' (out of memory)' : '';
    return new MemsError(code, `${call}: ${what} failed with Windows error ${error}${kind}`);
  };
  const hex = (address: bigint): string => `0x${address.toString(16)}`;
  return {
    api: 'VirtualAlloc',
    pageSize,
    reserve(call, byteLength) {
      // VirtualAlloc returns NULL on failure.
      const address: unknown = VirtualAlloc(null, byteLength, MEM_RESERVE, PAGE_NOACCESS);
      if (typeof address !== 'bigint' || address === 0n) {
        throw osError(call, `VirtualAlloc(NULL, ${byteLength}, MEM_RESERVE, PAGE_NOACCESS)`);
      }
      return address;
    },
    commit(call, address, byteLength) {
      // Committed pages are zero-filled, also when they were decommitted before.
      const result: unknown = VirtualAlloc(address, byteLength, MEM_COMMIT, PAGE_READWRITE);
      if (result !== address) {
        throw osError(call, `VirtualAlloc(${hex(address)}, ${byteLength}, MEM_COMMIT, PAGE_READWRITE)`);
      }
    },
    decommit(call, address, byteLength) {
      if (VirtualFree(address, byteLength, MEM_DECOMMIT) === 0) {
        throw osError(call, `VirtualFree(${hex(address)}, ${byteLength}, MEM_DECOMMIT)`);
      }
    },
    release(call, address) {
      // MEM_RELEASE frees the whole region VirtualAlloc reserved; its size argument must be 0.
      if (VirtualFree(address, 0, MEM_RELEASE) === 0) {
        throw osError(call, `VirtualFree(${hex(address)}, 0, MEM_RELEASE)`);
      }
    },
    view(address, byteLength) {
      return koffi.view(address, byteLength);
    },
  };
}

/** `GetSystemInfo().dwPageSize`, or 4096 when the call cannot be made. */
function windowsPageSize(koffi: KoffiPages, kernel32: ReturnType<Koffi['load']>): number {
  try {
    const SYSTEM_INFO = koffi.struct({
      dwOemId: 'uint32_t',
      dwPageSize: 'uint32_t',
      lpMinimumApplicationAddress: 'void *',
      lpMaximumApplicationAddress: 'void *',
      dwActiveProcessorMask: 'uintptr_t',
      dwNumberOfProcessors: 'uint32_t',
      dwProcessorType: 'uint32_t',
      dwAllocationGranularity: 'uint32_t',
      wProcessorLevel: 'uint16_t',
      wProcessorRevision: 'uint16_t',
    });
    const GetSystemInfo = kernel32.func('__stdcall', 'GetSystemInfo', 'void', [
      koffi.out(koffi.pointer(SYSTEM_INFO)),
    ]);
    const info: { dwPageSize?: unknown } = {};
    GetSystemInfo(info);
    const pageSize = Number(info.dwPageSize);
    if (Number.isSafeInteger(pageSize) && pageSize > 0 && (pageSize & (pageSize - 1)) === 0) return pageSize;
  } catch {
    // Fall through to the x86/x64/ARM64 Windows page size.
  }
  return 4096;
}

function invert(table: Record<string, number>): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(table)) if (!names.has(value)) names.set(value, name);
  return names;
}
