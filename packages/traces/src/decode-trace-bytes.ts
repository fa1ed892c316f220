import { gunzipSync } from 'node:zlib';
import { describeValue, errorMessage, MemsError } from '@mems/os';
import { isGzip } from './gzip';

/**
 * Decodes a trace file's bytes to text, synchronously, on Node (`node:zlib`): gunzips them when
 * they start with gzip's magic number (see `isGzip`), then decodes UTF-8 (a byte-order mark is
 * dropped, invalid sequences become U+FFFD). In a browser use `decodeTraceBytesAsync` from
 * `@mems/traces`.
 * @param bytes the file's bytes (a `Buffer` is a `Uint8Array`).
 * @returns the text.
 * @throws MemsError `EINVAL` when `bytes` is not a `Uint8Array`; MemsError `EINVAL` naming the call when the bytes
 *   look gzip-compressed but do not decompress (truncated or corrupt).
 */
export function decodeTraceBytes(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array))
    throw new MemsError(
      'EINVAL',
      `decodeTraceBytes(${describeValue(bytes)}): the bytes must be a Uint8Array`,
    );
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  let plain: Uint8Array;
  try {
    plain = gunzipSync(bytes);
  } catch (error) {
    throw new MemsError(
      'EINVAL',
      `decodeTraceBytes(${describeValue(bytes)}): the bytes start with gzip's magic number (1f 8b) but do not decompress: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  return new TextDecoder().decode(plain);
}
