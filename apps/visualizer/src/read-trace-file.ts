import { errorMessage } from '@mems/os';
import { decodeTraceBytesAsync } from '@mems/traces';
import type { Command } from './command.js';
import { parseTraceFile, TraceFileError } from './trace-file.js';

/**
 * Turns the bytes of a picked or dropped trace file into the program: plain or gzip-compressed
 * (recognised by its first two bytes, and unpacked with the browser's `DecompressionStream`),
 * then parsed by its kind as {@link parseTraceFile} says (`x.rep.gz` is a CS:APP trace too).
 * @param file the file's name.
 * @param bytes its bytes.
 * @returns one command per operation.
 * @throws TraceFileError for bytes that look gzip-compressed but do not decompress, and as
 *   {@link parseTraceFile} does.
 */
export async function readTraceFile(file: string, bytes: Uint8Array): Promise<Command[]> {
  let text: string;
  try {
    text = await decodeTraceBytesAsync(bytes);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new TraceFileError(
      file,
      0,
      `looks gzip-compressed but does not decompress: ${errorMessage(cause)}`,
    );
  }
  return parseTraceFile(file, text);
}
