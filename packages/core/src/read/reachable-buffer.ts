// Whether a node's memory can still be reached (its mapping live, its buffer covering the
// node): the check every call that touches a block's bytes makes before it changes anything.

import { describeValue, errorMessage, MemsError } from '@mems/os';
import { describeArgs } from '../errors/call-errors.js';
import { isPageBuffer, mappingOffset } from '../memory/page-buffers.js';
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
  if (reachableBufferOrNull(t, node) === null) reachableBuffer(t, call, describeArgs(first, second), node);
}
