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
