import { checkAddress, describeArgs, stateError, type TypedArrayConstructor } from './errors/call-errors.js';
import { HeapInvariantError } from './errors/heap-invariant-error.js';
import { HeapState } from './heap-state.js';
import { PAGES_MAPPED } from './memory/counter-slots.js';
import { NONE, PROCESS } from './memory/segment-layout.js';
import {
  type BlockMemory,
  type CachedBlockMemory,
  cachedMemoryOf,
  memoryOfBlock,
  memoryOfBlockStart,
  translateAddress,
  viewBytes,
  viewTyped,
} from './read/block-views.js';
import { visibleCounters } from './read/counters.js';
import { findLiveBlockStart, notABlock } from './read/lookup.js';
import { describeHeap } from './read/snapshot.js';
import type { HeapCounters, HeapSnapshot } from './read/snapshot-types.js';
import { checkHeap } from './read/validate-heap.js';

/**
 * The calls of a {@link Heap} that only read it: translate an address (the seed's `mems_get`),
 * views over a block's bytes, a block's usable size, the counters, the snapshot and the
 * invariant check. None of them changes the heap; each checks the heap's state first. The
 * calls that change it are in heap.ts.
 */
export abstract class HeapReads extends HeapState {
  // ------------------------------------------------------------------ the story: translate

  /**
   * Translates a virtual address (the seed's `mems_get`): any byte of a live block, interior
   * ones included, maps to the node's physical base + the offset in the node.
   * @param address a virtual address inside a live block.
   * @returns the physical address.
   * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address in
   *   a hole or outside every node (this catches use after free) or in a node whose mapping is
   *   no longer live, `ESTATE` after destroy.
   */
  translate(address: number): bigint {
    if (this.closed) this.refuseClosed(this.names.translate, address);
    return translateAddress(this.t, this.names.translate, address);
  }

  /**
   * A zero-copy view over a live block or a part of it. The view reads and writes the block's
   * real memory. It goes stale when the block is freed or its node is unmapped (`trim`,
   * `destroy`): never rely on what it reads then (on the mmap provider, zeros; see
   * `PageProvider.retain`, which keeps it from crashing the process on Linux and macOS).
   * @param address the block's start or an interior address.
   * @param byteLength how many bytes (default: to the end of the block).
   * @returns a Uint8Array over those bytes.
   * @throws MemsError `EINVAL` for bad arguments or a length past the block's end, `EFAULT`
   *   when `address` is not in a live block or its node's memory cannot be reached (detached
   *   buffer, mapping no longer live), `ESTATE` after destroy.
   */
  view(address: number, byteLength?: number): Uint8Array {
    if (this.closed) this.refuseClosed(this.names.view, address, byteLength);
    return viewBytes(this.t, this.retainMapping, this.names.view, address, byteLength);
  }

  /**
   * A zero-copy typed-array view over a live block (same lifetime rules as {@link view}).
   * @param type a typed-array constructor, e.g. `Int32Array`.
   * @param address the block's start or an interior address, aligned to the element size in
   *   physical memory (use the `alignment` option to make every block aligned).
   * @param length element count (default: as many whole elements as fit to the block's end).
   * @returns the typed array.
   * @throws MemsError `EINVAL` for an unknown type, a misaligned address or a length past the
   *   block's end, `EFAULT` when `address` is not in a live block or its node's memory cannot
   *   be reached, `ESTATE` after destroy.
   */
  viewAs<T extends TypedArrayConstructor>(type: T, address: number, length?: number): InstanceType<T> {
    const call = this.names.viewAs;
    if (this.closed) throw stateError(call, describeArgs(type, address, length), this.inProvider);
    return viewTyped(this.t, this.retainMapping, call, type, address, length);
  }

  /**
   * The long-lived typed arrays over the node that holds `address`: the same object for every
   * address of one node while that node lives, built once, so a program can keep it and index it
   * at typed-array speed: `const m = heap.memoryOf(p); m.f64[(p - m.base) >> 3] = 1.5`.
   * Lifetime: it is valid while the node holding `address` stays mapped (until `trim` unmaps an
   * empty node, or `destroy`); like a {@link view}, what it reads after that means nothing
   * (zeros on the mmap provider), though touching it does not crash the process.
   * @param address any byte of a live block.
   * @returns `{ base, u8, i32, u32, f64, dataView }`, all over the node's buffer, where
   *   `address - base` is the byte offset of `address` in `u8`.
   * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address
   *   outside every live block or in a node whose memory cannot be reached, `ESTATE` after destroy.
   */
  memoryOf(address: number): BlockMemory {
    if (this.closed) this.refuseClosed(this.names.memoryOf, address);
    const slabs = this.t.slabs;
    if (slabs !== null) {
      // A slab's block, inline: the page map finds it from any of its addresses.
      const s = slabs.slabAt(address);
      if (s !== NONE && Number.isInteger(address) && slabs.blockIndexAt(s, address) >= 0) {
        const memory = cachedMemoryOf(this.t, this.memories, slabs.node[s]!);
        if (memory !== null) return memory;
      }
    } else {
      const memory = memoryOfBlockStart(this.t, this.memories, address);
      if (memory !== null) return memory;
    }
    return memoryOfBlock(this.t, this.retainMapping, this.memories, this.names.memoryOf, address);
  }

  /**
   * {@link memoryOf}'s objects by node id (checked against the node before reuse). An entry is
   * dropped when its node is unmapped, so that the heap holds no buffer of a dead node: a
   * provider may keep a range reserved while such a buffer is reachable (the mmap provider).
   */
  protected readonly memories: (CachedBlockMemory | undefined)[] = [];

  /**
   * The usable size of a live block: the size asked for, rounded up to the alignment.
   * @param address the start of a live block.
   * @returns its size in bytes.
   * @throws MemsError `EINVAL`, `EFAULT` or `ESTATE` as for {@link free}.
   */
  usableSize(address: number): number {
    const call = this.names.usableSize;
    if (this.closed) this.refuseClosed(call, address);
    checkAddress(call, address);
    const slabs = this.t.slabs;
    if (slabs !== null && slabs.slabAt(address) !== NONE) {
      const block = findLiveBlockStart(this.t, address);
      if (block === null) throw notABlock(this.t, call, String(address), address);
      return block.size;
    }
    const block = this.t.live.get(address);
    if (block === NONE || this.t.segments.kind(block) !== PROCESS)
      throw notABlock(this.t, call, String(address), address);
    return this.t.segments.size(block);
  }

  // ------------------------------------------------------------------ inspection

  /**
   * The counters, as every view shows them: a block in the front cache is free memory, merged
   * with its free neighbours into one hole. O(1), or O(cached blocks) while the cache holds some.
   * @returns a fresh counters object.
   * @throws MemsError `ESTATE` after destroy.
   */
  counters(): HeapCounters {
    if (this.closed) this.refuseClosed(this.names.counters);
    return visibleCounters(this.t, this.pageSize);
  }

  /**
   * A plain, serialisable description of the whole heap (what `@mems/stats` formats).
   * @returns the snapshot.
   * @throws MemsError `ESTATE` after destroy.
   */
  snapshot(): HeapSnapshot {
    if (this.closed) this.refuseClosed(this.names.snapshot);
    return describeHeap(this.t, {
      pageSize: this.pageSize,
      startAddress: this.options.startAddress,
      alignment: this.options.alignment,
      provider: this.providerName,
    });
  }

  /**
   * Bytes mapped from the provider now, in O(1) (the same as `counters().bytesMapped`, which
   * walks the slabs and the front cache for its other figures).
   * @throws MemsError `ESTATE` after destroy.
   */
  get bytesMapped(): number {
    if (this.closed) this.refuseClosed('bytesMapped');
    return this.t.count[PAGES_MAPPED]! * this.pageSize;
  }

  /**
   * Bytes of metadata the heap holds in its typed arrays (segments, nodes, the live-block
   * hash and the policy's index), for memory-cost reports.
   */
  get metadataBytes(): number {
    return this.t.metadataBytes;
  }

  /**
   * Walks everything and checks every invariant: segments tile each node exactly and are
   * linked both ways, no two holes are adjacent, blocks are aligned, nodes are in increasing
   * address order without overlap, the counters agree, the live-block hash holds exactly the
   * PROCESS segments, and the policy's index holds exactly the holes.
   * @throws HeapInvariantError describing the first broken invariant.
   * @throws MemsError `ESTATE` after destroy.
   */
  validate(): void {
    if (this.closed) this.refuseClosed(this.names.validate);
    const problem = checkHeap(this.t, this.pageSize, this.options.alignment);
    if (problem !== null) throw new HeapInvariantError(problem);
  }
}
