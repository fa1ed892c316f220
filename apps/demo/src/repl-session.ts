import { isMemsError, type Mems, MemsError } from '@mems/api';
import { formatSeedStats, formatTable, formatTerminalMap } from '@mems/stats';
import { InvalidArgumentError } from 'commander';
import type { Colors } from './colors.js';
import { hexdump } from './hexdump.js';
import { parseInteger } from './parse-integer.js';

/** The REPL's commands and what they do, for `help`. */
export const REPL_HELP = `Commands (addresses and sizes in decimal or 0x hex):
  malloc <size>            allocate size bytes; prints the virtual address
  calloc <count> <size>    allocate count*size zeroed bytes
  realloc <addr> <size>    resize a block (it may move)
  free <addr>              free the block that starts at addr
  get <addr>               translate a virtual address to its physical address
  write <addr> <text>      write text (UTF-8) at addr; "a JSON string" allows escapes like \\n
  read <addr> [<length>]   hex dump of length bytes (default: to the end of the block)
  stats                    the seed's mems_print_stats text
  map                      a map of every node
  table                    one row per node: pages, used, free, largest hole
  trim                     unmap nodes that hold no live block
  help                     this list
  quit                     finish the heap and leave (end of input does the same)
Lines starting with # are comments.
`;

/** Where a {@link ReplSession} writes. */
export interface ReplOutput {
  /** Results. */
  out(text: string): void;
  /** Error messages (one line each). */
  err(text: string): void;
}

/** A command's mistake in the REPL's own terms (bad usage, not a MeMS error). */
class UsageError extends Error {}

/**
 * The REPL's interpreter, apart from any terminal: one command line in, text out. A bad command
 * or a MemsError prints one error line and the session goes on.
 */
export class ReplSession {
  /** How many lines failed so far. */
  errors = 0;
  private line = 0;

  /**
   * @param heap the heap the commands act on (its error messages name the commands).
   * @param output where results and errors go.
   * @param options `colors` for the error prefix and the map; `numberErrors` to prefix errors
   *   with their input line number (for piped scripts).
   */
  constructor(
    private readonly heap: Mems,
    private readonly output: ReplOutput,
    private readonly options: { colors: Colors; mapColor: boolean; numberErrors: boolean },
  ) {}

  /**
   * Runs one input line.
   * @param input the line, without its newline.
   * @returns `'quit'` when the session should end, else `'continue'`.
   */
  execute(input: string): 'quit' | 'continue' {
    this.line++;
    const text = input.replace(/\r$/, '');
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return 'continue';
    const [command = '', ...args] = trimmed.split(/\s+/);
    try {
      return this.run(command.toLowerCase(), args, text);
    } catch (error) {
      this.fail(error);
      return 'continue';
    }
  }

  private fail(error: unknown): void {
    this.errors++;
    const c = this.options.colors;
    const where = this.options.numberErrors ? `line ${this.line}: ` : '';
    let message: string;
    if (isMemsError(error)) message = `${c.bold(error.code)} ${error.message}`;
    else if (error instanceof UsageError || error instanceof InvalidArgumentError) message = error.message;
    else message = `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    this.output.err(`${where}${c.red('error:')} ${message}\n`);
  }

  private run(command: string, args: string[], text: string): 'quit' | 'continue' {
    const heap = this.heap;
    const out = (line: string) => this.output.out(`${line}\n`);
    const arity = (usage: string, min: number, max = min) => {
      if (args.length < min || args.length > max) throw new UsageError(`usage: ${usage}`);
    };
    const number = (token: string | undefined, what: string): number => {
      try {
        return parseInteger(token ?? '');
      } catch {
        throw new UsageError(`${command}: ${what} ${JSON.stringify(token)} is not an integer`);
      }
    };
    switch (command) {
      case 'malloc':
        arity('malloc <size>', 1);
        out(`Virtual address: ${heap.malloc(number(args[0], 'size'))}`);
        return 'continue';
      case 'calloc':
        arity('calloc <count> <size>', 2);
        out(`Virtual address: ${heap.calloc(number(args[0], 'count'), number(args[1], 'size'))}`);
        return 'continue';
      case 'realloc': {
        arity('realloc <addr> <size>', 2);
        const from = number(args[0], 'address');
        const to = heap.realloc(from, number(args[1], 'size'));
        out(`Virtual address: ${to}${to === from ? '' : ` (moved from ${from})`}`);
        return 'continue';
      }
      case 'free': {
        arity('free <addr>', 1);
        const address = number(args[0], 'address');
        heap.free(address);
        out(`Freed ${address}`);
        return 'continue';
      }
      case 'get':
        arity('get <addr>', 1);
        out(`Physical address: ${heap.get(number(args[0], 'address'))}`);
        return 'continue';
      case 'write': {
        // The text is everything after the one space that follows the address.
        const match = /^\s*\S+\s+(\S+)\s(.*)$/.exec(text);
        if (match === null || match[2] === '') throw new UsageError('usage: write <addr> <text>');
        const address = number(match[1], 'address');
        const bytes = new TextEncoder().encode(decodeText(match[2]!));
        asCommand(`write ${match[1]}`, `the text's length (${bytes.length} bytes)`, () =>
          heap.view(address, bytes.length),
        ).set(bytes);
        out(`Wrote ${bytes.length} bytes at ${address}`);
        return 'continue';
      }
      case 'read': {
        arity('read <addr> [<length>]', 1, 2);
        const address = number(args[0], 'address');
        const length = args[1] === undefined ? undefined : number(args[1], 'length');
        const view = asCommand(`read ${args.join(' ')}`, 'length', () =>
          length === undefined ? heap.view(address) : heap.view(address, length),
        );
        this.output.out(hexdump(address, view));
        return 'continue';
      }
      case 'stats':
        arity('stats', 0);
        this.output.out(formatSeedStats(heap.stats()));
        return 'continue';
      case 'map':
        arity('map', 0);
        this.output.out(formatTerminalMap(heap.stats(), { color: this.options.mapColor }));
        return 'continue';
      case 'table':
        arity('table', 0);
        this.output.out(formatTable(heap.stats()));
        return 'continue';
      case 'trim':
        arity('trim', 0);
        out(`Released ${heap.trim()} bytes`);
        return 'continue';
      case 'help':
      case '?':
        this.output.out(REPL_HELP);
        return 'continue';
      case 'quit':
      case 'exit':
        return 'quit';
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; type help for the list`);
    }
  }
}

/**
 * Runs the heap call behind a REPL command and, when it throws a MemsError, rewords the message
 * in the terms of the command typed: `read 1000 8: length must be ...` instead of
 * `view(1000, 8): byteLength must be ...` (same code, the original error as `cause`).
 * @param typed the command as typed, for example `read 1000 8`.
 * @param byteLength what the heap call's `byteLength` is in the command's terms.
 * @param call the heap call.
 * @returns what `call` returns.
 * @throws MemsError reworded; anything else as thrown.
 */
function asCommand<T>(typed: string, byteLength: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!isMemsError(error)) throw error;
    const reason = error.message.replace(/^\w+\([^)]*\): /, '').replace(/\bbyteLength\b/g, byteLength);
    throw new MemsError(error.code, `${typed}: ${reason}`, { cause: error });
  }
}

/**
 * The text of a `write` command: as typed, or, when it is a JSON string literal (starts with a
 * double quote), that string with its escapes (`\n`, `\t`, `\u0000`, ...).
 */
function decodeText(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return value;
  } catch {
    // Fall through.
  }
  throw new UsageError(`write: ${text} is not a valid JSON string (or leave out the opening quote)`);
}
