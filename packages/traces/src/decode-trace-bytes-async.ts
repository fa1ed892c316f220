import { describeValue, errorMessage, MemsError } from '@mems/os';
import { isGzip } from './gzip';

/**
 * Decodes a trace file's bytes to text in any JavaScript runtime with `DecompressionStream`
 * (browsers, Node 18+, Deno, Bun): gunzips them when they start with gzip's magic number (see
 * {@link isGzip}), then decodes UTF-8 (a byte-order mark is dropped, invalid sequences become
 * U+FFFD).
 * @param bytes the file's bytes.
 * @returns the text.
 * @throws MemsError `EINVAL` when `bytes` is not a `Uint8Array`; MemsError `EINVAL` naming the call when the bytes
 *   look gzip-compressed but do not decompress (truncated or corrupt).
 */
export async function decodeTraceBytesAsync(bytes: Uint8Array): Promise<string> {
  if (!(bytes instanceof Uint8Array))
    throw new MemsError(
      'EINVAL',
      `decodeTraceBytesAsync(${describeValue(bytes)}): the bytes must be a Uint8Array`,
    );
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  try {
    const compressed = new Blob([new Uint8Array(bytes)]).stream();
    const plain = await new Response(compressed.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    return new TextDecoder().decode(plain);
  } catch (error) {
    throw new MemsError(
      'EINVAL',
      `decodeTraceBytesAsync(${describeValue(bytes)}): the bytes start with gzip's magic number (1f 8b) but do not decompress: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}
