import { isMemsError } from '@mems/api';
import { CliError } from './cli-error.js';
import { colorsFor } from './colors.js';
import { createProgram } from './program.js';

/*
 * The `mems-demo` entry point: runs the command line and turns MeMS and CLI errors into one
 * line on stderr and exit code 1.
 */
// A reader that goes away early (`mems-demo example | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  const c = colorsFor(process.stderr);
  if (error instanceof CliError) {
    process.stderr.write(`${c.red('mems-demo:')} ${error.message}\n`);
  } else if (isMemsError(error)) {
    process.stderr.write(`${c.red('mems-demo:')} ${error.code}: ${error.message}\n`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
