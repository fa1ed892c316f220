import { NONE, type SegmentTable } from './segment-table.js';

/**
 * How a {@link HoleTree} orders its holes: by start address, or by size with the start
 * address breaking ties.
 */
export type HoleOrder = 'address' | 'size';

/**
 * A treap over hole segments, in typed arrays indexed by segment id, where every tree node
 * also keeps the largest hole size in its subtree. With `'address'` order it answers "the
 * lowest-addressed hole of at least n bytes" (first fit) and "the first such hole at or after
 * an address" (next fit) in O(log holes); with `'size'` order it answers "the smallest hole
 * of at least n bytes, lowest address on ties" (best fit). Priorities come from a fixed-seed
 * xorshift generator, so runs are reproducible.
 */
export class HoleTree {
  private left: Int32Array;
  private right: Int32Array;
  private parent: Int32Array;
  private priority: Int32Array;
  private largest: Float64Array;
  private root = NONE;
  private seed = 0x2545f491;
  /** Number of holes in the tree. */
  count = 0;

  /**
   * @param segments the segment table whose `start` and `size` are the keys.
   * @param order address order (first/next fit) or size order (best fit).
   */
  constructor(
    private readonly segments: SegmentTable,
    readonly order: HoleOrder,
  ) {
    const capacity = segments.capacity;
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.priority = new Int32Array(capacity);
    this.largest = new Float64Array(capacity);
  }

  /**
   * Grows the per-segment arrays to a new segment-table capacity.
   * @param capacity the segment table's new capacity.
   */
  grow(capacity: number): void {
    const grown = <T extends Int32Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.left = grown(this.left, new Int32Array(capacity));
    this.right = grown(this.right, new Int32Array(capacity));
    this.parent = grown(this.parent, new Int32Array(capacity));
    this.priority = grown(this.priority, new Int32Array(capacity));
    this.largest = grown(this.largest, new Float64Array(capacity));
  }

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.count = 0;
  }

  /** Bytes held by the per-segment arrays. */
  get metadataBytes(): number {
    return this.left.length * (4 * 4 + 8);
  }

  private before(a: number, b: number): boolean {
    const start = this.segments.start;
    if (this.order === 'address') return start[a]! < start[b]!;
    const size = this.segments.size;
    const sa = size[a]!;
    const sb = size[b]!;
    return sa < sb || (sa === sb && start[a]! < start[b]!);
  }

  private refresh(t: number): void {
    let best = this.segments.size[t]!;
    const l = this.left[t]!;
    const r = this.right[t]!;
    if (l !== NONE && this.largest[l]! > best) best = this.largest[l]!;
    if (r !== NONE && this.largest[r]! > best) best = this.largest[r]!;
    this.largest[t] = best;
  }

  private replaceChild(p: number, oldChild: number, newChild: number): void {
    if (p === NONE) this.root = newChild;
    else if (this.left[p] === oldChild) this.left[p] = newChild;
    else this.right[p] = newChild;
    if (newChild !== NONE) this.parent[newChild] = p;
  }

  /** Rotates t up above its parent. */
  private rotateUp(t: number): void {
    const p = this.parent[t]!;
    const g = this.parent[p]!;
    if (this.left[p] === t) {
      const b = this.right[t]!;
      this.left[p] = b;
      if (b !== NONE) this.parent[b] = p;
      this.right[t] = p;
    } else {
      const b = this.left[t]!;
      this.right[p] = b;
      if (b !== NONE) this.parent[b] = p;
      this.left[t] = p;
    }
    this.parent[p] = t;
    this.replaceChild(g, p, t);
    this.refresh(p);
    this.refresh(t);
  }

  /**
   * Adds a hole.
   * @param seg a HOLE segment id not in the tree.
   */
  insert(seg: number): void {
    let s = this.seed;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.seed = s;
    this.priority[seg] = s;
    this.left[seg] = NONE;
    this.right[seg] = NONE;
    const size = this.segments.size[seg]!;
    this.largest[seg] = size;
    this.count++;
    if (this.root === NONE) {
      this.root = seg;
      this.parent[seg] = NONE;
      return;
    }
    let t = this.root;
    for (;;) {
      if (this.largest[t]! < size) this.largest[t] = size;
      if (this.before(seg, t)) {
        const l = this.left[t]!;
        if (l === NONE) {
          this.left[t] = seg;
          break;
        }
        t = l;
      } else {
        const r = this.right[t]!;
        if (r === NONE) {
          this.right[t] = seg;
          break;
        }
        t = r;
      }
    }
    this.parent[seg] = t;
    while (this.parent[seg] !== NONE && this.priority[this.parent[seg]!]! < s) this.rotateUp(seg);
  }

  /**
   * Removes a hole.
   * @param seg a segment id in the tree.
   */
  remove(seg: number): void {
    // Rotate seg down until it has at most one child, then splice it out.
    for (;;) {
      const l = this.left[seg]!;
      const r = this.right[seg]!;
      if (l === NONE || r === NONE) {
        const child = l === NONE ? r : l;
        const p = this.parent[seg]!;
        this.replaceChild(p, seg, child);
        this.count--;
        this.refreshUp(p);
        return;
      }
      this.rotateUp(this.priority[l]! > this.priority[r]! ? l : r);
    }
  }

  /**
   * Tells the tree that a hole's size changed and its start moved without passing any other
   * hole (address order only; the size order needs remove + insert).
   * @param seg a segment id in the tree.
   */
  updateInPlace(seg: number): void {
    this.refreshUp(seg);
  }

  private refreshUp(t: number): void {
    // A subtree's largest value depends only on its root's size and its children's largest
    // values, so the walk stops at the first node whose value did not change.
    while (t !== NONE) {
      const before = this.largest[t]!;
      this.refresh(t);
      if (this.largest[t] === before) return;
      t = this.parent[t]!;
    }
  }

  /**
   * First fit: the hole that comes first in the tree's order among those of at least `size`
   * bytes. In address order that is the lowest-addressed fitting hole.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFitting(size: number): number {
    return this.firstFittingIn(this.root, size);
  }

  private firstFittingIn(t: number, size: number): number {
    if (t === NONE || this.largest[t]! < size) return NONE;
    const segSize = this.segments.size;
    for (;;) {
      const l = this.left[t]!;
      if (l !== NONE && this.largest[l]! >= size) {
        t = l;
      } else if (segSize[t]! >= size) {
        return t;
      } else {
        t = this.right[t]!;
      }
    }
  }

  /**
   * Next fit: the lowest-addressed hole of at least `size` bytes that starts at or after
   * `address` (address order only). O(log holes): the search descends one path, and each
   * subtree it enters whole is entered only when its largest hole fits.
   * @param address the lower bound on the start address.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFittingFrom(address: number, size: number): number {
    return this.firstFittingFromIn(this.root, address, size);
  }

  private firstFittingFromIn(t: number, address: number, size: number): number {
    const start = this.segments.start;
    while (t !== NONE && this.largest[t]! >= size && start[t]! < address) t = this.right[t]!;
    if (t === NONE || this.largest[t]! < size) return NONE;
    const fromLeft = this.firstFittingFromIn(this.left[t]!, address, size);
    if (fromLeft !== NONE) return fromLeft;
    if (this.segments.size[t]! >= size) return t;
    return this.firstFittingIn(this.right[t]!, size);
  }

  /**
   * The hole with the greatest start address at or below `address` (address order only).
   * @param address a virtual address.
   * @returns a segment id, or -1.
   */
  floor(address: number): number {
    const start = this.segments.start;
    let t = this.root;
    let found = NONE;
    while (t !== NONE) {
      if (start[t]! <= address) {
        found = t;
        t = this.right[t]!;
      } else {
        t = this.left[t]!;
      }
    }
    return found;
  }

  /**
   * Checks the tree's own invariants and that it holds exactly `expected` holes.
   * @param expected the set of hole segment ids the heap has.
   * @returns a description of the first broken invariant, or null.
   */
  check(expected: ReadonlySet<number>): string | null {
    if (this.count !== expected.size) return `hole tree holds ${this.count} holes, the heap has ${expected.size}`;
    let seen = 0;
    const visit = (t: number, p: number): string | null => {
      if (t === NONE) return null;
      seen++;
      if (!expected.has(t)) return `hole tree holds segment ${t}, which is not a hole`;
      if (this.parent[t] !== p) return `hole tree: bad parent link at segment ${t}`;
      const l = this.left[t]!;
      const r = this.right[t]!;
      if (l !== NONE && (!this.before(l, t) || this.priority[l]! > this.priority[t]!))
        return `hole tree: order or heap property broken at segment ${t}`;
      if (r !== NONE && (this.before(r, t) || this.priority[r]! > this.priority[t]!))
        return `hole tree: order or heap property broken at segment ${t}`;
      const problem = visit(l, t) ?? visit(r, t);
      if (problem) return problem;
      let best = this.segments.size[t]!;
      if (l !== NONE) best = Math.max(best, this.largest[l]!);
      if (r !== NONE) best = Math.max(best, this.largest[r]!);
      if (best !== this.largest[t]) return `hole tree: stale largest-hole value at segment ${t}`;
      return null;
    };
    const problem = visit(this.root, NONE);
    if (problem) return problem;
    if (seen !== this.count) return `hole tree reaches ${seen} holes but counts ${this.count}`;
    return null;
  }
}
