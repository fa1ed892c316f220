/**
 * A small, obviously-correct model of one MeMS heap: the seed's main chain and sub-chains as
 * plain arrays searched by linear scans, plus the bytes each block is known to hold. It follows
 * the seed's rules (first fit, split, merge with neighbouring holes, nodes never merged; see
 * `@mems/core`'s README) and the documented extensions of `@mems/core` (alignment,
 * `minNodePages`, `autoTrim`, calloc, realloc, trim and the placement policies). Test code only.
 */
import type { ModelProvider } from './model-provider.js';

/** The placement policies of `@mems/core`. `tlsf` is a "good fit": the model accepts any fitting hole. */
export type ModelPolicy = 'first-fit' | 'next-fit' | 'best-fit' | 'tlsf';

/** A PROCESS (allocated) or HOLE (free) segment of a node. */
export interface ModelSegment {
  kind: 'PROCESS' | 'HOLE';
  start: number;
  size: number;
}

/** A main-chain node: one mapping. */
export interface ModelNode {
  start: number;
  size: number;
  /** Which provider mapping backs it (an index into the provider's mappings). */
  mapping: number;
  segments: ModelSegment[];
  /** The byte at each offset when the model knows it (0..255), else -1. */
  bytes: Int16Array;
}

/** The settings of a heap. */
export interface ModelHeapConfig {
  pageSize: number;
  startAddress: number;
  alignment: number;
  policy: ModelPolicy;
  minNodePages: number;
  autoTrim: boolean;
  /** The largest node in bytes: a multiple of `pageSize`. */
  maxNodeBytes: number;
  /** The provider's page size: a node maps whole provider pages (more than it uses when `pageSize` is smaller). */
  providerPageSize: number;
  /**
   * The front cache's size rounding, or absent for a heap without one: sizes up to `limit`
   * round up to a multiple of `granule`. The model does not keep the cache itself: it sees
   * what every view shows, cached blocks as free memory, and accepts any placement inside a
   * hole (see {@link ModelHeap.allocate}).
   */
  frontCache?: { granule: number; limit: number; slabClasses?: readonly number[] } | null;
}

/**
 * The slab classes of `@mems/core`'s `slabs` option for this alignment and `maxBlockSize`,
 * written the slow way: 16, then steps of 8 up to 128, 16 up to 256, 32 up to 512, 64 up to 1024,
 * 128 up to 2048, 256 up to 4096 and 512 up to 8192, each rounded up to the alignment, none above
 * maxBlockSize. A model with
 * `slabClasses` rounds sizes up to the last class to the first class that holds them, accepts a
 * block anywhere inside a hole (slab blocks are carved anywhere in free memory) and a moving
 * realloc where the heap moved a block (a slab block never resizes in place).
 */
export function slabClassesFor(alignment: number, maxBlockSize: number): number[] {
  const classes: number[] = [];
  const steps: [number, number][] = [
    [128, 8],
    [256, 16],
    [512, 32],
    [1024, 64],
    [2048, 128],
    [4096, 256],
    [8192, 512],
  ];
  let size = 16;
  while (size <= Math.min(maxBlockSize, 8192)) {
    const rounded = Math.ceil(size / alignment) * alignment;
    if (rounded <= maxBlockSize && !classes.includes(rounded)) classes.push(rounded);
    const step = steps.find(([below]) => size < below)?.[1] ?? 512;
    size += step;
  }
  return classes;
}

/**
 * The front cache's size rounding for a heap of this alignment and `maxBlockSize` (as
 * `@mems/core` resolves it): granule max(16, alignment), limit the largest multiple of the
 * granule up to maxBlockSize.
 */
export function frontCacheRounding(
  alignment: number,
  maxBlockSize: number,
): { granule: number; limit: number } {
  const granule = Math.max(16, alignment);
  return { granule, limit: Math.floor(maxBlockSize / granule) * granule };
}

/** Thrown when the heap under test did something the model says it must not. */
export class ModelMismatch extends Error {
  override readonly name = 'ModelMismatch';
}

/** Why an allocation failed: the provider refused pages (ENOMEM). */
export class ModelNoMemory extends Error {
  override readonly name = 'ModelNoMemory';
}

export class ModelHeap {
  readonly nodes: ModelNode[] = [];
  /** Next fit's rover: where the last allocation ended. */
  private rover = 0;

  constructor(
    readonly config: ModelHeapConfig,
    readonly provider: ModelProvider,
  ) {}

  roundUp(size: number): number {
    const cache = this.config.frontCache;
    const slab = cache?.slabClasses?.find((c) => c >= size);
    if (slab !== undefined) return slab;
    if (cache && size <= cache.limit) return Math.ceil(size / cache.granule) * cache.granule;
    const a = this.config.alignment;
    return Math.ceil(size / a) * a;
  }

  // ------------------------------------------------------------------ queries

  /** Every segment of every node, in address order. */
  segments(): ModelSegment[] {
    return this.nodes.flatMap((n) => n.segments);
  }

  blocks(): ModelSegment[] {
    return this.segments().filter((s) => s.kind === 'PROCESS');
  }

  holes(): ModelSegment[] {
    return this.segments().filter((s) => s.kind === 'HOLE');
  }

  nodeHolding(address: number): ModelNode | undefined {
    return this.nodes.find((n) => address >= n.start && address < n.start + n.size);
  }

  segmentHolding(address: number): ModelSegment | undefined {
    return this.nodeHolding(address)?.segments.find((s) => address >= s.start && address < s.start + s.size);
  }

  /** The live block that starts exactly at `address`. */
  blockAt(address: number): ModelSegment | undefined {
    const seg = this.segmentHolding(address);
    return seg?.kind === 'PROCESS' && seg.start === address ? seg : undefined;
  }

  /** The live block holding `address` (its start or an interior byte). */
  blockHolding(address: number): ModelSegment | undefined {
    const seg = this.segmentHolding(address);
    return seg?.kind === 'PROCESS' ? seg : undefined;
  }

  /** Where the next node starts: right after the last node, or at the start address. */
  endAddress(): number {
    const last = this.nodes[this.nodes.length - 1];
    return last === undefined ? this.config.startAddress : last.start + last.size;
  }

  /** The known bytes of `length` bytes from `address` (-1 where unknown). */
  knownBytes(address: number, length: number): Int16Array {
    const node = this.nodeHolding(address)!;
    return node.bytes.slice(address - node.start, address - node.start + length);
  }

  /** Records bytes written at `address` (they lie inside one node). */
  setBytes(address: number, values: ArrayLike<number>): void {
    const node = this.nodeHolding(address)!;
    node.bytes.set(values, address - node.start);
  }

  private forget(address: number, length: number): void {
    const node = this.nodeHolding(address)!;
    node.bytes.fill(-1, address - node.start, address - node.start + length);
  }

  // ------------------------------------------------------------------ allocation

  /**
   * Picks the hole for `n` bytes the policy would pick, or undefined when none fits.
   * @param hint for `tlsf`, the address the heap under test returned: accepted when it is the
   *   start of a fitting hole.
   */
  private pickHole(n: number, hint: number | undefined, room?: number): ModelSegment | undefined {
    const fits = this.holes().filter((h) => h.size >= n);
    // A moving realloc prefers the holes with `room` bytes (tlsf's good fit may miss one of
    // them and take any hole that fits: the heap says which).
    const roomy =
      room === undefined || this.config.policy === 'tlsf' ? [] : fits.filter((h) => h.size >= room);
    const fitting = roomy.length > 0 ? roomy : fits;
    if (fitting.length === 0) return undefined;
    switch (this.config.policy) {
      case 'first-fit':
        return fitting[0];
      case 'next-fit':
        return fitting.find((h) => h.start >= this.rover) ?? fitting[0];
      case 'best-fit': {
        let best = fitting[0]!;
        for (const h of fitting) if (h.size < best.size) best = h;
        return best;
      }
      case 'tlsf': {
        const chosen = fitting.find((h) => h.start === hint);
        if (chosen === undefined)
          throw new ModelMismatch(
            `tlsf placed ${n} bytes at ${String(hint)}, which is not the start of a fitting hole (fitting holes start at ${fitting.map((h) => h.start).join(', ')})`,
          );
        return chosen;
      }
    }
  }

  /** Maps a new node for `n` bytes after the last one; throws ModelNoMemory when refused. */
  private addNode(n: number): ModelSegment {
    const { pageSize, minNodePages, maxNodeBytes, providerPageSize } = this.config;
    const pages = Math.max(Math.ceil(n / pageSize), minNodePages);
    const bytes = Math.min(pages * pageSize, maxNodeBytes);
    const mapBytes = Math.ceil(bytes / providerPageSize) * providerPageSize;
    const result = this.provider.map(mapBytes);
    if (result.kind === 'error') throw new ModelNoMemory(`the provider refused ${mapBytes} bytes`);
    if (result.kind === 'short') {
      // The heap sees a buffer shorter than asked for, gives the mapping back and refuses.
      this.provider.unmap(result.index);
      throw new ModelNoMemory(`the provider returned a short buffer for ${mapBytes} bytes`);
    }
    const start = this.endAddress();
    const hole: ModelSegment = { kind: 'HOLE', start, size: bytes };
    this.nodes.push({
      start,
      size: bytes,
      mapping: result.index,
      segments: [hole],
      bytes: new Int16Array(bytes).fill(-1),
    });
    return hole;
  }

  /**
   * Allocates `n` bytes (already rounded): the policy's hole, else a new node; the block takes
   * the front of the hole. Its bytes are unknown. Throws ModelNoMemory when pages are refused.
   * @param hint the address the heap under test returned (tlsf, or any heap with a cache).
   * @param mapped for a heap with a front cache: whether the heap under test asked its provider
   *   for pages during the call (the model does not see the cache, which may keep free memory
   *   while a node is mapped).
   * @param room for a moving realloc: the policy picks among the holes of at least this many
   *   bytes when there are any (absent: among all that fit).
   */
  allocate(n: number, hint?: number, mapped?: boolean, room?: number): number {
    if (this.config.frontCache) return this.allocateBesideCache(n, hint, mapped === true);
    let hole = this.pickHole(n, hint, room);
    if (hole === undefined) {
      if (this.config.policy === 'tlsf' && hint !== undefined && hint !== this.endAddress())
        throw new ModelMismatch(
          `tlsf placed ${n} bytes at ${hint}, but no hole fits: a new node at ${this.endAddress()} was due`,
        );
      hole = this.addNode(n);
    }
    const node = this.nodeHolding(hole.start)!;
    const i = node.segments.indexOf(hole);
    const block: ModelSegment = { kind: 'PROCESS', start: hole.start, size: n };
    if (hole.size === n) node.segments[i] = block;
    else node.segments.splice(i, 1, block, { kind: 'HOLE', start: hole.start + n, size: hole.size - n });
    this.rover = block.start + n;
    this.forget(block.start, n);
    return block.start;
  }

  /**
   * An allocation in a heap with a front cache, whose blocks are free memory to the model: a
   * block the cache gives back lies anywhere inside a hole. Checked: the block lies inside one
   * hole of the model (unless the heap mapped a node, where it takes the new node's front), and
   * a heap in which no hole fits `n` bytes must map a node.
   */
  private allocateBesideCache(n: number, hint: number | undefined, mapped: boolean): number {
    const fits = this.holes().some((h) => h.size >= n);
    if (!mapped && !fits && hint !== undefined)
      throw new ModelMismatch(`placed ${n} bytes at ${hint} without mapping a node, but no hole fits`);
    let start: number;
    let hole: ModelSegment | undefined;
    if (mapped || hint === undefined) {
      hole = mapped || !fits ? this.addNode(n) : this.holes().find((h) => h.size >= n)!;
      start = hole.start;
    } else {
      start = hint;
      hole = this.holes().find((h) => h.start <= hint && hint + n <= h.start + h.size);
      if (hole === undefined)
        throw new ModelMismatch(
          `placed ${n} bytes at ${hint}, which is not inside a free hole of at least that many bytes`,
        );
    }
    const node = this.nodeHolding(hole.start)!;
    const i = node.segments.indexOf(hole);
    const parts: ModelSegment[] = [];
    if (start > hole.start) parts.push({ kind: 'HOLE', start: hole.start, size: start - hole.start });
    parts.push({ kind: 'PROCESS', start, size: n });
    const end = hole.start + hole.size;
    if (start + n < end) parts.push({ kind: 'HOLE', start: start + n, size: end - start - n });
    node.segments.splice(i, 1, ...parts);
    this.rover = start + n;
    this.forget(start, n);
    return start;
  }

  /** Frees the live block at `address` and merges hole neighbours; with autoTrim, unmaps an empty node. */
  free(address: number): void {
    const node = this.nodeHolding(address)!;
    const block = node.segments.find((s) => s.start === address && s.kind === 'PROCESS')!;
    block.kind = 'HOLE';
    this.mergeHoles(node);
    if (this.config.autoTrim && node.segments.length === 1) this.release(node);
  }

  private mergeHoles(node: ModelNode): void {
    const merged: ModelSegment[] = [];
    for (const seg of node.segments) {
      const last = merged[merged.length - 1];
      if (last?.kind === 'HOLE' && seg.kind === 'HOLE') last.size += seg.size;
      else merged.push({ ...seg });
    }
    node.segments = merged;
  }

  /** Unmaps a node without live blocks; returns false (and keeps it) when the unmap fails. */
  private release(node: ModelNode): boolean {
    if (!this.provider.unmap(node.mapping)) return false;
    this.nodes.splice(this.nodes.indexOf(node), 1);
    return true;
  }

  /**
   * Resizes the live block at `address` to `n` bytes (rounded): in place when shrinking or
   * when the following hole is large enough, else allocate first (in a hole of 2n bytes or more
   * when there is one, else in any that fits), copy the old bytes, then free.
   */
  realloc(address: number, n: number, hint?: number, mapped?: boolean): number {
    const node = this.nodeHolding(address)!;
    const i = node.segments.findIndex((s) => s.start === address);
    const block = node.segments[i]!;
    const old = block.size;
    if (n === old) return address;
    if (this.config.frontCache?.slabClasses && hint !== undefined && hint !== address) {
      // A slab block moves to any other size (the heap said where): the first min(old, n) bytes go along.
      const kept = this.knownBytes(address, Math.min(old, n));
      const moved = this.allocate(n, hint, mapped);
      this.setBytes(moved, kept);
      this.free(address);
      return moved;
    }
    const next = node.segments[i + 1];
    if (n < old) {
      block.size = n;
      node.segments.splice(i + 1, 0, { kind: 'HOLE', start: address + n, size: old - n });
      this.mergeHoles(node);
      return address;
    }
    if (next?.kind === 'HOLE' && next.size >= n - old) {
      block.size = n;
      next.start += n - old;
      next.size -= n - old;
      if (next.size === 0) node.segments.splice(i + 1, 1);
      this.forget(address + old, n - old);
      return address;
    }
    // The move takes a hole with room for as much again when there is one, so that the block
    // can grow in place next time.
    const kept = this.knownBytes(address, old);
    const room = n <= this.config.maxNodeBytes / 2 ? 2 * n : undefined;
    const moved = this.allocate(n, hint, mapped, room);
    this.setBytes(moved, kept);
    this.free(address);
    return moved;
  }

  /**
   * Unmaps every node without a live block, last node first; returns the bytes released and
   * how many unmaps failed (those nodes stay).
   */
  trim(): { released: number; failures: number } {
    let released = 0;
    let failures = 0;
    for (const node of [...this.nodes].reverse()) {
      if (node.segments.some((s) => s.kind === 'PROCESS')) continue;
      if (this.release(node)) released += node.size;
      else failures++;
    }
    return { released, failures };
  }

  /** Unmaps every node, first node first; returns how many unmaps failed. */
  destroy(): number {
    let failures = 0;
    for (const node of this.nodes) if (!this.provider.unmap(node.mapping)) failures++;
    this.nodes.length = 0;
    return failures;
  }

  // ------------------------------------------------------------------ the seed's stats text

  /** The seed's `mems_print_stats` text for this heap, rendered by the model itself. */
  renderSeedStats(): string {
    const lines = ['----- MeMS SYSTEM STATS -----'];
    let pages = 0;
    let unused = 0;
    for (const node of this.nodes) {
      const chain = node.segments
        .map((s) => `${s.kind === 'PROCESS' ? 'P' : 'H'}[${s.start}:${s.start + s.size - 1}] <-> `)
        .join('');
      lines.push(`MAIN[${node.start}:${node.start + node.size - 1}]-> ${chain}NULL`);
      pages += node.size / this.config.pageSize;
      for (const s of node.segments) if (s.kind === 'HOLE') unused += s.size;
    }
    lines.push(`Pages used:\t${pages}`);
    lines.push(`Space unused:\t${unused}`);
    lines.push(`Main Chain Length:\t${this.nodes.length}`);
    lines.push(`Sub-chain Length array: [${this.nodes.map((n) => `${n.segments.length}, `).join('')}]`);
    lines.push('-----------------------------');
    return `${lines.join('\n')}\n`;
  }
}
