import type { KoffiPages } from '../native-pages.js';

/** A platform whose page calls the fake answers. */
export type FakePlatform = 'linux' | 'darwin' | 'win32';

/** One call the fake received. */
export interface FakeCall {
  /** The C function's name, for example `'mmap'` or `'VirtualFree'`. */
  readonly name: string;
  /** The arguments as received. */
  readonly args: readonly unknown[];
}

/** Options of {@link FakeOs}. */
export interface FakeOsOptions {
  /** The page size `sysconf(_SC_PAGESIZE)` or `GetSystemInfo` reports. Default 4096. */
  pageSize?: number;
  /** Library names whose `load` throws (`null` is the process itself). */
  missingLibraries?: readonly (string | null)[];
  /** Windows: whether `GetSystemInfo` can be bound (else the provider falls back to 4096). */
  systemInfo?: boolean;
}

const ERRNO = { EPERM: 1, ENOMEM: 12, EACCES: 13, EINVAL: 22 } as const;
const MAP_FAILED = (1n << 64n) - 1n;
const SC_PAGESIZE = { linux: 30, darwin: 29 } as const;
const MAP_ANONYMOUS = { linux: 0x20, darwin: 0x1000 } as const;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const RW = 0x3;

interface Reservation {
  readonly address: bigint;
  readonly byteLength: number;
  /** Per page: 1 when readable and writable (committed), 0 when not. */
  readonly access: Uint8Array;
  /** The views made over this reservation that are not superseded, oldest first. */
  views: LiveView[];
}

interface LiveView {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

/**
 * A fake operating system behind a fake koffi module, for unit tests of the page calls of
 * Linux, macOS and Windows on any machine. It keeps an address space of reservations with a
 * per-page access bit, answers `mmap`/`mprotect`/`madvise`/`munmap`/`sysconf` (POSIX) or
 * `VirtualAlloc`/`VirtualFree`/`GetLastError`/`GetSystemInfo` (Windows) with the real calls'
 * success and failure values, records every call, and models memory contents: a `view` starts
 * with the bytes the range holds (so a range reused without being discarded shows its old
 * bytes), and discarding pages (`MADV_DONTNEED`, `MAP_FIXED`, `MEM_DECOMMIT`) zeroes them.
 * Touching pages that are not committed throws, as the real process would crash.
 */
export class FakeOs {
  /** Every call received, oldest first. */
  readonly calls: FakeCall[] = [];
  /** The fake koffi module: pass it to `bindNativePages`. */
  readonly koffi: KoffiPages;
  private readonly pageSize: number;
  private readonly reservations: Reservation[] = [];
  private nextAddress = 0x10_0000_0000n;
  private errno = 0;
  private lastError = 0;
  private readonly failures = new Map<string, number[]>();
  /** How many of the next `koffi.view` calls throw. */
  viewFailures = 0;

  /**
   * @param platform whose calls and constants to answer.
   * @param options page size, missing libraries, GetSystemInfo.
   */
  constructor(
    readonly platform: FakePlatform,
    options: FakeOsOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 4096;
    const missing = new Set(options.missingLibraries ?? []);
    const systemInfo = options.systemInfo ?? true;
    const functions = platform === 'win32' ? this.windowsFunctions() : this.posixFunctions(platform);
    const library = {
      func: (...args: unknown[]) => {
        const name = args.length === 1 ? /(\w+)\s*\(/.exec(String(args[0]))?.[1] : String(args[1]);
        const fn = name === undefined ? undefined : functions[name];
        if (fn === undefined) throw new Error(`fake koffi: no function ${String(args[0])}`);
        if (name === 'GetSystemInfo' && !systemInfo) throw new Error('fake koffi: GetSystemInfo is missing');
        return (...callArgs: unknown[]) => {
          this.calls.push({ name: name!, args: callArgs });
          const fail = this.failures.get(name!)?.shift();
          if (Number.isNaN(fail)) throw new TypeError(`fake koffi: ${name} cannot convert an argument`);
          if (fail !== undefined) return this.fail(name!, fail);
          return fn(...(callArgs as never[]));
        };
      },
    };
    const koffi = {
      load: (name: string | null) => {
        if (missing.has(name)) throw new Error(`fake koffi: cannot load ${String(name)}`);
        return library;
      },
      errno: (value?: number) => {
        if (value !== undefined) this.errno = value;
        return this.errno;
      },
      os: { errno: { ...ERRNO } },
      sizeof: (type: string) => {
        if (type !== 'void *') throw new Error(`fake koffi: sizeof(${type})`);
        return 8;
      },
      view: (address: bigint, byteLength: number) => {
        if (this.viewFailures > 0) {
          this.viewFailures--;
          throw new Error('fake koffi: view failed');
        }
        return this.view(address, byteLength);
      },
      struct: (definition: object) => {
        if (!systemInfo) throw new Error('fake koffi: no structs');
        return { struct: definition };
      },
      pointer: (type: unknown) => ({ pointer: type }),
      out: (type: unknown) => ({ out: type }),
    };
    this.koffi = koffi as unknown as KoffiPages;
  }

  /**
   * Makes the next call(s) of `name` fail the way the real call does: POSIX calls return their
   * failure value with `errno` set to `code`; Windows calls return NULL/0 with `GetLastError`
   * returning `code`.
   * @param name the C function, for example `'madvise'`.
   * @param code the errno or Windows error code.
   * @param times how many consecutive calls fail. Default 1.
   */
  failNext(name: string, code: number, times = 1): void {
    const queue = this.failures.get(name) ?? [];
    for (let i = 0; i < times; i++) queue.push(code);
    this.failures.set(name, queue);
  }

  /**
   * Makes the next call of `name` throw a TypeError, as koffi does when it cannot convert an
   * argument (the C function is not called).
   * @param name the C function.
   */
  throwNext(name: string): void {
    this.failNext(name, Number.NaN);
  }

  /** The calls of one function, oldest first. */
  callsOf(name: string): FakeCall[] {
    return this.calls.filter((call) => call.name === name);
  }

  /** Number of reservations held. */
  get reservationCount(): number {
    return this.reservations.length;
  }

  /**
   * The number of kernel mappings the reservations would be on Linux: one per maximal run of
   * pages with the same access in each reservation (what `/proc/self/maps` would list).
   */
  get kernelMappings(): number {
    let count = 0;
    for (const { access } of this.reservations) {
      count++;
      for (let page = 1; page < access.length; page++) if (access[page] !== access[page - 1]) count++;
    }
    return count;
  }

  /**
   * Reads the byte at an address, as raw memory access would.
   * @param address a committed address.
   * @returns the byte.
   * @throws Error for an address that is not committed (the real process would crash).
   */
  readByte = (address: bigint): number => {
    const views = this.checkAccess(address, 1, 'read').views;
    for (let i = views.length - 1; i >= 0; i--) {
      const view = views[i]!;
      const offset = Number(address - view.address);
      if (offset >= 0 && offset < view.bytes.length) return view.bytes[offset]!;
    }
    return 0;
  };

  /** The failure value of `name` (MAP_FAILED, -1, NULL or 0), with errno or GetLastError set. */
  private fail(name: string, code: number): unknown {
    this.errno = code;
    this.lastError = code;
    if (name === 'mmap') return MAP_FAILED;
    if (name === 'VirtualAlloc') return null;
    return this.platform === 'win32' ? 0 : -1;
  }

  private posixFunctions(platform: 'linux' | 'darwin'): Record<string, (...args: never[]) => unknown> {
    const anonymous = MAP_ANONYMOUS[platform];
    const failMmap = (errno: number): unknown => this.fail('mmap', errno);
    const fail = (errno: number): unknown => this.fail('', errno);
    return {
      sysconf: (name: number) => (name === SC_PAGESIZE[platform] ? this.pageSize : -1),
      mmap: (
        address: bigint | null,
        length: number,
        prot: number,
        flags: number,
        fd: number,
        offset: number,
      ) => {
        if (fd !== -1 || offset !== 0 || (prot !== 0 && prot !== RW)) return failMmap(ERRNO.EINVAL);
        if (address === null) {
          if (flags !== (MAP_PRIVATE | anonymous)) return failMmap(ERRNO.EINVAL);
          return this.reserve(length, prot === RW);
        }
        if (flags !== (MAP_FIXED | MAP_PRIVATE | anonymous)) return failMmap(ERRNO.EINVAL);
        const reservation = this.within(address, length);
        if (reservation === undefined) return failMmap(ERRNO.EINVAL);
        this.setAccess(reservation, address, length, prot === RW ? 1 : 0);
        this.discard(address, length);
        return address;
      },
      mprotect: (address: bigint, length: number, prot: number) => {
        const reservation = this.within(address, length);
        if (reservation === undefined || (prot !== 0 && prot !== RW)) return fail(ERRNO.EINVAL);
        this.setAccess(reservation, address, length, prot === RW ? 1 : 0);
        return 0;
      },
      madvise: (address: bigint, length: number, advice: number) => {
        if (platform !== 'linux' || advice !== 4) return fail(ERRNO.EINVAL);
        if (this.within(address, length) === undefined) return fail(ERRNO.ENOMEM);
        this.discard(address, length);
        return 0;
      },
      munmap: (address: bigint, length: number) => {
        const index = this.reservations.findIndex((r) => r.address === address && r.byteLength === length);
        // The real munmap accepts any range; the fake insists on whole reservations, which is
        // all the provider may ever release.
        if (index < 0) return fail(ERRNO.EINVAL);
        this.release(index);
        return 0;
      },
    };
  }

  private windowsFunctions(): Record<string, (...args: never[]) => unknown> {
    const fail = (error: number): unknown => this.fail('VirtualFree', error);
    return {
      VirtualAlloc: (address: bigint | null, size: number, type: number, protect: number) => {
        if (address === null) {
          if (type !== 0x2000 || protect !== 0x01) return this.fail('VirtualAlloc', 87);
          return this.reserve(size, false);
        }
        const reservation = this.within(address, size);
        if (reservation === undefined || type !== 0x1000 || protect !== 0x04)
          return this.fail('VirtualAlloc', 487);
        this.setAccess(reservation, address, size, 1);
        return address;
      },
      VirtualFree: (address: bigint, size: number, type: number) => {
        if (type === 0x8000) {
          const index = this.reservations.findIndex((r) => r.address === address);
          if (size !== 0 || index < 0) return fail(87);
          this.release(index);
          return 1;
        }
        const reservation = type === 0x4000 && size > 0 ? this.within(address, size) : undefined;
        if (reservation === undefined) return fail(87);
        this.discard(address, size);
        this.setAccess(reservation, address, size, 0);
        return 1;
      },
      GetLastError: () => this.lastError,
      GetSystemInfo: (info: { dwPageSize?: number }) => {
        info.dwPageSize = this.pageSize;
      },
    };
  }

  private reserve(length: number, accessible: boolean): unknown {
    if (!Number.isSafeInteger(length) || length <= 0 || length % this.pageSize !== 0) {
      return this.platform === 'win32' ? this.fail('VirtualAlloc', 87) : this.fail('mmap', ERRNO.EINVAL);
    }
    const address = this.nextAddress;
    // Reservations are 4 GiB-aligned and never adjacent, so none can merge with another.
    this.nextAddress += 2n ** 33n;
    const access = new Uint8Array(length / this.pageSize).fill(accessible ? 1 : 0);
    this.reservations.push({ address, byteLength: length, access, views: [] });
    return address;
  }

  private release(index: number): void {
    this.reservations.splice(index, 1);
  }

  /** The reservation that holds the page-aligned range, or undefined. */
  private within(address: unknown, length: unknown): Reservation | undefined {
    if (typeof address !== 'bigint' || typeof length !== 'number') return undefined;
    if (address % BigInt(this.pageSize) !== 0n || length <= 0 || length % this.pageSize !== 0)
      return undefined;
    return this.reservations.find(
      (r) => address >= r.address && address + BigInt(length) <= r.address + BigInt(r.byteLength),
    );
  }

  private setAccess(reservation: Reservation, address: bigint, length: number, value: number): void {
    const first = Number(address - reservation.address) / this.pageSize;
    reservation.access.fill(value, first, first + length / this.pageSize);
  }

  /** The reservation that holds the committed range; throws where the real process would crash. */
  private checkAccess(address: bigint, length: number, what: string): Reservation {
    const reservation = this.reservations.find(
      (r) => address >= r.address && address + BigInt(length) <= r.address + BigInt(r.byteLength),
    );
    const first =
      reservation === undefined ? 0 : Math.floor(Number(address - reservation.address) / this.pageSize);
    const last =
      reservation === undefined
        ? 0
        : Math.floor((Number(address - reservation.address) + length - 1) / this.pageSize);
    if (reservation === undefined || reservation.access.subarray(first, last + 1).includes(0)) {
      throw new Error(
        `fake OS: ${what} of ${length} bytes at 0x${address.toString(16)}: not committed (a crash)`,
      );
    }
    return reservation;
  }

  /** Zeroes the range in every view over it (the pages' contents are discarded). */
  private discard(address: bigint, length: number): void {
    const end = address + BigInt(length);
    const reservation = this.within(address, length);
    for (const view of reservation?.views ?? []) {
      const viewEnd = view.address + BigInt(view.bytes.length);
      if (view.address >= end || viewEnd <= address) continue;
      const from = address > view.address ? Number(address - view.address) : 0;
      const to = end < viewEnd ? Number(end - view.address) : view.bytes.length;
      view.bytes.fill(0, from, to);
    }
  }

  private view(address: bigint, byteLength: number): ArrayBuffer {
    const reservation = this.checkAccess(address, byteLength, 'view');
    const bytes = new Uint8Array(byteLength);
    const end = address + BigInt(byteLength);
    const kept: LiveView[] = [];
    // Start from what the memory holds: the bytes of older views over the same range.
    for (const view of reservation.views) {
      const viewEnd = view.address + BigInt(view.bytes.length);
      if (view.address < end && viewEnd > address) {
        const from = view.address > address ? view.address : address;
        const to = viewEnd < end ? viewEnd : end;
        bytes.set(
          view.bytes.subarray(Number(from - view.address), Number(to - view.address)),
          Number(from - address),
        );
        if (view.address >= address && viewEnd <= end) continue; // superseded by the new view
      }
      kept.push(view);
    }
    kept.push({ address, bytes });
    reservation.views = kept;
    return bytes.buffer;
  }
}
