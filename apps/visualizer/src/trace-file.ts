import { OP_ALLOCATE, OP_FREE, parseTrace, type Trace, TraceError } from '@mems/traces';
import type { Command } from './command.js';

/** A trace file that cannot be loaded: the file, the 1-based line and why. */
export class TraceFileError extends Error {
  /**
   * @param file the file's name.
   * @param line the 1-based line number (0 for the file as a whole).
   * @param reason what is wrong.
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}, line ${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'TraceFileError';
  }
}

/** The most operations a trace may have in the page (each is a step of the timeline). */
export const MAX_TRACE_OPERATIONS = 50_000;

const SIZE = /^\d+$/;

function size(file: string, line: number, token: string, allowZero: boolean): number {
  const value = Number(token);
  if (!SIZE.test(token) || !Number.isSafeInteger(value) || (!allowZero && value === 0))
    throw new TraceFileError(
      file,
      line,
      `size ${JSON.stringify(token)} is not a ${allowZero ? 'non-negative' : 'positive'} integer`,
    );
  return value;
}

function tooMany(file: string, operations: number): TraceFileError {
  return new TraceFileError(
    file,
    0,
    `${operations} operations; the page replays at most ${MAX_TRACE_OPERATIONS}`,
  );
}

function limit(file: string, commands: Command[]): Command[] {
  if (commands.length > MAX_TRACE_OPERATIONS) throw tooMany(file, commands.length);
  return commands;
}

/**
 * Parses a trace in the replay format of `mems-demo replay` with `parseTrace` of
 * `@mems/traces`: one operation a line, `a <id> <size>` allocates and names the block, `f <id>`
 * frees it, `r <id> <size>` resizes it; `#` starts a comment, blank lines are skipped, sizes are
 * positive decimal integers.
 * @param file the file's name, for errors.
 * @param text the file's text.
 * @returns one command per operation.
 * @throws TraceFileError for the first malformed line, or for more than
 *   {@link MAX_TRACE_OPERATIONS} operations.
 */
export function parseReplayTrace(file: string, text: string): Command[] {
  let trace: Trace;
  try {
    trace = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceError) throw new TraceFileError(file, error.line, error.reason);
    throw error;
  }
  if (trace.length > MAX_TRACE_OPERATIONS) throw tooMany(file, trace.length);
  const { ops, ids, sizes, names } = trace;
  const commands: Command[] = [];
  for (let k = 0; k < trace.length; k++) {
    const id = names[ids[k]!]!;
    const op = ops[k];
    commands.push(
      op === OP_FREE ? { op: 'f', id } : { op: op === OP_ALLOCATE ? 'a' : 'r', id, size: sizes[k]! },
    );
  }
  return commands;
}

/**
 * Parses a CS:APP malloc-lab trace (`.rep`): a header of four numbers (suggested heap size,
 * number of ids, number of operations, weight), then `a <id> <bytes>`, `f <id>` and
 * `r <id> <bytes>` lines. A `.rep` block id is a number; it becomes id `b<id>`. A zero-byte
 * request (the lab allows `a 5 0` and `r 5 0`) has no MeMS equivalent (MeMS refuses size 0),
 * so an `a` of 0 bytes allocates 1 byte and an `r` to 0 bytes frees the block, as C's
 * `realloc(p, 0)` may.
 * @param file the file's name, for errors.
 * @param text the file's text.
 * @returns one command per operation.
 * @throws TraceFileError for a missing header, a malformed line, an operation count that
 *   differs from the header's, or more than {@link MAX_TRACE_OPERATIONS} operations.
 */
export function parseRepTrace(file: string, text: string): Command[] {
  const lines = text.split('\n');
  const header: number[] = [];
  let i = 0;
  for (; i < lines.length && header.length < 4; i++) {
    for (const token of lines[i]!.trim().split(/\s+/)) {
      if (token === '') continue;
      if (header.length === 4 || !/^\d+(\.\d+)?$/.test(token))
        throw new TraceFileError(
          file,
          i + 1,
          `a .rep trace starts with four numbers (heap size, ids, operations, weight); found ${JSON.stringify(token)}`,
        );
      header.push(Number(token));
    }
  }
  if (header.length < 4)
    throw new TraceFileError(
      file,
      0,
      'a .rep trace starts with four numbers (heap size, ids, operations, weight)',
    );
  const commands: Command[] = [];
  for (; i < lines.length; i++) {
    const tokens = lines[i]!.trim().split(/\s+/);
    const op = tokens[0]!;
    if (op === '') continue;
    if (op !== 'a' && op !== 'f' && op !== 'r')
      throw new TraceFileError(file, i + 1, `unknown operation ${JSON.stringify(op)}; expected a, f or r`);
    const wanted = op === 'f' ? 2 : 3;
    if (tokens.length !== wanted || !/^\d+$/.test(tokens[1]!))
      throw new TraceFileError(
        file,
        i + 1,
        `expected ${op === 'f' ? '"f <id>"' : `"${op} <id> <bytes>"`} with a numeric id`,
      );
    const id = `b${tokens[1]}`;
    if (op === 'f') {
      commands.push({ op, id });
      continue;
    }
    const bytes = size(file, i + 1, tokens[2]!, true);
    if (op === 'a') commands.push({ op, id, size: Math.max(bytes, 1) });
    else commands.push(bytes === 0 ? { op: 'f', id } : { op, id, size: bytes });
  }
  if (commands.length !== header[2])
    throw new TraceFileError(
      file,
      0,
      `the header says ${header[2]} operations, the file has ${commands.length}`,
    );
  return limit(file, commands);
}

/**
 * Parses a trace file by its kind: CS:APP `.rep` when the name ends in `.rep` (or `.rep.gz`),
 * else the replay format of `mems-demo replay`.
 * @param file the file's name.
 * @param text the file's text.
 * @returns one command per operation.
 * @throws TraceFileError as {@link parseRepTrace} or {@link parseReplayTrace} does, or for an
 *   empty trace.
 */
export function parseTraceFile(file: string, text: string): Command[] {
  const commands = /\.rep(\.gz)?$/i.test(file) ? parseRepTrace(file, text) : parseReplayTrace(file, text);
  if (commands.length === 0) throw new TraceFileError(file, 0, 'the trace has no operations');
  return commands;
}
