import { describeValue, isMemsError, type Mapping, MemsError, type PageProvider } from '@mems/os';
import { HeapInvariantError } from './heap-invariant-error.js';
import {
  createPolicy,
  type HeapOptions,
  type ResolvedHeapOptions,
  resolveHeapOptionsAndProvider,
} from './heap-options.js';
import { LiveBlockIndex } from './live-block-index.js';
import { NodeTable } from './node-table.js';
import type { PlacementPolicy } from './policies/placement-policy.js';
import {
  F_START,
  F_STRIDE,
  HOLE,
  I_NEXT,
  I_NODE_KIND,
  I_PREV,
  I_STRIDE,
  NONE,
  PROCESS,
  SegmentTable,
  U_SIZE,
} from './segment-table.js';
import type { HeapCounters, HeapSnapshot, NodeSnapshot, SegmentSnapshot } from './snapshot.js';
import { checkHeap } from './validate-heap.js';

/** A typed-array constructor that {@link Heap.viewAs} accepts. */
export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

const TYPED_ARRAYS: readonly unknown[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** Describes call arguments for an error message, leaving out trailing undefined ones. */
function describeArgs(...values: unknown[]): string {
  while (values.length > 0 && values[values.length - 1] === undefined) values.pop();
  return values
    .map((value) => (TYPED_ARRAYS.includes(value) ? (value as Function).name : describeValue(value)))
    .join(', ');
}

/**
 * Describes a value for an error message as {@link describeValue} does, but a typed-array
 * constructor by its bare name (`Int32Array`), as a call to `viewAs` is written.
 * @param value anything.
 * @returns a short printable description.
 */
export function describeArgument(value: unknown): string {
  return describeArgs(value);
}

/**
 * Whether a provider promises zero-filled mappings (`zeroed === true`). Anything else, a
 * getter that throws included, counts as no promise: calloc then fills every block itself.
 */
function promisesZeroedPages(provider: PageProvider): boolean {
  try {
    return provider.zeroed === true;
  } catch {
    return false;
  }
}

/** The largest node: koffi views and ArrayBuffers stay below 4 GiB, and sizes fit a uint32. */
const NODE_BYTES_LIMIT = 2 ** 32 - 1;

/**
 * A MeMS heap: the seed's free list (a main chain of nodes, one per mapping, each with a
 * sub-chain of PROCESS and HOLE segments) over any {@link PageProvider}, with MeMS virtual
 * addresses that translate to physical ones. Metadata lives in typed arrays, so the hot path
 * allocates no JavaScript objects; see the package README for the data structures.
 *
 * Every method checks its arguments first; a call that throws a {@link MemsError} changes
 * nothing. `trim` and `destroy` are the exceptions their docs describe: they release what they
 * can and then report what they could not.
 *
 * A call that reads or writes a block's bytes (`calloc`, `realloc` when it moves the block,
 * `view`, `viewAs`) first checks the node(s) it will touch: a node whose mapping is no longer
 * live, or whose `ArrayBuffer` was detached (transferred with `structuredClone` or
 * `postMessage`), is `EFAULT` naming the node, with nothing changed. Calls that touch no bytes
 * (`allocate`, `free`, `usableSize`, `trim`, ...) do not look at the buffer, so freeing the blocks
 * of a broken node and trimming it still works; `translate` refuses a node whose mapping is no
 * longer live (its address would be a crash for native code).
 *
 * A heap is not re-entrant: a call made while the heap is inside its provider's `map` or
 * `unmap` (a provider that calls back into the heap it serves) is `ESTATE` and changes nothing.
 */
export class Heap {
  /** The resolved options (provider, pageSize, startAddress, policy, alignment, ...). */
  readonly options: ResolvedHeapOptions;
  private readonly provider: PageProvider;
  private readonly segments = new SegmentTable();
  private readonly nodes: NodeTable;
  private readonly live: LiveBlockIndex;
  private readonly policy: PlacementPolicy;
  private readonly names: ResolvedHeapOptions['callNames'];
  private readonly pageSize: number;
  private readonly alignMask: number;
  private readonly autoTrim: boolean;
  private readonly maxNodeBytes: number;
  /** The provider's page size and name, read once at creation. */
  private readonly osPageSize: number;
  private readonly providerName: string;
  /** Whether the provider promises zero-filled mappings (`PageProvider.zeroed`). */
  private readonly zeroedPages: boolean;
  /** How many nodes have been mapped so far (calloc's test for fresh pages). */
  private nodesMapped = 0;
  private destroyed = false;
  /** The provider call the heap is inside (`'map'`, `'unmap'`), or null. */
  private inProvider: string | null = null;
  /** destroyed or inside a provider call: one flag, so the hot path reads one field. */
  private closed = false;
  // O(1) counters.
  private pagesMapped = 0;
  private bytesInUse = 0;
  private bytesFree = 0;
  private liveBlocks = 0;
  private holeCount = 0;
  private segmentTotal = 0;

  /**
   * @param options heap options; see {@link HeapOptions}.
   * @param call the name of the function creating the heap, for error messages (default
   *   `createHeap`; `@mems/api` passes `mems_init` or `createMems`).
   * @throws MemsError `EINVAL` for an invalid option, a provider that lacks a member the heap
   *   relies on, options that cannot be read (revoked proxy, throwing getter), or a policy
   *   factory whose `create` throws or returns something that is not a policy.
   */
  constructor(options?: HeapOptions, call = 'createHeap') {
    const resolved = resolveHeapOptionsAndProvider(options, call);
    this.options = resolved.options;
    this.provider = this.options.provider;
    this.pageSize = this.options.pageSize;
    this.alignMask = this.options.alignment - 1;
    this.autoTrim = this.options.autoTrim;
    this.names = this.options.callNames;
    const osPage = resolved.provider.pageSize;
    this.osPageSize = osPage;
    this.providerName = resolved.provider.name;
    const limit = Math.floor(Math.min(resolved.provider.maxMappingBytes, NODE_BYTES_LIMIT) / osPage) * osPage;
    this.maxNodeBytes = Math.floor(limit / this.pageSize) * this.pageSize;
    this.zeroedPages = promisesZeroedPages(this.provider);
    this.nodes = new NodeTable();
    this.live = new LiveBlockIndex(this.segments);
    this.policy = createPolicy(this.options.policy, this.segments, call);
    this.segments.onGrow((capacity) => this.policy.grow(capacity));
  }

  /** Whether {@link destroy} has run; every other call is then `ESTATE`. */
  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The largest block one allocation may ask for, in bytes. */
  get maxBlockSize(): number {
    return this.maxNodeBytes;
  }

  // ------------------------------------------------------------------ argument checks

  /**
   * Throws ESTATE after destroy and inside a provider call. `values` are the call's arguments,
   * described only on failure.
   */
  private checkLive(call: string, ...values: unknown[]): void {
    if (this.closed) throw this.stateError(call, values.map(describeValue).join(', '));
  }

  /** The ESTATE of a call made after destroy or from inside a provider call (`args` described). */
  private stateError(call: string, args: string): MemsError {
    if (this.inProvider !== null)
      return new MemsError(
        'ESTATE',
        `${call}(${args}): the heap is inside its page provider's ${this.inProvider}(); a provider must not call back into the heap it serves`,
      );
    return new MemsError('ESTATE', `${call}(${args}): the heap has been destroyed`);
  }

  /** Marks the heap as inside a provider call (every heap call is then ESTATE). */
  private enterProvider(op: string): void {
    this.inProvider = op;
    this.closed = true;
  }

  /** Ends {@link enterProvider}. */
  private leaveProvider(): void {
    this.inProvider = null;
    this.closed = this.destroyed;
  }

  /**
   * The EINVAL for a size that is not a positive safe integer up to {@link maxBlockSize} (call
   * it only for such a size). `args` describes the public call's arguments, on this path only.
   */
  private sizeError(call: string, size: unknown, args: () => string): MemsError {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)
      return new MemsError('EINVAL', `${call}(${args()}): size must be a positive safe integer`);
    return new MemsError(
      'EINVAL',
      `${call}(${args()}): size is too large; the largest block is ${this.maxNodeBytes} bytes`,
    );
  }

  private checkAddress(call: string, address: unknown): number {
    if (typeof address !== 'number' || !Number.isSafeInteger(address) || address < 0)
      throw new MemsError(
        'EINVAL',
        `${call}(${describeValue(address)}): an address must be a non-negative safe integer`,
      );
    return address;
  }

  /** Why `address` is not the start of a live block, for EFAULT messages. */
  private explainNotABlock(address: number): string {
    const node = this.nodes.find(address);
    if (node === NONE) return 'not inside any mapped node (never allocated, or its node was unmapped)';
    const seg = this.segmentAt(node, address);
    const S = this.segments;
    if (S.kind(seg) === HOLE)
      return `inside a free hole [${S.start(seg)}:${S.start(seg) + S.size(seg) - 1}] (already freed?)`;
    return `an interior address of the block at ${S.start(seg)}, not its start`;
  }

  private roundUp(size: number): number {
    return this.alignMask === 0 ? size : Math.ceil(size / (this.alignMask + 1)) * (this.alignMask + 1);
  }

  // ------------------------------------------------------------------ allocation

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
    // The hot path indexes the records directly instead of calling accessors: V8 inlines only
    // so much per function, and a call per field costs more than the work.
    if (
      this.closed ||
      typeof size !== 'number' ||
      !(size > 0 && size <= this.maxNodeBytes) ||
      !Number.isInteger(size)
    )
      this.refuseAllocate(size);
    return this.allocateChecked(this.names.allocate, size, size);
  }

  /** Throws the error a refused `allocate(size)` gets (out of line, as {@link refuseFree}). */
  private refuseAllocate(size: unknown): never {
    const call = this.names.allocate;
    if (this.closed) this.checkLive(call, size);
    throw this.sizeError(call, size, () => describeValue(size));
  }

  /**
   * Allocates `size` checked bytes. `first` and `second` are the arguments of the public call,
   * named in an error message only.
   */
  private allocateChecked(call: string, size: number, first: unknown, second?: unknown): number {
    const n = this.alignMask === 0 ? size : this.roundUp(size);
    // Reserve every array slot the operation may take, so nothing can fail halfway.
    const S = this.segments;
    if (S.count + 2 > S.capacity) S.reserve(2);
    this.live.reserve(1);
    let seg = this.policy.findHole(n);
    if (seg === NONE) seg = this.addNode(call, n, first, second);
    return this.takeFromHole(seg, n);
  }

  /**
   * Maps `mapBytes` bytes and checks the mapping the provider returns (its length and a buffer
   * that covers it); a mapping that fails the check is handed back. Called inside
   * {@link enterProvider}, so the mapping's getters cannot re-enter the heap either.
   * @throws MemsError `ENOMEM` when the provider throws or returns an unusable mapping.
   */
  private mapChecked(call: string, mapBytes: number, first: unknown, second: unknown): Mapping {
    let mapping: Mapping;
    try {
      mapping = this.provider.map(mapBytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MemsError(
        'ENOMEM',
        `${call}(${describeArgs(first, second)}): the provider refused ${mapBytes} bytes: ${reason}`,
        {
          cause: error,
        },
      );
    }
    let byteLength: unknown;
    let buffer: unknown;
    try {
      byteLength = mapping?.byteLength;
      buffer = mapping?.buffer;
    } catch {
      // A mapping whose members throw is as unusable as one without them.
    }
    if (
      mapping === null ||
      typeof mapping !== 'object' ||
      byteLength !== mapBytes ||
      !(buffer instanceof ArrayBuffer) ||
      buffer.byteLength < mapBytes
    ) {
      const got = buffer instanceof ArrayBuffer ? buffer.byteLength : describeValue(buffer);
      try {
        this.provider.unmap(mapping);
      } catch {
        // The mapping is unusable either way; the provider's own accounting reports it.
      }
      throw new MemsError(
        'ENOMEM',
        `${call}(${describeArgs(first, second)}): the provider returned a mapping of ${describeValue(byteLength)} bytes with a buffer of ${got} bytes for ${mapBytes} bytes; refused`,
      );
    }
    return mapping;
  }

  private addNode(call: string, size: number, first: unknown, second: unknown): number {
    const pageSize = this.pageSize;
    const pages = Math.max(Math.ceil(size / pageSize), this.options.minNodePages);
    const bytes = Math.min(pages * pageSize, this.maxNodeBytes);
    const osPage = this.osPageSize;
    const mapBytes = Math.ceil(bytes / osPage) * osPage;
    const start = this.nodes.endAddress(this.options.startAddress);
    if (start + bytes - 1 > Number.MAX_SAFE_INTEGER)
      throw new MemsError(
        'ENOMEM',
        `${call}(${describeArgs(first, second)}): the virtual address space is exhausted: a node of ${bytes} bytes at ${start} would end past 2^53 - 1`,
      );
    this.nodes.reserve();
    let mapping: Mapping;
    this.enterProvider('map');
    try {
      mapping = this.mapChecked(call, mapBytes, first, second);
    } finally {
      this.leaveProvider();
    }
    const node = this.nodes.append(start, bytes, mapping);
    this.nodesMapped++;
    const S = this.segments;
    const seg = S.take();
    S.setStart(seg, this.nodes.start[node]!);
    S.setSize(seg, bytes);
    S.setNodeKind(seg, node, HOLE);
    S.setPrev(seg, NONE);
    S.setNext(seg, NONE);
    this.nodes.head[node] = seg;
    this.nodes.tail[node] = seg;
    this.nodes.segmentCount[node] = 1;
    this.pagesMapped += bytes / pageSize;
    this.bytesFree += bytes;
    this.holeCount++;
    this.segmentTotal++;
    this.policy.addHole(seg);
    return seg;
  }

  /** Splits hole `seg`: a PROCESS of `n` bytes at its front, the rest stays a HOLE after it. */
  private takeFromHole(seg: number, n: number): number {
    const S = this.segments;
    const f = S.f;
    const i = S.i;
    const start = f[F_STRIDE * seg + F_START]!;
    const holeSize = S.u[I_STRIDE * seg + U_SIZE]!;
    const nodeKind = i[I_STRIDE * seg + I_NODE_KIND]!;
    const node = nodeKind >> 2;
    let block = seg;
    if (holeSize === n) {
      this.policy.removeHole(seg);
      i[I_STRIDE * seg + I_NODE_KIND] = (nodeKind & ~3) | PROCESS;
      this.holeCount--;
    } else {
      block = this.splitFront(seg, start, holeSize, n, node);
    }
    this.nodes.liveCount[node]!++;
    this.liveBlocks++;
    this.bytesInUse += n;
    this.bytesFree -= n;
    this.live.add(block);
    this.policy.allocated(start, n);
    return start;
  }

  /**
   * Cuts a new PROCESS segment of `n` bytes off the front of hole `seg` (`holeSize` bytes at
   * `start`, in `node`), which keeps the rest. Kept apart from takeFromHole so that both stay
   * under V8's size limit for inlining.
   * @returns the new segment id.
   */
  private splitFront(seg: number, start: number, holeSize: number, n: number, node: number): number {
    const S = this.segments;
    const f = S.f;
    const u = S.u;
    const i = S.i;
    const block = S.take(); // reserved: the buffer does not move
    f[F_STRIDE * block + F_START] = start;
    u[I_STRIDE * block + U_SIZE] = n;
    i[I_STRIDE * block + I_NODE_KIND] = (node << 2) | PROCESS;
    const p = i[I_STRIDE * seg + I_PREV]!;
    i[I_STRIDE * block + I_PREV] = p;
    i[I_STRIDE * block + I_NEXT] = seg;
    i[I_STRIDE * seg + I_PREV] = block;
    if (p === NONE) this.nodes.head[node] = block;
    else i[I_STRIDE * p + I_NEXT] = block;
    this.nodes.segmentCount[node]!++;
    this.segmentTotal++;
    f[F_STRIDE * seg + F_START] = start + n;
    u[I_STRIDE * seg + U_SIZE] = holeSize - n;
    this.policy.updateHole(seg, start, holeSize);
    return block;
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
    if (this.closed) this.checkLive(call, count, size);
    for (const [what, value] of [
      ['count', count],
      ['size', size],
    ] as const) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
        throw new MemsError(
          'EINVAL',
          `${call}(${describeArgs(count, size)}): ${what} must be a positive safe integer`,
        );
    }
    const total = count * size;
    if (!Number.isSafeInteger(total) || total > this.maxNodeBytes)
      throw new MemsError(
        'EINVAL',
        `${call}(${describeArgs(count, size)}): ${count} × ${size} bytes is too large; the largest block is ${this.maxNodeBytes} bytes`,
      );
    this.checkHoleNode(call, this.roundUp(total), count, size); // before anything changes
    const nodesBefore = this.nodesMapped;
    const address = this.allocateChecked(call, total, count, size);
    // A block at the front of a node mapped by this very call lies on fresh pages: a provider
    // that promises zero-filled mappings already zeroed them. Any other block may hold old bytes.
    if (!this.zeroedPages || this.nodesMapped === nodesBefore)
      this.bytesOf(address, this.roundUp(total)).fill(0); // the whole usable block
    return address;
  }

  /**
   * Resizes a block. Shrinking happens in place (the freed tail becomes a hole, merged with a
   * following hole); growing happens in place when a following hole is large enough; else a
   * new block is allocated, the bytes are copied and the old block is freed.
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
    if (this.closed) this.checkLive(call, address, size);
    this.checkAddress(call, address);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0 || size > this.maxNodeBytes)
      throw this.sizeError(call, size, () => describeArgs(address, size));
    const seg = this.live.get(address);
    if (seg === NONE)
      throw new MemsError(
        'EFAULT',
        `${call}(${describeArgs(address, size)}): ${address} is ${this.explainNotABlock(address)}`,
      );
    const S = this.segments;
    const n = this.roundUp(size);
    const old = S.size(seg);
    if (n === old) return address;
    this.segments.reserve(2);
    const node = S.node(seg);
    const q = S.next(seg);
    if (n < old) {
      const tail = old - n;
      S.setSize(seg, n);
      if (q !== NONE && S.kind(q) === HOLE) {
        const oldStart = S.start(q);
        const oldSize = S.size(q);
        S.setStart(q, oldStart - tail);
        S.setSize(q, oldSize + tail);
        this.policy.updateHole(q, oldStart, oldSize);
      } else {
        const hole = S.take();
        S.setStart(hole, address + n);
        S.setSize(hole, tail);
        S.setNodeKind(hole, node, HOLE);
        S.setPrev(hole, seg);
        S.setNext(hole, q);
        S.setNext(seg, hole);
        if (q === NONE) this.nodes.tail[node] = hole;
        else S.setPrev(q, hole);
        this.nodes.segmentCount[node]!++;
        this.segmentTotal++;
        this.holeCount++;
        this.policy.addHole(hole);
      }
      this.bytesInUse -= tail;
      this.bytesFree += tail;
      return address;
    }
    const need = n - old;
    if (q !== NONE && S.kind(q) === HOLE && S.size(q) >= need) {
      const oldStart = S.start(q);
      const oldSize = S.size(q);
      if (oldSize === need) {
        this.policy.removeHole(q);
        this.unlink(q);
        S.release(q);
        this.holeCount--;
        this.segmentTotal--;
      } else {
        S.setStart(q, oldStart + need);
        S.setSize(q, oldSize - need);
        this.policy.updateHole(q, oldStart, oldSize);
      }
      S.setSize(seg, n);
      this.bytesInUse += need;
      this.bytesFree -= need;
      return address;
    }
    // A move reads the old block and writes the new one: check both nodes before anything changes.
    this.nodeBuffer(call, describeArgs(address, size), node);
    this.checkHoleNode(call, n, address, size);
    const moved = this.allocateChecked(call, n, address, size);
    this.bytesOf(moved, old).set(this.bytesOf(address, old));
    this.freeBlock(this.live.delete(address));
    return moved;
  }

  // ------------------------------------------------------------------ free

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
    const seg = this.live.delete(address);
    if (seg === NONE) this.refuseFree(address);
    this.freeBlock(seg);
  }

  /**
   * Throws the error a refused `free(address)` gets. Out of line, so that `free` stays small
   * enough for V8 to inline what it calls.
   */
  private refuseFree(address: unknown): never {
    const call = this.names.free;
    if (this.closed) this.checkLive(call, address);
    const checked = this.checkAddress(call, address);
    throw new MemsError('EFAULT', `${call}(${checked}): ${checked} is ${this.explainNotABlock(checked)}`);
  }

  /** Frees block `seg`, already removed from the live-block hash. */
  private freeBlock(seg: number): void {
    const S = this.segments;
    const f = S.f;
    const i = S.i;
    const start = f[F_STRIDE * seg + F_START]!;
    const size = S.u[I_STRIDE * seg + U_SIZE]!;
    const node = i[I_STRIDE * seg + I_NODE_KIND]! >> 2;
    this.liveBlocks--;
    this.bytesInUse -= size;
    this.bytesFree += size;
    this.nodes.liveCount[node]!--;
    const p = i[I_STRIDE * seg + I_PREV]!;
    const q = i[I_STRIDE * seg + I_NEXT]!;
    const leftHole = p !== NONE && (i[I_STRIDE * p + I_NODE_KIND]! & 3) === HOLE;
    const rightHole = q !== NONE && (i[I_STRIDE * q + I_NODE_KIND]! & 3) === HOLE;
    if (!leftHole && !rightHole) {
      i[I_STRIDE * seg + I_NODE_KIND] = (node << 2) | HOLE;
      this.holeCount++;
      this.policy.addHole(seg);
    } else if (leftHole) {
      this.joinHole(seg, size, p, rightHole ? q : NONE, NONE);
    } else {
      this.joinHole(seg, size, q, NONE, start);
    }
    if (this.autoTrim && this.nodes.liveCount[node] === 0) this.trimFreedNode(node);
  }

  /**
   * Merges freed block `seg` (`size` bytes) into its neighbouring `hole`; `alsoRight`, when not
   * NONE, is a hole on the block's other side that joins too. `newStart` is the hole's new
   * start when it lies after the block (NONE when it lies before). Kept apart from freeBlock
   * so that both stay under V8's size limit for inlining.
   */
  private joinHole(seg: number, size: number, hole: number, alsoRight: number, newStart: number): void {
    const f = this.segments.f;
    const u = this.segments.u;
    const oldStart = f[F_STRIDE * hole + F_START]!;
    const oldSize = u[I_STRIDE * hole + U_SIZE]!;
    let grown = oldSize + size;
    if (alsoRight !== NONE) {
      this.policy.removeHole(alsoRight);
      grown += u[I_STRIDE * alsoRight + U_SIZE]!;
      this.dropSegment(alsoRight);
      this.holeCount--;
    }
    this.dropSegment(seg);
    if (newStart !== NONE) f[F_STRIDE * hole + F_START] = newStart;
    u[I_STRIDE * hole + U_SIZE] = grown;
    this.policy.updateHole(hole, oldStart, oldSize);
  }

  /** With autoTrim, returns a node left without blocks to the provider, if it can. */
  private trimFreedNode(node: number): void {
    try {
      this.releaseNode(node);
    } catch {
      // The node stays, whole and consistent; a later trim() retries and reports.
    }
  }

  /** Unlinks a segment from its sub-chain and recycles its id. */
  private dropSegment(seg: number): void {
    this.unlink(seg);
    this.segments.release(seg);
    this.segmentTotal--;
  }

  private unlink(seg: number): void {
    const i = this.segments.i;
    const nodeKind = i[I_STRIDE * seg + I_NODE_KIND]!;
    const node = nodeKind >> 2;
    const p = i[I_STRIDE * seg + I_PREV]!;
    const q = i[I_STRIDE * seg + I_NEXT]!;
    if (p === NONE) this.nodes.head[node] = q;
    else i[I_STRIDE * p + I_NEXT] = q;
    if (q === NONE) this.nodes.tail[node] = p;
    else i[I_STRIDE * q + I_PREV] = p;
    this.nodes.segmentCount[node]!--;
  }

  // ------------------------------------------------------------------ lookup and views

  /** The segment of `node` that holds `address` (the address must be inside the node). */
  private segmentAt(node: number, address: number): number {
    const S = this.segments;
    // Walk from whichever end of the sub-chain is nearer in address.
    const mid = this.nodes.start[node]! + this.nodes.bytes[node]! / 2;
    if (address < mid) {
      let seg = this.nodes.head[node]!;
      while (address >= S.start(seg) + S.size(seg)) seg = S.next(seg);
      return seg;
    }
    let seg = this.nodes.tail[node]!;
    while (address < S.start(seg)) seg = S.prev(seg);
    return seg;
  }

  /** The live block holding `address` (its start or an interior byte), or NONE. */
  private blockHolding(address: number): number {
    const seg = this.live.get(address);
    if (seg !== NONE) return seg;
    const node = this.nodes.find(address);
    if (node === NONE) return NONE;
    const holder = this.segmentAt(node, address);
    return this.segments.kind(holder) === PROCESS ? holder : NONE;
  }

  /** The EFAULT for an address that is in no live block. */
  private notInBlock(call: string, args: string, address: number): MemsError {
    return new MemsError('EFAULT', `${call}(${args}): ${address} is ${this.explainNotABlock(address)}`);
  }

  /**
   * The buffer of `node`, checked to be reachable for the node's whole length: the mapping is
   * live, its buffer can be read and still holds the node's bytes (a transferred ArrayBuffer is
   * detached and holds none).
   * @param call the public call, for the message.
   * @param args its arguments, described.
   * @param node a node id.
   * @returns the node's buffer.
   * @throws MemsError `EFAULT` naming the node when its memory cannot be reached.
   */
  private nodeBuffer(call: string, args: string, node: number): ArrayBuffer {
    const mapping = this.nodes.mapping[node]!;
    const bytes = this.nodes.bytes[node]!;
    let problem: string;
    let cause: unknown;
    try {
      if (!mapping.live) {
        problem = 'its pages were unmapped by someone else (the mapping is no longer live)';
      } else {
        const buffer = mapping.buffer;
        if (buffer instanceof ArrayBuffer && buffer.byteLength >= bytes) return buffer;
        problem =
          buffer instanceof ArrayBuffer && buffer.byteLength === 0
            ? 'its ArrayBuffer is detached (transferred with structuredClone or postMessage?)'
            : `its buffer (${buffer instanceof ArrayBuffer ? `${buffer.byteLength} bytes` : describeValue(buffer)}) no longer covers its ${bytes} bytes`;
      }
    } catch (error) {
      cause = error;
      problem = `its buffer cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    const start = this.nodes.start[node]!;
    throw new MemsError(
      'EFAULT',
      `${call}(${args}): node [${start}:${start + bytes - 1}]: ${problem}`,
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * Checks the node of the hole an allocation of `n` bytes would take (the policy's choice,
   * asked without changing anything); when no hole fits, a fresh node is mapped and checked
   * by {@link mapChecked}. For calls that write the new block's bytes.
   */
  private checkHoleNode(call: string, n: number, first: unknown, second: unknown): void {
    const seg = this.policy.findHole(n);
    if (seg !== NONE) this.nodeBuffer(call, describeArgs(first, second), this.segments.node(seg));
  }

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
    const call = this.names.translate;
    if (this.closed) this.checkLive(call, address);
    this.checkAddress(call, address);
    const seg = this.blockHolding(address);
    if (seg === NONE) throw this.notInBlock(call, String(address), address);
    const node = this.segments.node(seg);
    const mapping = this.nodes.mapping[node]!;
    if (!mapping.live) this.nodeBuffer(call, String(address), node); // throws EFAULT
    return mapping.address + BigInt(address - this.nodes.start[node]!);
  }

  /** A view over `length` bytes from `address`, inside one block (internal, unchecked). */
  private bytesOf(address: number, length: number): Uint8Array {
    const node = this.nodes.find(address);
    const mapping = this.nodes.mapping[node]!;
    return new Uint8Array(mapping.buffer, address - this.nodes.start[node]!, length);
  }

  /**
   * A zero-copy view over a live block or a part of it. The view reads and writes the block's
   * real memory. It goes stale when the block is freed, and on the mmap provider touching it
   * after its node is unmapped (`trim`, `destroy`) crashes the process: Node cannot detach it.
   * @param address the block's start or an interior address.
   * @param byteLength how many bytes (default: to the end of the block).
   * @returns a Uint8Array over those bytes.
   * @throws MemsError `EINVAL` for bad arguments or a length past the block's end, `EFAULT`
   *   when `address` is not in a live block or its node's memory cannot be reached (detached
   *   buffer, mapping no longer live), `ESTATE` after destroy.
   */
  view(address: number, byteLength?: number): Uint8Array {
    const call = this.names.view;
    if (this.closed) this.checkLive(call, address, byteLength);
    this.checkAddress(call, address);
    const seg = this.blockHolding(address);
    if (seg === NONE) throw this.notInBlock(call, describeArgs(address, byteLength), address);
    const S = this.segments;
    const available = S.start(seg) + S.size(seg) - address;
    const length = byteLength === undefined ? available : byteLength;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > available)
      throw new MemsError(
        'EINVAL',
        `${call}(${describeArgs(address, byteLength)}): byteLength must be an integer from 0 to ${available}, the bytes left in the block`,
      );
    const node = S.node(seg);
    const buffer = this.nodeBuffer(call, describeArgs(address, byteLength), node);
    return new Uint8Array(buffer, address - this.nodes.start[node]!, length);
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
    const args = describeArgs(type, address, length);
    if (this.closed) throw this.stateError(call, args);
    if (!TYPED_ARRAYS.includes(type))
      throw new MemsError('EINVAL', `${call}(${args}): type must be a typed-array constructor`);
    this.checkAddress(call, address);
    const seg = this.blockHolding(address);
    if (seg === NONE) throw this.notInBlock(call, args, address);
    const S = this.segments;
    const node = S.node(seg);
    const offset = address - this.nodes.start[node]!;
    const elementSize = type.BYTES_PER_ELEMENT;
    if (offset % elementSize !== 0)
      throw new MemsError(
        'EINVAL',
        `${call}(${args}): the address is not aligned to ${elementSize} bytes in physical memory`,
      );
    const fit = Math.floor((S.start(seg) + S.size(seg) - address) / elementSize);
    const count = length === undefined ? fit : length;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > fit)
      throw new MemsError(
        'EINVAL',
        `${call}(${args}): length must be an integer from 0 to ${fit}, the elements left in the block`,
      );
    const buffer = this.nodeBuffer(call, args, node);
    return new type(buffer, offset, count) as InstanceType<T>;
  }

  /**
   * The usable size of a live block: the size asked for, rounded up to the alignment.
   * @param address the start of a live block.
   * @returns its size in bytes.
   * @throws MemsError `EINVAL`, `EFAULT` or `ESTATE` as for {@link free}.
   */
  usableSize(address: number): number {
    const call = this.names.usableSize;
    if (this.closed) this.checkLive(call, address);
    this.checkAddress(call, address);
    const seg = this.live.get(address);
    if (seg === NONE)
      throw new MemsError('EFAULT', `${call}(${address}): ${address} is ${this.explainNotABlock(address)}`);
    return this.segments.size(seg);
  }

  // ------------------------------------------------------------------ releasing pages

  /** Returns an empty node to the provider and removes it from the main chain. */
  private releaseNode(node: number): void {
    this.releaseNodePages(node);
    this.nodes.remove(node);
  }

  /**
   * Returns an empty node's pages to the provider and forgets its hole, leaving the node in
   * the main chain (the caller removes it). Changes nothing when the provider's unmap throws.
   */
  private releaseNodePages(node: number): void {
    const mapping = this.nodes.mapping[node]!;
    this.enterProvider('unmap');
    try {
      this.provider.unmap(mapping);
    } finally {
      this.leaveProvider();
    }
    const seg = this.nodes.head[node]!;
    const bytes = this.nodes.bytes[node]!;
    this.policy.removeHole(seg);
    this.segments.release(seg);
    this.holeCount--;
    this.segmentTotal--;
    this.bytesFree -= bytes;
    this.pagesMapped -= bytes / this.pageSize;
  }

  /**
   * Returns every node that holds no live block to the provider (munmap). Views of those pages
   * die with them. Nodes are never unmapped while they hold a live block.
   * @returns the number of bytes released.
   * @throws MemsError `ESTATE` after destroy; when the provider fails to unmap some nodes, the
   *   others are still released, the failed ones stay in the heap (whole and usable), and a
   *   MemsError with the first failure's code is thrown, its `cause` an AggregateError of all.
   */
  trim(): number {
    const call = this.names.trim;
    this.checkLive(call);
    let released = 0;
    const failures: unknown[] = [];
    // Release every empty node, then drop them from the main chain in one pass: removing them
    // one by one would shift the chain once per node, O(nodes²) for a heap of many nodes.
    for (let i = this.nodes.count - 1; i >= 0; i--) {
      const node = this.nodes.order[i]!;
      if (this.nodes.liveCount[node] !== 0) continue;
      const bytes = this.nodes.bytes[node]!;
      try {
        this.releaseNodePages(node);
        this.nodes.retire(node);
        released += bytes;
      } catch (error) {
        failures.push(error);
      }
    }
    this.nodes.compact();
    if (failures.length > 0) {
      const first = failures[0];
      throw new MemsError(
        isMemsError(first) ? first.code : 'ENOMEM',
        `${call}(): ${failures.length} empty node(s) could not be unmapped and stay in the heap; ${released} bytes were released`,
        { cause: new AggregateError(failures, 'unmap failures') },
      );
    }
    return released;
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
    if (this.inProvider !== null) throw this.stateError(this.names.destroy, '');
    if (this.destroyed) return;
    const failures: unknown[] = [];
    this.enterProvider('unmap');
    try {
      for (let i = 0; i < this.nodes.count; i++) {
        const mapping = this.nodes.mapping[this.nodes.order[i]!]!;
        try {
          this.provider.unmap(mapping);
        } catch (error) {
          failures.push(error);
        }
      }
    } finally {
      this.destroyed = true;
      this.leaveProvider();
    }
    this.nodes.clear();
    this.segments.clear();
    this.live.clear();
    this.policy.clear();
    this.pagesMapped = this.bytesInUse = this.bytesFree = 0;
    this.liveBlocks = this.holeCount = this.segmentTotal = 0;
    if (failures.length > 0) {
      const first = failures[0];
      throw new MemsError(
        isMemsError(first) ? first.code : 'ENOMEM',
        `${this.names.destroy}(): ${failures.length} mapping(s) could not be unmapped; every other one was`,
        { cause: new AggregateError(failures, 'unmap failures') },
      );
    }
  }

  // ------------------------------------------------------------------ inspection

  /**
   * The O(1) counters.
   * @returns a fresh counters object.
   * @throws MemsError `ESTATE` after destroy.
   */
  counters(): HeapCounters {
    this.checkLive(this.names.counters);
    return this.currentCounters();
  }

  private currentCounters(): HeapCounters {
    return {
      pagesMapped: this.pagesMapped,
      bytesMapped: this.pagesMapped * this.pageSize,
      bytesInUse: this.bytesInUse,
      bytesFree: this.bytesFree,
      liveBlocks: this.liveBlocks,
      holes: this.holeCount,
      nodes: this.nodes.count,
      segments: this.segmentTotal,
    };
  }

  /**
   * A plain, serialisable description of the whole heap (what `@mems/stats` formats).
   * @returns the snapshot.
   * @throws MemsError `ESTATE` after destroy.
   */
  snapshot(): HeapSnapshot {
    this.checkLive(this.names.snapshot);
    const counters = this.currentCounters();
    const S = this.segments;
    const nodes: NodeSnapshot[] = [];
    for (let i = 0; i < this.nodes.count; i++) {
      const node = this.nodes.order[i]!;
      const segments: SegmentSnapshot[] = [];
      for (let seg = this.nodes.head[node]!; seg !== NONE; seg = S.next(seg)) {
        const start = S.start(seg);
        const size = S.size(seg);
        segments.push({
          kind: S.kind(seg) === PROCESS ? 'PROCESS' : 'HOLE',
          start,
          lastAddress: start + size - 1,
          size,
        });
      }
      const start = this.nodes.start[node]!;
      const size = this.nodes.bytes[node]!;
      nodes.push({
        start,
        lastAddress: start + size - 1,
        size,
        pages: size / this.pageSize,
        physicalAddress: this.nodes.mapping[node]!.address.toString(),
        segments,
      });
    }
    return {
      policy: this.policy.name,
      pageSize: this.pageSize,
      startAddress: this.options.startAddress,
      alignment: this.options.alignment,
      provider: this.providerName,
      counters,
      nodes,
    };
  }

  /**
   * Bytes of metadata the heap holds in its typed arrays (segments, nodes, the live-block
   * hash and the policy's index), for memory-cost reports.
   */
  get metadataBytes(): number {
    return (
      this.segments.metadataBytes +
      this.nodes.metadataBytes +
      this.live.metadataBytes +
      this.policy.metadataBytes
    );
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
    this.checkLive(this.names.validate);
    const problem = checkHeap({
      segments: this.segments,
      nodes: this.nodes,
      live: this.live,
      policy: this.policy,
      pageSize: this.pageSize,
      alignment: this.options.alignment,
      counters: {
        pagesMapped: this.pagesMapped,
        bytesInUse: this.bytesInUse,
        bytesFree: this.bytesFree,
        liveBlocks: this.liveBlocks,
        holes: this.holeCount,
        segments: this.segmentTotal,
      },
    });
    if (problem !== null) throw new HeapInvariantError(problem);
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
