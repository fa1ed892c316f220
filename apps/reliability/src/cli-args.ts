import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** `--help` was asked for: the message is the help text, to print on stdout with exit code 0. */
export class HelpRequested extends Error {
  /** @param help the help text. */
  constructor(help: string) {
    super(help);
    this.name = 'HelpRequested';
  }
}

function integer(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value))
    throw new InvalidArgumentError(`${JSON.stringify(text)} is not an integer`);
  return value;
}

/**
 * Parses the reliability CLIs' `--name value` options (integers only) with commander.
 * @param argv the arguments after the script (a leading `--`, as pnpm may pass, is skipped).
 * @param allowed option names and their help text.
 * @param about the command's name and one-line description, for `--help`.
 * @returns the options given, as numbers, keyed by their names as written (`max-live`).
 * @throws HelpRequested for `--help`; Error naming the bad argument for an unknown option, a
 *   missing value or a value that is not an integer.
 */
export function parseNumberOptions(
  argv: readonly string[],
  allowed: Record<string, string>,
  about: { name: string; description: string } = { name: 'mems', description: '' },
): Record<string, number> {
  let output = '';
  const program = new Command(about.name)
    .description(about.description)
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (text) => (output += text), writeErr: (text) => (output += text) });
  for (const [name, help] of Object.entries(allowed)) program.option(`--${name} <n>`, help, integer);
  try {
    program.parse([...(argv[0] === '--' ? argv.slice(1) : argv)], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed') throw new HelpRequested(output.trim());
      throw new Error(output.trim().replace(/^error: /, '') || error.message);
    }
    throw error;
  }
  // commander keys options in camelCase (maxLive); hand them back under the names as written.
  const parsed = program.opts<Record<string, number>>();
  const result: Record<string, number> = {};
  for (const name of Object.keys(allowed)) {
    const value = parsed[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/**
 * Reads a reliability CLI's command line: prints the help (exit code 0) or the usage error,
 * prefixed with the command's name (exit code 2), when there is one.
 * @param argv the arguments after the script.
 * @param allowed option names and their help text.
 * @param about the command's name and one-line description.
 * @param check further rules on the parsed options; throws an Error naming the one broken.
 * @returns the options, or the exit code to end with.
 */
export function readCommandLine(
  argv: readonly string[],
  allowed: Record<string, string>,
  about: { name: string; description: string },
  check: (options: Record<string, number>) => void,
): Record<string, number> | number {
  try {
    const options = parseNumberOptions(argv, allowed, about);
    check(options);
    return options;
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return 0;
    }
    process.stderr.write(`${about.name}: ${(error as Error).message}\n`);
    return 2;
  }
}

/** Formats an integer with thousands separators: 1,000,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
