/**
 * How `pnpm fuzz --shared N` workers hand blocks to each other: one single-producer,
 * single-consumer ring per ordered pair of workers, in one SharedArrayBuffer. The sender writes
 * the block and then publishes it with an atomic store of the ring's tail; the receiver reads it
 * after an atomic load of the tail, then frees or reallocs it. A block in a ring is still live:
 * the main thread counts the rings' contents with the registry's blocks.
 */
import type { HeldBlock } from './block-registry.js';

const FIELDS = 3;

/** One thread's view of the rings of a run. */
export class HandOffRings {
  /** Per ring: head (next to read), tail (next to write). */
  private readonly ends: Int32Array;
  private readonly entries: Float64Array;

  /**
   * @param buffer from {@link HandOffRings.allocate} (the same one in every thread).
   * @param workers how many worker threads the run has.
   * @param capacity blocks one ring holds.
   */
  constructor(
    buffer: SharedArrayBuffer,
    readonly workers: number,
    readonly capacity: number,
  ) {
    const rings = workers * workers;
    this.ends = new Int32Array(buffer, 0, rings * 2);
    this.entries = new Float64Array(buffer, rings * 8, rings * capacity * FIELDS);
  }

  /** A buffer of empty rings. */
  static allocate(workers: number, capacity: number): SharedArrayBuffer {
    const rings = workers * workers;
    return new SharedArrayBuffer(rings * 8 + rings * capacity * FIELDS * 8);
  }

  private ring(from: number, to: number): number {
    return from * this.workers + to;
  }

  /**
   * Hands a block from worker `from` to worker `to` (called by `from` only).
   * @returns false when the ring is full (the sender keeps the block).
   */
  send(from: number, to: number, block: HeldBlock): boolean {
    const ring = this.ring(from, to);
    const head = Atomics.load(this.ends, ring * 2);
    const tail = Atomics.load(this.ends, ring * 2 + 1);
    if (tail - head >= this.capacity) return false;
    const at = (ring * this.capacity + (tail % this.capacity)) * FIELDS;
    this.entries[at] = block.address;
    this.entries[at + 1] = block.size;
    this.entries[at + 2] = block.id;
    Atomics.store(this.ends, ring * 2 + 1, tail + 1);
    return true;
  }

  /**
   * Takes the oldest block worker `from` handed to worker `to` (called by `to` only).
   * @returns the block, or null when the ring is empty.
   */
  receive(to: number, from: number): HeldBlock | null {
    const ring = this.ring(from, to);
    const head = Atomics.load(this.ends, ring * 2);
    if (head === Atomics.load(this.ends, ring * 2 + 1)) return null;
    const at = (ring * this.capacity + (head % this.capacity)) * FIELDS;
    const block = { address: this.entries[at]!, size: this.entries[at + 1]!, id: this.entries[at + 2]! };
    Atomics.store(this.ends, ring * 2, head + 1);
    return block;
  }

  /**
   * Every block in every ring, with its sender and receiver (read while the workers are parked).
   */
  inFlight(): (HeldBlock & { from: number; to: number })[] {
    const found: (HeldBlock & { from: number; to: number })[] = [];
    for (let from = 0; from < this.workers; from++)
      for (let to = 0; to < this.workers; to++) {
        const ring = this.ring(from, to);
        const tail = Atomics.load(this.ends, ring * 2 + 1);
        for (let i = Atomics.load(this.ends, ring * 2); i < tail; i++) {
          const at = (ring * this.capacity + (i % this.capacity)) * FIELDS;
          found.push({
            address: this.entries[at]!,
            size: this.entries[at + 1]!,
            id: this.entries[at + 2]!,
            from,
            to,
          });
        }
      }
    return found;
  }
}
