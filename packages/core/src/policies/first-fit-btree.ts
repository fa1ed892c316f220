import { ENTRY, FANOUT, LEAF, SLOTS, SPARSE } from './btree-shape.js';
import { BTreeStorage } from './btree-storage.js';
import { NO_HOLE as NONE } from './hole-records.js';
import { LINK_STRIDE as L } from './link-words.js';

/**
 * A B+-tree over hole segments in address order, in typed arrays. Each node holds up to 32
 * entries side by side: a key (the smallest start address below it), the largest hole below
 * it and a reference (a child node, or in a leaf the hole's segment id). First fit descends
 * by taking, at each level, the first entry whose largest hole fits: a few contiguous scans
 * instead of a pointer chase per level, 3 to 5 levels for a million holes.
 *
 * A hole's segment record keeps the id of its leaf in the first policy slot, so updates go
 * straight to the leaf. Leaves split when full and merge with a sibling when sparse.
 */
export class FirstFitBTree extends BTreeStorage {
  // ------------------------------------------------------------------ helpers

  /** The largest entry of t; also records t's second-largest. */
  private nodeMax(t: number): number {
    const maxes = this.maxes;
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    let best = 0;
    let second = 0;
    for (let k = base; k < end; k++) {
      const v = maxes[k]!;
      if (v > best) {
        second = best;
        best = v;
      } else if (v > second) second = v;
    }
    this.seconds[t] = second;
    return best;
  }

  /** Re-derives the parent entries (first key, largest hole) above t while they change. */
  private propagate(t: number): void {
    const keys = this.keys;
    const maxes = this.maxes;
    for (let p = this.parents[t]!; p !== NONE; t = p, p = this.parents[p]!) {
      const at = p * SLOTS + this.slots[t]!;
      const max = this.nodeMax(t);
      const key = keys[t * SLOTS]!;
      if (maxes[at] === max && keys[at] === key) return;
      maxes[at] = max;
      this.seconds[p] = -1;
      keys[at] = key;
    }
  }

  /**
   * Like {@link propagate} after one entry of t went from `before` to `after` bytes (0 for an
   * entry that came or went): a parent's largest value is rescanned only when the entry that
   * shrank was the one holding it.
   */
  private climb(t: number, before: number, after: number): void {
    const keys = this.keys;
    const maxes = this.maxes;
    for (let p = this.parents[t]!; p !== NONE; t = p, p = this.parents[p]!) {
      const at = p * SLOTS + this.slots[t]!;
      const current = maxes[at]!;
      const second = this.seconds[t]!;
      let max: number;
      if (after >= current) {
        // The entry is (now) the largest; the old largest is second unless it was this entry.
        max = after;
        if (before !== current) this.seconds[t] = current;
      } else if (before < current) {
        // Another entry stays the largest; only the second may change.
        max = current;
        if (second >= 0) {
          if (after > second) this.seconds[t] = after;
          else if (before === second && after < before) this.seconds[t] = -1;
        }
      } else if (second >= 0) {
        // The largest shrank and the second is known: no rescan.
        max = Math.max(after, second);
        if (after < second) this.seconds[t] = -1;
      } else {
        max = this.nodeMax(t);
      }
      const key = keys[t * SLOTS]!;
      if (max === current && keys[at] === key) return;
      maxes[at] = max;
      keys[at] = key;
      before = current;
      after = max;
    }
  }

  // Entry shifts are short (at most 32): plain loops beat three copyWithin calls.
  private insertAt(t: number, at: number, key: number, max: number, ref: number): void {
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    const pos = base + at;
    const keys = this.keys;
    const maxes = this.maxes;
    const refs = this.refs;
    for (let k = end; k > pos; k--) {
      keys[k] = keys[k - 1]!;
      maxes[k] = maxes[k - 1]!;
      refs[k] = refs[k - 1]!;
    }
    this.keys[pos] = key;
    this.maxes[pos] = max;
    this.refs[pos] = ref;
    this.counts[t]!++;
    // t's second-largest value stays as it was: the caller either climbs from t, which folds
    // the new entry in, or splits t, or rescans it.
    this.renumber(t, pos - base);
  }

  private removeAt(t: number, at: number): void {
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    const keys = this.keys;
    const maxes = this.maxes;
    const refs = this.refs;
    for (let k = base + at + 1; k < end; k++) {
      keys[k - 1] = keys[k]!;
      maxes[k - 1] = maxes[k]!;
      refs[k - 1] = refs[k]!;
    }
    this.counts[t]!--;
    // t's second-largest value stays as it was before the removal: `remove` climbs from t with
    // the removed value, which is what climb needs; other callers rescan t.
    this.renumber(t, at);
  }

  /**
   * Records, for the entries of t from index `from` on, where they stand: a hole's segment
   * record keeps its leaf (first policy slot) and its index there (second slot); a child node
   * keeps its parent and its index in it.
   */
  private renumber(t: number, from: number): void {
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    const refs = this.refs;
    if (this.leaf[t] === 1) {
      const links = this.holes.linkWords; // raw, for V8: see link-words.ts
      for (let k = base + from; k < end; k++) {
        const at = L * refs[k]!;
        links[at + LEAF] = t;
        links[at + ENTRY] = k - base;
      }
    } else {
      for (let k = base + from; k < end; k++) {
        this.parents[refs[k]!] = t;
        this.slots[refs[k]!] = k - base;
      }
    }
  }

  // ------------------------------------------------------------------ changes

  /**
   * Adds a hole.
   * @param seg a HOLE segment id not in the tree.
   */
  insert(seg: number): void {
    this.reserveNodes();
    const key = this.holes.start(seg);
    const size = this.holes.size(seg);
    this.count++;
    if (this.root === NONE) {
      this.root = this.newNode(true);
      this.height = 0;
    }
    let t = this.root;
    const keys = this.keys;
    while (this.leaf[t] === 0) {
      const base = t * SLOTS;
      const end = base + this.counts[t]!;
      let k = base;
      while (k + 1 < end && keys[k + 1]! <= key) k++;
      t = this.refs[k]!;
    }
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    let k = base;
    while (k < end && keys[k]! < key) k++;
    this.insertAt(t, k - base, key, size, seg);
    if (this.counts[t] === SLOTS) this.split(t);
    else this.climb(t, 0, size);
  }

  private split(t: number): void {
    this.seconds[t] = -1;
    const u = this.newNode(this.leaf[t] === 1);
    const half = this.counts[t]! >> 1;
    const moved = this.counts[t]! - half;
    const from = t * SLOTS + half;
    const to = u * SLOTS;
    this.keys.copyWithin(to, from, from + moved);
    this.maxes.copyWithin(to, from, from + moved);
    this.refs.copyWithin(to, from, from + moved);
    this.counts[t] = half;
    this.counts[u] = moved;
    this.renumber(u, 0);
    const p = this.parents[t]!;
    if (p === NONE) {
      const r = this.newNode(false);
      this.insertAt(r, 0, this.keys[t * SLOTS]!, this.nodeMax(t), t);
      this.insertAt(r, 1, this.keys[u * SLOTS]!, this.nodeMax(u), u);
      this.parents[t] = r;
      this.parents[u] = r;
      this.root = r;
      this.height++;
      return;
    }
    const at = this.slots[t]!;
    this.keys[p * SLOTS + at] = this.keys[t * SLOTS]!;
    this.maxes[p * SLOTS + at] = this.nodeMax(t);
    this.insertAt(p, at + 1, this.keys[u * SLOTS]!, this.nodeMax(u), u);
    this.parents[u] = p;
    if (this.counts[p] === SLOTS) this.split(p);
    else this.propagate(p);
  }

  /**
   * Removes a hole.
   * @param seg a segment id in the tree.
   */
  remove(seg: number): void {
    const links = this.holes.linkWords;
    const t = links[L * seg + LEAF]!;
    const at = links[L * seg + ENTRY]!;
    const size = this.maxes[t * SLOTS + at]!;
    this.removeAt(t, at);
    this.count--;
    this.afterRemoval(t, size);
  }

  /**
   * Restores the tree's shape after an entry of t went away.
   * @param removedMax the largest hole of the entry that went, or -1 when unknown.
   */
  private afterRemoval(t: number, removedMax = -1): void {
    const p = this.parents[t]!;
    if (this.counts[t] === 0) {
      this.freeNode(t);
      if (p === NONE) {
        this.root = NONE;
        this.height = 0;
        return;
      }
      this.removeAt(p, this.slots[t]!);
      this.afterRemoval(p);
      return;
    }
    if (p === NONE) {
      // A root with one child hands the root to it.
      if (this.leaf[t] === 0 && this.counts[t] === 1) {
        this.root = this.refs[t * SLOTS]!;
        this.parents[this.root] = NONE;
        this.height--;
        this.freeNode(t);
      }
      return;
    }
    if (this.counts[t]! < SPARSE) {
      const at = this.slots[t]!;
      const siblings = this.counts[p]!;
      const left = at > 0 ? this.refs[p * SLOTS + at - 1]! : NONE;
      const right = at + 1 < siblings ? this.refs[p * SLOTS + at + 1]! : NONE;
      if (right !== NONE && this.counts[t]! + this.counts[right]! <= FANOUT) {
        this.mergeInto(t, right, p, at + 1);
        return;
      }
      if (left !== NONE && this.counts[left]! + this.counts[t]! <= FANOUT) {
        this.mergeInto(left, t, p, at);
        return;
      }
    }
    if (removedMax >= 0) this.climb(t, removedMax, 0);
    else this.propagate(t);
  }

  /** Moves every entry of `right` to the end of `left` and drops `right` from parent p. */
  private mergeInto(left: number, right: number, p: number, rightAt: number): void {
    const start = this.counts[left]!;
    const moved = this.counts[right]!;
    const from = right * SLOTS;
    const to = left * SLOTS + start;
    this.keys.copyWithin(to, from, from + moved);
    this.maxes.copyWithin(to, from, from + moved);
    this.refs.copyWithin(to, from, from + moved);
    this.counts[left] = start + moved;
    this.renumber(left, start);
    this.freeNode(right);
    this.removeAt(p, rightAt);
    const at = p * SLOTS + this.slots[left]!;
    this.keys[at] = this.keys[left * SLOTS]!;
    this.maxes[at] = this.nodeMax(left);
    this.afterRemoval(p);
  }

  /**
   * Tells the tree that a hole's size changed and its start moved without passing any other
   * hole in address order.
   * @param seg a segment id in the tree, already holding its new start and size.
   */
  updateInPlace(seg: number): void {
    const links = this.holes.linkWords;
    const t = links[L * seg + LEAF]!;
    const at = t * SLOTS + links[L * seg + ENTRY]!;
    const before = this.maxes[at]!;
    const after = this.holes.size(seg);
    this.keys[at] = this.holes.start(seg);
    this.maxes[at] = after;
    this.climb(t, before, after);
  }

  // ------------------------------------------------------------------ queries

  /**
   * First fit: the lowest-addressed hole of at least `size` bytes.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFitting(size: number): number {
    const root = this.root;
    if (root === NONE) return NONE;
    const maxes = this.maxes;
    const refs = this.refs;
    let k = root * SLOTS;
    const end = k + this.counts[root]!;
    while (k < end && maxes[k]! < size) k++;
    if (k === end) return NONE;
    // Below the root every step is sure to find a fitting entry (the parent's entry says one
    // fits), so the scans need no bound and the leaves are known by depth.
    for (let level = this.height; level > 0; level--) {
      k = refs[k]! * SLOTS;
      while (maxes[k]! < size) k++;
    }
    return refs[k]!;
  }

  /**
   * Next fit: the lowest-addressed hole of at least `size` bytes starting at or after
   * `address`.
   * @param address the lower bound on the start address.
   * @param size bytes needed.
   * @returns a segment id, or -1.
   */
  firstFittingFrom(address: number, size: number): number {
    return this.root === NONE ? NONE : this.searchFrom(this.root, address, size);
  }

  private searchFrom(t: number, address: number, size: number): number {
    const base = t * SLOTS;
    const end = base + this.counts[t]!;
    const isLeaf = this.leaf[t] === 1;
    for (let k = base; k < end; k++) {
      if (this.maxes[k]! < size) continue;
      if (isLeaf) {
        if (this.keys[k]! >= address) return this.refs[k]!;
        continue;
      }
      // Child k holds keys below the next entry's key: skip it when they are all below address.
      if (k + 1 < end && this.keys[k + 1]! <= address) continue;
      const found = this.searchFrom(this.refs[k]!, address, size);
      if (found !== NONE) return found;
    }
    return NONE;
  }

  /**
   * Checks the tree against the heap's holes: shape, order, cached keys and maxima, parent and
   * leaf links.
   * @param expected the ids of every HOLE segment of the heap.
   * @returns a description of the first problem, or null.
   */
  check(expected: ReadonlySet<number>): string | null {
    if (this.count !== expected.size)
      return `hole tree holds ${this.count} holes, the heap has ${expected.size}`;
    if (this.root === NONE) return expected.size === 0 ? null : 'hole tree is empty';
    if (this.parents[this.root] !== NONE) return 'hole tree: the root has a parent';
    let seen = 0;
    let previousKey = Number.NEGATIVE_INFINITY;
    const visit = (t: number, depth: number, leafDepth: { value: number }): string | null => {
      const c = this.counts[t]!;
      if (c < 1 || c > FANOUT) return `hole tree: node ${t} holds ${c} entries`;
      const base = t * SLOTS;
      const second = this.seconds[t]!;
      if (t !== this.root && second >= 0) {
        const sorted = Array.from(this.maxes.subarray(base, base + c)).sort((a, b) => b - a);
        if (second !== (sorted[1] ?? 0)) return `hole tree: stale second-largest value for node ${t}`;
      }
      if (this.leaf[t] === 1) {
        if (leafDepth.value === -1) leafDepth.value = depth;
        if (leafDepth.value !== depth) return 'hole tree: leaves at different depths';
        for (let k = base; k < base + c; k++) {
          const seg = this.refs[k]!;
          seen++;
          if (!expected.has(seg)) return `hole tree holds segment ${seg}, which is not a hole`;
          if (this.holes.link(seg, LEAF) !== t || this.holes.link(seg, ENTRY) !== k - base)
            return `hole tree: segment ${seg} names the wrong leaf or place`;
          if (this.keys[k] !== this.holes.start(seg) || this.maxes[k] !== this.holes.size(seg))
            return `hole tree: stale start or size of segment ${seg}`;
          if (this.keys[k]! <= previousKey) return `hole tree: holes out of address order at segment ${seg}`;
          previousKey = this.keys[k]!;
        }
        return null;
      }
      for (let k = base; k < base + c; k++) {
        const child = this.refs[k]!;
        if (this.parents[child] !== t || this.slots[child] !== k - base)
          return `hole tree: bad parent link at node ${child}`;
        if (this.keys[k] !== this.keys[child * SLOTS]) return `hole tree: stale key for node ${child}`;
        // Computed here without nodeMax, which would rewrite the child's second-largest value
        // before visit(child) checks it.
        const childBase = child * SLOTS;
        let childMax = 0;
        for (let j = childBase; j < childBase + this.counts[child]!; j++)
          childMax = Math.max(childMax, this.maxes[j]!);
        if (this.maxes[k] !== childMax) return `hole tree: stale largest-hole value for node ${child}`;
        const problem = visit(child, depth + 1, leafDepth);
        if (problem) return problem;
      }
      return null;
    };
    const leafDepth = { value: -1 };
    const problem = visit(this.root, 0, leafDepth);
    if (!problem && leafDepth.value !== this.height)
      return `hole tree: height ${this.height} recorded, leaves at depth ${leafDepth.value}`;
    if (problem) return problem;
    return seen === this.count ? null : `hole tree reaches ${seen} holes but counts ${this.count}`;
  }
}
