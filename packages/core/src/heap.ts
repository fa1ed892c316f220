import { describeValue, MemsError } from '@mems/os';
import { checkAddress, checkCallocArgs, describeArgs, sizeError, stateError } from './errors/call-errors.js';
import { HeapReads } from './heap-reads.js';
import { THREAD_CACHE_CALLS, type ThreadCacheHooks } from './heap-state.js';
import { NODES_EVER_MAPPED, PAGES_MAPPED } from './memory/counter-slots.js';
import { NONE, PROCESS } from './memory/segment-layout.js';
import { SLAB_BYTES } from './memory/slab-layout.js';
import { cacheBlock, flushCache, peekCached, takeCached, uncacheRunAfter } from './ops/cache-ops.js';
import {
  forgetEverything,
  mapChecked,
  nodeBytesFor,
  trimEmptyNodes,
  unmapEveryNode,
  unmapFailures,
} from './ops/node-life.js';
import {
  carveSlab,
  FREED_IN_SLAB,
  firstSlabWithRoom,
  freeInSlab,
  releaseSlab,
  slabWindowIn,
  takeFromSlab,
} from './ops/slab-ops.js';
import {
  addNodeHole,
  dropNodeHole,
  freeBlock,
  growBlockInPlace,
  shrinkBlock,
  takeFromHole,
} from './ops/sub-chain.js';
import type { HeapOptions } from './options/heap-options.js';
import { ALLOCATE, CALLOC, type PlaceCaller, REALLOC } from './place-callers.js';
import { copyBytes, zeroBytes } from './read/block-views.js';
import { isFreeSegment, notABlock } from './read/lookup.js';
import { checkReachable, reachableNode } from './read/reachable-buffer.js';
import type { SlabTable } from './tables/slab-table.js';

export { describeArgument, type TypedArrayConstructor } from './errors/call-errors.js';

/**
 * Before mapping a node, the front cache is flushed when it holds at least 1 / FLUSH_SHARE of
 * the mapped bytes (measured against flushing always and against 1/2: see the README).
 */
const FLUSH_SHARE = 8;

/**
 * A size class gets its first slab once the bytes of its allocations that found no slab reach
 * 1 / SLAB_WARMUP_SHARE of the mapped bytes, at most SLAB_WARMUP_MAX, and at least one slab of
 * the class (4 to 64 KiB); until then they are placed in holes. A size a program asks for a few times
 * then holds no mostly empty slab: on the traces this kept utilisation at or above the front
 * cache's (see the package README).
 */
const SLAB_WARMUP_MAX = 16 * SLAB_BYTES;
const SLAB_WARMUP_SHARE = 64;
/**
 * A class of multi-page slabs (past 1 KiB) waits for this many of its slabs' bytes of misses:
 * on the traces, one slab's worth let many medium sizes a program asks for in short bursts each
 * hold a partly empty slab of up to 64 KiB (gcc-cc1 mapped 4% more than tlsf alone; 8: 1%).
 */
const MEDIUM_SLAB_WARMUP = 8;

/**
 * A MeMS heap: the seed's free list (a main chain of nodes, one per mapping, each with a
 * sub-chain of PROCESS and HOLE segments) over any {@link PageProvider}, with MeMS virtual
 * addresses that translate to physical ones. Metadata lives in typed arrays
 * ({@link HeapTables}), so the hot path allocates no JavaScript objects; the package README
 * describes the data structures.
 *
 * The class tells the seed's story and owns every check: each public method checks the heap's
 * state and its arguments, then runs the sub-chain operations (ops/sub-chain.ts), which cannot
 * fail. A call that throws a {@link MemsError} changes nothing; `trim` and `destroy` release
 * what they can and then report what they could not.
 *
 * A call that reads or writes a block's bytes (`calloc`, `realloc` when it moves the block,
 * `view`, `viewAs`) first checks the node(s) it will touch: a node whose mapping is no longer
 * live, or whose `ArrayBuffer` was detached, is `EFAULT` naming the node, with nothing
 * changed; `translate` refuses a node whose mapping is no longer live. A heap is not
 * re-entrant: a call made while the heap is inside its provider's `map` or `unmap` is `ESTATE`
 * and changes nothing.
 */
export class Heap extends HeapReads {
  /**
   * Whether `free` takes the front cache's path (which checks a block's kind): with a front
   * cache, or once the thread-cache hooks were read (the live-block hash may then hold CACHED
   * blocks of thread caches). One field, so that the plain free path tests one value as before.
   */
  private freesThroughCache = this.cacheLimit !== 0;
  private threadCacheHooks: ThreadCacheHooks | null = null;
  /**
   * The node of the block {@link place} took last, for a moving realloc's copy (which would
   * otherwise look the new block up again).
   */
  private placedNode = 0;
  /** The 4 KiB-aligned window {@link holeForSlab} found in the hole it returned. */
  private slabWindowAt = 0;

  /**
   * The hooks of a per-thread cache over this heap (`@mems/core/internal`'s ThreadCache); keyed
   * by a symbol so that they stay out of the public surface. Only for a heap shared by threads
   * without a front cache or slabs.
   */
  get [THREAD_CACHE_CALLS](): ThreadCacheHooks {
    if (this.threadCacheHooks === null) {
      if (this.t.cache !== null || this.t.slabs !== null)
        throw new Error('a thread cache needs a heap without a front cache and without slabs');
      this.freesThroughCache = true;
      this.threadCacheHooks = {
        tables: this.t,
        allocateRounded: (n, size) => {
          if (this.closed) this.refuseClosed(this.names.allocate, size);
          return this.place(n, ALLOCATE, size);
        },
        takeFromHoleOnly: (n) => {
          const hole = this.t.policy.findHole(n);
          if (hole === NONE) return -1;
          this.reserve();
          return takeFromHole(this.t, hole, n);
        },
        free: (address) => this.free(address as number),
      };
    }
    return this.threadCacheHooks;
  }

  // ------------------------------------------------------------------ the story: allocate

  /**
   * Allocates a block (the seed's `mems_malloc`): the policy picks a hole (first fit by
   * default), the block takes its front and the rest stays a hole; when no hole fits, a new
   * node of ceil(size / pageSize) pages (at least `minNodePages`) is mapped after the last.
   * @param size bytes wanted: a positive safe integer up to {@link maxBlockSize}.
   * @returns the block's MeMS virtual address.
   * @throws MemsError `EINVAL` for a bad size, `ENOMEM` when the provider refuses pages,
   *   `ESTATE` after destroy.
   */
  allocate(size: number): number {
    if (
      this.closed ||
      typeof size !== 'number' ||
      !(size > 0 && size <= this.maxNodeBytes) ||
      !Number.isInteger(size)
    )
      this.refuseAllocate(size);
    if (size <= this.slabLimit) {
      // A slab's block: the first free bit of the class's first slab with one.
      const slabs = this.t.slabs!;
      const c = slabs.classBy8[(size + 7) >> 3]!;
      const s = slabs.partial[c]!;
      if (s !== NONE && slabs.live[s]! < slabs.classBlocks[c]!) return takeFromSlab(slabs, s, c);
      return this.place(slabs.classSize[c]!, ALLOCATE, size);
    }
    if (size <= this.cacheLimit) {
      // The front cache's hit, inline: a pop from the size class's stack.
      const n = (size + this.granuleMask) & ~this.granuleMask;
      const cached = takeCached(this.t, this.t.cache!, n);
      if (cached >= 0) return cached;
      return this.place(n, ALLOCATE, size);
    }
    // place()'s common case inline (a hole the policy finds): for a fast policy the call was
    // measurable (tlsf churn about 5% slower with it out of line).
    const n = this.alignMask === 0 ? size : this.roundUp(size);
    const hole = this.t.policy.findHole(n);
    if (hole === NONE) return this.place(n, ALLOCATE, size);
    this.reserve();
    return takeFromHole(this.t, hole, n);
  }

  /**
   * Finds room for a block of `n` bytes (already rounded by {@link blockSizeFor}) and takes it:
   * the allocation story that allocate, calloc and realloc share. In order: for a caller that
   * writes the block, a block of exactly that size from the front cache (allocate tries the
   * cache inline before it calls this); else the hole the policy picks; else, when the cache
   * holds enough, a flush and the policy again; else a new node. Everything that can fail comes
   * before anything visible changes: the reachability of the node the caller will write, the
   * table slots the take needs, the provider's map. (A flush changes no view.)
   * @param n the block size.
   * @param caller which call places the block ({@link ALLOCATE}, {@link CALLOC}, {@link REALLOC});
   *   calloc and a moving realloc write the block's bytes, so they also take a cached block, and
   *   a reused block's node is first checked to be reachable.
   * @param first the call's first argument and `second` its second, for error messages only.
   * @returns the block's start address.
   * @throws MemsError `ENOMEM` when a node is needed and the provider refuses it, `EFAULT` when
   *   the caller writes and the block would lie in a node whose memory cannot be reached.
   */
  private place(n: number, caller: PlaceCaller, first: unknown, second?: unknown): number {
    if (n <= this.slabLimit) {
      const address = this.placeInSlab(n, caller, first, second);
      if (address >= 0) return address;
    }
    const t = this.t;
    const writes = caller !== ALLOCATE;
    if (writes) {
      const cached = this.takeCachedToWrite(n, caller, first, second);
      if (cached >= 0) return cached;
    }
    // A moving realloc's block grew and will likely grow again (a buffer, a vector): it takes
    // the front of a hole with room for as much again when there is one, so that the next
    // growth is in place (as glibc's growing block before its top chunk is).
    let hole = caller === REALLOC && n <= this.maxNodeBytes / 2 ? t.policy.findHole(n + n) : NONE;
    if (hole === NONE) hole = t.policy.findHole(n);
    if (hole === NONE) hole = this.holeAfterReleasing(n);
    if (writes && hole !== NONE)
      checkReachable(t, t.segments.node(hole), this.callName(caller), first, second);
    this.reserve();
    if (hole === NONE) hole = this.mapNode(n, this.callName(caller), first, second);
    if (n <= this.slabLimit) t.slabs!.misses[t.slabs!.classOf(n)]!++;
    this.placedNode = t.segments.node(hole);
    return takeFromHole(t, hole, n);
  }

  /**
   * {@link place} for a size served from slabs: the class's first slab with a free block, else
   * a new slab carved from a hole (or from a node mapped for it). A class's first misses are
   * placed in holes instead (SLAB_WARMUP_SHARE). For a caller that writes the block,
   * the slab's node is checked reachable before the block is taken.
   * @returns the block's address, or -1: place it in a hole.
   * @throws MemsError `ENOMEM` when a node is needed and the provider refuses it, `EFAULT` when
   *   the caller writes and the slab lies in a node whose memory cannot be reached.
   */
  private placeInSlab(n: number, caller: PlaceCaller, first: unknown, second?: unknown): number {
    const t = this.t;
    const slabs = t.slabs!;
    const c = slabs.classOf(n);
    let s = firstSlabWithRoom(slabs, c);
    if (s === NONE) {
      const span = slabs.classSpan[c]!;
      const warmup = Math.max(
        span * (span > SLAB_BYTES ? MEDIUM_SLAB_WARMUP : 1),
        Math.min(SLAB_WARMUP_MAX, (t.count[PAGES_MAPPED]! * this.pageSize) / SLAB_WARMUP_SHARE),
      );
      // (place counts the miss once the block is placed: a call that throws changes nothing.)
      if (slabs.misses[c]! * n < warmup) return -1;
      s = this.newSlab(c, caller, first, second);
    }
    const node = slabs.node[s]!;
    if (caller !== ALLOCATE) checkReachable(t, node, this.callName(caller), first, second);
    this.placedNode = node;
    return takeFromSlab(slabs, s, c);
  }

  /**
   * Carves a slab for class `c` out of a hole that holds a window of the class's span aligned to
   * 4 KiB (the policy's pick for the span, else for the span + 4 KiB − 1, which always holds
   * one), else out of a node mapped for it. The visible heap changes only by that node: an empty slab is free memory.
   * @returns the slab id.
   * @throws MemsError `ENOMEM` when a node is needed and the provider refuses it.
   */
  private newSlab(c: number, caller: PlaceCaller, first: unknown, second?: unknown): number {
    const t = this.t;
    const slabs = t.slabs!;
    t.segments.reserve(4);
    t.live.reserve(2);
    const span = slabs.classSpan[c]!;
    let hole = this.holeForSlab(span);
    // Other classes' empty slabs, back in the holes, may leave room for this one.
    if (hole === NONE && this.releaseEmptySlabs() > 0) hole = this.holeForSlab(span);
    let at: number;
    if (hole !== NONE) {
      at = this.slabWindowAt;
    } else {
      // A new node starts 4 KiB-aligned from the first address (its pages are whole 4 KiB).
      hole = this.mapNode(span, this.callName(caller), first, second);
      at = t.segments.start(hole);
    }
    slabs.reserve(at + span);
    return carveSlab(t, slabs, hole, at, c);
  }

  /**
   * A hole that holds `span` bytes aligned to 4 KiB: the policy's pick for `span` when it holds
   * such a window, else its pick for `span` + 4 KiB − 1 (which always does). The window's
   * first address is left in {@link slabWindowAt}.
   * @returns the hole, or NONE.
   */
  private holeForSlab(span: number): number {
    const t = this.t;
    const hole = t.policy.findHole(span);
    if (hole !== NONE) {
      const at = slabWindowIn(t, t.slabs!, hole, span);
      if (at >= 0) {
        this.slabWindowAt = at;
        return hole;
      }
    }
    const wider = t.policy.findHole(span + SLAB_BYTES - 1);
    if (wider !== NONE) this.slabWindowAt = slabWindowIn(t, t.slabs!, wider, span);
    return wider;
  }

  /**
   * For {@link place}'s callers that write the block: takes a cached block of exactly `n` bytes
   * once its node is checked reachable. (Out of line, so that allocate's path through place
   * stays small enough for V8 to inline.)
   * @returns its address, or -1 when the cache holds none of that size.
   * @throws MemsError `EFAULT` when the cached block's node cannot be reached (nothing taken).
   */
  private takeCachedToWrite(n: number, caller: PlaceCaller, first: unknown, second: unknown): number {
    const t = this.t;
    const cache = t.cache;
    if (cache === null || cache.blocks === 0) return -1;
    const cached = peekCached(cache, n);
    if (cached === NONE) return -1;
    const node = t.segments.node(cached);
    checkReachable(t, node, this.callName(caller), first, second);
    this.placedNode = node;
    return takeCached(t, cache, n);
  }

  /** The public name of a {@link place} caller, for an error message (looked up only then). */
  private callName(caller: PlaceCaller): string {
    return caller === ALLOCATE
      ? this.names.allocate
      : caller === CALLOC
        ? this.names.calloc
        : this.names.realloc;
  }

  /**
   * When no hole fits `n` bytes: first the empty slabs that classes keep (free memory in every
   * view) go back to the holes, and the policy is asked again; then, when the front cache holds
   * at least an eighth of the bytes the heap maps, every cached block is freed through the
   * normal path (where they merge into larger holes) and the policy asked again; with less in
   * the cache, a new node is mapped and the cache kept. (Flushing before every new node cost a
   * third of the churn speed at 1k live blocks, where the cache holds most of the free memory:
   * see the package README. Releasing the kept slabs then instead costs only the carving of
   * a class's slab again, and it kept the medium classes' empty slabs of up to 64 KiB from
   * adding nodes: up to 10% of the mapped bytes on the traces.)
   * @returns the hole found then, or NONE (map a node).
   */
  private holeAfterReleasing(n: number): number {
    if (this.releaseEmptySlabs() > 0) {
      const hole = this.t.policy.findHole(n);
      if (hole !== NONE) return hole;
    }
    const cache = this.t.cache;
    if (cache === null || cache.blocks === 0) return NONE;
    if (cache.bytes * FLUSH_SHARE < this.t.count[PAGES_MAPPED]! * this.pageSize) return NONE;
    flushCache(this.t, cache);
    return this.t.policy.findHole(n);
  }

  /** Throws the error a refused `allocate(size)` gets (out of line, to keep allocate small). */
  private refuseAllocate(size: unknown): never {
    const call = this.names.allocate;
    if (this.closed) this.refuseClosed(call, size);
    throw sizeError(call, describeValue(size), size, this.maxNodeBytes);
  }

  /** Reserves every table slot an allocation may take, so that nothing can fail halfway. */
  private reserve(): void {
    this.t.segments.reserve(2);
    this.t.live.reserve(1);
  }

  /**
   * Maps a node for an allocation of `n` bytes, after the last node, and makes its bytes one
   * hole. `call`, `first` and `second` name the public call in an error message only.
   * @returns the new hole.
   * @throws MemsError `ENOMEM` when the provider refuses or the address space is exhausted.
   */
  private mapNode(n: number, call: string, first: unknown, second?: unknown): number {
    const bytes = nodeBytesFor(n, this.pageSize, this.options.minNodePages, this.maxNodeBytes);
    const start = this.t.nodes.endAddress(this.options.startAddress);
    const node = this.mapPages(bytes, start, call, first, second);
    return addNodeHole(this.t, node, bytes / this.pageSize);
  }

  /**
   * Maps `bytes` bytes (whole provider pages) for a node at `start` and appends the node to
   * the main chain, its sub-chain empty.
   * @returns the node id.
   * @throws MemsError `ENOMEM` when the provider refuses or the address space is exhausted.
   */
  private mapPages(bytes: number, start: number, call: string, first: unknown, second?: unknown): number {
    const mapBytes = Math.ceil(bytes / this.osPageSize) * this.osPageSize;
    const nodes = this.t.nodes;
    if (start + bytes - 1 > Number.MAX_SAFE_INTEGER)
      throw new MemsError(
        'ENOMEM',
        `${call}(${describeArgs(first, second)}): the virtual address space is exhausted: a node of ${bytes} bytes at ${start} would end past 2^53 - 1`,
      );
    nodes.reserve();
    this.enterProvider('map');
    let mapping: ReturnType<typeof mapChecked>;
    try {
      mapping = mapChecked(this.provider, mapBytes, call, () => describeArgs(first, second));
    } finally {
      this.leaveProvider();
    }
    return nodes.append(start, bytes, mapping);
  }

  /**
   * Allocates `count × size` bytes of zeros. A block from a reused hole (which holds old bytes)
   * is filled; a block on pages mapped for it by a provider whose `zeroed` is true is not: the
   * OS zeroed them, and leaving them untouched keeps them out of the resident set.
   * @param count number of elements: a positive safe integer.
   * @param size bytes per element: a positive safe integer.
   * @returns the block's virtual address.
   * @throws MemsError `EINVAL` for a bad count or size or a product that is too large,
   *   `ENOMEM` when the provider refuses, `EFAULT` when the hole it would take lies in a node
   *   whose memory cannot be reached (detached buffer, mapping no longer live), `ESTATE`
   *   after destroy.
   */
  calloc(count: number, size: number): number {
    const call = this.names.calloc;
    if (this.closed) this.refuseClosed(call, count, size);
    const total = checkCallocArgs(call, count, size, this.maxNodeBytes);
    const n = this.blockSizeFor(total);
    const nodesBefore = this.t.count[NODES_EVER_MAPPED];
    const address = this.place(n, CALLOC, count, size);
    // A block at the front of a node mapped by this very call lies on fresh pages: a provider
    // that promises zero-filled mappings already zeroed them. Any other block may hold old bytes.
    if (!this.zeroedPages || this.t.count[NODES_EVER_MAPPED] === nodesBefore)
      zeroBytes(this.t, address, this.placedNode, n);
    return address;
  }

  // ------------------------------------------------------------------ the story: free and merge

  /**
   * Frees a block (the seed's `mems_free`): its segment becomes a HOLE and merges with HOLE
   * neighbours in the same sub-chain (never across nodes). With `autoTrim`, a node left
   * entirely free is returned to the provider (if that unmap fails, the node stays).
   * @param address the exact start of a live block.
   * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address
   *   that is not the start of a live block (unknown, interior, already freed), `ESTATE`
   *   after destroy.
   */
  free(address: number): void {
    if (this.closed || typeof address !== 'number' || !(address >= 0) || !Number.isInteger(address))
      this.refuseFree(address);
    if (this.slabLimit !== 0) {
      const slabs = this.t.slabs!;
      const s = slabs.slabAt(address);
      if (s !== NONE) {
        if (!this.freeSlabBlock(slabs, s, address)) this.refuseFree(address);
        return;
      }
    }
    if (this.freesThroughCache) {
      this.freeThroughCache(address);
      return;
    }
    const block = this.t.live.delete(address);
    if (block === NONE) this.refuseFree(address);
    this.release(block);
  }

  /**
   * `free` with a front cache: the block waits in its size class when it fits one, else it is
   * freed through the normal path. A cached block is still in the live-block hash, marked
   * CACHED: freeing it again is a double free like any other. (A heap with thread caches and
   * no front cache comes here too, for that check.)
   */
  private freeThroughCache(address: number): void {
    const t = this.t;
    const block = t.live.get(address);
    if (block === NONE || t.segments.kind(block) !== PROCESS) this.refuseFree(address);
    const cache = t.cache;
    if (cache !== null) {
      const node = t.segments.node(block);
      if (this.autoTrim && t.nodes.liveCount[node] === 1) {
        // The node's last block: its cached neighbours must be holes again before it is unmapped.
        flushCache(t, cache);
      } else if (cacheBlock(t, cache, block)) {
        return;
      }
    }
    t.live.delete(address);
    this.release(block);
  }

  /** Frees the live block at `address` as `free` would: through the front cache if any. */
  private freeLive(address: number): void {
    const slabs = this.t.slabs;
    const s = slabs === null ? NONE : slabs.slabAt(address);
    if (s !== NONE) this.freeSlabBlock(slabs!, s, address);
    else if (this.cacheLimit !== 0) this.freeThroughCache(address);
    else this.release(this.t.live.delete(address));
  }

  /**
   * Frees the block at `address` in slab `s`; with autoTrim, a released slab may leave its node
   * empty, which is then unmapped.
   * @returns false when `address` is not the start of a live block of the slab (nothing changed).
   */
  private freeSlabBlock(slabs: SlabTable, s: number, address: number): boolean {
    const result = freeInSlab(this.t, slabs, s, address, !this.autoTrim);
    if (result === NONE) return false;
    if (result !== FREED_IN_SLAB && this.autoTrim && this.t.nodes.liveCount[result] === 0)
      this.trimAfterSlabRelease(result);
    return true;
  }

  /** Throws the error a refused `free(address)` gets (out of line, to keep free small). */
  private refuseFree(address: unknown): never {
    const call = this.names.free;
    if (this.closed) this.refuseClosed(call, address);
    const checked = checkAddress(call, address);
    throw notABlock(this.t, call, String(checked), checked);
  }

  /** Frees `block`, already out of the live-block hash; with autoTrim, unmaps an emptied node. */
  private release(block: number): void {
    const node = freeBlock(this.t, block);
    if (this.autoTrim && this.t.nodes.liveCount[node] === 0) this.trimEmptiedNode(node);
  }

  /**
   * With autoTrim: a released slab left `node` without a live block. Front-cache blocks of the
   * node become holes first (as freeThroughCache does before a node's last block), then the
   * node is unmapped.
   */
  private trimAfterSlabRelease(node: number): void {
    if (this.t.cache !== null) flushCache(this.t, this.t.cache);
    if (this.t.nodes.liveCount[node] === 0) this.trimEmptiedNode(node);
  }

  /**
   * Unmaps a node that a free left empty (autoTrim); if the unmap fails, the node stays. Out
   * of line so that `release` stays small enough for V8 to inline the hot path into `free`.
   */
  private trimEmptiedNode(node: number): void {
    try {
      this.unmapEmptyNode(node);
      this.t.nodes.remove(node);
    } catch {
      // The node stays, whole and consistent; a later trim() retries and reports.
    }
  }

  /**
   * Resizes a block. Shrinking happens in place (the freed tail becomes a hole, merged with a
   * following hole); growing happens in place when a following hole is large enough; else a
   * new block is allocated, the bytes are copied and the old block is freed. The new block
   * takes the front of a hole of twice its size when the policy finds one, so that the next
   * growth is in place (a growing buffer is copied about half as often; else any hole that fits).
   * @param address the start of a live block.
   * @param size the new size: a positive safe integer.
   * @returns the block's (possibly new) virtual address.
   * @throws MemsError `EINVAL` for a bad argument, `EFAULT` when `address` is not the start of
   *   a live block or when a move would touch a node whose memory cannot be reached (detached
   *   buffer, mapping no longer live), `ENOMEM` when a move needs pages the provider refuses
   *   (the old block is then untouched), `ESTATE` after destroy.
   */
  realloc(address: number, size: number): number {
    const call = this.names.realloc;
    if (this.closed) this.refuseClosed(call, address, size);
    checkAddress(call, address);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0 || size > this.maxNodeBytes)
      throw sizeError(call, describeArgs(address, size), size, this.maxNodeBytes);
    const t = this.t;
    const n = this.blockSizeFor(size);
    const s = t.slabs === null ? NONE : t.slabs.slabAt(address);
    if (s !== NONE) return this.reallocSlabBlock(s, address, size, n);
    const block = t.live.get(address);
    if (block === NONE || t.segments.kind(block) !== PROCESS)
      throw notABlock(t, call, describeArgs(address, size), address);
    const old = t.segments.size(block);
    if (n === old) return address;
    t.segments.reserve(2);
    if (n < old) {
      shrinkBlock(t, block, n);
      return address;
    }
    // Cached blocks after the block are free memory that in-place growth may take: make them holes.
    const cache = t.cache;
    if (cache !== null && cache.blocks > 0 && isFreeSegment(t, t.segments.next(block)))
      uncacheRunAfter(t, cache, block);
    if (growBlockInPlace(t, block, n)) return address;
    // A move reads the old block and writes the new one: check both nodes before anything changes.
    const node = t.segments.node(block);
    checkReachable(t, node, call, address, size);
    const moved = this.place(n, REALLOC, address, size);
    copyBytes(t, address, node, null, moved, this.placedNode, null, old);
    this.freeLive(address);
    return moved;
  }

  /**
   * {@link realloc} of an address in a slab: a block of the same class stays where it is; any
   * other size moves (to a slab of its class or to the policy's holes), the first
   * min(old, new) bytes copied. A slab block never grows or shrinks in place.
   */
  private reallocSlabBlock(s: number, address: number, size: number, n: number): number {
    const t = this.t;
    const call = this.names.realloc;
    const slabs = t.slabs!;
    const index = slabs.blockIndexAt(s, address);
    const c = slabs.cls[s]!;
    if (index < 0 || slabs.start[s]! + index * slabs.classSize[c]! !== address)
      throw notABlock(t, call, describeArgs(address, size), address);
    const old = slabs.classSize[c]!;
    // (blockSizeFor rounds a slab size up to its class: every size of this class is `old`.)
    if (n === old) return address;
    const node = slabs.node[s]!;
    if (n <= this.slabLimit) {
      // To another class's first slab with a free block, the block place would take, inline:
      // the move of a growing small block (a string, a vector) is most of a trace's reallocs.
      const to = slabs.classOf(n);
      const into = slabs.partial[to]!;
      if (into !== NONE && slabs.live[into]! < slabs.classBlocks[to]!) {
        const fromMemory = reachableNode(t, node);
        const intoNode = slabs.node[into]!;
        const intoMemory = reachableNode(t, intoNode);
        if (fromMemory !== null && intoMemory !== null) {
          const moved = takeFromSlab(slabs, into, to);
          copyBytes(t, address, node, fromMemory, moved, intoNode, intoMemory, Math.min(old, n));
          this.freeSlabBlock(slabs, s, address);
          return moved;
        }
      }
    }
    checkReachable(t, node, call, address, size);
    const moved = this.place(n, REALLOC, address, size);
    copyBytes(t, address, node, null, moved, this.placedNode, null, Math.min(old, n));
    // (place took no block of this class and released only empty slabs: `s` still holds the block.)
    this.freeSlabBlock(slabs, s, address);
    return moved;
  }

  // ------------------------------------------------------------------ returning pages

  /**
   * Returns every node that holds no live block to the provider (munmap). Views of those pages
   * die with them. Nodes are never unmapped while they hold a live block.
   * @returns the number of bytes released.
   * @throws MemsError `ESTATE` after destroy; when the provider fails to unmap some nodes, the
   *   others are still released, the failed ones stay in the heap (whole and usable), and a
   *   MemsError with the first failure's code is thrown, its `cause` an AggregateError of all.
   */
  trim(): number {
    if (this.closed) this.refuseClosed(this.names.trim);
    if (this.t.cache !== null) flushCache(this.t, this.t.cache);
    this.releaseEmptySlabs();
    return trimEmptyNodes(this.t, this.names.trim, (node) => this.unmapEmptyNode(node));
  }

  /** Releases every empty slab (only a class's first slab may be empty) to the holes. */
  private releaseEmptySlabs(): number {
    const slabs = this.t.slabs;
    if (slabs === null) return 0;
    let released = 0;
    for (let c = 0; c < slabs.classes; c++) {
      const s = slabs.partial[c]!;
      if (s !== NONE && slabs.live[s] === 0) {
        releaseSlab(this.t, slabs, s);
        released++;
      }
    }
    return released;
  }

  /**
   * Returns an empty node's pages to the provider and forgets its hole, leaving the node in
   * the main chain (the caller removes it). Changes nothing when the provider's unmap throws.
   */
  private unmapEmptyNode(node: number): void {
    this.enterProvider('unmap');
    try {
      this.provider.unmap(this.t.nodes.mappingOf(node));
    } finally {
      this.leaveProvider();
    }
    this.memories[node] = undefined;
    this.t.nodeViews[node] = undefined;
    dropNodeHole(this.t, node, this.t.nodes.bytes[node]! / this.pageSize);
  }

  /**
   * Unmaps every node and ends the heap; afterwards every call but `destroy` is `ESTATE` (a
   * second destroy does nothing). Views of the heap's pages die with it. A destroy called from
   * inside the provider's `map` or `unmap` is `ESTATE` and changes nothing.
   * @throws MemsError when the provider fails to unmap some nodes: the rest are still
   *   unmapped, the heap is destroyed all the same, and the error (code of the first failure)
   *   carries an AggregateError of every failure as its `cause`.
   */
  destroy(): void {
    if (this.inProvider !== null) throw stateError(this.names.destroy, '', this.inProvider);
    if (this.destroyed) return;
    this.enterProvider('unmap');
    let failures: unknown[];
    try {
      failures = unmapEveryNode(this.t, this.provider);
    } finally {
      this.destroyed = true;
      this.leaveProvider();
    }
    forgetEverything(this.t);
    this.memories.length = 0;
    if (failures.length > 0)
      throw unmapFailures(
        failures,
        `${this.names.destroy}(): ${failures.length} mapping(s) could not be unmapped; every other one was`,
      );
  }

  /**
   * Frees every block waiting in the front cache through the normal path (merged with its free
   * neighbours, back in the policy's index). No view changes: cached blocks already count as
   * free memory everywhere. Does nothing for a heap without a cache.
   * @returns the number of bytes that were cached.
   * @throws MemsError `ESTATE` after destroy.
   */
  flushCache(): number {
    if (this.closed) this.refuseClosed('flushCache');
    const cache = this.t.cache;
    if (cache === null) return 0;
    const bytes = cache.bytes;
    flushCache(this.t, cache);
    return bytes;
  }
}

/**
 * Creates a heap.
 * @param options see {@link HeapOptions}; every default keeps the seed's behaviour.
 * @returns a new, empty heap (no pages are mapped until the first allocation).
 * @throws MemsError `EINVAL` for an invalid option.
 */
export function createHeap(options?: HeapOptions): Heap {
  return new Heap(options);
}
