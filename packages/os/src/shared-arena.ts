import { describeValue, MemsError } from './errors.js';
import { recycleBuffer, takeGrowableBuffer } from './shared-buffer-pool.js';
import { isSharedArrayBuffer } from './shared-mutex.js';

/** What `handle.kind` says. */
const HANDLE_KIND = 'mems-shared-arena';
const MAGIC = 0x4d415241; // 'MARA'
const VERSION = 1;

// The control buffer: an Int32 header, then Float64 columns (offsets and lengths are < 2^53).
const H_MAGIC = 0;
const H_VERSION = 1;
const H_GENERATION = 2;
const H_SLOTS = 3;
const H_FREE_COUNT = 4;
const H_FREE_CAPACITY = 5;
/** 1 once the arena was retired (its data buffer handed to the pool for the next arena). */
const H_RETIRED = 6;
const HEADER_BYTES = 32;
/** Float64 index of the arena's top (bytes handed out or free below it). */
const F_TOP = HEADER_BYTES / 8;
const F_COLUMNS = F_TOP + 1;

/** Regions are 8-byte aligned, so that any typed array can view them. */
const ALIGN = 8;
/** The arena grows by at least this much at a time. */
const GROW_STEP = 64 * 1024;

/** The largest arena: 2^32 bytes. */
export const MAX_ARENA_BYTES: number = 2 ** 32;

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(newLength: number): void;
}

/** A structured-cloneable description of a {@link SharedArena}, for another thread. */
export interface SharedArenaHandle {
  /** Always `'mems-shared-arena'`. */
  readonly kind: typeof HANDLE_KIND;
  /** The directory (fixed length). */
  readonly control: SharedArrayBuffer;
  /** The regions (growable). */
  readonly data: SharedArrayBuffer;
}

/**
 * Flat table storage that every thread can reach: numbered slots, each a region of one growable
 * `SharedArrayBuffer`, with the directory (where each slot's region is) in a second shared
 * buffer. A table that grows asks for a bigger region for its slot; the arena copies the old
 * bytes there, frees the old region for reuse and bumps the shared **generation** word. A thread
 * that sees a generation other than the one it last saw re-creates its fixed-length views
 * ({@link SharedArena.bytes} and friends), once per call; views over a growable buffer made
 * without a length would track its growth and cost about 20× more per access on Node 20.
 *
 * The arena takes no lock: its owner (a shared heap) calls it with its own lock held, and must
 * re-read the generation under that lock. Growing the buffer never detaches what other threads
 * hold, so views made before a growth stay valid until their region is freed.
 */
export class SharedArena {
  /** The regions' buffer (the same memory in every thread). */
  readonly data: SharedArrayBuffer;
  /** The value to post to another thread, which opens it with {@link SharedArena.open}. */
  readonly handle: SharedArenaHandle;
  /** The number of slots. */
  readonly slots: number;
  readonly #header: Int32Array;
  readonly #columns: Float64Array;
  readonly #freeCapacity: number;

  private constructor(control: SharedArrayBuffer, data: GrowableSharedArrayBuffer) {
    this.#header = new Int32Array(control, 0, HEADER_BYTES / 4);
    this.slots = this.#header[H_SLOTS]!;
    this.#freeCapacity = this.#header[H_FREE_CAPACITY]!;
    this.#columns = new Float64Array(control, 0, F_COLUMNS + 2 * this.slots + 2 * this.#freeCapacity);
    this.data = data;
    this.handle = Object.freeze({ kind: HANDLE_KIND, control, data });
  }

  /**
   * Makes an empty arena.
   * @param options `slots`: how many tables it holds (1 to 1024); `maxBytes`: the most bytes it
   *   may grow to (a positive multiple of 8, at most 2^32; address space is reserved, memory is
   *   committed only as it grows).
   * @returns this thread's arena; post `arena.handle` to others.
   * @throws MemsError `EINVAL` for bad options; `ENOMEM` when the runtime has no growable
   *   SharedArrayBuffer.
   */
  static create(options: { slots: number; maxBytes: number }): SharedArena {
    const call = 'SharedArena.create';
    const { slots, maxBytes } = typeof options === 'object' && options !== null ? options : ({} as never);
    if (typeof slots !== 'number' || !Number.isInteger(slots) || slots < 1 || slots > 1024) {
      throw new MemsError(
        'EINVAL',
        `${call}({ slots: ${describeValue(slots)} }): slots must be an integer from 1 to 1024`,
      );
    }
    if (
      typeof maxBytes !== 'number' ||
      !Number.isSafeInteger(maxBytes) ||
      maxBytes <= 0 ||
      maxBytes % ALIGN !== 0 ||
      maxBytes > MAX_ARENA_BYTES
    ) {
      throw new MemsError(
        'EINVAL',
        `${call}({ maxBytes: ${describeValue(maxBytes)} }): maxBytes must be a positive multiple of 8, at most 2^32`,
      );
    }
    if (typeof SharedArrayBuffer !== 'function') {
      throw new MemsError(
        'ENOMEM',
        `${call}(): SharedArrayBuffer is not available here (cross-origin isolation needed)`,
      );
    }
    // Freed regions merge with their neighbours, so there are at most slots + 1 of them.
    const freeCapacity = slots + 1;
    let data: GrowableSharedArrayBuffer;
    let control: SharedArrayBuffer;
    try {
      // A retired arena's buffer first: its address space is reserved already (see shared-buffer-pool.ts).
      data =
        (takeGrowableBuffer('arena', maxBytes) as GrowableSharedArrayBuffer | undefined) ??
        new (
          SharedArrayBuffer as unknown as new (
            length: number,
            options: { maxByteLength: number },
          ) => GrowableSharedArrayBuffer
        )(0, { maxByteLength: maxBytes });
      control = new SharedArrayBuffer((F_COLUMNS + 2 * slots + 2 * freeCapacity) * 8);
    } catch (error) {
      throw new MemsError('ENOMEM', `${call}({ maxBytes: ${maxBytes} }): cannot reserve the buffer`, {
        cause: error,
      });
    }
    if (data.growable !== true) {
      throw new MemsError('ENOMEM', `${call}(): this runtime's SharedArrayBuffer cannot grow`);
    }
    const header = new Int32Array(control, 0, HEADER_BYTES / 4);
    header[H_VERSION] = VERSION;
    header[H_SLOTS] = slots;
    header[H_FREE_CAPACITY] = freeCapacity;
    Atomics.store(header, H_MAGIC, MAGIC);
    return new SharedArena(control, data);
  }

  /**
   * Opens, in this thread, the arena a handle describes.
   * @param handle an arena's `handle` (posted to this thread or not).
   * @returns this thread's arena over the same memory.
   * @throws MemsError `EINVAL` when `handle` is not an arena handle.
   */
  static open(handle: SharedArenaHandle): SharedArena {
    const bad = (why: string): MemsError =>
      new MemsError('EINVAL', `SharedArena.open(${describeValue(handle)}): not an arena handle: ${why}`);
    if (typeof handle !== 'object' || handle === null) throw bad('not an object');
    let kind: unknown;
    let control: unknown;
    let data: unknown;
    try {
      ({ kind, control, data } = handle);
    } catch (error) {
      throw new MemsError(
        'EINVAL',
        `SharedArena.open(${describeValue(handle)}): its properties cannot be read`,
        {
          cause: error,
        },
      );
    }
    if (kind !== HANDLE_KIND) throw bad(`kind is ${describeValue(kind)}`);
    if (!isSharedArrayBuffer(control) || !isSharedArrayBuffer(data))
      throw bad('control and data must be SharedArrayBuffers');
    if (control.byteLength < HEADER_BYTES + 8) throw bad('control is too short');
    const header = new Int32Array(control, 0, HEADER_BYTES / 4);
    const slots = header[H_SLOTS]!;
    const freeCapacity = header[H_FREE_CAPACITY]!;
    if (
      Atomics.load(header, H_MAGIC) !== MAGIC ||
      header[H_VERSION] !== VERSION ||
      control.byteLength !== (F_COLUMNS + 2 * slots + 2 * freeCapacity) * 8 ||
      (data as GrowableSharedArrayBuffer).growable !== true
    ) {
      throw bad('its control buffer does not describe an arena');
    }
    return new SharedArena(control, data as GrowableSharedArrayBuffer);
  }

  /** Whether {@link SharedArena.retire} was called (in any thread). */
  get retired(): boolean {
    return Atomics.load(this.#header, H_RETIRED) === 1;
  }

  /**
   * Gives the arena's memory up for good: its data buffer goes to a pool that the next
   * {@link SharedArena.create} of the same `maxBytes` in this thread takes from, since
   * JavaScript cannot free a SharedArrayBuffer and the garbage collector does not run for the
   * address space one reserves. Call it only when no thread will read or resize the arena again
   * (its heap is finished, or was never handed out); the first call in any thread recycles, later
   * ones do nothing. Opening the arena's handle afterwards still works (so that a late attach can
   * see the heap is finished), but its bytes may be another arena's.
   * @returns true when this call retired the arena, false when it was retired already.
   */
  retire(): boolean {
    if (Atomics.compareExchange(this.#header, H_RETIRED, 0, 1) !== 0) return false;
    recycleBuffer('arena', this.data);
    return true;
  }

  /** The generation word: changes whenever a region moves or is freed (read it under the owner's lock). */
  get generation(): number {
    return Atomics.load(this.#header, H_GENERATION);
  }

  /**
   * The generation word read without an atomic operation: for a caller already ordered after
   * the last change by other means (it read, after an atomic operation, a word that the
   * changing thread wrote atomically after the change), where an atomic load costs more.
   */
  get generationOrdered(): number {
    return this.#header[H_GENERATION]!;
  }

  /** Bytes handed out to slots now. */
  get usedBytes(): number {
    let used = 0;
    for (let slot = 0; slot < this.slots; slot++) used += this.#columns[F_COLUMNS + this.slots + slot]!;
    return used;
  }

  /** How far the buffer has grown (it never shrinks). */
  get capacityBytes(): number {
    return this.data.byteLength;
  }

  /**
   * Where a slot's region is now.
   * @param slot a slot number.
   * @returns its byte offset in {@link SharedArena.data} and its length (0 when it has none).
   * @throws MemsError `EINVAL` for a bad slot.
   */
  region(slot: number): { byteOffset: number; byteLength: number } {
    this.#checkSlot('SharedArena.region', slot);
    return {
      byteOffset: this.#columns[F_COLUMNS + slot]!,
      byteLength: this.#columns[F_COLUMNS + this.slots + slot]!,
    };
  }

  /**
   * A fixed-length view over a slot's region (re-make it when the generation changes).
   * @param slot a slot number.
   * @returns a Uint8Array over the region.
   * @throws MemsError `EINVAL` for a bad slot.
   */
  bytes(slot: number): Uint8Array {
    const { byteOffset, byteLength } = this.region(slot);
    return new Uint8Array(this.data, byteOffset, byteLength);
  }

  /** As {@link SharedArena.bytes}, as 32-bit integers. */
  int32(slot: number): Int32Array {
    const { byteOffset, byteLength } = this.region(slot);
    return new Int32Array(this.data, byteOffset, byteLength / 4);
  }

  /** As {@link SharedArena.bytes}, as 64-bit floats. */
  float64(slot: number): Float64Array {
    const { byteOffset, byteLength } = this.region(slot);
    return new Float64Array(this.data, byteOffset, byteLength / 8);
  }

  /**
   * Gives a slot a region of `byteLength` bytes (rounded up to 8): its old bytes are copied to
   * the start of the new region (as many as fit), the rest is zero, and the old region is freed.
   * Bumps the generation. Call it with the owner's lock held.
   * @param slot a slot number.
   * @param byteLength the new length: a non-negative safe integer (0 frees the slot's region).
   * @throws MemsError `EINVAL` for a bad slot or length; `ENOMEM` when the arena cannot grow
   *   that far (nothing changes).
   */
  resize(slot: number, byteLength: number): void {
    const call = 'SharedArena.resize';
    this.#checkSlot(call, slot);
    if (typeof byteLength !== 'number' || !Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new MemsError(
        'EINVAL',
        `${call}(${slot}, ${describeValue(byteLength)}): byteLength must be a non-negative integer`,
      );
    }
    const length = Math.ceil(byteLength / ALIGN) * ALIGN;
    const columns = this.#columns;
    const oldOffset = columns[F_COLUMNS + slot]!;
    const oldLength = columns[F_COLUMNS + this.slots + slot]!;
    let offset = 0;
    if (length > 0) {
      offset = this.#take(call, slot, length);
      const kept = Math.min(oldLength, length);
      const fresh = new Uint8Array(this.data, offset, length);
      if (kept > 0) fresh.set(new Uint8Array(this.data, oldOffset, kept));
      fresh.fill(0, kept);
    }
    if (oldLength > 0) this.#give(oldOffset, oldLength);
    columns[F_COLUMNS + slot] = offset;
    columns[F_COLUMNS + this.slots + slot] = length;
    Atomics.add(this.#header, H_GENERATION, 1);
  }

  #checkSlot(call: string, slot: number): void {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= this.slots) {
      throw new MemsError(
        'EINVAL',
        `${call}(${describeValue(slot)}): slot must be an integer from 0 to ${this.slots - 1}`,
      );
    }
  }

  /** Takes `length` bytes: the first free region (in list order) that fits, else at the top (growing the buffer). */
  #take(call: string, slot: number, length: number): number {
    const columns = this.#columns;
    const freeOffsets = F_COLUMNS + 2 * this.slots;
    const freeLengths = freeOffsets + this.#freeCapacity;
    const count = this.#header[H_FREE_COUNT]!;
    for (let i = 0; i < count; i++) {
      const free = columns[freeLengths + i]!;
      if (free >= length) {
        const offset = columns[freeOffsets + i]!;
        if (free === length) this.#removeFree(i);
        else {
          columns[freeOffsets + i] = offset + length;
          columns[freeLengths + i] = free - length;
        }
        return offset;
      }
    }
    const top = columns[F_TOP]!;
    const data = this.data as GrowableSharedArrayBuffer;
    if (top + length > data.byteLength) {
      const wanted = Math.min(data.maxByteLength, Math.max(top + length, data.byteLength + GROW_STEP));
      if (top + length > data.maxByteLength) {
        throw new MemsError(
          'ENOMEM',
          `${call}(${slot}, ${length}): the arena holds at most ${data.maxByteLength} bytes and ${top} are taken or free below the top`,
        );
      }
      try {
        data.grow(wanted);
      } catch (error) {
        throw new MemsError(
          'ENOMEM',
          `${call}(${slot}, ${length}): the arena cannot grow to ${wanted} bytes`,
          { cause: error },
        );
      }
    }
    columns[F_TOP] = top + length;
    return top;
  }

  /** Frees a region: merges it with free neighbours, or lowers the top when it ends there. */
  #give(offset: number, length: number): void {
    const columns = this.#columns;
    const freeOffsets = F_COLUMNS + 2 * this.slots;
    const freeLengths = freeOffsets + this.#freeCapacity;
    let start = offset;
    let end = offset + length;
    // Absorb the free regions that touch this one (at most one on each side).
    for (let i = this.#header[H_FREE_COUNT]! - 1; i >= 0; i--) {
      const freeStart = columns[freeOffsets + i]!;
      const freeEnd = freeStart + columns[freeLengths + i]!;
      if (freeEnd === start || freeStart === end) {
        start = Math.min(start, freeStart);
        end = Math.max(end, freeEnd);
        this.#removeFree(i);
      }
    }
    if (end === columns[F_TOP]) {
      columns[F_TOP] = start;
      return;
    }
    const count = this.#header[H_FREE_COUNT]!;
    columns[freeOffsets + count] = start;
    columns[freeLengths + count] = end - start;
    this.#header[H_FREE_COUNT] = count + 1;
  }

  #removeFree(index: number): void {
    const columns = this.#columns;
    const freeOffsets = F_COLUMNS + 2 * this.slots;
    const freeLengths = freeOffsets + this.#freeCapacity;
    const last = this.#header[H_FREE_COUNT]! - 1;
    columns[freeOffsets + index] = columns[freeOffsets + last]!;
    columns[freeLengths + index] = columns[freeLengths + last]!;
    this.#header[H_FREE_COUNT] = last;
  }
}
