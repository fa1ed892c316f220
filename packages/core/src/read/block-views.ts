// Reaching a block's memory: the seed's mems_get (virtual → physical address), and zero-copy
// views over a block's bytes. Arguments are checked here, after the heap's state check.

import { type Mapping, MemsError } from '@mems/os';
import {
  checkAddress,
  describeArgs,
  TYPED_ARRAYS,
  type TypedArrayConstructor,
} from '../errors/call-errors.js';
import { mappingOffset, type NodeMemory, type RetainMapping } from '../memory/page-buffers.js';
import { NONE, PROCESS } from '../memory/segment-layout.js';
import type { HeapTables } from '../tables/heap-tables.js';
import { findLiveBlock, notABlock } from './lookup.js';
import { keptEntryHolds, reachableBuffer, reachableBufferOrNull, reachableNode } from './reachable-buffer.js';

/** The physical address of `address`, any byte of a live block (see `Heap.translate`). */
export function translateAddress(t: HeapTables, call: string, address: number): bigint {
  checkAddress(call, address);
  const block = findLiveBlock(t, address);
  if (block === null) throw notABlock(t, call, String(address), address);
  const node = block.node;
  const mapping = t.nodes.mappingOf(node);
  if (!mapping.live) reachableBuffer(t, call, String(address), node); // throws EFAULT
  return mapping.address + BigInt(address - t.nodes.start[node]!);
}

/**
 * A Uint8Array over the whole of live node `node` (internal: the heap checks the node is
 * reachable before it touches the bytes; no provider `retain`, since only the heap holds it, and
 * it is dropped when the node is unmapped): the one {@link reachableNode} keeps.
 */
export function nodeBytes(t: HeapTables, node: number): Uint8Array {
  const memory = reachableNode(t, node);
  if (memory !== null) return memory.bytes;
  // Not plainly reachable: a caller that skipped the check gets what the mapping gives (or its throw).
  const mapping = t.nodes.mappingOf(node);
  return new Uint8Array(mapping.buffer as ArrayBuffer, mapping.byteOffset ?? 0, t.nodes.bytes[node]!);
}

/** Copies between nodes up to this many bytes go word by word (see {@link copyBytes}). */
const WORD_COPY_MAX = 256;

/**
 * Copies `length` bytes from live block memory at `from` (in node `fromNode`) to `to` (in
 * node `toNode`), both checked reachable (internal, unchecked): a moving realloc's copy, with
 * no view built per call. `fromMemory` and `toMemory` are the nodes' memory when the caller
 * already holds it ({@link reachableNode}), else null to look it up here. Within a node it is
 * one `copyWithin`. Between nodes (distinct ranges, so they never overlap) a copy of up to
 * {@link WORD_COPY_MAX} bytes whose ends are 4-byte aligned in both nodes goes word by word
 * through the nodes' kept Int32Arrays, and any other through `set(subarray)`: measured on
 * Node 20, the word loop costs 10-30 ns up to 128 bytes where `set` costs 70-100 (it builds the
 * subarray), and they meet near 256 to 512.
 */
export function copyBytes(
  t: HeapTables,
  from: number,
  fromNode: number,
  fromMemory: NodeMemory | null,
  to: number,
  toNode: number,
  toMemory: NodeMemory | null,
  length: number,
): void {
  const at = from - t.nodes.start[fromNode]!;
  const into = to - t.nodes.start[toNode]!;
  const source = fromMemory ?? reachableNode(t, fromNode);
  const sourceBytes = source !== null ? source.bytes : nodeBytes(t, fromNode);
  if (toNode === fromNode) {
    sourceBytes.copyWithin(into, at, at + length);
    return;
  }
  const target = toMemory ?? reachableNode(t, toNode);
  if (target === null) {
    nodeBytes(t, toNode).set(sourceBytes.subarray(at, at + length), into);
    return;
  }
  const words = source === null ? null : source.words;
  if (length <= WORD_COPY_MAX && ((at | into | length) & 3) === 0 && words !== null && target.words !== null)
    copyWords(words, at >> 2, target.words, into >> 2, length >> 2);
  // (set copies correctly when both views share a buffer.)
  else target.bytes.set(sourceBytes.subarray(at, at + length), into);
}

/** Copies `count` words from `source[from...]` to `target[to...]` (ranges that do not overlap). */
function copyWords(source: Int32Array, from: number, target: Int32Array, to: number, count: number): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    target[to + i] = source[from + i]!;
    target[to + i + 1] = source[from + i + 1]!;
    target[to + i + 2] = source[from + i + 2]!;
    target[to + i + 3] = source[from + i + 3]!;
  }
  for (; i < count; i++) target[to + i] = source[from + i]!;
}

/**
 * Zeroes the `length` bytes of the live block at `address` in `node` (internal, unchecked:
 * calloc's fill).
 */
export function zeroBytes(t: HeapTables, address: number, node: number, length: number): void {
  const at = address - t.nodes.start[node]!;
  nodeBytes(t, node).fill(0, at, at + length);
}

/** A checked Uint8Array over a live block or part of it (see `Heap.view`). */
export function viewBytes(
  t: HeapTables,
  retain: RetainMapping | null,
  call: string,
  address: number,
  byteLength?: number,
): Uint8Array {
  checkAddress(call, address);
  const block = findLiveBlock(t, address);
  if (block === null) throw notABlock(t, call, describeArgs(address, byteLength), address);
  const available = block.start + block.size - address;
  const node = block.node;
  const length = byteLength === undefined ? available : byteLength;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > available)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeArgs(address, byteLength)}): byteLength must be an integer from 0 to ${available}, the bytes left in the block`,
    );
  // Messages are described on the failure paths only: a successful view builds no text.
  const memory = reachableNode(t, node);
  const buffer =
    memory !== null ? memory.buffer : reachableBuffer(t, call, describeArgs(address, byteLength), node);
  const mapping = memory !== null ? memory.mapping : t.nodes.mappingOf(node);
  if (retain !== null) retain(mapping);
  const offset = memory !== null ? memory.offset : mappingOffset(mapping);
  return new Uint8Array(buffer, offset + address - t.nodes.start[node]!, length);
}

/** A checked typed array over a live block (see `Heap.viewAs`). */
export function viewTyped<T extends TypedArrayConstructor>(
  t: HeapTables,
  retain: RetainMapping | null,
  call: string,
  type: T,
  address: number,
  length?: number,
): InstanceType<T> {
  const args = (): string => describeArgs(type, address, length); // for failures only
  if (!TYPED_ARRAYS.includes(type))
    throw new MemsError('EINVAL', `${call}(${args()}): type must be a typed-array constructor`);
  checkAddress(call, address);
  const block = findLiveBlock(t, address);
  if (block === null) throw notABlock(t, call, args(), address);
  const end = block.start + block.size;
  const node = block.node;
  const memory = reachableNode(t, node);
  const mapping = memory !== null ? memory.mapping : t.nodes.mappingOf(node);
  // Where the block's bytes are in the node's buffer (a shared buffer holds many nodes).
  const offset = (memory !== null ? memory.offset : mappingOffset(mapping)) + address - t.nodes.start[node]!;
  const elementSize = type.BYTES_PER_ELEMENT;
  if (offset % elementSize !== 0)
    throw new MemsError(
      'EINVAL',
      `${call}(${args()}): the address is not aligned to ${elementSize} bytes in physical memory`,
    );
  const fit = Math.floor((end - address) / elementSize);
  const count = length === undefined ? fit : length;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > fit)
    throw new MemsError(
      'EINVAL',
      `${call}(${args()}): length must be an integer from 0 to ${fit}, the elements left in the block`,
    );
  const buffer = memory !== null ? memory.buffer : reachableBuffer(t, call, args(), node);
  if (retain !== null) retain(mapping);
  // (The union of constructors types its buffer parameter as ArrayBuffer; a SharedArrayBuffer works.)
  return new type(buffer as ArrayBuffer, offset, count) as InstanceType<T>;
}

/**
 * Typed arrays over the memory of one node, all over the same bytes (see `Heap.memoryOf`):
 * `address - base` is the byte offset of a MeMS address in `u8`, so `f64[(address - base) >> 3]`
 * is the 8-byte word at `address` when the block is 8-byte aligned in physical memory.
 */
export interface BlockMemory {
  /** The MeMS address of byte 0 of `u8` (it may lie before the node when the buffer holds more). */
  readonly base: number;
  /** Bytes. */
  readonly u8: Uint8Array;
  /** Signed 32-bit words (index `(address - base) >> 2`). */
  readonly i32: Int32Array;
  /** Unsigned 32-bit words (index `(address - base) >> 2`). */
  readonly u32: Uint32Array;
  /** 64-bit floats (index `(address - base) >> 3`). */
  readonly f64: Float64Array;
  /** Any width, either byte order (offset `address - base`). */
  readonly dataView: DataView;
}

/**
 * The long-lived memory object of the node holding `address`, built once per node mapping and
 * kept in `cache` (indexed by node id) until that node's buffer or place in it changes.
 * @param t the heap's tables.
 * @param retain the provider's retain, called when a new memory object is built.
 * @param cache the heap's per-node cache: entries are checked against the node before reuse.
 * @param call the call's name for messages.
 * @param address any byte of a live block.
 * @returns the node's {@link BlockMemory}.
 * @throws MemsError `EINVAL` for a value that is not an address, `EFAULT` for an address outside
 *   every live block or in a node whose memory cannot be reached.
 */
export function memoryOfBlock(
  t: HeapTables,
  retain: RetainMapping | null,
  cache: (CachedBlockMemory | undefined)[],
  call: string,
  address: number,
): BlockMemory {
  checkAddress(call, address);
  const block = findLiveBlock(t, address);
  if (block === null) throw notABlock(t, call, String(address), address);
  const node = block.node;
  const fast = cachedMemoryOf(t, cache, node);
  if (fast !== null) return fast;
  const cached = cache[node];
  const buffer = reachableBufferOrNull(t, node) ?? reachableBuffer(t, call, String(address), node);
  const mapping = t.nodes.mappingOf(node);
  const base = t.nodes.start[node]! - mappingOffset(mapping);
  const serial = t.nodes.serialOf(node);
  if (cached !== undefined && cached.buffer === buffer && cached.memory.base === base) {
    // A new node over the same bytes of the same buffer (a shared provider's one buffer).
    cache[node] = { serial, mapping, buffer, byteLength: buffer.byteLength, memory: cached.memory };
    return cached.memory;
  }
  if (retain !== null) retain(mapping);
  const memory = memoryOver(buffer, base);
  // Kept dense: a sparse array (a node id far past its length) turns into a dictionary, and
  // every later lookup costs a hash probe (about 15 ns).
  while (cache.length <= node) cache.push(undefined);
  cache[node] = { serial, mapping, buffer, byteLength: buffer.byteLength, memory };
  return memory;
}

/**
 * The memory object `cache` holds for live node `node` when it is still good, else null: the
 * common case of {@link memoryOfBlock}, checked in full but cheaply. The entry was built for this
 * node's lifetime (its serial; another thread may have unmapped the node and given its id to a
 * new one), its mapping is still live (nobody unmapped it behind the heap's back), and its
 * buffer is still attached and as long (a Wasm memory's buffer is detached when the memory
 * grows). Within one lifetime a node's mapping, and its place in the buffer, are fixed.
 */
export function cachedMemoryOf(
  t: HeapTables,
  cache: (CachedBlockMemory | undefined)[],
  node: number,
): BlockMemory | null {
  const cached = cache[node];
  return cached !== undefined &&
    keptEntryHolds(t, node, cached.serial, cached.mapping, cached.memory.u8, cached.byteLength)
    ? cached.memory
    : null;
}

/**
 * The memory object of the live block that starts at `address`, when the heap's hash holds that
 * block (not a cached one) and `cache` a good entry for its node, else null: memoryOf's fast
 * path, one hash probe and no allocation. Takes any value (a non-number finds nothing).
 * @param t the heap's tables.
 * @param cache the heap's per-node cache.
 * @param address the value passed to memoryOf.
 */
export function memoryOfBlockStart(
  t: HeapTables,
  cache: (CachedBlockMemory | undefined)[],
  address: unknown,
): BlockMemory | null {
  if (typeof address !== 'number') return null;
  const seg = t.live.get(address);
  if (seg === NONE || t.segments.kind(seg) !== PROCESS) return null;
  return cachedMemoryOf(t, cache, t.segments.node(seg));
}

/** A cache entry of {@link memoryOfBlock}: the buffer the memory object was built over. */
export interface CachedBlockMemory {
  /** The serial of the node it was built for (see `NodeTable.serialOf`). */
  readonly serial: number;
  /** The node's mapping. */
  readonly mapping: Mapping;
  /** The node's buffer when the entry was built. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Its length then, and the length of `memory.u8` (a detached buffer's arrays read 0). */
  readonly byteLength: number;
  /** The object handed out. */
  readonly memory: BlockMemory;
}

function memoryOver(buffer: ArrayBuffer | SharedArrayBuffer, base: number): BlockMemory {
  const bytes = buffer.byteLength;
  // (The typed-array constructors type their buffer parameter as ArrayBuffer; a SharedArrayBuffer works.)
  const b = buffer as ArrayBuffer;
  return Object.freeze({
    base,
    u8: new Uint8Array(b, 0, bytes),
    i32: new Int32Array(b, 0, bytes >>> 2),
    u32: new Uint32Array(b, 0, bytes >>> 2),
    f64: new Float64Array(b, 0, Math.floor(bytes / 8)),
    dataView: new DataView(b, 0, bytes),
  });
}
