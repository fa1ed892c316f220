import { describeValue, MemsError } from '@mems/os';

/**
 * Whether bytes are gzip-compressed: they start with gzip's magic number, `0x1f 0x8b`. Traces
 * are recognised by their content, whatever their file name.
 * @param bytes a file's bytes.
 * @returns `true` when the first two bytes are `0x1f 0x8b`.
 * @throws MemsError `EINVAL` when `bytes` is not a `Uint8Array` (a Node `Buffer` is one).
 */
export function isGzip(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array))
    throw new MemsError('EINVAL', `isGzip(${describeValue(bytes)}): the bytes must be a Uint8Array`);
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
