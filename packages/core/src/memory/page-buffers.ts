// What a mapping's buffer may be, and where its pages start in it.

import { isSharedArrayBuffer, type Mapping, type PageProvider } from '@mems/os';

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
 * The provider's `retain` (see `PageProvider.retain`), bound: called with a node's mapping
 * whenever a view of the node is handed out, so that the provider can keep a view that outlives
 * the node harmless.
 */
export type RetainMapping = (mapping: Mapping) => void;

/**
 * The provider's `retain`, bound, or null when it has none. A member that cannot be read, or
 * a `retain` that throws, counts as none: a view never fails because of it.
 * @param provider the heap's provider.
 * @returns the function views call, or null.
 */
export function retainOf(provider: PageProvider): RetainMapping | null {
  let retain: unknown;
  try {
    retain = provider.retain;
  } catch {
    return null;
  }
  if (typeof retain !== 'function') return null;
  const bound = retain as (this: PageProvider, mapping: Mapping) => void;
  return (mapping) => {
    try {
      bound.call(provider, mapping);
    } catch {
      // Retaining only makes a stale view safer; the view itself is sound.
    }
  };
}

/**
 * A live node's memory as this thread last found it reachable (kept in `HeapTables.nodeViews`,
 * filled by read/reachable-buffer.ts `reachableNode`): its mapping, the buffer and offset of its
 * pages, and a Uint8Array over exactly its bytes.
 */
export interface NodeMemory {
  /** The node's serial when the entry was built (`NodeTable.serialOf`). */
  readonly serial: number;
  /** The node's mapping. */
  readonly mapping: Mapping;
  /** The mapping's buffer then. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Where the node's pages start in {@link buffer}. */
  readonly offset: number;
  /** The node's bytes (no provider `retain`: only the heap holds it). */
  readonly bytes: Uint8Array;
  /**
   * The same bytes as 32-bit words, for copies between nodes that need no view per call (null
   * when the node's pages do not start at a multiple of 4 in {@link buffer}).
   */
  readonly words: Int32Array | null;
}
