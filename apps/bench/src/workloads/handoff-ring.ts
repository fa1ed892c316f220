/**
 * The ring's header: the consumer's position (HEAD) and the producer's (TAIL) each on a 64-byte
 * cache line of its own, so that a push and a pop on the two cores do not pass one line back and
 * forth (with both words on one line, two workers handing blocks to each other with no allocator
 * at all ran at a third of one worker's pairs per second on a 2-core machine).
 */
const HEAD = 0;
const TAIL = 16;
/** The header words holding the consumer's and the producer's positions (for tests that count entries). */
export const RING_HEAD = HEAD;
/** @see RING_HEAD */
export const RING_TAIL = TAIL;
const HEADER_WORDS = 32;
const HEADER_BYTES = 4 * HEADER_WORDS;

/**
 * The memory of a {@link HandoffRing}: one SharedArrayBuffer, posted to both threads.
 * @param capacity entries the ring holds, a power of two.
 * @returns the buffer.
 * @throws RangeError when `capacity` is not a power of two.
 */
export function handoffRingBuffer(capacity: number): SharedArrayBuffer {
  if (!(capacity > 0 && (capacity & (capacity - 1)) === 0))
    throw new RangeError(`handoffRingBuffer(${capacity}): capacity must be a power of two`);
  return new SharedArrayBuffer(HEADER_BYTES + 8 * capacity);
}

/**
 * A single-producer, single-consumer queue of block addresses between two threads, in a
 * SharedArrayBuffer (see {@link handoffRingBuffer}): the thread workloads' way of handing a
 * block allocated in one worker to another worker, which frees it. The entry is written before
 * the producer publishes its tail with `Atomics.store`, and read after the consumer sees that
 * tail with `Atomics.load`, so a consumer never reads an entry before it is written. Each side
 * keeps its own position and the last position it saw of the other side, and reads the other
 * side's word again only when the ring looks empty (consumer) or full (producer), as SPSC
 * queues in C do: the harness's own cost stays small beside the allocators it measures.
 *
 * One object serves one producer and one consumer; a producer or consumer in another thread
 * uses its own object over the same buffer.
 */
export class HandoffRing {
  private readonly header: Int32Array;
  private readonly entries: Float64Array;
  private readonly mask: number;
  // Positions are int32, as the shared words are: they wrap after 2^31 operations on both sides
  // alike, and a difference taken `| 0` is right across the wrap.
  /** The producer's next position (this object's pushes). */
  private tail: number;
  /** The consumer's next position (this object's pops). */
  private head: number;
  /** The consumer's position as the producer last read it. */
  private seenHead: number;
  /** The producer's position as the consumer last read it. */
  private seenTail: number;

  /** @param buffer a buffer from {@link handoffRingBuffer}, shared by producer and consumer. */
  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_WORDS);
    this.entries = new Float64Array(buffer, HEADER_BYTES);
    this.mask = this.entries.length - 1;
    this.head = Atomics.load(this.header, HEAD);
    this.tail = Atomics.load(this.header, TAIL);
    this.seenHead = this.head;
    this.seenTail = this.tail;
  }

  /**
   * Producer side: appends an address.
   * @param address the block's address (a Number).
   * @returns false when the ring is full (nothing changes).
   */
  push(address: number): boolean {
    if (!this.hasRoom()) return false;
    const tail = this.tail;
    this.entries[tail & this.mask] = address;
    this.tail = (tail + 1) | 0;
    Atomics.store(this.header, TAIL, this.tail);
    return true;
  }

  /**
   * Consumer side: whether an address is waiting.
   * @returns true when {@link pop} would return one.
   */
  canPop(): boolean {
    if (this.head !== this.seenTail) return true;
    this.seenTail = Atomics.load(this.header, TAIL);
    return this.head !== this.seenTail;
  }

  /**
   * Consumer side: takes the oldest address.
   * @returns the address, or -1 when the ring is empty.
   */
  pop(): number {
    if (!this.canPop()) return -1;
    const head = this.head;
    const address = this.entries[head & this.mask]!;
    this.head = (head + 1) | 0;
    Atomics.store(this.header, HEAD, this.head);
    return address;
  }

  /**
   * Producer side: whether a push would succeed now (the consumer may only make room).
   * @returns true when the ring has room.
   */
  hasRoom(): boolean {
    if (((this.tail - this.seenHead) | 0) <= this.mask) return true;
    this.seenHead = Atomics.load(this.header, HEAD);
    return ((this.tail - this.seenHead) | 0) <= this.mask;
  }
}
