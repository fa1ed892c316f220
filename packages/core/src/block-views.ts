// Reaching a block's memory: the seed's mems_get (virtual → physical address), and zero-copy
// views over a block's bytes. Arguments are checked here, after the heap's state check.

import { MemsError } from '@mems/os';
import {
  checkAddress,
  describeArgs,
  mappingOffset,
  notABlock,
  reachableBuffer,
  reachableBufferOrNull,
  TYPED_ARRAYS,
  type TypedArrayConstructor,
} from './heap-errors.js';
import type { HeapTables } from './heap-tables.js';
import { NONE } from './segment-table.js';
import { blockHolding } from './sub-chain.js';

/** The physical address of `address`, any byte of a live block (see `Heap.translate`). */
export function translateAddress(t: HeapTables, call: string, address: number): bigint {
  checkAddress(call, address);
  const seg = blockHolding(t, address);
  if (seg === NONE) throw notABlock(t, call, String(address), address);
  const node = t.segments.node(seg);
  const mapping = t.nodes.mappingOf(node);
  if (!mapping.live) reachableBuffer(t, call, String(address), node); // throws EFAULT
  return mapping.address + BigInt(address - t.nodes.start[node]!);
}

/** A view over `length` bytes from `address`, inside one block (internal, unchecked). */
export function bytesOf(t: HeapTables, address: number, length: number): Uint8Array {
  const node = t.nodes.find(address);
  const mapping = t.nodes.mappingOf(node);
  return new Uint8Array(mapping.buffer, (mapping.byteOffset ?? 0) + address - t.nodes.start[node]!, length);
}

/** A checked Uint8Array over a live block or part of it (see `Heap.view`). */
export function viewBytes(t: HeapTables, call: string, address: number, byteLength?: number): Uint8Array {
  checkAddress(call, address);
  const seg = blockHolding(t, address);
  if (seg === NONE) throw notABlock(t, call, describeArgs(address, byteLength), address);
  const segments = t.segments;
  const available = segments.start(seg) + segments.size(seg) - address;
  const length = byteLength === undefined ? available : byteLength;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > available)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeArgs(address, byteLength)}): byteLength must be an integer from 0 to ${available}, the bytes left in the block`,
    );
  const node = segments.node(seg);
  // Messages are described on the failure paths only: a successful view builds no text.
  const buffer =
    reachableBufferOrNull(t, node) ?? reachableBuffer(t, call, describeArgs(address, byteLength), node);
  return new Uint8Array(
    buffer,
    mappingOffset(t.nodes.mappingOf(node)) + address - t.nodes.start[node]!,
    length,
  );
}

/** A checked typed array over a live block (see `Heap.viewAs`). */
export function viewTyped<T extends TypedArrayConstructor>(
  t: HeapTables,
  call: string,
  type: T,
  address: number,
  length?: number,
): InstanceType<T> {
  const args = (): string => describeArgs(type, address, length); // for failures only
  if (!TYPED_ARRAYS.includes(type))
    throw new MemsError('EINVAL', `${call}(${args()}): type must be a typed-array constructor`);
  checkAddress(call, address);
  const seg = blockHolding(t, address);
  if (seg === NONE) throw notABlock(t, call, args(), address);
  const segments = t.segments;
  const node = segments.node(seg);
  // Where the block's bytes are in the node's buffer (a shared buffer holds many nodes).
  const offset = mappingOffset(t.nodes.mappingOf(node)) + address - t.nodes.start[node]!;
  const elementSize = type.BYTES_PER_ELEMENT;
  if (offset % elementSize !== 0)
    throw new MemsError(
      'EINVAL',
      `${call}(${args()}): the address is not aligned to ${elementSize} bytes in physical memory`,
    );
  const fit = Math.floor((segments.start(seg) + segments.size(seg) - address) / elementSize);
  const count = length === undefined ? fit : length;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > fit)
    throw new MemsError(
      'EINVAL',
      `${call}(${args()}): length must be an integer from 0 to ${fit}, the elements left in the block`,
    );
  const buffer = reachableBufferOrNull(t, node) ?? reachableBuffer(t, call, args(), node);
  // (The union of constructors types its buffer parameter as ArrayBuffer; a SharedArrayBuffer works.)
  return new type(buffer as ArrayBuffer, offset, count) as InstanceType<T>;
}
