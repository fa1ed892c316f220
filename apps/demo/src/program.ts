import { createRequire } from 'node:module';
import { POLICY_NAMES } from '@mems/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { registerCompare } from './commands/compare.js';
import { runExample, runMap } from './commands/example.js';
import { runRepl } from './commands/repl.js';
import { runReplay } from './commands/replay.js';
import { type GlobalOptions, heapSetupFrom, providerNotice } from './heap-setup.js';
import { parseInteger } from './parse-integer.js';
import { REPL_HELP } from './repl-session.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function positiveInteger(text: string): number {
  const value = parseInteger(text);
  if (value <= 0) throw new InvalidArgumentError(`${text} is not a positive integer`);
  if (!Number.isSafeInteger(value))
    throw new InvalidArgumentError(`${text} is too large (the largest is ${Number.MAX_SAFE_INTEGER})`);
  return value;
}

/**
 * Builds the `mems-demo` command line: global heap options and the commands `example`, `map`,
 * `repl` and `replay`. Each action stores its exit code in `process.exitCode`.
 * @returns the commander program (call `parseAsync`).
 */
export function createProgram(): Command {
  const program = new Command('mems-demo')
    .description("MeMS demo: the seed's example program, a memory map, a REPL and trace replay.")
    .version(version)
    .addOption(
      new Option(
        '--provider <name>',
        'page provider (default: mmap where koffi loads, else mock with a warning)',
      ).choices(['mmap', 'mock']),
    )
    .addOption(
      new Option('--policy <name>', 'placement policy (default: first-fit)').choices([...POLICY_NAMES]),
    )
    .addOption(new Option('--page-size <bytes>', 'MeMS page size (default: 4096)').argParser(parseInteger))
    .addOption(
      new Option('--start <address>', 'first virtual address (default: 1000)').argParser(parseInteger),
    )
    .addOption(new Option('--alignment <bytes>', 'block alignment (default: 1)').argParser(parseInteger))
    .showHelpAfterError('(run mems-demo --help for usage)');

  const setup = (command: Command) => {
    const heapSetup = heapSetupFrom(command.optsWithGlobals<GlobalOptions>());
    const notice = providerNotice(heapSetup.provider);
    if (notice !== undefined) process.stderr.write(`mems-demo: ${notice}\n`);
    return heapSetup;
  };

  program
    .command('example')
    .description("run the seed's example program (prints the seed's expected output byte for byte)")
    .option('--svg <file>', 'also write an SVG picture of the heap before mems_finish')
    .action((options: { svg?: string }, command: Command) => {
      runExample(setup(command), options.svg);
    });

  program
    .command('map')
    .description("print a terminal map of the example's memory before mems_finish")
    .addOption(new Option('--width <cells>', 'cells per bar (default: 64)').argParser(positiveInteger))
    .action((options: { width?: number }, command: Command) => {
      runMap(setup(command), options.width);
    });

  program
    .command('repl')
    .description('an interactive shell over one heap (reads commands from stdin; type help)')
    .addHelpText('after', `\n${REPL_HELP}`)
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await runRepl(setup(command));
    });

  program
    .command('replay')
    .description(
      'replay an allocation trace (a <id> <size>, f <id>, r <id> <size>; plain or .gz) and summarise it',
    )
    .argument('<trace-file>', 'the trace file (gzip accepted), or - to read the trace from stdin')
    .option('--json', 'print the summary as JSON instead of text')
    .option('--stats', "after the summary, print the seed's stats text of the heap at the end")
    .option('--svg <file>', 'write an SVG picture of the heap at the end')
    .addOption(
      new Option('--every <n>', 'print the stats text every n operations, during the replay').argParser(
        positiveInteger,
      ),
    )
    .action(
      async (
        file: string,
        options: { json?: boolean; stats?: boolean; svg?: string; every?: number },
        command: Command,
      ) => {
        await runReplay(file, setup(command), options);
      },
    );

  registerCompare(program);
  return program;
}
