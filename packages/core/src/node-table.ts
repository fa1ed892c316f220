import type { Mapping } from '@mems/os';
import { NONE } from './segment-table.js';

/**
 * The main chain: one node per mapping, in typed arrays indexed by a node id, plus `order`,
 * the live node ids sorted by virtual start address. `find` is a binary search over `order`
 * (O(log nodes)), so the table is sized by the number of nodes, never by the bytes they span:
 * a 4 GiB node costs what a one-page node costs, whatever the heap's page size.
 */
export class NodeTable {
  /** Virtual address of each node's first byte. */
  start = new Float64Array(16);
  /** Length in bytes of each node. */
  bytes = new Float64Array(16);
  /** First segment of each node's sub-chain. */
  head = new Int32Array(16);
  /** Last segment of each node's sub-chain. */
  tail = new Int32Array(16);
  /** Number of segments in each node's sub-chain. */
  segmentCount = new Int32Array(16);
  /** Number of PROCESS segments in each node's sub-chain. */
  liveCount = new Int32Array(16);
  /** The provider mapping behind each node. */
  mapping: (Mapping | undefined)[] = [];
  /** Live node ids in address order (the first `count` entries). */
  order = new Int32Array(16);
  /** Number of live nodes. */
  count = 0;
  private freeIds: number[] = [];
  private nextId = 0;

  /**
   * Makes room for one more node, so that adding it cannot fail halfway.
   */
  reserve(): void {
    if (this.nextId < this.start.length && this.count < this.order.length) return;
    const capacity = this.start.length * 2;
    const grow = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.start = grow(this.start, new Float64Array(capacity));
    this.bytes = grow(this.bytes, new Float64Array(capacity));
    this.head = grow(this.head, new Int32Array(capacity));
    this.tail = grow(this.tail, new Int32Array(capacity));
    this.segmentCount = grow(this.segmentCount, new Int32Array(capacity));
    this.liveCount = grow(this.liveCount, new Int32Array(capacity));
    this.order = grow(this.order, new Int32Array(capacity));
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
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.nextId++;
    this.start[id] = start;
    this.bytes[id] = bytes;
    this.head[id] = NONE;
    this.tail[id] = NONE;
    this.segmentCount[id] = 0;
    this.liveCount[id] = 0;
    this.mapping[id] = mapping;
    this.order[this.count++] = id;
    return id;
  }

  /**
   * Removes a node from the chain and recycles its id.
   * @param id a live node id.
   */
  remove(id: number): void {
    const position = this.positionOf(this.start[id]!);
    this.order.copyWithin(position, position + 1, this.count);
    this.count--;
    this.mapping[id] = undefined;
    this.freeIds.push(id);
  }

  /**
   * Takes a node out of use but leaves its id in `order` until {@link compact}, so that
   * removing many nodes costs one pass over `order` instead of one shift per node. Between
   * the two calls `order` may hold retired ids (their `mapping` is undefined): call nothing
   * else in between.
   * @param id a live node id.
   */
  retire(id: number): void {
    this.mapping[id] = undefined;
    this.freeIds.push(id);
  }

  /** Drops the ids that {@link retire} took out of use from `order`, keeping its order. */
  compact(): void {
    const order = this.order;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const id = order[i]!;
      if (this.mapping[id] !== undefined) order[kept++] = id;
    }
    this.count = kept;
  }

  /** Forgets every node. */
  clear(): void {
    this.count = 0;
    this.mapping = [];
    this.freeIds = [];
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

  /** Bytes held by the typed arrays: proportional to the most nodes the heap has held. */
  get metadataBytes(): number {
    return this.start.length * (8 + 8 + 4 * 5) + this.mapping.length * 8;
  }
}
