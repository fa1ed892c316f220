// What a mapping's buffer may be, and where its pages start in it.

import { isSharedArrayBuffer, type Mapping } from '@mems/os';

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
