import { readFileSync } from 'node:fs';
import { buffer as readStream } from 'node:stream/consumers';
import { errorMessage } from '@mems/os';
import { decodeTraceBytes } from '@mems/traces/node';
import { CliError } from './cli-error.js';

/** The trace file argument that means "read the trace from stdin". */
export const STDIN_TRACE = '-';

const message = errorMessage;

/**
 * Decodes a trace's bytes, plain or gzip-compressed (recognised by its first two bytes, whatever
 * its name).
 * @param command the command, for the error (`replay`, `compare`).
 * @param what the trace as messages name it (its file, or `<stdin>`).
 * @param bytes the bytes read.
 * @returns the text.
 * @throws CliError when the bytes look gzip-compressed but do not decompress.
 */
function decode(command: string, what: string, bytes: Uint8Array): string {
  try {
    return decodeTraceBytes(bytes);
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    throw new CliError(
      `${command}: ${what} looks gzip-compressed but does not decompress: ${message(cause)}`,
    );
  }
}

/**
 * Reads a trace file, plain or gzip-compressed (recognised by its first two bytes, whatever
 * its name).
 * @param command the command, for errors (`replay`, `compare`).
 * @param file the path.
 * @returns the text.
 * @throws CliError when the file cannot be read or does not decompress.
 */
export function readTraceText(command: string, file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CliError(`${command}: cannot read ${file}: ${message(error)}`);
  }
  return decode(command, file, bytes);
}

/**
 * Reads a trace, plain or gzip-compressed, from a file or, for {@link STDIN_TRACE}, from all of
 * stdin.
 * @param command the command, for errors.
 * @param file the trace-file argument.
 * @returns the text.
 * @throws CliError when it cannot be read or does not decompress.
 */
export async function readTraceInput(command: string, file: string): Promise<string> {
  if (file !== STDIN_TRACE) return readTraceText(command, file);
  let bytes: Uint8Array;
  try {
    bytes = await readStream(process.stdin);
  } catch (error) {
    throw new CliError(`${command}: cannot read the trace from stdin: ${message(error)}`);
  }
  return decode(command, '<stdin>', bytes);
}
