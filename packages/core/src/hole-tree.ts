import {
  F_START,
  F_STRIDE,
  I_AUX0,
  I_AUX1,
  I_STRIDE,
  NONE,
  type SegmentTable,
  U_SIZE,
} from './segment-table.js';

/** A segment's treap priority: a fixed pseudo-random function of its id (Fibonacci hash). */
function priorityOf(seg: number): number {
  return Math.imul(seg + 1, 0x9e3779b1);
}

/**
 * A treap over hole segments ordered by (size, start address), in typed arrays indexed by
 * segment id. It answers "the smallest hole of at least n bytes, lowest address on ties"
 * (best fit) as a lower-bound search in O(log holes). Priorities are a fixed hash of the
 * segment id, so runs are reproducible and the tree needs no storage of its own: its two
 * links live in the policy slots of the segment records. Insertion and removal work top
 * down (split and merge along one path), so no parent links are needed.
 */
export class HoleTree {
  // The tree lives in the segment records' policy slots: I_AUX0 holds the left link, I_AUX1
  // the right one. A node's treap priority is a hash of its segment id, so it needs no
  // storage. The key is the segment's own (size, start).
  private root = NONE;
  /** Number of holes in the tree. */
  count = 0;
  // Where the last best-fit search found its hole (its parent and which link): the heap
  // reseats or removes that very hole next, and then needs no search. Any change forgets it.
  private foundSeg = NONE;
  private foundParent = NONE;
  private foundSlot = I_AUX0;

  /**
   * @param segments the segment table whose records hold the tree.
   */
  constructor(private readonly segments: SegmentTable) {}

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.count = 0;
    this.foundSeg = NONE;
  }

  private left(t: number): number {
    return this.segments.i[I_STRIDE * t + I_AUX0]!;
  }

  private right(t: number): number {
    return this.segments.i[I_STRIDE * t + I_AUX1]!;
  }

  /** Sets link `slot` (I_AUX0 left, I_AUX1 right) of `t` to `child`, or the root when t is NONE. */
  private attach(t: number, slot: number, child: number): void {
    if (t === NONE) this.root = child;
    else this.segments.i[I_STRIDE * t + slot] = child;
  }

  /** Whether key (size, start) comes before segment t's key. */
  private keyBefore(size: number, start: number, t: number): boolean {
    const other = this.segments.u[I_STRIDE * t + U_SIZE]!;
    return size < other || (size === other && start < this.segments.f[F_STRIDE * t + F_START]!);
  }

  private before(a: number, b: number): boolean {
    return this.keyBefore(
      this.segments.u[I_STRIDE * a + U_SIZE]!,
      this.segments.f[F_STRIDE * a + F_START]!,
      b,
    );
  }

  /**
   * Adds a hole.
   * @param seg a HOLE segment id not in the tree.
   */
  insert(seg: number): void {
    const size = this.segments.u[I_STRIDE * seg + U_SIZE]!;
    const start = this.segments.f[F_STRIDE * seg + F_START]!;
    const priority = priorityOf(seg);
    this.count++;
    this.foundSeg = NONE;
    // Walk down while the nodes outrank seg; seg takes the place of the first one that does
    // not, and that subtree splits by seg's key into seg's two subtrees.
    let parent = NONE;
    let slot = I_AUX0;
    let t = this.root;
    while (t !== NONE && priorityOf(t) >= priority) {
      parent = t;
      slot = this.keyBefore(size, start, t) ? I_AUX0 : I_AUX1;
      t = this.segments.i[I_STRIDE * t + slot]!;
    }
    this.attach(parent, slot, seg);
    const ints = this.segments.i;
    // Split t: nodes before seg hang, in order, off seg's left link and then each one's right
    // link; nodes after seg off seg's right link and then each one's left link.
    let low = seg;
    let lowSlot = I_AUX0;
    let high = seg;
    let highSlot = I_AUX1;
    while (t !== NONE) {
      if (this.keyBefore(size, start, t)) {
        ints[I_STRIDE * high + highSlot] = t;
        high = t;
        highSlot = I_AUX0;
        t = ints[I_STRIDE * t + I_AUX0]!;
      } else {
        ints[I_STRIDE * low + lowSlot] = t;
        low = t;
        lowSlot = I_AUX1;
        t = ints[I_STRIDE * t + I_AUX1]!;
      }
    }
    ints[I_STRIDE * low + lowSlot] = NONE;
    ints[I_STRIDE * high + highSlot] = NONE;
  }

  /**
   * Removes a hole.
   * @param seg a segment id in the tree.
   * @param size the size it has in the tree (default: its record's).
   * @param start the start it has in the tree (default: its record's).
   */
  remove(
    seg: number,
    size: number = this.segments.u[I_STRIDE * seg + U_SIZE]!,
    start: number = this.segments.f[F_STRIDE * seg + F_START]!,
  ): void {
    const ints = this.segments.i;
    let parent = NONE;
    let slot = I_AUX0;
    if (seg === this.foundSeg) {
      parent = this.foundParent;
      slot = this.foundSlot;
    } else {
      let t = this.root;
      while (t !== seg) {
        if (t === NONE) throw new Error(`hole tree: segment ${seg} is not in the tree under its key`);
        parent = t;
        slot = this.keyBefore(size, start, t) ? I_AUX0 : I_AUX1;
        t = ints[I_STRIDE * t + slot]!;
      }
    }
    this.foundSeg = NONE;
    // Merge seg's two subtrees in its place, the higher priority on top at each step.
    let low = ints[I_STRIDE * seg + I_AUX0]!;
    let high = ints[I_STRIDE * seg + I_AUX1]!;
    while (low !== NONE && high !== NONE) {
      if (priorityOf(low) > priorityOf(high)) {
        this.attach(parent, slot, low);
        parent = low;
        slot = I_AUX1;
        low = ints[I_STRIDE * low + I_AUX1]!;
      } else {
        this.attach(parent, slot, high);
        parent = high;
        slot = I_AUX0;
        high = ints[I_STRIDE * high + I_AUX0]!;
      }
    }
    this.attach(parent, slot, low !== NONE ? low : high);
    this.count--;
  }

  /**
   * Best fit: the first hole in (size, address) order among those of at least `size` bytes,
   * that is the smallest fitting hole, the lowest-addressed among equal sizes.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFitting(size: number): number {
    const u = this.segments.u;
    const ints = this.segments.i;
    // Lower bound: every hole of at least `size` bytes comes after every smaller one.
    let found = NONE;
    let foundParent = NONE;
    let foundSlot = I_AUX0;
    let parent = NONE;
    let slot = I_AUX0;
    let t = this.root;
    while (t !== NONE) {
      if (u[I_STRIDE * t + U_SIZE]! >= size) {
        found = t;
        foundParent = parent;
        foundSlot = slot;
        slot = I_AUX0;
      } else {
        slot = I_AUX1;
      }
      parent = t;
      t = ints[I_STRIDE * t + slot]!;
    }
    this.foundSeg = found;
    this.foundParent = foundParent;
    this.foundSlot = foundSlot;
    return found;
  }

  /**
   * Checks the tree's own invariants and that it holds exactly `expected` holes.
   * @param expected the set of hole segment ids the heap has.
   * @returns a description of the first broken invariant, or null.
   */
  check(expected: ReadonlySet<number>): string | null {
    if (this.count !== expected.size)
      return `hole tree holds ${this.count} holes, the heap has ${expected.size}`;
    let seen = 0;
    const priority = priorityOf;
    // In order, iteratively: keys strictly increasing, each child below its parent's priority.
    let previous = NONE;
    const stack: number[] = [];
    for (let t = this.root; t !== NONE || stack.length > 0; ) {
      if (t !== NONE) {
        if (++seen > this.count) return `hole tree reaches more than the ${this.count} holes it counts`;
        if (!expected.has(t)) return `hole tree holds segment ${t}, which is not a hole`;
        for (const child of [this.left(t), this.right(t)])
          if (child !== NONE && priority(child) > priority(t))
            return `hole tree: heap property broken at segment ${t}`;
        stack.push(t);
        t = this.left(t);
        continue;
      }
      t = stack.pop()!;
      if (previous !== NONE && !this.before(previous, t))
        return `hole tree: segments ${previous} and ${t} are out of (size, address) order`;
      previous = t;
      t = this.right(t);
    }
    if (seen !== this.count) return `hole tree reaches ${seen} holes but counts ${this.count}`;
    return null;
  }
}
