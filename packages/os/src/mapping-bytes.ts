import { describeValue, MemsError } from './errors.js';
import type { Mapping } from './page-provider.js';

/**
 * A fixed-length `Uint8Array` over exactly a mapping's pages, whatever kind of buffer its
 * provider uses: `new Uint8Array(mapping.buffer, mapping.byteOffset ?? 0, mapping.byteLength)`.
 * (A view made with `new Uint8Array(mapping.buffer)` would cover the whole shared buffer of a
 * shared-memory mapping, and would track its growth, which is much slower to use.)
 * @param mapping a live mapping.
 * @returns a zero-copy view of `mapping.byteLength` bytes.
 * @throws MemsError `EFAULT` when the mapping is no longer live (from `mapping.buffer`), or
 *   `EINVAL` when `mapping` is not an object or its buffer does not hold its pages.
 */
export function bytesOfMapping(mapping: Mapping): Uint8Array {
  if (typeof mapping !== 'object' || mapping === null) {
    throw new MemsError(
      'EINVAL',
      `bytesOfMapping(${describeValue(mapping)}): the argument must be a Mapping`,
    );
  }
  const buffer = mapping.buffer;
  const byteOffset = mapping.byteOffset ?? 0;
  const { byteLength } = mapping;
  try {
    return new Uint8Array(buffer, byteOffset, byteLength);
  } catch (error) {
    throw new MemsError(
      'EINVAL',
      `bytesOfMapping(0x${String(mapping.address?.toString(16))}): its buffer does not hold ${describeValue(byteLength)} bytes at ${describeValue(byteOffset)}`,
      { cause: error },
    );
  }
}
