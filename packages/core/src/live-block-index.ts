import { NONE as EMPTY, F_START, F_STRIDE, type SegmentTable } from './segment-table.js';

const INITIAL_SLOTS = 64;

/**
 * A hash set of live blocks keyed by start address: open addressing with linear probing and
 * backward-shift deletion (no tombstones), load ≤ 1/2. A slot holds only the segment id (4
 * bytes); the key is the segment's start, read from its record. `free`, `realloc` and
 * `usableSize` find their segment here in O(1).
 */
export class LiveBlockIndex {
  private slots: Int32Array;
  private mask: number;
  private shift: number;
  /** Number of entries. */
  size = 0;

  /** @param segments the segment table whose records hold each entry's start address. */
  constructor(private readonly segments: SegmentTable) {
    this.slots = new Int32Array(INITIAL_SLOTS).fill(EMPTY);
    this.mask = INITIAL_SLOTS - 1;
    this.shift = 32 - Math.log2(INITIAL_SLOTS);
  }

  private home(address: number): number {
    const low = address | 0;
    const high = (address / 4294967296) | 0;
    // Fibonacci hashing: the top bits of the product are the best mixed.
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  private keyOf(segment: number): number {
    return this.segments.f[F_STRIDE * segment + F_START]!;
  }

  /**
   * @param address a virtual address.
   * @returns the segment id of the live block starting there, or -1.
   */
  get(address: number): number {
    const slots = this.slots;
    let slot = this.home(address);
    for (;;) {
      const segment = slots[slot]!;
      if (segment === EMPTY || this.keyOf(segment) === address) return segment;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Makes room for `extra` more entries without resizing during the coming operation.
   * @param extra how many entries may be added.
   */
  reserve(extra: number): void {
    if ((this.size + extra) * 2 > this.slots.length) {
      let slots = this.slots.length * 2;
      while ((this.size + extra) * 2 > slots) slots *= 2;
      this.rehash(slots);
    }
  }

  /**
   * Adds a live block, whose record already holds its start address.
   * @param segment its segment id (its start is not in the set yet).
   */
  add(segment: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const slots = this.slots;
    let slot = this.home(this.keyOf(segment));
    while (slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    slots[slot] = segment;
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
    let slot = this.home(address);
    let found: number;
    for (;;) {
      found = slots[slot]!;
      if (found === EMPTY) return EMPTY;
      if (this.keyOf(found) === address) break;
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
    let gap = slot;
    let next = (gap + 1) & mask;
    for (;;) {
      const segment = slots[next]!;
      if (segment === EMPTY) break;
      const home = this.home(this.keyOf(segment));
      // Move the entry at `next` into `gap` when its home is not in (gap, next] cyclically.
      if (((next - home) & mask) >= ((next - gap) & mask)) {
        slots[gap] = segment;
        gap = next;
      }
      next = (next + 1) & mask;
    }
    slots[gap] = EMPTY;
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

  private rehash(count: number): void {
    const old = this.slots;
    this.slots = new Int32Array(count).fill(EMPTY);
    this.mask = count - 1;
    this.shift = 32 - Math.log2(count);
    this.size = 0;
    for (const segment of old) if (segment !== EMPTY) this.add(segment);
  }
}
