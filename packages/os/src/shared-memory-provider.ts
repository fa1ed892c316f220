import { describeValue, MemsError } from './errors.js';
import { takeGrowableBuffer } from './shared-buffer-pool.js';
import { isSharedArrayBuffer } from './shared-mutex.js';
import { type SharedPagesProvider, SharedPagesProviderBase } from './shared-page-table.js';
import {
  checkPagesHandle,
  createPageTableState,
  MAX_SHARED_TABLE_PAGES,
  pageTableShape,
} from './shared-page-table-state.js';
import { isPowerOfTwo } from './validate-byte-length.js';

/** The page size a shared-memory provider uses unless told otherwise. */
export const DEFAULT_SHARED_PAGE_SIZE = 4096;

/** The most bytes a shared-memory provider can hold: 4 GiB (the largest growable buffer we make). */
export const MAX_SHARED_MEMORY_BYTES: number = 2 ** 32;

/** The most pages a shared-memory provider can hold (its page table takes 8 bytes a page). */
export const MAX_SHARED_MEMORY_PAGES: number = MAX_SHARED_TABLE_PAGES;

/** Where the fake address of byte 0 of the shared buffer is (page-aligned for every page size). */
const BASE_ADDRESS = 0x1_0000_0000n;

/** What `handle.kind` says. */
const HANDLE_KIND = 'mems-shared-memory-provider';

/** Options of {@link createSharedMemoryProvider}. */
export interface SharedMemoryProviderOptions {
  /**
   * The most bytes that may be mapped at once: a positive multiple of `pageSize`, at most
   * 4 GiB and 2^22 pages. The shared buffer starts empty and grows up to this as pages are
   * mapped. Required.
   */
  maxBytes: number;
  /** The page size: a power of two from 1 to 2^30. Default 4096. */
  pageSize?: number;
  /** The provider's `name` (also the prefix of its error messages). Default `'shared-memory'`. */
  name?: string;
}

/**
 * A structured-cloneable description of a shared-memory provider's memory: post it to a worker
 * (`postMessage`, `workerData`) and open it there with {@link openSharedMemoryProvider}.
 */
export interface SharedMemoryProviderHandle {
  /** Always `'mems-shared-memory-provider'`. */
  readonly kind: typeof HANDLE_KIND;
  /** The provider's name. */
  readonly name: string;
  /** Which use of `state` this provider is (a destroyed provider's buffers are reused). */
  readonly epoch: number;
  /** The page table and counters (a fixed-length SharedArrayBuffer). */
  readonly state: SharedArrayBuffer;
  /** The pages (a growable SharedArrayBuffer). */
  readonly data: SharedArrayBuffer;
}

/**
 * A {@link PageProvider} whose pages are carved from one growable `SharedArrayBuffer`, with its
 * page table in shared memory too, so that every thread that opens its {@link handle} maps and
 * unmaps the same pages.
 */
export interface SharedMemoryPageProvider extends SharedPagesProvider {
  /** How many bytes the shared buffer has grown to (it never shrinks; freed pages are reused). */
  readonly capacityBytes: number;
  /** The value to post to another thread, which opens it with {@link openSharedMemoryProvider}. */
  readonly handle: SharedMemoryProviderHandle;
  /** Whether {@link SharedMemoryPageProvider.destroy} was called (in any thread). */
  readonly destroyed: boolean;
  /**
   * Ends the provider in every thread: every later call on it is `ESTATE`. Its two buffers go to
   * a pool that the next `createSharedMemoryProvider` of the same size takes from (JavaScript
   * cannot free a SharedArrayBuffer, and the garbage collector does not run for the address
   * space a growable one reserves: `maxBytes`). A view kept over its pages may then show the
   * next provider's bytes: never touch one.
   * @throws MemsError `ESTATE` while mappings are live or when already destroyed.
   */
  destroy(): void;
}

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(newLength: number): void;
}

type GrowableSharedArrayBufferConstructor = new (
  length: number,
  options?: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

/**
 * Makes a shared-memory provider: pages carved from one growable `SharedArrayBuffer` (it starts
 * empty and grows, from any thread, up to `maxBytes`), for heaps shared between worker threads
 * where there is no mmap (browsers with cross-origin isolation, or by choice in Node). Mappings
 * get fake, page-aligned addresses from 0x100000000 (the byte offset in the buffer plus that
 * base) that every thread agrees on; each mapping's `buffer` is the shared buffer itself and
 * `byteOffset` says where its pages are. Freed pages are zeroed and reused first fit; the buffer
 * never shrinks. `map` and `unmap` take a lock in shared memory ({@link SharedMutex}), so any
 * thread may call them at any time.
 * @param options `maxBytes` (required), `pageSize`, `name`.
 * @returns the provider; post `provider.handle` to workers.
 * @throws MemsError `EINVAL` for bad options; `ENOMEM` when this runtime has no growable
 *   `SharedArrayBuffer` (a browser page must be cross-origin isolated: served with
 *   `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 */
export function createSharedMemoryProvider(options: SharedMemoryProviderOptions): SharedMemoryPageProvider {
  const call = 'createSharedMemoryProvider';
  if (typeof options !== 'object' || options === null) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(options)}): options must be an object with maxBytes`,
    );
  }
  const { maxBytes, pageSize = DEFAULT_SHARED_PAGE_SIZE, name = 'shared-memory' } = options;
  if (typeof name !== 'string' || name.length === 0) {
    throw new MemsError(
      'EINVAL',
      `${call}({ name: ${describeValue(name)} }): name must be a non-empty string`,
    );
  }
  if (!isPowerOfTwo(pageSize) || pageSize > 2 ** 30) {
    throw new MemsError(
      'EINVAL',
      `${call}({ pageSize: ${describeValue(pageSize)} }): pageSize must be a power of two from 1 to 2^30`,
    );
  }
  if (
    typeof maxBytes !== 'number' ||
    !Number.isSafeInteger(maxBytes) ||
    maxBytes <= 0 ||
    maxBytes % pageSize !== 0 ||
    maxBytes > MAX_SHARED_MEMORY_BYTES ||
    maxBytes / pageSize > MAX_SHARED_MEMORY_PAGES
  ) {
    throw new MemsError(
      'EINVAL',
      `${call}({ maxBytes: ${describeValue(maxBytes)} }): maxBytes must be a positive multiple of the page size ${pageSize}, at most 2^32 bytes and 2^22 pages`,
    );
  }
  const Growable = growableConstructor(call);
  const maxPages = maxBytes / pageSize;
  let data: GrowableSharedArrayBuffer;
  let state: SharedArrayBuffer;
  try {
    // A destroyed provider's buffer first (all zeros, its address space reserved already).
    data =
      (takeGrowableBuffer('pages', maxBytes) as GrowableSharedArrayBuffer | undefined) ??
      new Growable(0, { maxByteLength: maxBytes });
    state = createPageTableState('shared-memory', pageSize, maxPages, BASE_ADDRESS);
  } catch (error) {
    throw new MemsError('ENOMEM', `${call}({ maxBytes: ${maxBytes} }): cannot reserve the shared buffer`, {
      cause: error,
    });
  }
  if (data.growable !== true) {
    throw new MemsError(
      'ENOMEM',
      `${call}(): this runtime's SharedArrayBuffer cannot grow (Node 20 or a current browser needed)`,
    );
  }
  return new SharedMemoryProvider(name, state, data);
}

/**
 * Opens, in this thread, the shared-memory provider a {@link SharedMemoryPageProvider.handle}
 * describes: the same pages, page table and accounting as in the thread that made it.
 * @param handle the `handle` of a provider made by {@link createSharedMemoryProvider} (posted
 *   to this thread, or not).
 * @returns this thread's provider over that memory.
 * @throws MemsError `EINVAL` when `handle` is not such a handle (wrong shape, buffers that are
 *   not shared or do not match each other).
 */
export function openSharedMemoryProvider(handle: SharedMemoryProviderHandle): SharedMemoryPageProvider {
  const call = 'openSharedMemoryProvider';
  const { name, state, data, epoch } = checkPagesHandle(call, handle, HANDLE_KIND, 'shared-memory');
  const { pageSize, maxPages } = pageTableShape(state);
  const growable = data as GrowableSharedArrayBuffer;
  if (
    !isSharedArrayBuffer(data) ||
    growable.growable !== true ||
    growable.maxByteLength !== maxPages * pageSize
  ) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(handle)}): not a ${HANDLE_KIND} handle: data is not the growable buffer its state describes`,
    );
  }
  return new SharedMemoryProvider(name, state, growable, epoch);
}

function growableConstructor(call: string): GrowableSharedArrayBufferConstructor {
  if (typeof SharedArrayBuffer !== 'function') {
    throw new MemsError(
      'ENOMEM',
      `${call}(): SharedArrayBuffer is not available here (a browser page must be cross-origin isolated: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)`,
    );
  }
  return SharedArrayBuffer as unknown as GrowableSharedArrayBufferConstructor;
}

class SharedMemoryProvider extends SharedPagesProviderBase implements SharedMemoryPageProvider {
  readonly handle: SharedMemoryProviderHandle;
  readonly #data: GrowableSharedArrayBuffer;

  constructor(name: string, state: SharedArrayBuffer, data: GrowableSharedArrayBuffer, epoch?: number) {
    super(name, state, epoch);
    this.#data = data;
    this.handle = Object.freeze({ kind: HANDLE_KIND, name, epoch: this.epoch, state, data });
  }

  get destroyed(): boolean {
    return this.released;
  }

  destroy(): void {
    // Every page is zero already (unmap zeroes what it frees), so the next provider can take both buffers.
    this.releaseAll(`${this.name}.destroy`, () => {}, [this.#data]);
  }

  get capacityBytes(): number {
    return this.#data.byteLength;
  }

  protected prepare(call: string, _head: number, _pages: number, newTop: number): void {
    const bytes = newTop * this.pageSize;
    if (bytes <= this.#data.byteLength) return;
    try {
      this.#data.grow(bytes);
    } catch (error) {
      throw new MemsError('ENOMEM', `${call}(): the shared buffer cannot grow to ${bytes} bytes`, {
        cause: error,
      });
    }
  }

  protected discard(_call: string, head: number, pages: number): void {
    // Zero the pages now, so that map never has to (fresh pages of a grown buffer are zero).
    new Uint8Array(this.#data, head * this.pageSize, pages * this.pageSize).fill(0);
  }

  memoryOf(head: number): { buffer: SharedArrayBuffer; byteOffset: number } {
    return { buffer: this.#data, byteOffset: head * this.pageSize };
  }
}
