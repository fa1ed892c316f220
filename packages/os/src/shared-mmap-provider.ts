import { describeValue, MemsError } from './errors.js';
import { loadNativePages, type NativePages, pageCall } from './native-pages.js';
import {
  type SharedPagesHandle,
  type SharedPagesProvider,
  SharedPagesProviderBase,
} from './shared-page-table.js';
import {
  checkPagesHandle,
  createPageTableState,
  MAX_SHARED_TABLE_PAGES,
  pageTableShape,
} from './shared-page-table-state.js';

/** What `handle.kind` says. */
const HANDLE_KIND = 'mems-shared-mmap-provider';

/** Options of {@link createSharedMmapProvider}. */
export interface SharedMmapProviderOptions {
  /**
   * The most bytes that may be mapped at once: a positive multiple of the OS page size, at most
   * 2^22 pages (16 GiB with 4 KiB pages). This much address space is reserved at once (no
   * memory: pages are committed as they are mapped). Required.
   */
  maxBytes: number;
  /** The provider's `name` (also the prefix of its error messages). Default `'shared-mmap'`. */
  name?: string;
}

/** A structured-cloneable description of a shared mmap provider, for another thread. */
export interface SharedMmapProviderHandle extends SharedPagesHandle {
  /** Always `'mems-shared-mmap-provider'`. */
  readonly kind: typeof HANDLE_KIND;
}

/**
 * A {@link SharedPagesProvider} over real OS pages that every thread of the process can map
 * from: one address-space reservation, pages committed and decommitted in it, the page table in
 * shared memory.
 */
export interface SharedMmapPageProvider extends SharedPagesProvider {
  /** The value to post to another thread, which opens it with {@link openSharedMmapProvider}. */
  readonly handle: SharedMmapProviderHandle;
  /** Which OS interface backs it: `'mmap'` (Linux, macOS) or `'VirtualAlloc'` (Windows). */
  readonly api: 'mmap' | 'VirtualAlloc';
  /** The address of the reservation's first byte. */
  readonly baseAddress: bigint;
  /** Whether {@link SharedMmapPageProvider.destroy} has returned the reservation (in any thread). */
  readonly destroyed: boolean;
  /**
   * Returns the whole reservation to the OS (`munmap` / `MEM_RELEASE`). Every later call on this
   * provider, in every thread, is `ESTATE`.
   * @throws MemsError `ESTATE` while mappings are live or when already destroyed; `ENOMEM` /
   *   `EINVAL` when the OS refuses (nothing changes then).
   */
  destroy(): void;
}

/**
 * Creates a page provider over real memory that worker threads share: it reserves `maxBytes` of
 * address space once (`mmap(PROT_NONE)` on Linux and macOS, `VirtualAlloc(MEM_RESERVE)` on
 * Windows), commits a mapping's pages when it is mapped and discards them when it is unmapped
 * (`madvise(MADV_DONTNEED)`, fresh `MAP_FIXED` pages, `MEM_DECOMMIT`), keeping the reservation,
 * so the process holds at most two kernel mappings for it. The page table (first fit over runs
 * of pages, free runs merged) and its lock live in a `SharedArrayBuffer`: post
 * `provider.handle` to a worker and open it there with {@link openSharedMmapProvider}; every
 * thread then maps from the same reservation, and a mapping made by one thread can be found
 * (`mappingAt(address)`, which makes that thread's koffi view), used and unmapped by another.
 * Addresses are real: native code can use them from any thread.
 *
 * After `unmap`, a view kept over the pages reads zeros (or, once reused, another mapping's
 * bytes): the range stays reserved until `destroy`, so it does not crash until then; after
 * `destroy`, touching a kept view **crashes the process**.
 *
 * @param options `maxBytes` (required) and `name`.
 * @returns the provider; its `pageSize` is the OS page size.
 * @throws MemsError `EINVAL` for bad options; `ENOMEM` when koffi cannot be loaded, the platform
 *   has no page calls, or the OS refuses the reservation.
 */
export function createSharedMmapProvider(options: SharedMmapProviderOptions): SharedMmapPageProvider {
  return createSharedNativeProvider(() => loadNativePages(), options);
}

/**
 * Opens, in this thread, the shared mmap provider a handle describes (loading koffi here).
 * @param handle the `handle` of a provider made by {@link createSharedMmapProvider} in this process.
 * @returns this thread's provider over the same reservation and page table.
 * @throws MemsError `EINVAL` when `handle` is not such a handle; `ENOMEM` when koffi cannot be
 *   loaded.
 */
export function openSharedMmapProvider(handle: SharedMmapProviderHandle): SharedMmapPageProvider {
  return openSharedNativeProvider(() => loadNativePages(), handle);
}

/**
 * {@link createSharedMmapProvider} over given page calls (tests pass a fake koffi's). Not
 * exported from the package.
 */
export function createSharedNativeProvider(
  loadNative: () => NativePages,
  options: SharedMmapProviderOptions,
): SharedMmapPageProvider {
  const call = 'createSharedMmapProvider';
  if (typeof options !== 'object' || options === null) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(options)}): options must be an object with maxBytes`,
    );
  }
  const { maxBytes, name = 'shared-mmap' } = options;
  if (typeof name !== 'string' || name.length === 0) {
    throw new MemsError(
      'EINVAL',
      `${call}({ name: ${describeValue(name)} }): name must be a non-empty string`,
    );
  }
  const native = loadNative();
  const { pageSize } = native;
  if (
    typeof maxBytes !== 'number' ||
    !Number.isSafeInteger(maxBytes) ||
    maxBytes <= 0 ||
    maxBytes % pageSize !== 0 ||
    maxBytes / pageSize > MAX_SHARED_TABLE_PAGES
  ) {
    throw new MemsError(
      'EINVAL',
      `${call}({ maxBytes: ${describeValue(maxBytes)} }): maxBytes must be a positive multiple of the page size ${pageSize}, at most 2^22 pages`,
    );
  }
  const label = `${call}({ maxBytes: ${maxBytes} })`;
  const base = pageCall(label, () => native.reserve(label, maxBytes));
  let state: SharedArrayBuffer;
  try {
    state = createPageTableState('mmap', pageSize, maxBytes / pageSize, base);
  } catch (error) {
    try {
      native.release(label, base, maxBytes);
    } catch {
      // Address space only.
    }
    throw new MemsError('ENOMEM', `${label}: cannot make the shared page table`, { cause: error });
  }
  return new SharedMmapProvider(name, state, native);
}

/** {@link openSharedMmapProvider} over given page calls. Not exported from the package. */
export function openSharedNativeProvider(
  loadNative: () => NativePages,
  handle: SharedMmapProviderHandle,
): SharedMmapPageProvider {
  const call = 'openSharedMmapProvider';
  const { name, state, epoch } = checkPagesHandle(call, handle, HANDLE_KIND, 'mmap');
  const native = loadNative();
  if (pageTableShape(state).pageSize !== native.pageSize) {
    throw new MemsError('EINVAL', `${call}(${describeValue(handle)}): its page size is not this OS's`);
  }
  return new SharedMmapProvider(name, state, native, epoch);
}

class SharedMmapProvider extends SharedPagesProviderBase implements SharedMmapPageProvider {
  readonly handle: SharedMmapProviderHandle;
  readonly api: 'mmap' | 'VirtualAlloc';
  readonly #native: NativePages;

  constructor(name: string, state: SharedArrayBuffer, native: NativePages, epoch?: number) {
    super(name, state, epoch);
    this.#native = native;
    this.api = native.api;
    this.handle = Object.freeze({ kind: HANDLE_KIND, name, epoch: this.epoch, state });
  }

  get baseAddress(): bigint {
    return this.base;
  }

  get destroyed(): boolean {
    return this.released;
  }

  protected prepare(call: string, head: number, pages: number): void {
    const address = this.base + BigInt(head * this.pageSize);
    const label = `${call}(${pages * this.pageSize})`;
    pageCall(label, () => this.#native.commit(label, address, pages * this.pageSize));
  }

  protected discard(call: string, head: number, pages: number): void {
    const address = this.base + BigInt(head * this.pageSize);
    const label = `${call}(0x${address.toString(16)})`;
    pageCall(label, () => this.#native.decommit(label, address, pages * this.pageSize));
  }

  memoryOf(_head: number, pages: number, address: bigint): { buffer: ArrayBuffer } {
    const byteLength = pages * this.pageSize;
    const buffer = this.#native.view(address, byteLength);
    if (buffer.byteLength !== byteLength) throw new Error(`the view has ${buffer.byteLength} bytes`);
    return { buffer };
  }

  destroy(): void {
    const call = `${this.name}.destroy`;
    this.releaseAll(call, () =>
      pageCall(call, () => this.#native.release(`${call}()`, this.base, this.maxPages * this.pageSize)),
    );
  }
}
