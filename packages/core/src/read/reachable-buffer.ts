// Whether a node's memory can still be reached (its mapping live, its buffer covering the
// node): the check every call that touches a block's bytes makes before it changes anything.

import { describeValue, errorMessage, type Mapping, MemsError } from '@mems/os';
import { describeArgs } from '../errors/call-errors.js';
import { isPageBuffer, mappingOffset, type NodeMemory } from '../memory/page-buffers.js';
import type { HeapTables } from '../tables/heap-tables.js';

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
 * Whether what a thread kept about node `node` still holds: it was built in this node's lifetime
 * (`serial`: another thread may have unmapped the node and given its id to a new one), its
 * `mapping` is live (nobody unmapped it behind the heap's back), and `view`, a fixed-length
 * Uint8Array over the buffer, is still `length` long (a detached or shrunk buffer's are 0).
 * A few plain loads: `buffer.byteLength` would call out of optimised code (21 ns on Node 20).
 */
export function keptEntryHolds(
  t: HeapTables,
  node: number,
  serial: number,
  mapping: Mapping,
  view: Uint8Array,
  length: number,
): boolean {
  return serial === t.nodes.serialOf(node) && mapping.live && view.length === length;
}

/**
 * {@link reachableBufferOrNull} with what it found kept per node (a {@link NodeMemory}): the entry stays good while
 * the node's id names the same node (serial), its mapping is live (nobody unmapped it behind
 * the heap's back) and its bytes are still all there (a detached or shrunk buffer's fixed-length
 * views have length 0). Checking that costs a few plain loads, where reading `mapping.buffer`
 * and `buffer.byteLength` again would call out of optimised code twice (about 35 ns on Node 20).
 * @param node a live node id.
 * @returns the node's memory, or null when it cannot plainly be reached (call
 *   {@link reachableBuffer} for the error).
 */
export function reachableNode(t: HeapTables, node: number): NodeMemory | null {
  const views = t.nodeViews;
  const cached = views[node];
  const bytes = t.nodes.bytes[node]!;
  if (cached !== undefined && keptEntryHolds(t, node, cached.serial, cached.mapping, cached.bytes, bytes))
    return cached;
  const serial = t.nodes.serialOf(node);
  const buffer = reachableBufferOrNull(t, node);
  if (buffer === null) return null;
  const mapping = t.nodes.mappingOf(node);
  const offset = mappingOffset(mapping);
  // (The typed-array constructors type their buffer parameter as ArrayBuffer; a SharedArrayBuffer works.)
  const entry = {
    serial,
    mapping,
    buffer,
    offset,
    bytes: new Uint8Array(buffer as ArrayBuffer, offset, bytes),
    // (A node is whole pages, so its length is a multiple of 4.)
    words: offset % 4 === 0 ? new Int32Array(buffer as ArrayBuffer, offset, bytes >> 2) : null,
  };
  // Kept dense (a sparse array turns into a dictionary).
  while (views.length <= node) views.push(undefined);
  views[node] = entry;
  return entry;
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
    problem = `its buffer cannot be read: ${errorMessage(error)}`;
  }
  const start = t.nodes.start[node]!;
  throw new MemsError(
    'EFAULT',
    `${call}(${args}): node [${start}:${start + bytes - 1}]: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Checks that `node`'s memory can be reached before a call writes it, as {@link reachableBuffer}
 * does, but describes the call's arguments only when it cannot: calloc and a moving realloc
 * check on every call, and building the message each time cost a realloc-heavy trace several
 * per cent of its time.
 * @param node a node id.
 * @param call the public call, and `first`, `second` its arguments, for the message.
 * @throws MemsError `EFAULT` naming the node when its memory cannot be reached.
 */
export function checkReachable(
  t: HeapTables,
  node: number,
  call: string,
  first: unknown,
  second?: unknown,
): void {
  if (reachableNode(t, node) === null) reachableBuffer(t, call, describeArgs(first, second), node);
}
