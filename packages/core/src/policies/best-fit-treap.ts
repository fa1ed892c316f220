import { type HoleRecords, NO_HOLE as NONE, type PolicyLink } from './hole-records.js';
import { LINK_STRIDE as L, LEFT, RIGHT } from './link-words.js';

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
export class BestFitTreap {
  // The tree lives in the segment records' policy slots: LEFT holds the left link, RIGHT
  // the right one. A node's treap priority is a hash of its segment id, so it needs no
  // storage. The key is the segment's own (size, start).
  private root = NONE;
  /** Number of holes in the tree. */
  count = 0;
  // Where the last best-fit search found its hole (its parent and which link): the heap
  // reseats or removes that very hole next, and then needs no search. Any change forgets it.
  private foundSeg = NONE;
  private foundParent = NONE;
  private foundSlot: PolicyLink = LEFT;

  /**
   * @param holes the heap's holes, whose link words hold the tree.
   */
  constructor(private readonly holes: HoleRecords) {}

  /** Writes the root and the count (a shared heap's scalars). */
  saveState(state: Float64Array, at: number): void {
    state[at] = this.root;
    state[at + 1] = this.count;
  }

  /**
   * Reads the root and the count, and forgets the last search's place (another thread may
   * have changed the tree since).
   */
  loadState(state: Float64Array, at: number): void {
    this.root = state[at]!;
    this.count = state[at + 1]!;
    this.foundSeg = NONE;
  }

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.count = 0;
    this.foundSeg = NONE;
  }

  private left(t: number): number {
    return this.holes.link(t, LEFT);
  }

  private right(t: number): number {
    return this.holes.link(t, RIGHT);
  }

  /**
   * Sets link `slot` (LEFT left, RIGHT right) of `t` to `child`, or the root when t is NONE.
   * `links` is the holes' raw link words, as insert, remove and firstFitting use them (read
   * once per call, indexed directly: link-words.ts says why).
   */
  private attach(links: Int32Array, t: number, slot: PolicyLink, child: number): void {
    if (t === NONE) this.root = child;
    else links[L * t + slot] = child;
  }

  /**
   * Whether key (size, start) comes before segment t's key. Reads t's start even when the
   * sizes differ: a call that runs on rare paths only stays a call in V8's optimized code
   * (it is not inlined below a call frequency of 0.15), and with sizes alike, ties are common
   * enough in a busy heap to cost best fit about a tenth of its speed.
   */
  private keyBefore(size: number, start: number, t: number): boolean {
    const otherSize = this.holes.size(t);
    const otherStart = this.holes.start(t);
    return size < otherSize || (size === otherSize && start < otherStart);
  }

  private before(a: number, b: number): boolean {
    return this.keyBefore(this.holes.size(a), this.holes.start(a), b);
  }

  /**
   * Adds a hole.
   * @param seg a HOLE segment id not in the tree.
   */
  insert(seg: number): void {
    const size = this.holes.size(seg);
    const start = this.holes.start(seg);
    const priority = priorityOf(seg);
    const links = this.holes.linkWords;
    this.count++;
    this.foundSeg = NONE;
    // Walk down while the nodes outrank seg; seg takes the place of the first one that does
    // not, and that subtree splits by seg's key into seg's two subtrees.
    let parent = NONE;
    let slot: PolicyLink = LEFT;
    let t = this.root;
    while (t !== NONE && priorityOf(t) >= priority) {
      parent = t;
      slot = this.keyBefore(size, start, t) ? LEFT : RIGHT;
      t = links[L * t + slot]!;
    }
    this.attach(links, parent, slot, seg);
    // Split t: nodes before seg hang, in order, off seg's left link and then each one's right
    // link; nodes after seg off seg's right link and then each one's left link.
    let low = seg;
    let lowSlot: PolicyLink = LEFT;
    let high = seg;
    let highSlot: PolicyLink = RIGHT;
    while (t !== NONE) {
      if (this.keyBefore(size, start, t)) {
        links[L * high + highSlot] = t;
        high = t;
        highSlot = LEFT;
        t = links[L * t + LEFT]!;
      } else {
        links[L * low + lowSlot] = t;
        low = t;
        lowSlot = RIGHT;
        t = links[L * t + RIGHT]!;
      }
    }
    links[L * low + lowSlot] = NONE;
    links[L * high + highSlot] = NONE;
  }

  /**
   * Removes a hole.
   * @param seg a segment id in the tree.
   * @param size the size it has in the tree (default: its record's).
   * @param start the start it has in the tree (default: its record's).
   */
  remove(seg: number, size: number = this.holes.size(seg), start: number = this.holes.start(seg)): void {
    const links = this.holes.linkWords;
    let parent = NONE;
    let slot: PolicyLink = LEFT;
    if (seg === this.foundSeg) {
      parent = this.foundParent;
      slot = this.foundSlot;
    } else {
      let t = this.root;
      while (t !== seg) {
        if (t === NONE) throw new Error(`hole tree: segment ${seg} is not in the tree under its key`);
        parent = t;
        slot = this.keyBefore(size, start, t) ? LEFT : RIGHT;
        t = links[L * t + slot]!;
      }
    }
    this.foundSeg = NONE;
    // Merge seg's two subtrees in its place, the higher priority on top at each step.
    let low = links[L * seg + LEFT]!;
    let high = links[L * seg + RIGHT]!;
    while (low !== NONE && high !== NONE) {
      if (priorityOf(low) > priorityOf(high)) {
        this.attach(links, parent, slot, low);
        parent = low;
        slot = RIGHT;
        low = links[L * low + RIGHT]!;
      } else {
        this.attach(links, parent, slot, high);
        parent = high;
        slot = LEFT;
        high = links[L * high + LEFT]!;
      }
    }
    this.attach(links, parent, slot, low !== NONE ? low : high);
    this.count--;
  }

  /**
   * Best fit: the first hole in (size, address) order among those of at least `size` bytes,
   * that is the smallest fitting hole, the lowest-addressed among equal sizes.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFitting(size: number): number {
    // Lower bound: every hole of at least `size` bytes comes after every smaller one.
    let found = NONE;
    let foundParent = NONE;
    let foundSlot: PolicyLink = LEFT;
    let parent = NONE;
    let slot: PolicyLink = LEFT;
    const links = this.holes.linkWords;
    let t = this.root;
    while (t !== NONE) {
      if (this.holes.size(t) >= size) {
        found = t;
        foundParent = parent;
        foundSlot = slot;
        slot = LEFT;
      } else {
        slot = RIGHT;
      }
      parent = t;
      t = links[L * t + slot]!;
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
