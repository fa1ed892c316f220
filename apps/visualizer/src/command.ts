import { parseInteger } from './parse-integer.js';

/**
 * One step of a program: the demo REPL's heap commands (addresses and sizes as numbers) and the
 * replay-trace operations (`a <id> <size>`, `f <id>`, `r <id> <size>`), whose blocks are named
 * and get their addresses when the step runs.
 */
export type Command =
  | { readonly op: 'malloc'; readonly size: number }
  | { readonly op: 'calloc'; readonly count: number; readonly size: number }
  | { readonly op: 'realloc'; readonly address: number; readonly size: number }
  | { readonly op: 'free'; readonly address: number }
  | { readonly op: 'get'; readonly address: number }
  | { readonly op: 'write'; readonly address: number; readonly text: string }
  | { readonly op: 'trim' }
  | { readonly op: 'a'; readonly id: string; readonly size: number }
  | { readonly op: 'f'; readonly id: string }
  | { readonly op: 'r'; readonly id: string; readonly size: number };

/** A command line that is not a command: its message says what was expected. */
export class CommandSyntaxError extends Error {
  /** @param message what is wrong, with the usage of the command. */
  constructor(message: string) {
    super(message);
    this.name = 'CommandSyntaxError';
  }
}

/** The usage line of every command, for help and errors. */
export const COMMAND_USAGE: Readonly<Record<Command['op'], string>> = {
  malloc: 'malloc <size>',
  calloc: 'calloc <count> <size>',
  realloc: 'realloc <addr> <size>',
  free: 'free <addr>',
  get: 'get <addr>',
  write: 'write <addr> <text>',
  trim: 'trim',
  a: 'a <id> <size>',
  f: 'f <id>',
  r: 'r <id> <size>',
};

const ARITY: Readonly<Record<Exclude<Command['op'], 'write'>, number>> = {
  malloc: 1,
  calloc: 2,
  realloc: 2,
  free: 1,
  get: 1,
  trim: 0,
  a: 2,
  f: 1,
  r: 2,
};

/**
 * Parses one command line. Numbers may be decimal or 0x hex; their ranges are checked by MeMS
 * when the command runs (so `malloc 0` parses and then fails with MeMS's own EINVAL). In
 * `write <addr> <text>` the text is everything after the one space that follows the address; a
 * text that starts with `"` is a JSON string literal, so escapes such as `\n` work.
 * @param line the line as typed (leading and trailing blanks are ignored).
 * @returns the command, or `null` for a blank line or a `#` comment.
 * @throws CommandSyntaxError for an unknown command, a wrong number of arguments or a token
 *   that is not an integer.
 */
export function parseCommand(line: string): Command | null {
  if (typeof line !== 'string') throw new CommandSyntaxError(`a command must be text, not ${typeof line}`);
  const text = line.replace(/\r$/, '');
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const [word = '', ...args] = trimmed.split(/\s+/);
  const op = word.toLowerCase();
  if (op === 'write') return parseWrite(text);
  if (!Object.hasOwn(ARITY, op))
    throw new CommandSyntaxError(
      `unknown command ${JSON.stringify(word)}; the commands are malloc, calloc, realloc, free, get, write, trim (and a, f, r of a trace)`,
    );
  const name = op as keyof typeof ARITY;
  if (args.length !== ARITY[name]) throw new CommandSyntaxError(`usage: ${COMMAND_USAGE[name]}`);
  const number = (token: string, what: string): number => {
    const value = parseInteger(token);
    if (value === null)
      throw new CommandSyntaxError(`${op}: ${what} ${JSON.stringify(token)} is not an integer`);
    return value;
  };
  switch (name) {
    case 'malloc':
      return { op: name, size: number(args[0]!, 'size') };
    case 'calloc':
      return { op: name, count: number(args[0]!, 'count'), size: number(args[1]!, 'size') };
    case 'realloc':
      return { op: name, address: number(args[0]!, 'address'), size: number(args[1]!, 'size') };
    case 'free':
    case 'get':
      return { op: name, address: number(args[0]!, 'address') };
    case 'trim':
      return { op: name };
    case 'a':
    case 'r':
      return { op: name, id: args[0]!, size: number(args[1]!, 'size') };
    case 'f':
      return { op: name, id: args[0]! };
  }
}

function parseWrite(text: string): Command {
  const match = /^\s*\S+\s+(\S+)\s(.*)$/.exec(text);
  if (match === null || match[2] === '') throw new CommandSyntaxError(`usage: ${COMMAND_USAGE.write}`);
  const address = parseInteger(match[1]!);
  if (address === null)
    throw new CommandSyntaxError(`write: address ${JSON.stringify(match[1])} is not an integer`);
  return { op: 'write', address, text: decodeText(match[2]!) };
}

function decodeText(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return value;
  } catch {
    // Fall through to the error below.
  }
  throw new CommandSyntaxError(`write: ${text} is not a valid JSON string (or leave out the opening quote)`);
}

/**
 * Writes a command back as the line that parses to it (`parseCommand(formatCommand(c))` equals
 * `c`); a `write` text that could be misread (leading or trailing blanks, a leading quote, a
 * line break) is written as a JSON string.
 * @param command a parsed command.
 * @returns one line of text.
 */
export function formatCommand(command: Command): string {
  switch (command.op) {
    case 'malloc':
      return `malloc ${command.size}`;
    case 'calloc':
      return `calloc ${command.count} ${command.size}`;
    case 'realloc':
      return `realloc ${command.address} ${command.size}`;
    case 'free':
    case 'get':
      return `${command.op} ${command.address}`;
    case 'write': {
      const plain =
        command.text !== '' &&
        command.text.trim() === command.text &&
        !/^"|[\r\n\u2028\u2029]/.test(command.text);
      return `write ${command.address} ${plain ? command.text : JSON.stringify(command.text)}`;
    }
    case 'trim':
      return 'trim';
    case 'a':
    case 'r':
      return `${command.op} ${command.id} ${command.size}`;
    case 'f':
      return `f ${command.id}`;
  }
}
