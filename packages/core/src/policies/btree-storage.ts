import { plainMemory, type SharedTableState, type TableMemory } from '../memory/table-memory.js';
import { SLOTS } from './btree-shape.js';
import { type HoleRecords, NO_HOLE as NONE } from './hole-records.js';

/** Bytes per tree node of each array, in region order: keys, maxes, refs, counts, parents, slots, seconds, leaf. */
const ARRAY_BYTES: readonly number[] = [SLOTS * 8, SLOTS * 4, SLOTS * 4, 4, 4, 4, 8, 1];

/**
 * The node storage of {@link FirstFitBTree}: per tree node, up to SLOTS entries side by side
 * (key, largest hole below, reference) and its entry count, parent, place in the parent,
 * second-largest entry and leaf flag, all in typed arrays from a {@link TableMemory}. Node ids
 * are recycled; the arrays grow by half. The tree extends it, so its hot code reads the
 * arrays as its own fields.
 */
export abstract class BTreeStorage implements SharedTableState {
  protected keys!: Float64Array;
  protected maxes!: Uint32Array;
  protected refs!: Int32Array;
  protected counts!: Int32Array;
  /** Each tree node's parent (for a free tree node: the next free one). */
  protected parents!: Int32Array;
  /** Each tree node's entry index in its parent. */
  protected slots!: Int32Array;
  /**
   * Each node's second-largest entry (the largest once one entry holding the maximum is set
   * aside), or -1 when unknown: lets `climb` skip most rescans when the largest hole shrinks.
   */
  protected seconds!: Float64Array;
  protected leaf!: Uint8Array;
  protected nodeCapacity: number;
  protected nodesUsed = 0;
  /** Free tree nodes: a stack threaded through `parents`. */
  protected freeHead = NONE;
  /** How many tree nodes are on the free stack. */
  protected freeCount = 0;
  private readonly regions: number[] = [];
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
    protected readonly memory: TableMemory = plainMemory(),
  ) {
    this.nodeCapacity = 16;
    for (const bytes of ARRAY_BYTES) this.regions.push(memory.allocate(roundTo8(this.nodeCapacity * bytes)));
    this.rebind();
  }

  /** Re-makes the arrays' views from their regions. */
  rebind(): void {
    const m = this.memory;
    const r = this.regions;
    const n = this.nodeCapacity;
    this.keys = new Float64Array(m.buffer(r[0]!), m.byteOffset(r[0]!), n * SLOTS);
    this.maxes = new Uint32Array(m.buffer(r[1]!), m.byteOffset(r[1]!), n * SLOTS);
    this.refs = new Int32Array(m.buffer(r[2]!), m.byteOffset(r[2]!), n * SLOTS);
    this.counts = new Int32Array(m.buffer(r[3]!), m.byteOffset(r[3]!), n);
    this.parents = new Int32Array(m.buffer(r[4]!), m.byteOffset(r[4]!), n);
    this.slots = new Int32Array(m.buffer(r[5]!), m.byteOffset(r[5]!), n);
    this.seconds = new Float64Array(m.buffer(r[6]!), m.byteOffset(r[6]!), n);
    this.leaf = new Uint8Array(m.buffer(r[7]!), m.byteOffset(r[7]!), n);
  }

  /** Scalars: node capacity, nodes used, free stack head and size, root, height, count. */
  get stateSlots(): number {
    return 7;
  }

  saveState(state: Float64Array, at: number): void {
    state[at] = this.nodeCapacity;
    state[at + 1] = this.nodesUsed;
    state[at + 2] = this.freeHead;
    state[at + 3] = this.freeCount;
    state[at + 4] = this.root;
    state[at + 5] = this.height;
    state[at + 6] = this.count;
  }

  loadState(state: Float64Array, at: number): void {
    this.nodeCapacity = state[at]!;
    this.nodesUsed = state[at + 1]!;
    this.freeHead = state[at + 2]!;
    this.freeCount = state[at + 3]!;
    this.root = state[at + 4]!;
    this.height = state[at + 5]!;
    this.count = state[at + 6]!;
  }

  /** Forgets every hole. */
  clear(): void {
    this.root = NONE;
    this.height = 0;
    this.count = 0;
    this.nodesUsed = 0;
    this.freeHead = NONE;
    this.freeCount = 0;
  }

  /** Bytes held by the tree's arrays. */
  get metadataBytes(): number {
    return this.nodeCapacity * (SLOTS * 16 + 21);
  }

  // ------------------------------------------------------------------ node storage

  protected newNode(isLeaf: boolean): number {
    let t = this.freeHead;
    if (t !== NONE) {
      this.freeHead = this.parents[t]!;
      this.freeCount--;
    } else {
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
    this.parents[t] = this.freeHead;
    this.freeHead = t;
    this.freeCount++;
  }

  protected growNodes(): void {
    const capacity = this.nodeCapacity + (this.nodeCapacity >> 1);
    for (let i = 0; i < ARRAY_BYTES.length; i++)
      this.memory.resize(this.regions[i]!, roundTo8(capacity * ARRAY_BYTES[i]!));
    this.nodeCapacity = capacity;
    this.rebind();
  }

  /** Makes sure a split cascade cannot run out of node slots halfway (call before inserting). */
  protected reserveNodes(): void {
    // A split cascade takes at most one node per level plus a new root.
    while (this.nodeCapacity - this.nodesUsed + this.freeCount < 12) this.growNodes();
  }
}

/** Regions are whole multiples of 8 bytes. */
function roundTo8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
