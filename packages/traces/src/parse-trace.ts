import { describeValue, MemsError } from '@mems/os';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from './operations';
import type { Trace } from './trace';
import { TraceError } from './trace-error';

const USAGE: ReadonlyMap<string, string> = new Map([
  ['a', 'a <id> <size>'],
  ['f', 'f <id>'],
  ['r', 'r <id> <size>'],
]);

/**
 * Parses a trace: one operation a line, `#` starts a comment (to the end of the line), blank
 * lines are skipped, words are separated by any run of blanks. `a <id> <size>` allocates `size`
 * bytes and names the block `id` (any word without `#`), `f <id>` frees it, `r <id> <size>`
 * reallocates it. Sizes are positive decimal integers up to 2^53 - 1. Whether the ids are used
 * in an order that can replay (no block allocated twice, no free of a block that is not live)
 * is left to the replay.
 * @param text the trace file's text.
 * @returns the parsed trace.
 * @throws MemsError `EINVAL` when `text` is not a string; TraceError for the first malformed line.
 */
export function parseTrace(text: string): Trace {
  if (typeof text !== 'string')
    throw new MemsError('EINVAL', `parseTrace(${describeValue(text)}): the trace text must be a string`);
  const source = text.split('\n');
  const ops = new Uint8Array(source.length);
  const ids = new Uint32Array(source.length);
  const sizes = new Float64Array(source.length);
  const lines = new Uint32Array(source.length);
  const names: string[] = [];
  const index = new Map<string, number>();
  let length = 0;
  for (let i = 0; i < source.length; i++) {
    let line = source[i]!;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === '') continue;
    const tokens = line.split(/\s+/);
    const op = tokens[0]!;
    const usage = USAGE.get(op);
    if (usage === undefined)
      throw new TraceError(
        i + 1,
        `unknown operation ${JSON.stringify(op)}; expected a <id> <size>, f <id> or r <id> <size>`,
      );
    const wanted = op === 'f' ? 2 : 3;
    if (tokens.length !== wanted)
      throw new TraceError(i + 1, `expected ${JSON.stringify(usage)}, got ${tokens.length - 1} argument(s)`);
    const name = tokens[1]!;
    let id = index.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      index.set(name, id);
    }
    let size = 0;
    if (op !== 'f') {
      const token = tokens[2]!;
      size = Number(token);
      if (!/^\d+$/.test(token) || size <= 0)
        throw new TraceError(i + 1, `size ${JSON.stringify(token)} is not a positive integer`);
      if (!Number.isSafeInteger(size))
        throw new TraceError(
          i + 1,
          `size ${token} is too large (the largest a trace can hold is ${Number.MAX_SAFE_INTEGER})`,
        );
    }
    ops[length] = op === 'a' ? OP_ALLOCATE : op === 'f' ? OP_FREE : OP_REALLOCATE;
    ids[length] = id;
    sizes[length] = size;
    lines[length] = i + 1;
    length++;
  }
  return {
    length,
    ops: ops.slice(0, length),
    ids: ids.slice(0, length),
    sizes: sizes.slice(0, length),
    lines: lines.slice(0, length),
    names,
  };
}
