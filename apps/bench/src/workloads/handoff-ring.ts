/** Words of a ring's header: where the consumer reads next, where the producer writes next. */
const HEAD = 0;
const TAIL = 1;
const HEADER_BYTES = 8;

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
 * SharedArrayBuffer (see {@link handoffRingBuffer}): the shared-churn workload's way of handing a
 * block allocated in one worker to another worker, which frees it. The entry is written before
 * the producer publishes its tail with `Atomics.store`, and read after the consumer sees that
 * tail with `Atomics.load`, so a consumer never reads an entry before it is written.
 */
export class HandoffRing {
  private readonly header: Int32Array;
  private readonly entries: Float64Array;
  private readonly mask: number;

  /** @param buffer a buffer from {@link handoffRingBuffer}, shared by producer and consumer. */
  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.entries = new Float64Array(buffer, HEADER_BYTES);
    this.mask = this.entries.length - 1;
  }

  /**
   * Producer side: appends an address.
   * @param address the block's address (a Number).
   * @returns false when the ring is full (nothing changes).
   */
  push(address: number): boolean {
    const tail = this.header[TAIL]!;
    if (tail - Atomics.load(this.header, HEAD) > this.mask) return false;
    this.entries[tail & this.mask] = address;
    Atomics.store(this.header, TAIL, tail + 1);
    return true;
  }

  /**
   * Consumer side: whether an address is waiting.
   * @returns true when {@link pop} would return one.
   */
  canPop(): boolean {
    return Atomics.load(this.header, TAIL) !== this.header[HEAD];
  }

  /**
   * Consumer side: takes the oldest address.
   * @returns the address, or -1 when the ring is empty.
   */
  pop(): number {
    const head = this.header[HEAD]!;
    if (Atomics.load(this.header, TAIL) === head) return -1;
    const address = this.entries[head & this.mask]!;
    Atomics.store(this.header, HEAD, head + 1);
    return address;
  }

  /**
   * Producer side: whether a push would succeed now (the consumer may only make room).
   * @returns true when the ring has room.
   */
  hasRoom(): boolean {
    return this.header[TAIL]! - Atomics.load(this.header, HEAD) <= this.mask;
  }
}
