/**
 * Data integrity of live blocks: every block is filled with a pattern derived from its id and
 * its address, and verified later. A byte that changed is reported with the block that owns
 * it and, when another block's pattern explains the byte (the two overlap, in virtual or in
 * physical memory, or a freed block's view wrote there), with that block too.
 */

/**
 * The pattern byte of block `id` at virtual address `address` (a 32-bit mix of both, so
 * neighbouring bytes, neighbouring blocks and blocks at the same address differ).
 */
export function patternByte(id: number, address: number): number {
  let h =
    Math.imul(id, 0x9e3779b1) ^
    Math.imul(address | 0, 0x85ebca77) ^
    Math.imul((address / 2 ** 32) | 0, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h & 0xff;
}

/** A block the checker knows. */
export interface TrackedBlock {
  readonly id: number;
  /** Its virtual address. */
  address: number;
  /** Its size in bytes. */
  size: number;
  /** Its physical address, when the memory can translate (else null). */
  physical: bigint | null;
  /** The address its pattern was computed for: byte i holds patternByte(id, base + i). */
  base: number;
  /** How many leading bytes hold the pattern (the rest are not checked). */
  valid: number;
}

/** Where the checker reads and writes blocks. */
export interface BlockMemory {
  /** A view over `length` bytes at virtual `address` (inside one live block). */
  bytes(address: number, length: number): Uint8Array;
  /** The physical address of a virtual one, when there is such a thing. */
  physical?(address: number): bigint;
}

/** A block's bytes are not what they should be; the message names the block(s) involved. */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
}

const describeBlock = (b: TrackedBlock, state = 'block'): string =>
  `${state} #${b.id} [${b.address}:${b.address + b.size - 1}]${b.physical === null ? '' : ` (physical 0x${b.physical.toString(16)})`}`;

/** How many freed blocks are remembered as suspects for stray writes. */
const FREED_SUSPECTS = 64;

export class BlockPatterns {
  private readonly live = new Map<number, TrackedBlock>();
  private readonly freed: TrackedBlock[] = [];
  private nextId = 1;
  /** Bytes filled and verified so far. */
  bytesFilled = 0;
  bytesVerified = 0;

  constructor(private readonly memory: BlockMemory) {}

  get size(): number {
    return this.live.size;
  }

  blocks(): IterableIterator<TrackedBlock> {
    return this.live.values();
  }

  /** Starts tracking a new block (its bytes are not checked until {@link fill}). */
  add(address: number, size: number): TrackedBlock {
    const block: TrackedBlock = {
      id: this.nextId++,
      address,
      size,
      physical: this.memory.physical?.(address) ?? null,
      base: address,
      valid: 0,
    };
    this.live.set(block.id, block);
    return block;
  }

  /** Writes the block's pattern (for its current address) over all its bytes. */
  fill(block: TrackedBlock): void {
    const view = this.memory.bytes(block.address, block.size);
    const { id, address } = block;
    for (let i = 0; i < view.length; i++) view[i] = patternByte(id, address + i);
    block.base = address;
    block.valid = block.size;
    this.bytesFilled += block.size;
  }

  /** Stops tracking a block that is about to be freed (verify it first). */
  remove(block: TrackedBlock): void {
    this.live.delete(block.id);
    this.freed.push({ ...block });
    if (this.freed.length > FREED_SUSPECTS) this.freed.shift();
  }

  /**
   * Records that a realloc moved or resized a block: its first min(old, new) bytes must still
   * hold the old pattern. Call {@link verify} next, then {@link fill} to re-pattern it.
   */
  resized(block: TrackedBlock, address: number, size: number): void {
    if (address !== block.address) {
      this.freed.push({ ...block });
      if (this.freed.length > FREED_SUSPECTS) this.freed.shift();
    }
    block.valid = Math.min(block.valid, size);
    block.address = address;
    block.size = size;
    block.physical = this.memory.physical?.(address) ?? null;
  }

  /**
   * Checks that a block's valid bytes hold its pattern.
   * @throws IntegrityError naming the block, the first bad byte and, when another block's
   *   pattern explains the bad bytes, that block.
   */
  verify(block: TrackedBlock): void {
    if (block.valid === 0) return;
    const view = this.memory.bytes(block.address, block.valid);
    const { id, base } = block;
    this.bytesVerified += block.valid;
    for (let i = 0; i < view.length; i++) {
      if (view[i] !== patternByte(id, base + i)) this.report(block, view, i);
    }
  }

  /** Verifies every live block, then checks that no two overlap. */
  verifyAll(): void {
    for (const block of this.live.values()) this.verify(block);
    this.checkDisjoint();
  }

  /**
   * Checks that no two live blocks overlap, in virtual memory or (when known) physical memory.
   * @throws IntegrityError naming the two blocks.
   */
  checkDisjoint(): void {
    const blocks = [...this.live.values()];
    const check = (key: (b: TrackedBlock) => number | bigint | null, space: string) => {
      const sorted = blocks.filter((b) => key(b) !== null).sort((a, b) => (key(a)! < key(b)! ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) {
        const a = sorted[i - 1]!;
        const b = sorted[i]!;
        const aEnd =
          typeof key(a) === 'bigint' ? (key(a) as bigint) + BigInt(a.size) : (key(a) as number) + a.size;
        if (key(b)! < aEnd)
          throw new IntegrityError(`${describeBlock(a)} and ${describeBlock(b)} overlap in ${space} memory`);
      }
    };
    check((b) => b.address, 'virtual');
    check((b) => b.physical, 'physical');
  }

  /** Builds the error for a bad byte at offset `first` of `block`. */
  private report(block: TrackedBlock, view: Uint8Array, first: number): never {
    const bad: number[] = [];
    for (let i = first; i < view.length && bad.length < 16; i++)
      if (view[i] !== patternByte(block.id, block.base + i)) bad.push(i);
    const at = block.address + first;
    const expected = patternByte(block.id, block.base + first);
    const head = `${describeBlock(block)}: byte ${at} (offset ${first}) holds 0x${view[first]!.toString(16)}, its pattern is 0x${expected.toString(16)}; ${bad.length}${bad.length === 16 ? '+' : ''} bad bytes from there`;
    const suspect = this.suspect(block, view, bad);
    if (suspect !== null)
      throw new IntegrityError(
        `${head}. They hold the pattern of ${describeBlock(suspect.block, suspect.state)}: ${suspect.how}`,
      );
    throw new IntegrityError(`${head}. No other block's pattern explains them: a stray write`);
  }

  /** The live or recently freed block whose pattern best explains the bad bytes. */
  private suspect(
    block: TrackedBlock,
    view: Uint8Array,
    bad: readonly number[],
  ): { block: TrackedBlock; state: string; how: string } | null {
    const candidates = [
      ...[...this.live.values()].filter((b) => b.id !== block.id).map((b) => ({ b, state: 'block' })),
      ...this.freed.filter((b) => b.id !== block.id).map((b) => ({ b, state: 'freed block' })),
    ];
    let best: { block: TrackedBlock; state: string; how: string; score: number } | null = null;
    for (const { b, state } of candidates) {
      for (const space of ['virtual', 'physical'] as const) {
        let score = 0;
        for (const i of bad) {
          // Where byte i of `block` falls inside b, in this address space.
          let offset: number;
          if (space === 'virtual') offset = block.address + i - b.address;
          else if (block.physical !== null && b.physical !== null)
            offset = Number(block.physical + BigInt(i) - b.physical);
          else continue;
          if (offset >= 0 && offset < b.size && view[i] === patternByte(b.id, b.base + offset)) score++;
        }
        if (score * 2 >= bad.length && score > 0 && (best === null || score > best.score)) {
          const how =
            state === 'block'
              ? `the two blocks overlap in ${space} memory`
              : `a write through a view of the freed block, or the blocks overlapped in ${space} memory`;
          best = { block: b, state, how, score };
        }
      }
    }
    return best;
  }
}
