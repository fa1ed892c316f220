import { plainMemory, type SharedTableState, type TableMemory, viewOf } from '../memory/table-memory.js';
import { NONE as EMPTY, type SegmentTable } from './segment-table.js';

const INITIAL_SLOTS = 64;

/**
 * A hash set of live blocks keyed by start address: open addressing with linear probing and
 * backward-shift deletion (no tombstones), load ≤ 1/2. A slot is two int32s: the low 32 bits
 * of the start address (a tag that probing and shifting compare and rehash from, without
 * touching the segment records) and the segment id. A tag match is confirmed against the
 * record's full start address, so addresses past 2^32 stay exact. `free`, `realloc` and
 * `usableSize` find their segment here in O(1).
 */
export class LiveBlockIndex implements SharedTableState {
  /** Pairs (tag, segment id); an empty slot has id -1. */
  private slots: Int32Array;
  private mask: number;
  private shift: number;
  /** Number of entries. */
  size = 0;
  /**
   * Two regions, used in turn: a rehash fills the other one from the current one (both must
   * exist during it), then empties the old one.
   */
  private readonly regions: [number, number];
  /** Which of {@link regions} holds the slots (0 or 1). */
  private current = 0;

  /**
   * @param segments the segment table whose records hold each entry's start address.
   * @param memory where the slots live.
   */
  constructor(
    private readonly segments: SegmentTable,
    private readonly memory: TableMemory = plainMemory(),
  ) {
    this.regions = [memory.allocate(2 * INITIAL_SLOTS * 4, EMPTY), memory.allocate(0)];
    this.slots = viewOf(memory, this.regions[0], Int32Array);
    this.mask = INITIAL_SLOTS - 1;
    this.shift = 32 - Math.log2(INITIAL_SLOTS);
  }

  /** Re-makes the slots' view from its region (after another thread moved it). */
  rebind(): void {
    this.slots = viewOf(this.memory, this.regions[this.current]!, Int32Array);
  }

  /** Scalars: mask, shift, size, which region is current. */
  get stateSlots(): number {
    return 4;
  }

  saveState(state: Float64Array, at: number): void {
    state[at] = this.mask;
    state[at + 1] = this.shift;
    state[at + 2] = this.size;
    state[at + 3] = this.current;
  }

  loadState(state: Float64Array, at: number): void {
    this.mask = state[at]!;
    this.shift = state[at + 1]!;
    this.size = state[at + 2]!;
    this.current = state[at + 3]!;
  }

  /**
   * @param address a virtual address.
   * @returns the segment id of the live block starting there, or -1.
   */
  get(address: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const tag = address | 0;
    const segments = this.segments;
    // Fibonacci hashing of the low 32 bits: the top bits of the product are the best mixed.
    let slot = Math.imul(tag, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const segment = slots[2 * slot + 1]!;
      if (segment === EMPTY || (slots[2 * slot] === tag && segments.start(segment) === address))
        return segment;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Makes room for `extra` more entries without resizing during the coming operation.
   * @param extra how many entries may be added.
   */
  reserve(extra: number): void {
    // mask + 1 slot pairs, kept at most half full.
    if ((this.size + extra) * 2 > this.mask + 1) {
      let count = (this.mask + 1) * 2;
      while ((this.size + extra) * 2 > count) count *= 2;
      this.rehash(count);
    }
  }

  /**
   * Adds a live block, whose record already holds its start address. Call {@link reserve}
   * first: `add` never resizes (a check here would cost the hot path its inlining).
   * @param segment its segment id (its start is not in the set yet).
   * @param start the block's start address (its record's start: passed because the caller
   *   has it at hand, which saves the hot path a record read).
   */
  add(segment: number, start: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const tag = start | 0;
    let slot = Math.imul(tag, 0x9e3779b1) >>> this.shift;
    while (slots[2 * slot + 1] !== EMPTY) slot = (slot + 1) & mask;
    slots[2 * slot] = tag;
    slots[2 * slot + 1] = segment;
    this.size++;
  }

  /**
   * Removes the live block that starts at `address`, if any.
   * @param address the block's start address.
   * @returns the segment id it mapped to, or -1 when there was none.
   */
  delete(address: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const shift = this.shift;
    const tag = address | 0;
    const segments = this.segments;
    let slot = Math.imul(tag, 0x9e3779b1) >>> shift;
    let found: number;
    for (;;) {
      found = slots[2 * slot + 1]!;
      if (found === EMPTY) return EMPTY;
      if (slots[2 * slot] === tag && segments.start(found) === address) break;
      slot = (slot + 1) & mask;
    }
    this.closeGap(slot);
    this.size--;
    return found;
  }

  /**
   * Backward-shift deletion: empties `slot` and pulls later entries of its probe run into the
   * gap, so no tombstones are needed. (Apart from `delete`, to keep it small for V8.)
   */
  private closeGap(slot: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const shift = this.shift;
    let gap = slot;
    let next = (gap + 1) & mask;
    for (;;) {
      const segment = slots[2 * next + 1]!;
      if (segment === EMPTY) break;
      const entryTag = slots[2 * next]!;
      const home = Math.imul(entryTag, 0x9e3779b1) >>> shift;
      // Move the entry at `next` into `gap` when its home is not in (gap, next] cyclically.
      if (((next - home) & mask) >= ((next - gap) & mask)) {
        slots[2 * gap] = entryTag;
        slots[2 * gap + 1] = segment;
        gap = next;
      }
      next = (next + 1) & mask;
    }
    slots[2 * gap + 1] = EMPTY;
  }

  /** Removes every entry. */
  clear(): void {
    this.slots.fill(EMPTY);
    this.size = 0;
  }

  /** Bytes held by the slots. */
  get metadataBytes(): number {
    return this.slots.byteLength;
  }

  /** Moves every entry into a table of `count` slot pairs (a power of two). */
  private rehash(count: number): void {
    const old = this.slots;
    const oldRegion = this.regions[this.current]!;
    this.current ^= 1;
    const region = this.regions[this.current]!;
    this.memory.resize(region, 2 * count * 4);
    this.slots = viewOf(this.memory, region, Int32Array).fill(EMPTY);
    this.mask = count - 1;
    this.shift = 32 - Math.log2(count);
    this.size = 0;
    for (let k = 1; k < old.length; k += 2)
      if (old[k] !== EMPTY) this.add(old[k]!, this.segments.start(old[k]!));
    this.memory.resize(oldRegion, 0);
  }
}
