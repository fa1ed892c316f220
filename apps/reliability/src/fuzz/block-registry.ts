/**
 * Where every block a `pnpm fuzz --shared N` worker owns is recorded, in one SharedArrayBuffer:
 * its [address, address + size) and its id, in a range of slots that only that worker writes.
 * Any thread reads all of it while the workers are parked (after the round's barrier), which is
 * how the main thread checks that no two live blocks overlap and that the heap's counters equal
 * what the workers hold.
 */

/** A block as a worker holds it: where, how many usable bytes, and the id its pattern comes from. */
export interface HeldBlock {
  address: number;
  size: number;
  readonly id: number;
}

const FIELDS = 3;
const EMPTY = -1;

/** One thread's view of the registry of a run. */
export class BlockRegistry {
  private readonly slots: Float64Array;
  /** This worker's free slots (only the owner's instance uses them). */
  private readonly freeSlots: number[] = [];

  /**
   * @param buffer from {@link BlockRegistry.allocate} (the same one in every thread).
   * @param workers how many worker threads the run has.
   * @param slotsPerWorker how many blocks each worker may hold at once.
   * @param owner the worker this instance writes for, or -1 for a reader (the main thread).
   */
  constructor(
    buffer: SharedArrayBuffer,
    readonly workers: number,
    readonly slotsPerWorker: number,
    owner: number,
  ) {
    this.slots = new Float64Array(buffer);
    if (owner >= 0) {
      for (let slot = (owner + 1) * slotsPerWorker - 1; slot >= owner * slotsPerWorker; slot--)
        this.freeSlots.push(slot);
    }
  }

  /** A buffer with every slot empty. */
  static allocate(workers: number, slotsPerWorker: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(workers * slotsPerWorker * FIELDS * 8);
    const slots = new Float64Array(buffer);
    for (let i = 0; i < slots.length; i += FIELDS) slots[i] = EMPTY;
    return buffer;
  }

  /** How many more blocks the owner may record. */
  get room(): number {
    return this.freeSlots.length;
  }

  /**
   * Records a block the owner now holds.
   * @returns its slot, for {@link update} and {@link release}.
   * @throws Error when the owner's slots are all taken (check {@link room} first).
   */
  record(block: HeldBlock): number {
    const slot = this.freeSlots.pop();
    if (slot === undefined)
      throw new Error('block registry: no free slot (the worker holds too many blocks)');
    this.update(slot, block);
    return slot;
  }

  /** Rewrites a slot after a realloc moved or resized its block. */
  update(slot: number, block: HeldBlock): void {
    const at = slot * FIELDS;
    this.slots[at] = block.address;
    this.slots[at + 1] = block.size;
    this.slots[at + 2] = block.id;
  }

  /** Empties a slot: the owner freed the block or handed it on. */
  release(slot: number): void {
    this.slots[slot * FIELDS] = EMPTY;
    this.freeSlots.push(slot);
  }

  /**
   * Every recorded block of every worker, with its owner (read while the workers are parked).
   * @returns the blocks in slot order.
   */
  blocks(): (HeldBlock & { owner: number })[] {
    const found: (HeldBlock & { owner: number })[] = [];
    for (let slot = 0; slot < this.workers * this.slotsPerWorker; slot++) {
      const at = slot * FIELDS;
      const address = this.slots[at]!;
      if (address === EMPTY) continue;
      found.push({
        address,
        size: this.slots[at + 1]!,
        id: this.slots[at + 2]!,
        owner: Math.floor(slot / this.slotsPerWorker),
      });
    }
    return found;
  }
}
