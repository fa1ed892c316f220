/**
 * Where a heap's tables keep their bytes: numbered **regions**, each a run of bytes in some
 * buffer. Every table of a heap (segment records, node table, live-block hash, policy indexes,
 * counters, the scalars of a shared heap) allocates its regions here at creation, keeps only
 * their ids, and makes fixed-length typed arrays over them ({@link viewOf}); a table that grows
 * {@link TableMemory.resize}s its region and re-makes its views. No table keeps a JavaScript
 * object per record, so a heap whose tables live in one growable `SharedArrayBuffer` that every
 * thread holds (a shared heap) only needs another `TableMemory`: a region moved by one thread
 * changes {@link TableMemory.generation}, and the other threads re-make their views
 * (`rebind`) before their next call.
 */
export interface TableMemory {
  /**
   * Allocates a zero-filled region (at table creation). A memory opened to attach to tables
   * that already exist hands out the existing regions in creation order and writes nothing.
   * @param byteLength bytes wanted (a multiple of 8).
   * @param fill the value every 32-bit word of a new region gets (default 0).
   * @returns the region's id.
   */
  allocate(byteLength: number, fill?: number): number;
  /**
   * Moves a region to `byteLength` bytes: its first bytes (as many as fit) are kept, the rest
   * is zero. Views made before are stale afterwards.
   * @param region a region id.
   * @param byteLength the new length (a multiple of 8; 0 frees the region's bytes).
   */
  resize(region: number, byteLength: number): void;
  /** @returns the buffer holding region `region` now. */
  buffer(region: number): ArrayBufferLike;
  /** @returns where region `region` starts in its {@link TableMemory.buffer}, in bytes. */
  byteOffset(region: number): number;
  /** @returns the region's length in bytes. */
  byteLength(region: number): number;
  /** Changes whenever any region moves (always 0 for private memory, whose owner re-binds itself). */
  readonly generation: number;
  /**
   * {@link generation} read without an atomic operation, for a caller already ordered after
   * the last move (a thread cache's operation, see ops/thread-cache.ts).
   */
  readonly generationOrdered: number;
}

/** A typed-array constructor that {@link viewOf} can use. */
export type TableArrayType<T> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * A fixed-length typed array over a region (never one that tracks a growable buffer: those
 * cost about 20× more per access on Node 20).
 * @param memory the tables' memory.
 * @param region a region id.
 * @param type the typed-array constructor.
 * @param skipBytes bytes of the region to leave out at its start (default 0).
 * @returns the view.
 */
export function viewOf<T>(memory: TableMemory, region: number, type: TableArrayType<T>, skipBytes = 0): T {
  const length = memory.byteLength(region) - skipBytes;
  const byteOffset = memory.byteOffset(region);
  // A region too short for the skip gets an empty view at its start (always inside the buffer).
  if (length <= 0) return new type(memory.buffer(region), byteOffset, 0);
  return new type(memory.buffer(region), byteOffset + skipBytes, Math.floor(length / type.BYTES_PER_ELEMENT));
}

/**
 * Private table memory: one plain `ArrayBuffer` per region (what {@link createHeap} uses).
 * Resizing allocates a new buffer and copies, exactly as tables that grow always did.
 */
export class PlainTableMemory implements TableMemory {
  private readonly buffers: ArrayBuffer[] = [];

  allocate(byteLength: number, fill = 0): number {
    const buffer = new ArrayBuffer(byteLength);
    if (fill !== 0) new Int32Array(buffer).fill(fill);
    this.buffers.push(buffer);
    return this.buffers.length - 1;
  }

  resize(region: number, byteLength: number): void {
    const old = this.buffers[region]!;
    const fresh = new ArrayBuffer(byteLength);
    const kept = Math.min(old.byteLength, byteLength);
    if (kept > 0) new Uint8Array(fresh).set(new Uint8Array(old, 0, kept));
    this.buffers[region] = fresh;
  }

  buffer(region: number): ArrayBufferLike {
    return this.buffers[region]!;
  }

  byteOffset(): number {
    return 0;
  }

  byteLength(region: number): number {
    return this.buffers[region]!.byteLength;
  }

  get generation(): number {
    return 0;
  }

  get generationOrdered(): number {
    return 0;
  }
}

/**
 * @returns a fresh private {@link TableMemory} (plain `ArrayBuffer`s), one per heap.
 */
export function plainMemory(): TableMemory {
  return new PlainTableMemory();
}

/**
 * What a table of a heap that other threads share must do besides its work: re-make its views
 * after another thread moved a region, and move its scalars (counts, list heads, capacities)
 * between its own fields and a shared scalars region, so that single-threaded heaps keep them
 * as plain fields. A shared heap calls {@link SharedTableState.loadState} after taking its lock
 * and {@link SharedTableState.saveState} before releasing it.
 */
export interface SharedTableState {
  /** How many Float64 scalars the table saves. */
  readonly stateSlots: number;
  /** Re-makes every typed-array view from the table's regions. */
  rebind(): void;
  /**
   * Writes the table's scalars.
   * @param state the scalars region's view.
   * @param at where this table's `stateSlots` scalars start.
   */
  saveState(state: Float64Array, at: number): void;
  /**
   * Reads the table's scalars (written by {@link SharedTableState.saveState} in any thread).
   * @param state the scalars region's view.
   * @param at where this table's scalars start.
   */
  loadState(state: Float64Array, at: number): void;
}

/**
 * Whether a value (a placement policy) implements {@link SharedTableState}.
 * @param value anything.
 * @returns true when it has `stateSlots`, `rebind`, `saveState` and `loadState`.
 */
export function hasSharedState(value: unknown): value is SharedTableState {
  const v = value as Partial<SharedTableState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.stateSlots === 'number' &&
    typeof v.rebind === 'function' &&
    typeof v.saveState === 'function' &&
    typeof v.loadState === 'function'
  );
}
