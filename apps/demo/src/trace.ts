/** The operations of a trace: allocate, free, reallocate. */
export const OP_ALLOCATE = 0;
/** `f <id>`. */
export const OP_FREE = 1;
/** `r <id> <size>`. */
export const OP_REALLOCATE = 2;

/**
 * A parsed allocation trace, as parallel typed arrays (one entry per operation), so a replay
 * of millions of operations measures the allocator, not the parser.
 */
export interface Trace {
  /** Number of operations. */
  readonly length: number;
  /** Each operation: {@link OP_ALLOCATE}, {@link OP_FREE} or {@link OP_REALLOCATE}. */
  readonly ops: Uint8Array;
  /** Each operation's block, as an index into {@link Trace.names}. */
  readonly ids: Uint32Array;
  /** Each operation's size in bytes (0 for a free). */
  readonly sizes: Float64Array;
  /** Each operation's 1-based line number in the trace text. */
  readonly lines: Uint32Array;
  /** The block names as written in the trace, by index. */
  readonly names: readonly string[];
}

/** A line of a trace that cannot be replayed: its 1-based number and why. */
export class TraceError extends Error {
  /**
   * @param line the 1-based line number.
   * @param reason what is wrong with it.
   */
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TraceError';
  }
}

const USAGE: Record<string, string> = { a: 'a <id> <size>', f: 'f <id>', r: 'r <id> <size>' };

/**
 * Parses a trace: one operation a line, `#` starts a comment (to the end of the line), blank
 * lines are skipped. `a <id> <size>` allocates `size` bytes and names the block `id` (any word
 * without `#`), `f <id>` frees it, `r <id> <size>` reallocates it. Sizes are positive decimal
 * integers (up to 2^53 - 1; the heap refuses sizes it cannot map). Whether the ids are used in a sensible order is checked by the replay.
 * @param text the trace file's text.
 * @returns the parsed trace.
 * @throws TraceError for the first malformed line.
 */
export function parseTrace(text: string): Trace {
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
    const usage = USAGE[op];
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
    ops: ops.subarray(0, length),
    ids: ids.subarray(0, length),
    sizes: sizes.subarray(0, length),
    lines: lines.subarray(0, length),
    names,
  };
}
