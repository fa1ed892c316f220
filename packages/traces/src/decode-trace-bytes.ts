import { gunzipSync } from 'node:zlib';
import { describeValue } from './describe-value';
import { isGzip } from './gzip';

/**
 * Decodes a trace file's bytes to text, synchronously, on Node (`node:zlib`): gunzips them when
 * they start with gzip's magic number (see `isGzip`), then decodes UTF-8 (a byte-order mark is
 * dropped, invalid sequences become U+FFFD). In a browser use `decodeTraceBytesAsync` from
 * `@mems/traces`.
 * @param bytes the file's bytes (a `Buffer` is a `Uint8Array`).
 * @returns the text.
 * @throws TypeError when `bytes` is not a `Uint8Array`; Error naming the call when the bytes
 *   look gzip-compressed but do not decompress (truncated or corrupt).
 */
export function decodeTraceBytes(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`decodeTraceBytes(${describeValue(bytes)}): the bytes must be a Uint8Array`);
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  let plain: Uint8Array;
  try {
    plain = gunzipSync(bytes);
  } catch (error) {
    throw new Error(
      `decodeTraceBytes(${describeValue(bytes)}): the bytes start with gzip's magic number (1f 8b) but do not decompress: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return new TextDecoder().decode(plain);
}
