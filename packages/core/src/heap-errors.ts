// Error messages of the heap's calls: how arguments are written, and why an address is not a
// block or a node cannot be reached. Built only on the failure path, never on the hot path.

import { describeValue, isSharedArrayBuffer, type Mapping, MemsError } from '@mems/os';
import { freeRunAround, isFreeSegment } from './front-cache.js';
import type { HeapTables } from './heap-tables.js';
import { NONE } from './segment-table.js';
import { segmentAt } from './sub-chain.js';

/** A typed-array constructor that `Heap.viewAs` accepts. */
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

/** Every typed-array constructor (what `viewAs` accepts). */
export const TYPED_ARRAYS: readonly unknown[] = [
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
export function describeArgs(...values: unknown[]): string {
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
 * The ESTATE of a call made after destroy or from inside a provider call.
 * @param call the call's name.
 * @param args its arguments, described.
 * @param inProvider the provider call the heap is inside, or null (then: destroyed).
 */
export function stateError(call: string, args: string, inProvider: string | null): MemsError {
  if (inProvider !== null)
    return new MemsError(
      'ESTATE',
      `${call}(${args}): the heap is inside its page provider's ${inProvider}(); a provider must not call back into the heap it serves`,
    );
  return new MemsError('ESTATE', `${call}(${args}): the heap has been destroyed`);
}

/**
 * The EINVAL for a size that is not a positive safe integer up to `maxBlockSize` (call it only
 * for such a size).
 */
export function sizeError(call: string, args: string, size: unknown, maxBlockSize: number): MemsError {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)
    return new MemsError('EINVAL', `${call}(${args}): size must be a positive safe integer`);
  return new MemsError(
    'EINVAL',
    `${call}(${args}): size is too large; the largest block is ${maxBlockSize} bytes`,
  );
}

/**
 * Checks that `address` is a non-negative safe integer.
 * @returns the address.
 * @throws MemsError `EINVAL` otherwise.
 */
export function checkAddress(call: string, address: unknown): number {
  if (typeof address !== 'number' || !Number.isSafeInteger(address) || address < 0)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(address)}): an address must be a non-negative safe integer`,
    );
  return address;
}

/** Why `address` is not the start of a live block, for EFAULT messages. */
function explainNotABlock(t: HeapTables, address: number): string {
  const node = t.nodes.find(address);
  if (node === NONE) return 'not inside any mapped node (never allocated, or its node was unmapped)';
  const seg = segmentAt(t, node, address);
  const segments = t.segments;
  if (isFreeSegment(t, seg)) {
    // A hole, or a block in the front cache: named by the hole a flush would make of them.
    const { first, last } = freeRunAround(t, seg);
    const start = segments.start(first);
    return `inside a free hole [${start}:${segments.start(last) + segments.size(last) - 1}] (already freed?)`;
  }
  return `an interior address of the block at ${segments.start(seg)}, not its start`;
}

/** The EFAULT for an address that is not (the start of) a live block. */
export function notABlock(t: HeapTables, call: string, args: string, address: number): MemsError {
  return new MemsError('EFAULT', `${call}(${args}): ${address} is ${explainNotABlock(t, address)}`);
}

/**
 * Whether a value is an `ArrayBuffer` or a `SharedArrayBuffer` (a mapping's buffer may be
 * either: the shared-memory provider's mappings are parts of one SharedArrayBuffer).
 */
export function isPageBuffer(value: unknown): value is ArrayBuffer | SharedArrayBuffer {
  return value instanceof ArrayBuffer || isSharedArrayBuffer(value);
}

/**
 * Where a mapping's pages start in its buffer: `mapping.byteOffset`, absent meaning 0.
 * @returns the offset, or -1 when it is not a non-negative safe integer.
 */
export function mappingOffset(mapping: Mapping): number {
  const offset = mapping.byteOffset ?? 0;
  return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : -1;
}

/**
 * The buffer of `node` when it is plainly reachable (a live mapping whose buffer still covers
 * the node at its `byteOffset`), else null; the fast check that successful views make, building
 * no message. Call {@link reachableBuffer} on null for the error.
 * @param node a node id.
 * @returns the node's buffer, or null.
 */
export function reachableBufferOrNull(t: HeapTables, node: number): ArrayBuffer | SharedArrayBuffer | null {
  try {
    const mapping = t.nodes.mappingOf(node);
    if (!mapping.live) return null;
    const buffer = mapping.buffer;
    const offset = mappingOffset(mapping);
    return isPageBuffer(buffer) && offset >= 0 && buffer.byteLength >= offset + t.nodes.bytes[node]!
      ? buffer
      : null;
  } catch {
    return null;
  }
}

/**
 * The buffer of `node`, checked to be reachable for the node's whole length: the mapping is
 * live, its buffer can be read and still holds the node's bytes at the mapping's `byteOffset` (a
 * transferred ArrayBuffer is detached and holds none). Views add
 * {@link mappingOffset} to the node's offsets.
 * @param call the public call, for the message.
 * @param args its arguments, described.
 * @returns the node's buffer.
 * @throws MemsError `EFAULT` naming the node when its memory cannot be reached.
 */
export function reachableBuffer(
  t: HeapTables,
  call: string,
  args: string,
  node: number,
): ArrayBuffer | SharedArrayBuffer {
  const bytes = t.nodes.bytes[node]!;
  let problem: string;
  let cause: unknown;
  try {
    const mapping = t.nodes.isLive(node) ? t.nodes.mappingOrNull(node) : null;
    if (mapping === null || !mapping.live) {
      problem = 'its pages were unmapped by someone else (the mapping is no longer live)';
    } else {
      const buffer = mapping.buffer;
      const offset = mappingOffset(mapping);
      if (isPageBuffer(buffer) && offset >= 0 && buffer.byteLength >= offset + bytes) return buffer;
      problem =
        buffer instanceof ArrayBuffer && buffer.byteLength === 0
          ? 'its ArrayBuffer is detached (transferred with structuredClone or postMessage?)'
          : `its buffer (${isPageBuffer(buffer) ? `${buffer.byteLength} bytes` : describeValue(buffer)}) no longer covers its ${bytes} bytes at byte ${describeValue(mapping.byteOffset ?? 0)}`;
    }
  } catch (error) {
    cause = error;
    problem = `its buffer cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  const start = t.nodes.start[node]!;
  throw new MemsError(
    'EFAULT',
    `${call}(${args}): node [${start}:${start + bytes - 1}]: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Checks calloc's arguments.
 * @returns count × size.
 * @throws MemsError `EINVAL` for a count or size that is not a positive safe integer, or a
 *   product above `maxBlockSize`.
 */
export function checkCallocArgs(call: string, count: unknown, size: unknown, maxBlockSize: number): number {
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
  const total = (count as number) * (size as number);
  if (!Number.isSafeInteger(total) || total > maxBlockSize)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeArgs(count, size)}): ${count} × ${size} bytes is too large; the largest block is ${maxBlockSize} bytes`,
    );
  return total;
}
