/** Segment kinds as stored in {@link SegmentTable.kind}. */
export const FREE_SLOT = 0;
/** An allocated segment (the seed's PROCESS). */
export const PROCESS = 1;
/** A free segment (the seed's HOLE). */
export const HOLE = 2;

/** The end-of-chain marker for segment and node links. */
export const NONE = -1;

const INITIAL_CAPACITY = 64;

/**
 * Every segment of every sub-chain, stored as a struct of typed arrays indexed by a segment
 * id. Ids are recycled through a free list, and the arrays double when full, so the hot path
 * allocates no JavaScript objects.
 *
 * Fields per segment id: `start` (virtual address of the first byte), `size` (bytes),
 * `prev`/`next` (neighbours in the node's sub-chain, {@link NONE} at the ends), `node` (the
 * owning main-chain node id) and `kind` ({@link PROCESS}, {@link HOLE} or {@link FREE_SLOT}).
 */
export class SegmentTable {
  /** Virtual address of each segment's first byte. */
  start: Float64Array;
  /** Length in bytes of each segment. */
  size: Float64Array;
  /** Previous segment in the same sub-chain, or NONE. */
  prev: Int32Array;
  /** Next segment in the same sub-chain, or NONE. */
  next: Int32Array;
  /** Owning node id. */
  node: Int32Array;
  /** PROCESS, HOLE or FREE_SLOT. */
  kind: Uint8Array;
  /** How many ids the arrays hold. */
  capacity: number;
  /** Number of ids in use. */
  count = 0;
  private freeHead = NONE;
  private highWater = 0;
  private readonly growListeners: Array<(capacity: number) => void> = [];

  /** @param capacity the initial number of ids (default 64). */
  constructor(capacity = INITIAL_CAPACITY) {
    this.capacity = capacity;
    this.start = new Float64Array(capacity);
    this.size = new Float64Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.node = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
  }

  /**
   * Registers a function called with the new capacity whenever the table grows, so that
   * structures indexed by segment id (policy indexes) can grow alongside.
   * @param listener called after each growth.
   */
  onGrow(listener: (capacity: number) => void): void {
    this.growListeners.push(listener);
  }

  /**
   * Makes sure `extra` more ids can be taken without growing. Call it before mutating a heap,
   * so that an out-of-memory failure of the JS engine happens before any change.
   * @param extra how many ids the coming operation may take.
   */
  reserve(extra: number): void {
    if (this.count + extra <= this.capacity) return;
    let capacity = this.capacity * 2;
    while (this.count + extra > capacity) capacity *= 2;
    this.grow(capacity);
  }

  /**
   * Takes an id for a new segment; its fields are set by the caller.
   * @returns the new id.
   */
  take(): number {
    let id = this.freeHead;
    if (id !== NONE) {
      this.freeHead = this.next[id]!;
    } else {
      if (this.highWater === this.capacity) this.grow(this.capacity * 2);
      id = this.highWater++;
    }
    this.count++;
    return id;
  }

  /**
   * Returns an id to the free list.
   * @param id an id in use.
   */
  release(id: number): void {
    this.kind[id] = FREE_SLOT;
    this.next[id] = this.freeHead;
    this.freeHead = id;
    this.count--;
  }

  /** Forgets every segment (ids restart from 0); keeps the arrays. */
  clear(): void {
    this.kind.fill(0);
    this.count = 0;
    this.freeHead = NONE;
    this.highWater = 0;
  }

  /** Bytes held by the typed arrays (the metadata cost of segments). */
  get metadataBytes(): number {
    return this.capacity * (8 + 8 + 4 + 4 + 4 + 1);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const fresh = make(capacity);
      fresh.set(old);
      return fresh;
    };
    this.start = copy(this.start, (n) => new Float64Array(n));
    this.size = copy(this.size, (n) => new Float64Array(n));
    this.prev = copy(this.prev, (n) => new Int32Array(n));
    this.next = copy(this.next, (n) => new Int32Array(n));
    this.node = copy(this.node, (n) => new Int32Array(n));
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.capacity = capacity;
    for (const listener of this.growListeners) listener(capacity);
  }
}
