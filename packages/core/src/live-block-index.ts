const EMPTY = -1;
const INITIAL_SLOTS = 64;

/**
 * A hash map from a live block's start address to its segment id: open addressing with
 * linear probing and backward-shift deletion (no tombstones), in typed arrays, load ≤ 1/2.
 * `free`, `realloc` and `usableSize` find their segment here in O(1).
 */
export class LiveBlockIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  private shift: number;
  /** Number of entries. */
  size = 0;

  constructor() {
    this.keys = new Float64Array(INITIAL_SLOTS).fill(EMPTY);
    this.values = new Int32Array(INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
    this.shift = 32 - Math.log2(INITIAL_SLOTS);
  }

  private slotOf(address: number): number {
    const low = address | 0;
    const high = (address / 4294967296) | 0;
    // Fibonacci hashing: the top bits of the product are the best mixed.
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /**
   * @param address a virtual address.
   * @returns the segment id of the live block starting there, or -1.
   */
  get(address: number): number {
    const keys = this.keys;
    let slot = this.slotOf(address);
    for (;;) {
      const key = keys[slot]!;
      if (key === address) return this.values[slot]!;
      if (key === EMPTY) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Makes room for `extra` more entries without resizing during the coming operation.
   * @param extra how many entries may be added.
   */
  reserve(extra: number): void {
    if ((this.size + extra) * 2 > this.keys.length) {
      let slots = this.keys.length * 2;
      while ((this.size + extra) * 2 > slots) slots *= 2;
      this.rehash(slots);
    }
  }

  /**
   * Adds or replaces an entry.
   * @param address the block's start address (not already present for a new block).
   * @param segment its segment id.
   */
  set(address: number, segment: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const keys = this.keys;
    let slot = this.slotOf(address);
    for (;;) {
      const key = keys[slot]!;
      if (key === address) {
        this.values[slot] = segment;
        return;
      }
      if (key === EMPTY) {
        keys[slot] = address;
        this.values[slot] = segment;
        this.size++;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Removes an entry if present.
   * @param address the block's start address.
   * @returns the segment id it mapped to, or -1 when there was none.
   */
  delete(address: number): number {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let slot = this.slotOf(address);
    for (;;) {
      const key = keys[slot]!;
      if (key === EMPTY) return -1;
      if (key === address) break;
      slot = (slot + 1) & mask;
    }
    const found = values[slot]!;
    // Backward-shift deletion: pull later entries of the probe run into the gap.
    let gap = slot;
    let next = (gap + 1) & mask;
    for (;;) {
      const key = keys[next]!;
      if (key === EMPTY) break;
      const home = this.slotOf(key);
      // Move the entry at `next` into `gap` when its home is not in (gap, next] cyclically.
      const distanceFromHome = (next - home) & mask;
      const distanceFromGap = (next - gap) & mask;
      if (distanceFromHome >= distanceFromGap) {
        keys[gap] = key;
        values[gap] = values[next]!;
        gap = next;
      }
      next = (next + 1) & mask;
    }
    keys[gap] = EMPTY;
    this.size--;
    return found;
  }

  /** Removes every entry. */
  clear(): void {
    this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** Bytes held by the typed arrays. */
  get metadataBytes(): number {
    return this.keys.length * 12;
  }

  /**
   * Calls `fn` for each entry (validation and tests only).
   * @param fn receives the address and the segment id.
   */
  forEach(fn: (address: number, segment: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) {
      const key = this.keys[slot]!;
      if (key !== EMPTY) fn(key, this.values[slot]!);
    }
  }

  private rehash(slots: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(slots).fill(EMPTY);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
    this.shift = 32 - Math.log2(slots);
    this.size = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      const key = oldKeys[slot]!;
      if (key !== EMPTY) this.set(key, oldValues[slot]!);
    }
  }
}
