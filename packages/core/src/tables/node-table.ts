import type { Mapping } from '@mems/os';
import { plainMemory, type SharedTableState, type TableMemory, viewOf } from '../memory/table-memory.js';
import { NONE } from './segment-table.js';

const INITIAL_NODES = 16;

/** Bytes per id of each column, in region order: start, bytes, address, head, tail, segmentCount, liveCount, order, serial. */
const COLUMN_BYTES: readonly number[] = [8, 8, 8, 4, 4, 4, 4, 4, 4];
const BYTES_PER_NODE = COLUMN_BYTES.reduce((sum, b) => sum + b, 0);

/**
 * Finds this thread's {@link Mapping} object for a live mapping made by any thread (a shared
 * provider's `mappingAt`). Absent for a heap used by one thread, which keeps the objects `map`
 * returned.
 */
export type MappingResolver = (address: bigint) => Mapping;

/**
 * The main chain: one node per mapping, in typed arrays indexed by a node id, plus `order`,
 * the live node ids sorted by virtual start address. `find` is a binary search over `order`
 * (O(log nodes)), so the table is sized by the number of nodes, never by the bytes they span:
 * a 4 GiB node costs what a one-page node costs, whatever the heap's page size.
 *
 * Every column lives in table memory (flat, so other threads can reach it): besides the
 * chain's columns, each node's mapping address and a **serial** (positive while the id is in
 * use, new for every node; its negation once the id is free), and the free ids are a stack
 * threaded through the `head` column. The {@link Mapping} objects themselves cannot be shared:
 * each thread keeps its own cache by node id and serial, filled through a
 * {@link MappingResolver} the first time it touches a node another thread mapped.
 */
export class NodeTable implements SharedTableState {
  /** Virtual address of each node's first byte. */
  start!: Float64Array;
  /** Length in bytes of each node. */
  bytes!: Float64Array;
  /** First segment of each node's sub-chain (for a free id: the next free id). */
  head!: Int32Array;
  /** Last segment of each node's sub-chain. */
  tail!: Int32Array;
  /** Number of segments in each node's sub-chain. */
  segmentCount!: Int32Array;
  /** Number of PROCESS segments in each node's sub-chain. */
  liveCount!: Int32Array;
  /** Live node ids in address order (the first `count` entries). */
  order!: Int32Array;
  /** Each node's mapping address (`Number(mapping.address)`). */
  private address!: Float64Array;
  /** Each node's serial (> 0 while in use). */
  private serial!: Int32Array;
  /** Number of live nodes. */
  count = 0;
  /** How many ids the columns hold. */
  private capacity = INITIAL_NODES;
  private nextId = 0;
  private freeHead = NONE;
  private lastSerial = 0;
  /** This thread's mapping objects by node id, valid while `cachedSerial` matches `serial`. */
  private readonly mappings: (Mapping | undefined)[] = [];
  private readonly cachedSerial: number[] = [];
  private readonly regions: number[] = [];

  /**
   * @param memory where the columns live.
   * @param resolve finds a mapping made by another thread (shared heaps only).
   */
  constructor(
    private readonly memory: TableMemory = plainMemory(),
    private readonly resolve: MappingResolver | null = null,
  ) {
    for (const bytesPerId of COLUMN_BYTES) this.regions.push(memory.allocate(INITIAL_NODES * bytesPerId));
    this.rebind();
  }

  /** Re-makes the column views from their regions. */
  rebind(): void {
    const m = this.memory;
    const r = this.regions;
    this.start = viewOf(m, r[0]!, Float64Array);
    this.bytes = viewOf(m, r[1]!, Float64Array);
    this.address = viewOf(m, r[2]!, Float64Array);
    this.head = viewOf(m, r[3]!, Int32Array);
    this.tail = viewOf(m, r[4]!, Int32Array);
    this.segmentCount = viewOf(m, r[5]!, Int32Array);
    this.liveCount = viewOf(m, r[6]!, Int32Array);
    this.order = viewOf(m, r[7]!, Int32Array);
    this.serial = viewOf(m, r[8]!, Int32Array);
  }

  /** Scalars: count, capacity, next fresh id, free-id stack head, last serial. */
  get stateSlots(): number {
    return 5;
  }

  saveState(state: Float64Array, at: number): void {
    state[at] = this.count;
    state[at + 1] = this.capacity;
    state[at + 2] = this.nextId;
    state[at + 3] = this.freeHead;
    state[at + 4] = this.lastSerial;
  }

  loadState(state: Float64Array, at: number): void {
    this.count = state[at]!;
    this.capacity = state[at + 1]!;
    this.nextId = state[at + 2]!;
    this.freeHead = state[at + 3]!;
    this.lastSerial = state[at + 4]!;
  }

  /**
   * Makes room for one more node, so that adding it cannot fail halfway.
   */
  reserve(): void {
    if (this.nextId < this.capacity && this.count < this.capacity) return;
    const capacity = this.capacity * 2;
    for (let i = 0; i < COLUMN_BYTES.length; i++)
      this.memory.resize(this.regions[i]!, capacity * COLUMN_BYTES[i]!);
    this.capacity = capacity;
    this.rebind();
  }

  /** The virtual address right after the last node, or `fallback` when there is none. */
  endAddress(fallback: number): number {
    if (this.count === 0) return fallback;
    const last = this.order[this.count - 1]!;
    return this.start[last]! + this.bytes[last]!;
  }

  /**
   * Appends a node after the last one (call {@link reserve} first).
   * @param start its virtual start (after every live node).
   * @param bytes its length: whole heap pages, at most the mapping's length.
   * @param mapping the provider mapping behind it.
   * @returns the node id.
   */
  append(start: number, bytes: number, mapping: Mapping): number {
    let id = this.freeHead;
    if (id !== NONE) this.freeHead = this.head[id]!;
    else id = this.nextId++;
    this.start[id] = start;
    this.bytes[id] = bytes;
    this.address[id] = Number(mapping.address);
    this.head[id] = NONE;
    this.tail[id] = NONE;
    this.segmentCount[id] = 0;
    this.liveCount[id] = 0;
    const serial = ++this.lastSerial;
    this.serial[id] = serial;
    this.mappings[id] = mapping;
    this.cachedSerial[id] = serial;
    this.order[this.count++] = id;
    return id;
  }

  /**
   * This thread's mapping object for a live node: the one `map` returned here, or (in a heap
   * that other threads share) the one the resolver gives the first time this thread touches a
   * node mapped by another.
   * @param id a live node id.
   * @returns the mapping.
   * @throws MemsError `EFAULT` from the resolver when the node's mapping is no longer live.
   */
  mappingOf(id: number): Mapping {
    const serial = this.serial[id]!;
    if (this.cachedSerial[id] === serial) return this.mappings[id]!;
    return this.fetchMapping(id, serial);
  }

  /**
   * {@link mappingOf}, or null when the node's mapping cannot be found (no longer live).
   * @param id a live node id.
   */
  mappingOrNull(id: number): Mapping | null {
    try {
      return this.mappingOf(id);
    } catch {
      return null;
    }
  }

  private fetchMapping(id: number, serial: number): Mapping {
    if (this.resolve === null) throw new Error(`node table: node ${id} has no mapping`);
    const mapping = this.resolve(BigInt(this.address[id]!));
    this.mappings[id] = mapping;
    this.cachedSerial[id] = serial;
    return mapping;
  }

  /**
   * The serial of node `id`: positive and new each time the id is given to a node, negative once
   * that node is removed, so a (id, serial) pair names one node's lifetime on every thread.
   * @param id a node id.
   */
  serialOf(id: number): number {
    return this.serial[id]!;
  }

  /** Whether `id` is a node in use (not retired, not free). */
  isLive(id: number): boolean {
    return id >= 0 && id < this.nextId && this.serial[id]! > 0;
  }

  /**
   * Removes a node from the chain and recycles its id.
   * @param id a live node id.
   */
  remove(id: number): void {
    const position = this.positionOf(this.start[id]!);
    this.order.copyWithin(position, position + 1, this.count);
    this.count--;
    this.retire(id);
  }

  /**
   * Takes a node out of use but leaves its id in `order` until {@link compact}, so that
   * removing many nodes costs one pass over `order` instead of one shift per node. Between
   * the two calls `order` may hold retired ids: call nothing else in between.
   * @param id a live node id.
   */
  retire(id: number): void {
    this.serial[id] = -this.serial[id]!;
    this.mappings[id] = undefined;
    this.cachedSerial[id] = 0;
    this.head[id] = this.freeHead;
    this.freeHead = id;
  }

  /** Drops the ids that {@link retire} took out of use from `order`, keeping its order. */
  compact(): void {
    const order = this.order;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const id = order[i]!;
      if (this.serial[id]! > 0) order[kept++] = id;
    }
    this.count = kept;
  }

  /** Forgets every node. */
  clear(): void {
    this.count = 0;
    this.mappings.length = 0;
    this.cachedSerial.length = 0;
    this.serial.fill(0);
    this.freeHead = NONE;
    this.nextId = 0;
  }

  private positionOf(address: number): number {
    // Index of the last node whose start is <= address, or -1.
    const order = this.order;
    const start = this.start;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (start[order[mid]!]! <= address) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * The node whose virtual range holds `address`: a binary search over the nodes in address
   * order, O(log nodes).
   * @param address a virtual address.
   * @returns the node id, or -1 when no node holds it (before the first node, past the last,
   *   or in a gap that a trimmed node left).
   */
  find(address: number): number {
    const position = this.positionOf(address);
    if (position < 0) return NONE;
    const node = this.order[position]!;
    return address < this.start[node]! + this.bytes[node]! ? node : NONE;
  }

  /** Bytes held by the columns: proportional to the most nodes the heap has held. */
  get metadataBytes(): number {
    return this.capacity * BYTES_PER_NODE;
  }
}
