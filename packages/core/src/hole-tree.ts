import {
  F_SIZE,
  F_START,
  F_STRIDE,
  I_AUX0,
  I_AUX1,
  I_AUX2,
  I_STRIDE,
  NONE,
  type SegmentTable,
} from './segment-table.js';

/** A segment's treap priority: a fixed pseudo-random function of its id (Fibonacci hash). */
function priorityOf(seg: number): number {
  return Math.imul(seg + 1, 0x9e3779b1);
}

/**
 * A treap over hole segments ordered by (size, start address), in typed arrays indexed by
 * segment id. It answers "the smallest hole of at least n bytes, lowest address on ties"
 * (best fit) as a lower-bound search in O(log holes). Priorities are a fixed hash of the
 * segment id, so runs are reproducible and the tree needs no storage of its own: its links
 * live in the policy slots of the segment records.
 */
export class HoleTree {
  // The tree lives in the segment records' policy slots: I_AUX0/1/2 hold the left, right and
  // parent links. A node's treap priority is a hash of its segment id, so it needs no storage.
  // The key is the segment's own (size, start).
  private root = NONE;
  /** Number of holes in the tree. */
  count = 0;

  /**
   * @param segments the segment table whose records hold the tree.
   */
  constructor(private readonly segments: SegmentTable) {}

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.count = 0;
  }

  private left(t: number): number {
    return this.segments.i[I_STRIDE * t + I_AUX0]!;
  }

  private right(t: number): number {
    return this.segments.i[I_STRIDE * t + I_AUX1]!;
  }

  private parent(t: number): number {
    return this.segments.i[I_STRIDE * t + I_AUX2]!;
  }

  private setLeft(t: number, child: number): void {
    this.segments.i[I_STRIDE * t + I_AUX0] = child;
  }

  private setRight(t: number, child: number): void {
    this.segments.i[I_STRIDE * t + I_AUX1] = child;
  }

  private setParent(t: number, p: number): void {
    this.segments.i[I_STRIDE * t + I_AUX2] = p;
  }

  private before(a: number, b: number): boolean {
    const f = this.segments.f;
    const sa = f[F_STRIDE * a + F_SIZE]!;
    const sb = f[F_STRIDE * b + F_SIZE]!;
    return sa < sb || (sa === sb && f[F_STRIDE * a + F_START]! < f[F_STRIDE * b + F_START]!);
  }

  private replaceChild(p: number, oldChild: number, newChild: number): void {
    if (p === NONE) this.root = newChild;
    else if (this.left(p) === oldChild) this.setLeft(p, newChild);
    else this.setRight(p, newChild);
    if (newChild !== NONE) this.setParent(newChild, p);
  }

  /** Rotates t up above its parent. */
  private rotateUp(t: number): void {
    const p = this.parent(t);
    const g = this.parent(p);
    if (this.left(p) === t) {
      const b = this.right(t);
      this.setLeft(p, b);
      if (b !== NONE) this.setParent(b, p);
      this.setRight(t, p);
    } else {
      const b = this.left(t);
      this.setRight(p, b);
      if (b !== NONE) this.setParent(b, p);
      this.setLeft(t, p);
    }
    this.setParent(p, t);
    this.replaceChild(g, p, t);
  }

  /**
   * Adds a hole.
   * @param seg a HOLE segment id not in the tree.
   */
  insert(seg: number): void {
    const f = this.segments.f;
    const ints = this.segments.i;
    const size = f[F_STRIDE * seg + F_SIZE]!;
    const start = f[F_STRIDE * seg + F_START]!;
    ints[I_STRIDE * seg + I_AUX0] = NONE;
    ints[I_STRIDE * seg + I_AUX1] = NONE;
    this.count++;
    if (this.root === NONE) {
      this.root = seg;
      ints[I_STRIDE * seg + I_AUX2] = NONE;
      return;
    }
    let t = this.root;
    for (;;) {
      const other = f[F_STRIDE * t + F_SIZE]!;
      if (size < other || (size === other && start < f[F_STRIDE * t + F_START]!)) {
        const l = ints[I_STRIDE * t + I_AUX0]!;
        if (l === NONE) {
          ints[I_STRIDE * t + I_AUX0] = seg;
          break;
        }
        t = l;
      } else {
        const r = ints[I_STRIDE * t + I_AUX1]!;
        if (r === NONE) {
          ints[I_STRIDE * t + I_AUX1] = seg;
          break;
        }
        t = r;
      }
    }
    ints[I_STRIDE * seg + I_AUX2] = t;
    const priority = priorityOf(seg);
    for (;;) {
      const p = this.parent(seg);
      if (p === NONE || priorityOf(p) >= priority) break;
      this.rotateUp(seg);
    }
  }

  /**
   * Removes a hole.
   * @param seg a segment id in the tree.
   */
  remove(seg: number): void {
    // Rotate seg down until it has at most one child, then splice it out.
    for (;;) {
      const l = this.left(seg);
      const r = this.right(seg);
      if (l === NONE || r === NONE) {
        const child = l === NONE ? r : l;
        const p = this.parent(seg);
        this.replaceChild(p, seg, child);
        this.count--;
        return;
      }
      this.rotateUp(priorityOf(l) > priorityOf(r) ? l : r);
    }
  }

  /**
   * Best fit: the first hole in (size, address) order among those of at least `size` bytes,
   * that is the smallest fitting hole, the lowest-addressed among equal sizes.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFitting(size: number): number {
    const f = this.segments.f;
    const ints = this.segments.i;
    // Lower bound: every hole of at least `size` bytes comes after every smaller one.
    let found = NONE;
    let t = this.root;
    while (t !== NONE) {
      if (f[F_STRIDE * t + F_SIZE]! >= size) {
        found = t;
        t = ints[I_STRIDE * t + I_AUX0]!;
      } else {
        t = ints[I_STRIDE * t + I_AUX1]!;
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
    if (this.count !== expected.size)
      return `hole tree holds ${this.count} holes, the heap has ${expected.size}`;
    let seen = 0;
    const priority = priorityOf;
    const visit = (t: number, p: number): string | null => {
      if (t === NONE) return null;
      seen++;
      if (!expected.has(t)) return `hole tree holds segment ${t}, which is not a hole`;
      if (this.parent(t) !== p) return `hole tree: bad parent link at segment ${t}`;
      const l = this.left(t);
      const r = this.right(t);
      if (l !== NONE && (!this.before(l, t) || priority(l) > priority(t)))
        return `hole tree: order or heap property broken at segment ${t}`;
      if (r !== NONE && (this.before(r, t) || priority(r) > priority(t)))
        return `hole tree: order or heap property broken at segment ${t}`;
      return visit(l, t) ?? visit(r, t);
    };
    const problem = visit(this.root, NONE);
    if (problem) return problem;
    if (seen !== this.count) return `hole tree reaches ${seen} holes but counts ${this.count}`;
    // The whole in-order sequence, not just each parent and child, must be in key order.
    let previous = NONE;
    const stack: number[] = [];
    for (let t = this.root; t !== NONE || stack.length > 0; ) {
      if (t !== NONE) {
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
    return null;
  }
}
