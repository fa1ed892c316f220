import { SLOTS } from './btree-shape.js';
import { type HoleRecords, NO_HOLE as NONE } from './policies/hole-records.js';
import { plainMemory, type TableMemory } from './table-memory.js';

/**
 * The node storage of {@link FirstFitBTree}: per tree node, up to SLOTS entries side by side
 * (key, largest hole below, reference) and its entry count, parent, place in the parent,
 * second-largest entry and leaf flag, all in typed arrays from a {@link TableMemory}. Node ids
 * are recycled; the arrays grow by half. The tree extends it, so its hot code reads the
 * arrays as its own fields.
 */
export abstract class BTreeStorage {
  protected keys: Float64Array;
  protected maxes: Uint32Array;
  protected refs: Int32Array;
  protected counts: Int32Array;
  protected parents: Int32Array;
  /** Each tree node's entry index in its parent. */
  protected slots: Int32Array;
  /**
   * Each node's second-largest entry (the largest once one entry holding the maximum is set
   * aside), or -1 when unknown: lets `climb` skip most rescans when the largest hole shrinks.
   */
  protected seconds: Float64Array;
  protected leaf: Uint8Array;
  protected nodeCapacity: number;
  protected nodesUsed = 0;
  protected freeNodes: number[] = [];
  protected root = NONE;
  /** Levels of inner nodes above the leaves (0 when the root is a leaf). */
  protected height = 0;
  /** Number of holes in the tree. */
  count = 0;

  /**
   * @param holes the heap's holes (their link words point at their leaf entries).
   * @param memory where the node arrays live.
   */
  constructor(
    protected readonly holes: HoleRecords,
    protected readonly memory: TableMemory = plainMemory,
  ) {
    this.nodeCapacity = 16;
    this.keys = new Float64Array(this.memory(this.nodeCapacity * SLOTS * 8));
    this.maxes = new Uint32Array(this.memory(this.nodeCapacity * SLOTS * 4));
    this.refs = new Int32Array(this.memory(this.nodeCapacity * SLOTS * 4));
    this.counts = new Int32Array(this.memory(this.nodeCapacity * 4));
    this.parents = new Int32Array(this.memory(this.nodeCapacity * 4));
    this.slots = new Int32Array(this.memory(this.nodeCapacity * 4));
    this.seconds = new Float64Array(this.memory(this.nodeCapacity * 8));
    this.leaf = new Uint8Array(this.memory(this.nodeCapacity * 1));
  }

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.height = 0;
    this.count = 0;
    this.nodesUsed = 0;
    this.freeNodes = [];
  }

  /** Bytes held by the tree's arrays. */
  get metadataBytes(): number {
    return this.nodeCapacity * (SLOTS * 16 + 21);
  }

  // ------------------------------------------------------------------ node storage

  protected newNode(isLeaf: boolean): number {
    let t = this.freeNodes.pop();
    if (t === undefined) {
      if (this.nodesUsed === this.nodeCapacity) this.growNodes();
      t = this.nodesUsed++;
    }
    this.counts[t] = 0;
    this.parents[t] = NONE;
    this.seconds[t] = -1;
    this.leaf[t] = isLeaf ? 1 : 0;
    return t;
  }

  protected freeNode(t: number): void {
    this.counts[t] = 0;
    this.freeNodes.push(t);
  }

  protected growNodes(): void {
    const capacity = this.nodeCapacity + (this.nodeCapacity >> 1);
    const grow = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.keys = grow(this.keys, new Float64Array(this.memory(capacity * SLOTS * 8)));
    this.maxes = grow(this.maxes, new Uint32Array(this.memory(capacity * SLOTS * 4)));
    this.refs = grow(this.refs, new Int32Array(this.memory(capacity * SLOTS * 4)));
    this.counts = grow(this.counts, new Int32Array(this.memory(capacity * 4)));
    this.parents = grow(this.parents, new Int32Array(this.memory(capacity * 4)));
    this.slots = grow(this.slots, new Int32Array(this.memory(capacity * 4)));
    this.seconds = grow(this.seconds, new Float64Array(this.memory(capacity * 8)));
    this.leaf = grow(this.leaf, new Uint8Array(this.memory(capacity * 1)));
    this.nodeCapacity = capacity;
  }

  /** Makes sure a split cascade cannot run out of node slots halfway (call before inserting). */
  protected reserveNodes(): void {
    // A split cascade takes at most one node per level plus a new root.
    while (this.nodeCapacity - this.nodesUsed + this.freeNodes.length < 12) this.growNodes();
  }
}
