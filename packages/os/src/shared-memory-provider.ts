import { describeValue, MemsError } from './errors.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { describeMapping } from './provider-mapping.js';
import { isSharedArrayBuffer, SharedMutex } from './shared-mutex.js';
import { isPowerOfTwo, MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

/** The page size a shared-memory provider uses unless told otherwise. */
export const DEFAULT_SHARED_PAGE_SIZE = 4096;

/** The most bytes a shared-memory provider can hold: 4 GiB (the largest growable buffer we make). */
export const MAX_SHARED_MEMORY_BYTES: number = 2 ** 32;

/** The most pages a shared-memory provider can hold (its page table takes 8 bytes a page). */
export const MAX_SHARED_MEMORY_PAGES: number = 2 ** 22;

/** Where the fake address of byte 0 of the shared buffer is (page-aligned for every page size). */
const BASE_ADDRESS = 0x1_0000_0000n;

/** What `handle.kind` says. */
const HANDLE_KIND = 'mems-shared-memory-provider';

// The state buffer: a header of 16 int32 words, then the page table (one boundary tag per page),
// then one mapping serial per page. Every word is read and written with Atomics or under the lock.
const MAGIC = 0x4d454d53; // 'MEMS'
const VERSION = 1;
const W_MAGIC = 0;
const W_VERSION = 1;
/** Words 2–5: the provider's SharedMutex (16 bytes at byte 8). */
const MUTEX_BYTE_OFFSET = 8;
const W_PAGE_SIZE = 6;
const W_MAX_PAGES = 7;
/** Pages carved from the shared buffer so far (its length in pages). */
const W_TOP = 8;
const W_MAPPED_PAGES = 9;
const W_MAPPING_COUNT = 10;
/** The last serial handed to a mapping (serials tell a live mapping from an earlier one at the same place). */
const W_SERIAL = 11;
const HEADER_WORDS = 16;

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
export interface SharedMemoryPageProvider extends PageProvider {
  /** Always true: new pages of a growing buffer are zero, and `unmap` zeroes the pages it frees. */
  readonly zeroed: true;
  /** The most bytes that may be mapped at once (the option). */
  readonly maxBytes: number;
  /** How many bytes the shared buffer has grown to (it never shrinks; freed pages are reused). */
  readonly capacityBytes: number;
  /** The value to post to another thread, which opens it with {@link openSharedMemoryProvider}. */
  readonly handle: SharedMemoryProviderHandle;
  /**
   * This thread's {@link Mapping} object for the live mapping that starts at `address`, made by
   * any thread (the objects `map` returns cannot be posted). `unmap` accepts it.
   * @param address the mapping's first address, as `mapping.address` gave it in any thread.
   * @returns the mapping (the same object while the mapping lives).
   * @throws MemsError `EINVAL` when `address` is not a bigint; `EFAULT` when no live mapping
   *   starts there.
   */
  mappingAt(address: bigint): Mapping;
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
    data = new Growable(0, { maxByteLength: maxBytes });
    state = new SharedArrayBuffer((HEADER_WORDS + 2 * maxPages) * 4);
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
  const words = new Int32Array(state, 0, HEADER_WORDS);
  words[W_PAGE_SIZE] = pageSize;
  words[W_MAX_PAGES] = maxPages;
  words[W_VERSION] = VERSION;
  Atomics.store(words, W_MAGIC, MAGIC);
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
  const bad = (why: string): MemsError =>
    new MemsError('EINVAL', `${call}(${describeValue(handle)}): not a shared-memory provider handle: ${why}`);
  if (typeof handle !== 'object' || handle === null) throw bad('not an object');
  let kind: unknown;
  let name: unknown;
  let state: unknown;
  let data: unknown;
  try {
    ({ kind, name, state, data } = handle);
  } catch (error) {
    throw new MemsError('EINVAL', `${call}(${describeValue(handle)}): its properties cannot be read`, {
      cause: error,
    });
  }
  if (kind !== HANDLE_KIND) throw bad(`kind is ${describeValue(kind)}`);
  if (typeof name !== 'string' || name.length === 0) throw bad('name must be a non-empty string');
  if (!isSharedArrayBuffer(state) || !isSharedArrayBuffer(data))
    throw bad('state and data must be SharedArrayBuffers');
  if (state.byteLength < HEADER_WORDS * 4) throw bad('state is too short');
  const words = new Int32Array(state, 0, HEADER_WORDS);
  const pageSize = words[W_PAGE_SIZE]!;
  const maxPages = words[W_MAX_PAGES]!;
  const growable = data as GrowableSharedArrayBuffer;
  if (
    Atomics.load(words, W_MAGIC) !== MAGIC ||
    words[W_VERSION] !== VERSION ||
    !isPowerOfTwo(pageSize) ||
    maxPages < 1 ||
    state.byteLength !== (HEADER_WORDS + 2 * maxPages) * 4 ||
    growable.growable !== true ||
    growable.maxByteLength !== maxPages * pageSize
  ) {
    throw bad('its state does not describe its data buffer');
  }
  return new SharedMemoryProvider(name, state, growable);
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

/** A mapping of the shared-memory provider: this thread's object for one run of pages. */
class SharedMemoryMapping implements Mapping {
  readonly address: bigint;
  readonly byteLength: number;
  readonly byteOffset: number;
  readonly provider: string;
  readonly #owner: SharedMemoryProvider;
  /** The first page. */
  readonly head: number;
  /** The serial the page table gave this mapping. */
  readonly serial: number;

  constructor(owner: SharedMemoryProvider, head: number, pages: number, serial: number) {
    this.#owner = owner;
    this.head = head;
    this.serial = serial;
    this.provider = owner.name;
    this.byteOffset = head * owner.pageSize;
    this.byteLength = pages * owner.pageSize;
    this.address = BASE_ADDRESS + BigInt(this.byteOffset);
  }

  /** Whether `value` is really one of these objects (not a copy or an object inheriting from one). */
  static is(value: object): value is SharedMemoryMapping {
    return #owner in value;
  }

  /** True until the mapping is unmapped (by any thread); then false for ever. */
  get live(): boolean {
    return this.#owner.isLive(this.head, this.serial);
  }

  /**
   * The shared buffer; the pages are `[byteOffset, byteOffset + byteLength)` of it.
   * @throws MemsError `EFAULT` once the mapping has been unmapped.
   */
  get buffer(): SharedArrayBuffer {
    if (!this.live) {
      throw new MemsError(
        'EFAULT',
        `${this.provider} mapping 0x${this.address.toString(16)} (${this.byteLength} bytes): buffer used after unmap`,
      );
    }
    return this.#owner.data;
  }
}

class SharedMemoryProvider implements SharedMemoryPageProvider {
  readonly name: string;
  readonly pageSize: number;
  readonly maxBytes: number;
  readonly maxMappingBytes: number;
  readonly zeroed = true as const;
  readonly handle: SharedMemoryProviderHandle;
  readonly data: GrowableSharedArrayBuffer;
  readonly #words: Int32Array;
  /** One boundary tag per page: a run of n pages has +n (mapped) or -n (free) at both ends. */
  readonly #tags: Int32Array;
  /** Per page: the serial of the live mapping that starts there, else 0. */
  readonly #serials: Int32Array;
  readonly #maxPages: number;
  readonly #mutex: SharedMutex;
  /** This thread's mapping objects (map and mappingAt), by first page. */
  readonly #mine = new Map<number, SharedMemoryMapping>();

  constructor(name: string, state: SharedArrayBuffer, data: GrowableSharedArrayBuffer) {
    this.#words = new Int32Array(state, 0, HEADER_WORDS);
    this.pageSize = this.#words[W_PAGE_SIZE]!;
    this.#maxPages = this.#words[W_MAX_PAGES]!;
    this.#tags = new Int32Array(state, HEADER_WORDS * 4, this.#maxPages);
    this.#serials = new Int32Array(state, (HEADER_WORDS + this.#maxPages) * 4, this.#maxPages);
    this.#mutex = new SharedMutex(state, MUTEX_BYTE_OFFSET);
    this.name = name;
    this.data = data;
    this.maxBytes = this.#maxPages * this.pageSize;
    this.maxMappingBytes = Math.min(this.maxBytes, MAX_MAPPING_BYTES);
    this.handle = Object.freeze({ kind: HANDLE_KIND, name, state, data });
  }

  get mappedBytes(): number {
    return Atomics.load(this.#words, W_MAPPED_PAGES) * this.pageSize;
  }

  get mappingCount(): number {
    return Atomics.load(this.#words, W_MAPPING_COUNT);
  }

  get capacityBytes(): number {
    return Atomics.load(this.#words, W_TOP) * this.pageSize;
  }

  /** Whether the mapping with this serial still starts at `head`. */
  isLive(head: number, serial: number): boolean {
    return Atomics.load(this.#serials, head) === serial;
  }

  map(byteLength: number): Mapping {
    const call = `${this.name}.map`;
    const pages = validateByteLength(call, byteLength, this.pageSize, this.maxMappingBytes) / this.pageSize;
    const words = this.#words;
    const tags = this.#tags;
    this.#mutex.lock();
    let head: number;
    let serial: number;
    try {
      const top = words[W_TOP]!;
      head = -1;
      // First fit over the runs, which tile [0, top).
      for (let page = 0; page < top; ) {
        const tag = tags[page]!;
        if (tag < 0 && -tag >= pages) {
          head = page;
          break;
        }
        page += tag < 0 ? -tag : tag;
      }
      if (head >= 0) {
        const free = -tags[head]!;
        if (free > pages) this.#tag(head + pages, -(free - pages));
      } else {
        // Grow the buffer: by the missing pages when a free run ends it, else by all of them.
        const trailing = top > 0 && tags[top - 1]! < 0 ? -tags[top - 1]! : 0;
        head = top - trailing;
        const newTop = head + pages;
        if (newTop > this.#maxPages) {
          throw new MemsError(
            'ENOMEM',
            `${call}(${byteLength}): ${this.mappedBytes} of ${this.maxBytes} bytes are mapped; ${byteLength} more do not fit`,
          );
        }
        try {
          this.data.grow(newTop * this.pageSize);
        } catch (error) {
          throw new MemsError(
            'ENOMEM',
            `${call}(${byteLength}): the shared buffer cannot grow to ${newTop * this.pageSize} bytes`,
            {
              cause: error,
            },
          );
        }
        Atomics.store(words, W_TOP, newTop);
      }
      this.#tag(head, pages);
      serial = words[W_SERIAL]! >= 0x7fff_fffe ? 1 : words[W_SERIAL]! + 1;
      words[W_SERIAL] = serial;
      Atomics.store(this.#serials, head, serial);
      Atomics.add(words, W_MAPPED_PAGES, pages);
      Atomics.add(words, W_MAPPING_COUNT, 1);
    } finally {
      this.#mutex.unlock();
    }
    const mapping = new SharedMemoryMapping(this, head, pages, serial);
    this.#mine.set(head, mapping);
    return mapping;
  }

  unmap(mapping: Mapping): void {
    const call = `${this.name}.unmap`;
    if (typeof mapping !== 'object' || mapping === null) {
      throw new MemsError('EINVAL', `${call}(${describeValue(mapping)}): the argument must be a Mapping`);
    }
    if (!SharedMemoryMapping.is(mapping) || this.#mine.get(mapping.head) !== mapping) {
      if (SharedMemoryMapping.is(mapping) && !mapping.live) {
        throw new MemsError('EFAULT', `${call}(${describeMapping(mapping)}): already unmapped`);
      }
      throw new MemsError(
        'EFAULT',
        `${call}(${describeMapping(mapping)}): not a mapping made by this provider in this thread (use mappingAt)`,
      );
    }
    const { head, serial } = mapping;
    const pages = mapping.byteLength / this.pageSize;
    this.#mutex.lock();
    try {
      if (!this.isLive(head, serial)) {
        throw new MemsError('EFAULT', `${call}(${describeMapping(mapping)}): already unmapped`);
      }
      // Zero the pages now, so that map never has to (fresh pages of a grown buffer are zero).
      new Uint8Array(this.data, head * this.pageSize, pages * this.pageSize).fill(0);
      const tags = this.#tags;
      const top = this.#words[W_TOP]!;
      let start = head;
      let length = pages;
      if (head + pages < top && tags[head + pages]! < 0) length += -tags[head + pages]!;
      if (head > 0 && tags[head - 1]! < 0) {
        start -= -tags[head - 1]!;
        length += -tags[head - 1]!;
      }
      this.#tag(start, -length);
      Atomics.store(this.#serials, head, 0);
      Atomics.sub(this.#words, W_MAPPED_PAGES, pages);
      Atomics.sub(this.#words, W_MAPPING_COUNT, 1);
    } finally {
      this.#mutex.unlock();
    }
    this.#mine.delete(head);
  }

  mappingAt(address: bigint): Mapping {
    const call = `${this.name}.mappingAt`;
    if (typeof address !== 'bigint') {
      throw new MemsError('EINVAL', `${call}(${describeValue(address)}): the address must be a bigint`);
    }
    const offset = address - BASE_ADDRESS;
    const page =
      offset >= 0n && offset % BigInt(this.pageSize) === 0n ? Number(offset / BigInt(this.pageSize)) : -1;
    if (page >= 0 && page < this.#maxPages) {
      const serial = Atomics.load(this.#serials, page);
      if (serial !== 0) {
        const known = this.#mine.get(page);
        if (known !== undefined && known.serial === serial) return known;
        const tag = Atomics.load(this.#tags, page);
        // Read again: another thread may have unmapped it between the two loads.
        if (tag > 0 && Atomics.load(this.#serials, page) === serial) {
          const mapping = new SharedMemoryMapping(this, page, tag, serial);
          this.#mine.set(page, mapping);
          return mapping;
        }
      }
    }
    throw new MemsError('EFAULT', `${call}(0x${address.toString(16)}): no live mapping starts there`);
  }

  /** Writes the boundary tags of a run of |tag| pages from `head`. */
  #tag(head: number, tag: number): void {
    const length = tag < 0 ? -tag : tag;
    Atomics.store(this.#tags, head, tag);
    Atomics.store(this.#tags, head + length - 1, tag);
  }
}
