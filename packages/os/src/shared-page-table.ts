import { describeValue, errorMessage, MemsError } from './errors.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { describeMapping } from './provider-mapping.js';
import { recycleBuffer } from './shared-buffer-pool.js';
import { SharedMutex } from './shared-mutex.js';
import {
  HEADER_WORDS,
  MUTEX_BYTE_OFFSET,
  pageTableShape,
  type SharedPagesHandle,
  W_EPOCH,
  W_MAPPED_PAGES,
  W_MAPPING_COUNT,
  W_RELEASED,
  W_SERIAL,
  W_TOP,
} from './shared-page-table-state.js';
import { MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

export type { SharedPagesHandle } from './shared-page-table-state.js';

/**
 * A {@link PageProvider} whose page table lives in shared memory, so that every thread that
 * opens its {@link SharedPagesProvider.handle} maps and unmaps the same pages.
 */
export interface SharedPagesProvider extends PageProvider {
  /** Always true: fresh pages are zero, and `unmap` zeroes (or discards) the pages it frees. */
  readonly zeroed: true;
  /** The most bytes that may be mapped at once. */
  readonly maxBytes: number;
  /** The value to post to another thread, which opens it with the provider's `open…` function. */
  readonly handle: SharedPagesHandle;
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

/** This thread's object for one run of pages of a shared page table. */
class SharedPagesMapping implements Mapping {
  readonly address: bigint;
  readonly byteLength: number;
  readonly byteOffset: number | undefined;
  readonly provider: string;
  readonly #owner: SharedPagesProviderBase;
  readonly #buffer: ArrayBuffer | SharedArrayBuffer;
  /** The first page. */
  readonly head: number;
  /** The serial the page table gave this mapping. */
  readonly serial: number;

  constructor(owner: SharedPagesProviderBase, head: number, pages: number, serial: number) {
    this.#owner = owner;
    this.head = head;
    this.serial = serial;
    this.provider = owner.name;
    this.byteLength = pages * owner.pageSize;
    this.address = owner.base + BigInt(head * owner.pageSize);
    const { buffer, byteOffset } = owner.memoryOf(head, pages, this.address);
    this.#buffer = buffer;
    if (byteOffset !== undefined) this.byteOffset = byteOffset;
  }

  /** Whether `value` is really one of these objects (not a copy or an object inheriting from one). */
  static is(value: object): value is SharedPagesMapping {
    return #owner in value;
  }

  /** True until the mapping is unmapped (by any thread); then false for ever. */
  get live(): boolean {
    return this.#owner.isLive(this.head, this.serial);
  }

  /**
   * The memory of the pages (see {@link Mapping.buffer}).
   * @throws MemsError `EFAULT` once the mapping has been unmapped.
   */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    if (!this.live) {
      throw new MemsError(
        'EFAULT',
        `${this.provider} mapping 0x${this.address.toString(16)} (${this.byteLength} bytes): buffer used after unmap`,
      );
    }
    return this.#buffer;
  }
}

/**
 * The page-table logic both shared providers use: first fit over runs of pages described by
 * boundary tags (`±run length` at both ends of every run; runs tile `[0, top)`), freed runs
 * merged with their neighbours, a serial per live mapping so that every thread can tell whether
 * a mapping still lives, and one {@link SharedMutex} around `map` and `unmap`. A subclass says
 * how pages get memory: {@link SharedPagesProviderBase.prepare} (before pages are handed out),
 * {@link SharedPagesProviderBase.discard} (before they are freed) and
 * {@link SharedPagesProviderBase.memoryOf} (this thread's buffer for a mapping).
 */
export abstract class SharedPagesProviderBase implements SharedPagesProvider {
  readonly name: string;
  readonly pageSize: number;
  readonly maxBytes: number;
  readonly maxMappingBytes: number;
  readonly zeroed = true as const;
  abstract readonly handle: SharedPagesHandle;
  /** The address of page 0. */
  readonly base: bigint;
  protected readonly maxPages: number;
  /** Which use of the state buffer this provider is (see `W_EPOCH`); handles carry it. */
  readonly epoch: number;
  readonly #state: SharedArrayBuffer;
  readonly #words: Int32Array;
  /** One boundary tag per page: a run of n pages has +n (mapped) or -n (free) at both ends. */
  readonly #tags: Int32Array;
  /** Per page: the serial of the live mapping that starts there, else 0. */
  readonly #serials: Int32Array;
  readonly #mutex: SharedMutex;
  /** This thread's mapping objects (map and mappingAt), by first page. */
  readonly #mine = new Map<number, SharedPagesMapping>();

  /**
   * @param name the provider's name.
   * @param state the page table's buffer.
   * @param epoch the epoch of the handle it was opened from (absent: the state's, for a new table).
   */
  constructor(name: string, state: SharedArrayBuffer, epoch?: number) {
    const { pageSize, maxPages, base, epoch: current } = pageTableShape(state);
    this.epoch = epoch ?? current;
    this.#state = state;
    this.#words = new Int32Array(state, 0, HEADER_WORDS);
    this.pageSize = pageSize;
    this.maxPages = maxPages;
    this.base = base;
    this.#tags = new Int32Array(state, HEADER_WORDS * 4, maxPages);
    this.#serials = new Int32Array(state, (HEADER_WORDS + maxPages) * 4, maxPages);
    this.#mutex = new SharedMutex(state, MUTEX_BYTE_OFFSET);
    this.name = name;
    this.maxBytes = maxPages * pageSize;
    this.maxMappingBytes = Math.min(this.maxBytes, MAX_MAPPING_BYTES);
  }

  /**
   * Gets pages ready to be handed out, under the lock: `head` to `head + pages`, the top moving
   * to `newTop` (the same as before when the run was free below the top). Throws to refuse.
   */
  protected abstract prepare(call: string, head: number, pages: number, newTop: number): void;
  /** Gives a run's memory back before it is freed, under the lock (zero or discard it). Throws to refuse. */
  protected abstract discard(call: string, head: number, pages: number): void;
  /** This thread's buffer for a mapping (and where its pages are in it, for a shared buffer). */
  abstract memoryOf(
    head: number,
    pages: number,
    address: bigint,
  ): { buffer: ArrayBuffer | SharedArrayBuffer; byteOffset?: number };

  get mappedBytes(): number {
    return Atomics.load(this.#words, W_MAPPED_PAGES) * this.pageSize;
  }

  get mappingCount(): number {
    return Atomics.load(this.#words, W_MAPPING_COUNT);
  }

  /**
   * Whether the memory was released (then every call is `ESTATE`): by `destroy`, or long enough
   * ago that the state buffer now serves another provider (another epoch).
   */
  protected get released(): boolean {
    return Atomics.load(this.#words, W_RELEASED) === 1 || Atomics.load(this.#words, W_EPOCH) !== this.epoch;
  }

  /** Whether the mapping with this serial still starts at `head` (in this provider's epoch). */
  isLive(head: number, serial: number): boolean {
    return Atomics.load(this.#serials, head) === serial && Atomics.load(this.#words, W_EPOCH) === this.epoch;
  }

  map(byteLength: number): Mapping {
    const call = `${this.name}.map`;
    const pages = validateByteLength(call, byteLength, this.pageSize, this.maxMappingBytes) / this.pageSize;
    const words = this.#words;
    const tags = this.#tags;
    let head = -1;
    let mapping: SharedPagesMapping;
    this.#mutex.lock();
    try {
      this.#checkNotReleased(call, byteLength);
      const top = words[W_TOP]!;
      // First fit over the runs, which tile [0, top).
      for (let page = 0; page < top; ) {
        const tag = tags[page]!;
        if (tag < 0 && -tag >= pages) {
          head = page;
          break;
        }
        page += tag < 0 ? -tag : tag;
      }
      let newTop = top;
      if (head < 0) {
        // Past the top: a free run that ends at the top is extended.
        const trailing = top > 0 && tags[top - 1]! < 0 ? -tags[top - 1]! : 0;
        head = top - trailing;
        newTop = head + pages;
        if (newTop > this.maxPages) {
          throw new MemsError(
            'ENOMEM',
            `${call}(${byteLength}): ${this.mappedBytes} of ${this.maxBytes} bytes are mapped; ${byteLength} more do not fit`,
          );
        }
      }
      this.prepare(call, head, pages, newTop);
      const serial = words[W_SERIAL]! >= 0x7fff_fffe ? 1 : words[W_SERIAL]! + 1;
      try {
        mapping = new SharedPagesMapping(this, head, pages, serial);
      } catch (cause) {
        try {
          this.discard(call, head, pages);
        } catch {
          // The pages stay committed and free: memory, not a wrong answer.
        }
        const reason = errorMessage(cause);
        throw new MemsError('ENOMEM', `${call}(${byteLength}): cannot view the mapped memory: ${reason}`, {
          cause,
        });
      }
      const free = newTop === top ? -tags[head]! : pages;
      if (free > pages) this.#tag(head + pages, -(free - pages));
      if (newTop !== top) Atomics.store(words, W_TOP, newTop);
      this.#tag(head, pages);
      words[W_SERIAL] = serial;
      Atomics.store(this.#serials, head, serial);
      Atomics.add(words, W_MAPPED_PAGES, pages);
      Atomics.add(words, W_MAPPING_COUNT, 1);
    } finally {
      this.#mutex.unlock();
    }
    this.#mine.set(head, mapping);
    return mapping;
  }

  unmap(mapping: Mapping): void {
    const call = `${this.name}.unmap`;
    if (typeof mapping !== 'object' || mapping === null) {
      throw new MemsError('EINVAL', `${call}(${describeValue(mapping)}): the argument must be a Mapping`);
    }
    if (!SharedPagesMapping.is(mapping) || this.#mine.get(mapping.head) !== mapping) {
      if (SharedPagesMapping.is(mapping) && !mapping.live) {
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
      this.discard(call, head, pages);
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
    const offset = address - this.base;
    const page =
      offset >= 0n &&
      offset % BigInt(this.pageSize) === 0n &&
      offset / BigInt(this.pageSize) < BigInt(this.maxPages)
        ? Number(offset / BigInt(this.pageSize))
        : -1;
    if (page >= 0 && !this.released) {
      const serial = Atomics.load(this.#serials, page);
      if (serial !== 0) {
        const known = this.#mine.get(page);
        if (known !== undefined && known.serial === serial) return known;
        const tag = Atomics.load(this.#tags, page);
        // Read again: another thread may have unmapped it between the two loads.
        if (tag > 0 && Atomics.load(this.#serials, page) === serial) return this.#remember(page, tag, serial);
      }
    }
    throw new MemsError('EFAULT', `${call}(0x${address.toString(16)}): no live mapping starts there`);
  }

  /**
   * Marks the memory released, under the lock, if nothing is mapped, then hands the state buffer
   * and `buffers` to the pool for the next provider of the same size (JavaScript cannot free a
   * SharedArrayBuffer; see shared-buffer-pool.ts). Only the call that releases recycles.
   * @param call the call to name.
   * @param release gives the memory back (called under the lock); throws to refuse.
   * @param buffers more buffers of this provider to recycle: a shared-memory provider's pages,
   *   all zeros by then.
   * @throws MemsError `ESTATE` while mappings live or when already released.
   */
  protected releaseAll(call: string, release: () => void, buffers: readonly SharedArrayBuffer[] = []): void {
    this.#mutex.lock();
    try {
      this.#checkNotReleased(call, undefined);
      const count = this.#words[W_MAPPING_COUNT]!;
      if (count !== 0) {
        throw new MemsError('ESTATE', `${call}(): ${count} mappings are still live; unmap them first`);
      }
      release();
      Atomics.store(this.#words, W_RELEASED, 1);
    } finally {
      this.#mutex.unlock();
    }
    for (const buffer of buffers) recycleBuffer('pages', buffer);
    recycleBuffer('page-table', this.#state);
  }

  #checkNotReleased(call: string, argument: unknown): void {
    if (this.released) {
      throw new MemsError(
        'ESTATE',
        `${call}(${argument === undefined ? '' : describeValue(argument)}): the provider's memory was released (destroy)`,
      );
    }
  }

  #remember(head: number, pages: number, serial: number): SharedPagesMapping {
    let mapping: SharedPagesMapping;
    try {
      mapping = new SharedPagesMapping(this, head, pages, serial);
    } catch (cause) {
      const reason = errorMessage(cause);
      throw new MemsError('ENOMEM', `${this.name}.mappingAt: cannot view the mapped memory: ${reason}`, {
        cause,
      });
    }
    this.#mine.set(head, mapping);
    return mapping;
  }

  /** Writes the boundary tags of a run of |tag| pages from `head`. */
  #tag(head: number, tag: number): void {
    const length = tag < 0 ? -tag : tag;
    Atomics.store(this.#tags, head, tag);
    Atomics.store(this.#tags, head + length - 1, tag);
  }
}
