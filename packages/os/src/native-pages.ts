import { MemsError } from './errors.js';
import { type Koffi, loadKoffi } from './load-koffi.js';

/**
 * The OS's page calls, bound through koffi: anonymous private `mmap`/`munmap` on Linux and
 * macOS, `VirtualAlloc`/`VirtualFree` on Windows. Every method is unchecked beyond what the OS
 * checks: the mmap provider validates arguments first.
 */
export interface NativePages {
  /** Which OS interface is bound: `'mmap'` (Linux, macOS) or `'VirtualAlloc'` (Windows). */
  readonly api: 'mmap' | 'VirtualAlloc';
  /** The OS page size in bytes (`sysconf(_SC_PAGESIZE)`, or `GetSystemInfo`'s `dwPageSize`). */
  readonly pageSize: number;
  /**
   * Maps `byteLength` bytes of fresh, zero-filled, readable and writable memory.
   * @param call the call to name in error messages, for example `'mmap.map'`.
   * @param byteLength a positive multiple of `pageSize`.
   * @returns the address of the first byte.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  map(call: string, byteLength: number): bigint;
  /**
   * Returns pages obtained from {@link NativePages.map}.
   * @param call the call to name in error messages.
   * @param address the address `map` returned.
   * @param byteLength the length passed to `map`.
   * @throws MemsError `EINVAL` when the OS reports EINVAL, `ENOMEM` for any other refusal.
   */
  unmap(call: string, address: bigint, byteLength: number): void;
  /**
   * A zero-copy `ArrayBuffer` over mapped memory (`koffi.view`). Using it after the memory is
   * unmapped crashes the process.
   * @param address the first byte.
   * @param byteLength at most 2^32 (a larger view aborts the process).
   * @returns the view.
   */
  view(address: bigint, byteLength: number): ArrayBuffer;
}

const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_PRIVATE = 0x02;
/** MAP_ANONYMOUS on Linux (x86, ARM, RISC-V, PowerPC, LoongArch). */
const LINUX_MAP_ANONYMOUS = 0x20;
/** MAP_ANON on macOS. */
const DARWIN_MAP_ANON = 0x1000;
const LINUX_SC_PAGESIZE = 30;
const DARWIN_SC_PAGESIZE = 29;
const MEM_COMMIT_RESERVE = 0x1000 | 0x2000;
const MEM_RELEASE = 0x8000;
const PAGE_READWRITE = 0x04;

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
  if (bound !== undefined) return bound;
  const koffi = loadKoffi('createMmapProvider');
  try {
    if (process.platform === 'linux') {
      // glibc's soname first, then the process's own symbols (musl and other C libraries).
      bound = bindPosix(koffi, ['libc.so.6', null], LINUX_MAP_ANONYMOUS, LINUX_SC_PAGESIZE);
    } else if (process.platform === 'darwin') {
      bound = bindPosix(
        koffi,
        ['/usr/lib/libSystem.B.dylib', 'libc.dylib', null],
        DARWIN_MAP_ANON,
        DARWIN_SC_PAGESIZE,
      );
    } else if (process.platform === 'win32') bound = bindWindows(koffi);
    else throw new Error(`no page calls are known for ${process.platform}`);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const platform = `${process.platform}/${process.arch}`;
    throw new MemsError('ENOMEM', `createMmapProvider(): no page calls on ${platform}: ${reason}`, { cause });
  }
  return bound;
}

function loadFirst(koffi: Koffi, candidates: (string | null)[]): ReturnType<Koffi['load']> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      return koffi.load(candidate);
    } catch (error) {
      failures.push(`${candidate ?? '(process)'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`cannot load the C library (${failures.join('; ')})`);
}

function bindPosix(
  koffi: Koffi,
  libraries: (string | null)[],
  mapAnonymous: number,
  scPageSize: number,
): NativePages {
  const libc = loadFirst(koffi, libraries);
  // off_t as intptr_t: 64-bit on every 64-bit system and on macOS, 32-bit for plain mmap on
  // 32-bit Linux, which is what the C prototype expects there.
  const mmap = libc.func(
    'void *mmap(void *addr, size_t length, int prot, int flags, int fd, intptr_t offset)',
  );
  const munmap = libc.func('int munmap(void *addr, size_t length)');
  const sysconf = libc.func('long sysconf(int name)');
  const pageSize = Number(sysconf(scPageSize));
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
  return {
    api: 'mmap',
    pageSize,
    map(call, byteLength) {
      koffi.errno(0);
      const address: unknown = mmap(null, byteLength, PROT_READ_WRITE, MAP_PRIVATE | mapAnonymous, -1, 0);
      if (typeof address !== 'bigint' || address === 0n || address === mapFailed) {
        throw osError(
          call,
          `mmap(NULL, ${byteLength}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
        );
      }
      return address;
    },
    unmap(call, address, byteLength) {
      koffi.errno(0);
      if (munmap(address, byteLength) !== 0)
        throw osError(call, `munmap(0x${address.toString(16)}, ${byteLength})`);
    },
    view(address, byteLength) {
      return koffi.view(address, byteLength);
    },
  };
}

function bindWindows(koffi: Koffi): NativePages {
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
  return {
    api: 'VirtualAlloc',
    pageSize,
    map(call, byteLength) {
      // VirtualAlloc returns NULL on failure; reserved-and-committed pages are zero-filled.
      const address: unknown = VirtualAlloc(null, byteLength, MEM_COMMIT_RESERVE, PAGE_READWRITE);
      if (typeof address !== 'bigint' || address === 0n) {
        throw osError(call, `VirtualAlloc(NULL, ${byteLength}, MEM_COMMIT|MEM_RESERVE, PAGE_READWRITE)`);
      }
      return address;
    },
    unmap(call, address) {
      // MEM_RELEASE frees the whole region VirtualAlloc reserved; its size argument must be 0.
      if (VirtualFree(address, 0, MEM_RELEASE) === 0) {
        throw osError(call, `VirtualFree(0x${address.toString(16)}, 0, MEM_RELEASE)`);
      }
    },
    view(address, byteLength) {
      return koffi.view(address, byteLength);
    },
  };
}

/** `GetSystemInfo().dwPageSize`, or 4096 when the call cannot be made. */
function windowsPageSize(koffi: Koffi, kernel32: ReturnType<Koffi['load']>): number {
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
