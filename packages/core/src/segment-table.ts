/** Segment kinds as stored in a {@link SegmentTable}. */
export const FREE_SLOT = 0;
/** An allocated segment (the seed's PROCESS). */
export const PROCESS = 1;
/** A free segment (the seed's HOLE). */
export const HOLE = 2;

/** The end-of-chain marker for segment and node links. */
export const NONE = -1;

/** Doubles per segment record in {@link SegmentTable.f} (32 bytes). */
export const F_STRIDE = 4;
/** 32-bit words per segment record in {@link SegmentTable.i} and {@link SegmentTable.u} (the same 32 bytes). */
export const I_STRIDE = 8;
/** Double slot: virtual address of the segment's first byte. */
export const F_START = 0;
/** Uint32 slot (in {@link SegmentTable.u}): the segment's length in bytes (a node is < 4 GiB). */
export const U_SIZE = 2;
/** Int32 slot: previous segment of the sub-chain. */
export const I_PREV = 3;
/** Int32 slot: next segment of the sub-chain. */
export const I_NEXT = 4;
/** Int32 slot: owning node id × 4 + kind. */
export const I_NODE_KIND = 5;
/** Int32 slots free for the placement policy (tree or list links). */
export const I_AUX0 = 6;
/** Second int32 slot free for the placement policy. */
export const I_AUX1 = 7;

/** Bytes of one segment record. */
export const SEGMENT_RECORD_BYTES = F_STRIDE * 8;

const INITIAL_CAPACITY = 64;

/**
 * The next capacity of a growing table: half as large again, so that at most a third of the
 * records sit unused after a growth (doubling leaves up to half, which is metadata too).
 */
function grown(capacity: number): number {
  return capacity + Math.max(1, capacity >> 1);
}

/**
 * Every segment of every sub-chain, one 32-byte record per segment id in a single
 * `ArrayBuffer` seen through three views (`f`: doubles, `i`: int32s, `u`: uint32s), so that
 * everything the hot path reads about a segment sits together (about two records per cache
 * line). A record holds the start address (a double: addresses go up to
 * 2^53), the size (a uint32: a node is under 4 GiB), the sub-chain links, owner node and
 * kind, and two slots that the placement policy uses for its own index (tree or list links),
 * as TLSF keeps its free-list links in the block header. Ids are recycled through a free list
 * and the buffer grows by half when full, so the hot path allocates no JavaScript objects.
 */
export class SegmentTable {
  /** The records' double slots (index `F_STRIDE × id + F_*`). */
  f: Float64Array;
  /** The records' int32 slots (index `I_STRIDE × id + I_*`). */
  i: Int32Array;
  /** The same words unsigned, for the size (index `I_STRIDE × id + U_SIZE`). */
  u: Uint32Array;
  /** How many ids the buffer holds. */
  capacity: number;
  /** Number of ids in use. */
  count = 0;
  private freeHead = NONE;
  private highWater = 0;
  private readonly growListeners: Array<(capacity: number) => void> = [];

  /** @param capacity the initial number of ids (default 64). */
  constructor(capacity = INITIAL_CAPACITY) {
    this.capacity = capacity;
    const buffer = new ArrayBuffer(capacity * SEGMENT_RECORD_BYTES);
    this.f = new Float64Array(buffer);
    this.i = new Int32Array(buffer);
    this.u = new Uint32Array(buffer);
  }

  /** @returns the segment's virtual start address. */
  start(s: number): number {
    return this.f[F_STRIDE * s + F_START]!;
  }
  /** Sets the segment's virtual start address. */
  setStart(s: number, value: number): void {
    this.f[F_STRIDE * s + F_START] = value;
  }
  /** @returns the segment's size in bytes. */
  size(s: number): number {
    return this.u[I_STRIDE * s + U_SIZE]!;
  }
  /** Sets the segment's size in bytes (below 2^32). */
  setSize(s: number, value: number): void {
    this.u[I_STRIDE * s + U_SIZE] = value;
  }
  /** @returns the previous segment of the sub-chain, or NONE. */
  prev(s: number): number {
    return this.i[I_STRIDE * s + I_PREV]!;
  }
  /** Sets the previous segment of the sub-chain. */
  setPrev(s: number, value: number): void {
    this.i[I_STRIDE * s + I_PREV] = value;
  }
  /** @returns the next segment of the sub-chain, or NONE. */
  next(s: number): number {
    return this.i[I_STRIDE * s + I_NEXT]!;
  }
  /** Sets the next segment of the sub-chain. */
  setNext(s: number, value: number): void {
    this.i[I_STRIDE * s + I_NEXT] = value;
  }
  /** @returns the owning node id. */
  node(s: number): number {
    return this.i[I_STRIDE * s + I_NODE_KIND]! >> 2;
  }
  /** @returns PROCESS, HOLE or FREE_SLOT. */
  kind(s: number): number {
    return this.i[I_STRIDE * s + I_NODE_KIND]! & 3;
  }
  /** Sets the owning node id and the kind. */
  setNodeKind(s: number, node: number, kind: number): void {
    this.i[I_STRIDE * s + I_NODE_KIND] = (node << 2) | kind;
  }
  /** Sets the kind, keeping the owner. */
  setKind(s: number, kind: number): void {
    const at = I_STRIDE * s + I_NODE_KIND;
    this.i[at] = (this.i[at]! & ~3) | kind;
  }

  /**
   * Registers a function called with the new capacity whenever the table grows, so that
   * structures indexed by segment id outside the records can grow alongside.
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
    let capacity = grown(this.capacity);
    while (this.count + extra > capacity) capacity = grown(capacity);
    this.grow(capacity);
  }

  /**
   * Takes an id for a new segment; its fields are set by the caller.
   * @returns the new id.
   */
  take(): number {
    let id = this.freeHead;
    if (id !== NONE) {
      this.freeHead = this.i[I_STRIDE * id + I_NEXT]!;
    } else {
      if (this.highWater === this.capacity) this.grow(grown(this.capacity));
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
    this.i[I_STRIDE * id + I_NODE_KIND] = FREE_SLOT;
    this.i[I_STRIDE * id + I_NEXT] = this.freeHead;
    this.freeHead = id;
    this.count--;
  }

  /** Forgets every segment (ids restart from 0); keeps the buffer. */
  clear(): void {
    this.i.fill(0);
    this.count = 0;
    this.freeHead = NONE;
    this.highWater = 0;
  }

  /** Bytes held by the records (the metadata cost of segments and of the policy's index). */
  get metadataBytes(): number {
    return this.capacity * SEGMENT_RECORD_BYTES;
  }

  private grow(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * SEGMENT_RECORD_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buffer);
    this.i = new Int32Array(buffer);
    this.u = new Uint32Array(buffer);
    this.capacity = capacity;
    for (const listener of this.growListeners) listener(capacity);
  }
}
