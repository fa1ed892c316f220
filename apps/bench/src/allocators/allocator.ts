/** Where an allocator's addresses live while a workload holds them. */
export interface Slots<A> {
  [index: number]: A;
  readonly length: number;
}

/** What an allocator can say about its memory, cheaply (called between trials). */
export interface AllocatorMemory {
  /** Bytes held from the OS or the pool (mapped pages, pool high-water mark); null when unknown. */
  readonly mappedBytes: number | null;
  /** Bytes of out-of-line metadata (typed arrays, tables); null when the allocator has none to report. */
  readonly metadataBytes: number | null;
}

/**
 * Writes and reads back the two ends of a block, through the access path a user of the
 * allocator has: views for MeMS and @thi.ng/malloc, koffi's memory access for libc.
 */
export interface BlockToucher<A> {
  /**
   * Writes `stamp` as a float64 into the first 8 and the last 8 bytes of the block.
   * @param address the block's address.
   * @param size its size in bytes, at least 16.
   * @param stamp an integer below 2^32.
   */
  write(address: A, size: number, stamp: number): void;
  /**
   * Reads the first 8 and the last 8 bytes of the block back.
   * @param address the block's address.
   * @param size its size in bytes, at least 16.
   * @param stamp the stamp written last.
   * @returns true when both ends still hold `stamp`.
   */
  read(address: A, size: number, stamp: number): boolean;
}

/**
 * A {@link BlockToucher} over byte views: `bytesOf(address, size)` returns a Uint8Array whose
 * index 0 is the block's first byte (a view of the block, or of the whole pool with `offset`).
 * The stamp goes through an 8-byte scratch, so unaligned blocks (MeMS's default alignment is 1)
 * are written the same way as aligned ones.
 * @param bytesOf the bytes of a block: a view, and where the block starts in it.
 * @returns the toucher.
 */
export function viewToucher<A>(
  bytesOf: (address: A, size: number) => { readonly bytes: Uint8Array; readonly offset: number },
): BlockToucher<A> {
  const scratch = new Float64Array(1);
  const scratchBytes = new Uint8Array(scratch.buffer);
  return {
    write: (address, size, stamp) => {
      const { bytes, offset } = bytesOf(address, size);
      scratch[0] = stamp;
      const last = offset + size - 8;
      for (let k = 0; k < 8; k++) {
        bytes[offset + k] = scratchBytes[k]!;
        bytes[last + k] = scratchBytes[k]!;
      }
    },
    read: (address, size, stamp) => {
      const { bytes, offset } = bytesOf(address, size);
      const last = offset + size - 8;
      for (let k = 0; k < 8; k++) scratchBytes[k] = bytes[offset + k]!;
      const first = scratch[0];
      for (let k = 0; k < 8; k++) scratchBytes[k] = bytes[last + k]!;
      return first === stamp && scratch[0] === stamp;
    },
  };
}

/**
 * The one surface every JavaScript contender is driven through. Each benchmark process drives
 * exactly one contender, so these calls stay monomorphic and V8 inlines them: every contender
 * pays the same (small) adapter cost, which the harness-baseline contender shows.
 */
export interface Allocator<A> {
  /** Contender id. */
  readonly id: string;
  /**
   * Allocates a block.
   * @param size bytes, a positive integer.
   * @returns its address.
   * @throws Error when the allocator cannot allocate.
   */
  malloc(size: number): A;
  /**
   * Frees a block.
   * @param address an address `malloc` returned and not yet freed.
   * @throws Error when the allocator refuses.
   */
  free(address: A): void;
  /** Resizes a block (may move it); null when the contender has no realloc. */
  readonly realloc: ((address: A, size: number) => A) | null;
  /** Translates an address (start or interior) to a physical one; null when there is nothing to translate. */
  readonly translate: ((address: A) => bigint) | null;
  /**
   * An address `offset` bytes into the block at `address`.
   * @param address a block's address.
   * @param offset bytes from its start.
   * @returns the interior address.
   */
  interior(address: A, offset: number): A;
  /**
   * Storage for `count` addresses that creates no garbage when written (a Float64Array for
   * number addresses).
   * @param count how many.
   * @returns the slots.
   */
  newSlots(count: number): Slots<A>;
  /**
   * Touches a block's memory as a program would (the `churn-touch` workload), or null when the
   * contender has no memory to touch (the harness baseline).
   */
  readonly touch: BlockToucher<A> | null;
  /** Current memory figures (O(1)). */
  memory(): AllocatorMemory;
  /**
   * External fragmentation, 1 − largest free block ÷ free bytes (0 with no free bytes); may
   * walk the whole heap. Null when the allocator cannot tell.
   */
  fragmentation(): number | null;
  /**
   * Releases everything. Allocators that cannot drop everything at once (libc) free the
   * `count` blocks still held in `slots` first.
   * @param slots live addresses.
   * @param count how many of them are live (from index 0).
   */
  destroy(slots: Slots<A>, count: number): void;
}
