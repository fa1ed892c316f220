import { plainMemory, type SharedTableState, type TableMemory, viewOf } from '../memory/table-memory.js';
import { type HoleRecords, NO_HOLE as NONE } from './hole-records.js';
import { LINK_STRIDE as L, NEXT_IN_LIST as NEXT, PREV_IN_LIST as PREV } from './link-words.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';
import { FL_COUNT, SL_BITS, SL_COUNT, SMALL_LIMIT } from './tlsf-classes.js';

/**
 * The list (size class) of a hole of `size` bytes (1 <= size < 2^32), as the policy indexes its
 * lists: first level × SL_COUNT + second level. Unchecked: the hot path's form of
 * {@link tlsfClass}.
 */
export function tlsfList(size: number): number {
  if (size < SMALL_LIMIT) return size;
  const log2 = 31 - Math.clz32(size);
  return ((log2 - SL_BITS + 1) << SL_BITS) | ((size >>> (log2 - SL_BITS)) ^ SL_COUNT);
}

/**
 * Two-level segregated fit (Masmano et al., "TLSF: a new dynamic memory allocator for
 * real-time systems", 2004): holes sit in lists by size class, a first level per power of
 * two and SL_COUNT linear second-level lists inside each; two bitmaps say which lists are
 * non-empty, so a fitting class is found with a few bit operations. O(1) per call.
 *
 * It is a good fit, not an exact one: a request is rounded up to the next class boundary so
 * that any hole of the class found fits, and the head of that list is taken. When no class
 * above has a hole, the request's own class is scanned for a hole that fits, so TLSF maps new
 * pages only when no listed hole of that class can serve the request.
 */
export class TlsfPolicy implements PlacementPolicy, SharedTableState {
  readonly name: string = 'tlsf';
  private heads: Int32Array;
  private slBitmaps: Uint32Array;
  private flBitmap = 0;
  private count = 0;
  private readonly headsRegion: number;
  private readonly bitmapsRegion: number;

  /**
   * @param holes the heap's holes.
   * @param memory where the list heads and bitmaps live.
   */
  constructor(
    private readonly holes: HoleRecords,
    private readonly memory: TableMemory = plainMemory(),
  ) {
    this.headsRegion = memory.allocate(FL_COUNT * SL_COUNT * 4, NONE);
    this.bitmapsRegion = memory.allocate(FL_COUNT * 4);
    this.heads = viewOf(memory, this.headsRegion, Int32Array);
    this.slBitmaps = viewOf(memory, this.bitmapsRegion, Uint32Array);
  }

  /** Re-makes the list heads' and bitmaps' views from their regions. */
  rebind(): void {
    this.heads = viewOf(this.memory, this.headsRegion, Int32Array);
    this.slBitmaps = viewOf(this.memory, this.bitmapsRegion, Uint32Array);
  }

  /** Scalars: the first-level bitmap and the hole count. */
  get stateSlots(): number {
    return 2;
  }

  saveState(state: Float64Array, at: number): void {
    state[at] = this.flBitmap;
    state[at + 1] = this.count;
  }

  loadState(state: Float64Array, at: number): void {
    this.flBitmap = state[at]! | 0;
    this.count = state[at + 1]!;
  }

  // A hole's list links live in its policy link words: 0 the next hole, 1 the previous. The
  // list surgery below writes them through `linkWords` (link-words.ts says why).
  private next(seg: number): number {
    return this.holes.link(seg, NEXT);
  }

  private prev(seg: number): number {
    return this.holes.link(seg, PREV);
  }

  private insertInto(seg: number, list: number): void {
    const head = this.heads[list]!;
    const links = this.holes.linkWords; // raw, for V8: see link-words.ts
    links[L * seg + NEXT] = head;
    links[L * seg + PREV] = NONE;
    if (head !== NONE) links[L * head + PREV] = seg;
    this.heads[list] = seg;
    const fl = list >> SL_BITS;
    this.slBitmaps[fl] = this.slBitmaps[fl]! | (1 << (list & (SL_COUNT - 1)));
    this.flBitmap |= 1 << fl;
    this.count++;
  }

  private removeFrom(seg: number, list: number): void {
    const links = this.holes.linkWords; // raw, for V8: see link-words.ts
    const before = links[L * seg + PREV]!;
    const after = links[L * seg + NEXT]!;
    if (before !== NONE) links[L * before + NEXT] = after;
    else this.heads[list] = after;
    if (after !== NONE) links[L * after + PREV] = before;
    if (this.heads[list] === NONE) this.clearBits(list);
    this.count--;
  }

  /** Marks `list` empty in the bitmaps. (Apart, to keep the hot functions small for V8.) */
  private clearBits(list: number): void {
    const fl = list >> SL_BITS;
    const bits = this.slBitmaps[fl]! & ~(1 << (list & (SL_COUNT - 1)));
    this.slBitmaps[fl] = bits;
    if (bits === 0) this.flBitmap &= ~(1 << fl);
  }

  addHole(seg: number): void {
    this.insertInto(seg, tlsfList(this.holes.size(seg)));
  }

  removeHole(seg: number): void {
    this.removeFrom(seg, tlsfList(this.holes.size(seg)));
  }

  holeResized(seg: number, _oldStart: number, oldSize: number): void {
    const oldList = tlsfList(oldSize);
    const list = tlsfList(this.holes.size(seg));
    if (list === oldList) return; // same class: the hole keeps its place
    this.removeFrom(seg, oldList);
    this.insertInto(seg, list);
  }

  findHole(size: number): number {
    // Round the request up to the next class boundary, so any hole in the class found fits.
    let rounded = size;
    if (size >= SMALL_LIMIT) rounded = size + ((1 << (31 - Math.clz32(size) - SL_BITS)) - 1);
    if (rounded < 2 ** 32) {
      const list = tlsfList(rounded);
      let fl = list >> SL_BITS;
      let slMap = this.slBitmaps[fl]! & (~0 << (list & (SL_COUNT - 1)));
      if (slMap === 0) {
        const flMap = fl + 1 < 32 ? this.flBitmap & (~0 << (fl + 1)) : 0;
        if (flMap !== 0) {
          fl = 31 - Math.clz32(flMap & -flMap);
          slMap = this.slBitmaps[fl]!;
        }
      }
      if (slMap !== 0) {
        const sl = 31 - Math.clz32(slMap & -slMap);
        return this.heads[fl * SL_COUNT + sl]!;
      }
    }
    return this.scanOwnClass(size);
  }

  /** No class above the request's has a hole: scans the request's own class for one that fits. */
  private scanOwnClass(size: number): number {
    if (size >= 2 ** 32) return NONE;
    for (let seg = this.heads[tlsfList(size)]!; seg !== NONE; seg = this.next(seg)) {
      if (this.holes.size(seg) >= size) return seg;
    }
    return NONE;
  }

  allocated(): void {}

  clear(): void {
    this.heads.fill(NONE);
    this.slBitmaps.fill(0);
    this.flBitmap = 0;
    this.count = 0;
  }

  check(holes: ReadonlySet<number>): string | null {
    let seen = 0;
    for (let fl = 0; fl < FL_COUNT; fl++) {
      for (let sl = 0; sl < SL_COUNT; sl++) {
        const head = this.heads[fl * SL_COUNT + sl]!;
        const bit = (this.slBitmaps[fl]! >>> sl) & 1;
        if ((head !== NONE) !== (bit === 1)) return `tlsf: bitmap disagrees with list ${fl}/${sl}`;
        let before = NONE;
        for (let seg = head; seg !== NONE; seg = this.next(seg)) {
          if (!holes.has(seg)) return `tlsf: list ${fl}/${sl} holds segment ${seg}, which is not a hole`;
          if (this.prev(seg) !== before) return `tlsf: bad back link at segment ${seg}`;
          if (tlsfList(this.holes.size(seg)) !== fl * SL_COUNT + sl)
            return `tlsf: segment ${seg} is in the wrong size class`;
          before = seg;
          if (++seen > holes.size) return 'tlsf: lists hold more entries than there are holes';
        }
      }
      if (((this.flBitmap >>> fl) & 1) !== (this.slBitmaps[fl] !== 0 ? 1 : 0))
        return `tlsf: first-level bitmap disagrees with class ${fl}`;
    }
    if (seen !== holes.size || seen !== this.count)
      return `tlsf: lists hold ${seen} holes, the heap has ${holes.size}`;
    return null;
  }

  get metadataBytes(): number {
    return this.heads.byteLength + this.slBitmaps.byteLength;
  }
}

/** Factory for {@link TlsfPolicy} (`policy: 'tlsf'`). */
export const tlsf: PlacementPolicyFactory = {
  name: 'tlsf',
  create: (holes, memory) => new TlsfPolicy(holes, memory),
};
