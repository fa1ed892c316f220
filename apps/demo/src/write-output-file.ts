import { writeFileSync } from 'node:fs';
import { errorMessage } from '@mems/os';

/**
 * Writes a file the user asked for (for example `--svg FILE`), turning a failure into a reason
 * instead of an exception, so a command can finish its other output first and then report it.
 * @param file the path, as given on the command line.
 * @param text the file's content.
 * @returns `undefined` when written, else why not: `cannot write FILE: EACCES: permission denied, ...`.
 */
export function writeOutputFile(file: string, text: string): string | undefined {
  try {
    writeFileSync(file, text);
    return undefined;
  } catch (error) {
    return `cannot write ${file}: ${errorMessage(error)}`;
  }
}
