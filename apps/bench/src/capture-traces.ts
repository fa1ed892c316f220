// `node apps/bench/dist/capture-traces.js [--only a,b] [--out DIR] [--max-ops N]`
// `node apps/bench/dist/capture-traces.js --name NAME [--description TEXT] [--out DIR] [--max-ops N] -- <command...>`
// Captures allocation traces with the LD_PRELOAD tracer: the committed ones (apps/bench/traces/),
// or any program of yours. Linux with glibc and a C compiler only.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errorMessage } from '@mems/os';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { REPO_ROOT } from './bench-paths.js';
import { captureTrace, compileTracer } from './traces/capture.js';
import { MAX_TRACE_OPERATIONS, TRACE_RECIPES, TRACES_DIR } from './traces/recipes.js';

function positive(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${text} is not a positive integer`);
  return n;
}

const program = new Command('capture-traces')
  .description(
    'Captures allocation traces (malloc, calloc, realloc, free) with an LD_PRELOAD tracer and writes them in the a/f/r replay format, gzip-compressed. Without --name: the committed traces; with --name: the command after --.',
  )
  .option(
    '--only <names>',
    `capture only these committed traces: ${TRACE_RECIPES.map((r) => r.name).join(', ')}`,
  )
  .option('--name <name>', 'capture your own program under this name (give the command after --)')
  .option('--description <text>', 'one line on what your program does (goes into the header)')
  .option('--out <dir>', 'where the .trace.gz files go', TRACES_DIR)
  .option(
    '--max-ops <n>',
    'keep at most this many operations (the first ones)',
    positive,
    MAX_TRACE_OPERATIONS,
  )
  .argument('[command...]', 'with --name: the program and its arguments')
  .exitOverride();

try {
  program.parse();
} catch (error) {
  process.exit(error instanceof CommanderError ? error.exitCode : 1);
}
const options = program.opts<{
  only?: string;
  name?: string;
  description?: string;
  out: string;
  maxOps: number;
}>();
const argv = program.args;

const fail = (message: string): never => {
  process.stderr.write(`capture-traces: ${message}\n`);
  process.exit(1);
};

if (options.name !== undefined && !/^[\w.-]+$/.test(options.name))
  fail(`--name ${options.name}: use letters, digits, . _ -`);
if (options.name === undefined && argv.length > 0)
  fail('a command needs --name (the committed traces take none)');
if (options.name !== undefined && argv.length === 0) fail('--name needs the command to trace after --');
const unknown = (options.only ?? '')
  .split(',')
  .filter((n) => n !== '' && !TRACE_RECIPES.some((r) => r.name === n));
if (unknown.length > 0)
  fail(`unknown trace ${unknown.join(', ')}; known: ${TRACE_RECIPES.map((r) => r.name).join(', ')}`);

const outDir = resolve(options.out);
mkdirSync(outDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'mems-capture-'));
try {
  const tracer = compileTracer(scratch);
  const requests =
    options.name !== undefined
      ? [
          {
            name: options.name,
            description: options.description ?? argv.join(' '),
            argv,
            maxOperations: options.maxOps,
            outDir,
          },
        ]
      : TRACE_RECIPES.filter((r) => !options.only || options.only.split(',').includes(r.name)).map((r) => ({
          name: r.name,
          description: r.description,
          argv: r.command(scratch),
          shownCommand: r
            .command(scratch)
            .map((a) => a.replace(REPO_ROOT, '').replace(scratch, '$TMP').replace(process.execPath, 'node'))
            .join(' '),
          env: r.env,
          cwd: r.cwd,
          maxOperations: options.maxOps,
          outDir,
        }));
  for (const request of requests) {
    const result = captureTrace(request, tracer);
    const s = result.stats;
    process.stdout.write(
      `${result.file}: ${s.operations} operations (${s.allocations} a, ${s.frees} f, ${s.reallocs} r) of ${result.calls} calls${s.truncated ? ', truncated' : ''}; peak live ${s.peakLiveBytes} B; ${(result.bytes / 1024).toFixed(0)} KiB gzip; ${result.processes} process(es) logged\n`,
    );
  }
} catch (error) {
  fail(errorMessage(error));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
