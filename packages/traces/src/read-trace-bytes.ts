import { describeValue, MemsError } from '@mems/os';
import { decodeTraceBytesAsync } from './decode-trace-bytes-async';
import { parseTrace } from './parse-trace';
import type { Trace } from './trace';

/**
 * Reads a trace file's bytes, plain or gzip-compressed, in any runtime with
 * `DecompressionStream`: {@link decodeTraceBytesAsync}, then {@link parseTrace}.
 * @param bytes the file's bytes.
 * @returns the parsed trace.
 * @throws as {@link decodeTraceBytesAsync} and {@link parseTrace} do.
 */
export async function readTraceBytes(bytes: Uint8Array): Promise<Trace> {
  if (!(bytes instanceof Uint8Array))
    throw new MemsError('EINVAL', `readTraceBytes(${describeValue(bytes)}): the bytes must be a Uint8Array`);
  return parseTrace(await decodeTraceBytesAsync(bytes));
}
