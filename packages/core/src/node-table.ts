import type { Mapping } from '@mems/os';
import { NONE } from './segment-table.js';

/**
 * The main chain: one node per mapping, in typed arrays indexed by a node id, plus `order`,
 * the live node ids sorted by virtual start address, and `pageNode`, the node id of every
 * heap page of the virtual address space (nodes are contiguous in it, whole pages from the
 * start address), so `find` is one division and one load.
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
  /** Node id of each heap page of virtual space from the start address, NONE in gaps. */
  private pageNode = new Int32Array(64).fill(NONE);

  /**
   * @param base the heap's first virtual address.
   * @param pageSize the heap page size: every node starts at `base` + a whole number of pages.
   */
  constructor(
    private readonly base: number,
    private readonly pageSize: number,
  ) {}

  /**
   * Makes room for one more node of `bytes` bytes after the last one, so that adding it cannot
   * fail halfway.
   * @param bytes the new node's length.
   */
  reserve(bytes: number): void {
    const pages = (this.endAddress(this.base) - this.base + bytes) / this.pageSize;
    if (pages > this.pageNode.length) {
      let length = this.pageNode.length * 2;
      while (length < pages) length *= 2;
      const fresh = new Int32Array(length).fill(NONE);
      fresh.set(this.pageNode);
      this.pageNode = fresh;
    }
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
    const first = (start - this.base) / this.pageSize;
    this.pageNode.fill(id, first, first + bytes / this.pageSize);
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
    const first = (this.start[id]! - this.base) / this.pageSize;
    this.pageNode.fill(NONE, first, first + this.bytes[id]! / this.pageSize);
  }

  /** Forgets every node. */
  clear(): void {
    this.count = 0;
    this.mapping = [];
    this.freeIds = [];
    this.nextId = 0;
    this.pageNode.fill(NONE);
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
   * The node whose virtual range holds `address`, from the page index.
   * @param address a virtual address.
   * @returns the node id, or -1 when no node holds it.
   */
  find(address: number): number {
    const page = Math.floor((address - this.base) / this.pageSize);
    return page >= 0 && page < this.pageNode.length ? this.pageNode[page]! : NONE;
  }

  /** Bytes held by the typed arrays. */
  get metadataBytes(): number {
    return this.start.length * (8 + 8 + 4 * 5) + this.mapping.length * 8 + this.pageNode.byteLength;
  }
}
