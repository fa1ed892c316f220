import {
  DOUBLES_PER_RECORD,
  FREE_SLOT,
  HOLE,
  NEXT,
  NONE,
  OWNER_AND_KIND,
  POLICY_LINKS,
  PREV,
  SEGMENT_RECORD_BYTES,
  SIZE,
  START,
  WORDS_PER_RECORD,
} from '../memory/segment-layout.js';
import { plainMemory, type SharedTableState, type TableMemory, viewOf } from '../memory/table-memory.js';
import type { HoleRecords, PolicyLink } from '../policies/hole-records.js';

export { CACHED, FREE_SLOT, HOLE, NONE, PROCESS } from '../memory/segment-layout.js';

const INITIAL_CAPACITY = 64;

/**
 * The next capacity of a growing table: half as large again, so that at most a third of the
 * records sit unused after a growth (doubling leaves up to half, which is metadata too).
 */
function grown(capacity: number): number {
  return capacity + Math.max(1, capacity >> 1);
}

/**
 * Every segment of every sub-chain: one flat 32-byte record per segment id (layout above) in
 * a single buffer from the table's {@link TableMemory} (layout: memory/segment-layout.ts), so no JavaScript object exists per
 * segment. Ids are recycled through a free list; the buffer grows by half when full (call
 * {@link reserve} before an operation, so growth never happens halfway through one).
 *
 * Placement policies see the table only as {@link HoleRecords}: a hole's start and size, read
 * only, and the two policy link words.
 */
export class SegmentTable implements HoleRecords, SharedTableState {
  /**
   * The raw views of the records, for ops/ only (ops/sub-chain.ts and ops/cache-ops.ts, the modules that index records
   * directly, to stay inside V8's inlining budget); everything else uses the accessors.
   * Replaced when the table grows: read them after `reserve`, never keep them across a take.
   */
  doubles!: Float64Array;
  /** See {@link doubles}. */
  words!: Int32Array;
  /** See {@link doubles}. */
  unsignedWords!: Uint32Array;
  /**
   * The words again, seen from the first policy link word of record 0, so that a link is one
   * multiply and one add away (`8 * id + which`). That keeps {@link setLink} within the 27
   * bytes of bytecode up to which V8 inlines a function at every call site without weighing
   * it against its inlining budget; at 28 bytes, TLSF's and best fit's link writes stayed
   * calls on the hot path (measured: tlsf churn ~10% slower).
   */
  private links!: Int32Array;
  /** The region holding the records. */
  private readonly region: number;
  private ids: number;
  private used = 0;
  private freeHead = NONE;
  private highWater = 0;

  /**
   * @param memory where the record buffer comes from (default: plain ArrayBuffers).
   * @param capacity the initial number of ids (default 64).
   */
  constructor(
    private readonly memory: TableMemory = plainMemory(),
    capacity = INITIAL_CAPACITY,
  ) {
    this.ids = capacity;
    this.region = memory.allocate(capacity * SEGMENT_RECORD_BYTES);
    this.rebind();
  }

  /** Re-makes the record views from the region (after a growth here or in another thread). */
  rebind(): void {
    const memory = this.memory;
    this.doubles = viewOf(memory, this.region, Float64Array);
    this.words = viewOf(memory, this.region, Int32Array);
    this.unsignedWords = viewOf(memory, this.region, Uint32Array);
    this.links = viewOf(memory, this.region, Int32Array, POLICY_LINKS * 4);
  }

  /** Scalars: capacity, used, free-list head, high water. */
  get stateSlots(): number {
    return 4;
  }

  saveState(state: Float64Array, at: number): void {
    state[at] = this.ids;
    state[at + 1] = this.used;
    state[at + 2] = this.freeHead;
    state[at + 3] = this.highWater;
  }

  loadState(state: Float64Array, at: number): void {
    this.ids = state[at]!;
    this.used = state[at + 1]!;
    this.freeHead = state[at + 2]!;
    this.highWater = state[at + 3]!;
  }

  /** How many ids the buffer holds. */
  get capacity(): number {
    return this.ids;
  }

  /** Number of ids in use. */
  get count(): number {
    return this.used;
  }

  /** @returns the segment's virtual start address. */
  start(s: number): number {
    return this.doubles[DOUBLES_PER_RECORD * s + START]!;
  }
  /** Sets the segment's virtual start address. */
  setStart(s: number, value: number): void {
    this.doubles[DOUBLES_PER_RECORD * s + START] = value;
  }
  /** @returns the segment's size in bytes. */
  size(s: number): number {
    return this.unsignedWords[WORDS_PER_RECORD * s + SIZE]!;
  }
  /** Sets the segment's size in bytes (below 2^32). */
  setSize(s: number, value: number): void {
    this.unsignedWords[WORDS_PER_RECORD * s + SIZE] = value;
  }
  /** @returns the previous segment of the sub-chain, or NONE. */
  prev(s: number): number {
    return this.words[WORDS_PER_RECORD * s + PREV]!;
  }
  /** Sets the previous segment of the sub-chain. */
  setPrev(s: number, value: number): void {
    this.words[WORDS_PER_RECORD * s + PREV] = value;
  }
  /** @returns the next segment of the sub-chain, or NONE. */
  next(s: number): number {
    return this.words[WORDS_PER_RECORD * s + NEXT]!;
  }
  /** Sets the next segment of the sub-chain. */
  setNext(s: number, value: number): void {
    this.words[WORDS_PER_RECORD * s + NEXT] = value;
  }
  /** @returns the owning node id. */
  node(s: number): number {
    return this.words[WORDS_PER_RECORD * s + OWNER_AND_KIND]! >> 2;
  }
  /** @returns PROCESS, HOLE, CACHED or FREE_SLOT. */
  kind(s: number): number {
    return this.words[WORDS_PER_RECORD * s + OWNER_AND_KIND]! & 3;
  }
  /** @returns whether `s` is a segment id (not NONE) of kind HOLE. */
  isHole(s: number): boolean {
    return s !== NONE && (this.words[WORDS_PER_RECORD * s + OWNER_AND_KIND]! & 3) === HOLE;
  }
  /** Sets the owning node id and the kind. */
  setNodeKind(s: number, node: number, kind: number): void {
    this.words[WORDS_PER_RECORD * s + OWNER_AND_KIND] = (node << 2) | kind;
  }
  /** Sets the kind, keeping the owner. */
  setKind(s: number, kind: number): void {
    const at = WORDS_PER_RECORD * s + OWNER_AND_KIND;
    this.words[at] = (this.words[at]! & ~3) | kind;
  }
  /** @returns one of the hole's two policy link words. */
  link(s: number, which: PolicyLink): number {
    return this.links[WORDS_PER_RECORD * s + which]!;
  }
  /** Sets one of the hole's two policy link words. */
  setLink(s: number, which: PolicyLink, value: number): void {
    this.links[WORDS_PER_RECORD * s + which] = value;
  }
  /** Every record's link words, raw: see {@link HoleRecords.linkWords}. */
  get linkWords(): Int32Array {
    return this.links;
  }

  /**
   * Writes a whole new segment record (its policy links are left to the policy).
   * @param s a segment id just taken.
   */
  init(s: number, start: number, size: number, node: number, kind: number, prev: number, next: number): void {
    this.doubles[DOUBLES_PER_RECORD * s + START] = start;
    const at = WORDS_PER_RECORD * s;
    this.unsignedWords[at + SIZE] = size;
    this.words[at + PREV] = prev;
    this.words[at + NEXT] = next;
    this.words[at + OWNER_AND_KIND] = (node << 2) | kind;
  }

  /**
   * Makes sure `extra` more ids can be taken without growing. Call it before mutating a heap,
   * so that an out-of-memory failure of the JS engine happens before any change.
   * @param extra how many ids the coming operation may take.
   */
  reserve(extra: number): void {
    if (this.used + extra <= this.ids) return;
    let capacity = grown(this.ids);
    while (this.used + extra > capacity) capacity = grown(capacity);
    this.grow(capacity);
  }

  /**
   * Takes an id for a new segment; its fields are set by the caller.
   * @returns the new id.
   */
  take(): number {
    let id = this.freeHead;
    if (id !== NONE) {
      this.freeHead = this.words[WORDS_PER_RECORD * id + NEXT]!;
    } else {
      if (this.highWater === this.ids) this.grow(grown(this.ids));
      id = this.highWater++;
    }
    this.used++;
    return id;
  }

  /**
   * Returns an id to the free list.
   * @param id an id in use.
   */
  release(id: number): void {
    this.words[WORDS_PER_RECORD * id + OWNER_AND_KIND] = FREE_SLOT;
    this.words[WORDS_PER_RECORD * id + NEXT] = this.freeHead;
    this.freeHead = id;
    this.used--;
  }

  /** Forgets every segment (ids restart from 0); keeps the buffer. */
  clear(): void {
    this.words.fill(0);
    this.used = 0;
    this.freeHead = NONE;
    this.highWater = 0;
  }

  /** Bytes held by the records (the metadata cost of segments and of the policy's index). */
  get metadataBytes(): number {
    return this.ids * SEGMENT_RECORD_BYTES;
  }

  private grow(capacity: number): void {
    this.memory.resize(this.region, capacity * SEGMENT_RECORD_BYTES);
    this.rebind();
    this.ids = capacity;
  }
}
