import { describeValue, MemsError } from '@mems/os';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from './operations';
import type { Trace } from './trace';

/** A block name the parser reads back as one word: no blank, no `#`. */
const NAME = /^[^\s#]+$/;

/**
 * What {@link formatTrace} writes: a parsed {@link Trace} is one, and so are plain arrays of
 * operations, block numbers and sizes.
 */
export interface FormattableTrace {
  /** Number of operations. */
  readonly length: number;
  /** Each operation: `OP_ALLOCATE`, `OP_FREE` or `OP_REALLOCATE` (at least `length` entries). */
  readonly ops: ArrayLike<number>;
  /** Each operation's block, an index into {@link FormattableTrace.names}. */
  readonly ids: ArrayLike<number>;
  /** Each operation's size in bytes (read for `a` and `r` only). */
  readonly sizes: ArrayLike<number>;
  /** The block names, by index. */
  readonly names: readonly string[];
}

function isArrayLike(value: unknown, length: number): value is ArrayLike<number> {
  return (ArrayBuffer.isView(value) || Array.isArray(value)) && (value as ArrayLike<number>).length >= length;
}

/**
 * Writes a trace as text in the format {@link parseTrace} reads: one line per operation,
 * `a <name> <size>`, `f <name>` or `r <name> <size>`, each ending in `\n` (an empty trace is
 * the empty string). `parseTrace(formatTrace(trace))` has the same operations, blocks, sizes
 * and names; its `lines` are 1 to `length`. A free's size is not written.
 * @param trace the operations: `length`, and `ops`, `ids`, `sizes` with at least `length`
 *   entries each, and the `names` the ids index.
 * @returns the text.
 * @throws MemsError `EINVAL` naming `formatTrace` and the offending field when `trace` is not such an
 *   object, an operation is not `OP_ALLOCATE`, `OP_FREE` or `OP_REALLOCATE`, an id has no name,
 *   a name is not one word without `#`, or a size is not a positive safe integer.
 */
export function formatTrace(trace: FormattableTrace): string {
  const fail = (what: string): never => {
    throw new MemsError('EINVAL', `formatTrace(): ${what}`);
  };
  if (typeof trace !== 'object' || trace === null)
    fail(`the trace must be an object with length, ops, ids, sizes and names; got ${describeValue(trace)}`);
  const { length, ops, ids, sizes, names } = trace;
  if (!Number.isSafeInteger(length) || length < 0)
    fail(`trace.length must be a non-negative integer; got ${describeValue(length)}`);
  for (const [field, value] of [
    ['ops', ops],
    ['ids', ids],
    ['sizes', sizes],
  ] as const)
    if (!isArrayLike(value, length))
      fail(`trace.${field} must be an array with at least ${length} entries; got ${describeValue(value)}`);
  if (!Array.isArray(names)) fail(`trace.names must be an array of strings; got ${describeValue(names)}`);
  const out: string[] = new Array(length);
  for (let k = 0; k < length; k++) {
    const op = ops[k];
    const id = ids[k]!;
    const name = names[id];
    if (typeof name !== 'string' || !NAME.test(name))
      fail(
        name === undefined
          ? `operation ${k} names block ${describeValue(id)}, but trace.names has ${names.length} names`
          : `operation ${k}: block name ${describeValue(name)} is not one word without "#"`,
      );
    if (op === OP_FREE) {
      out[k] = `f ${name}\n`;
      continue;
    }
    if (op !== OP_ALLOCATE && op !== OP_REALLOCATE)
      fail(
        `operation ${k} is ${describeValue(op)}, not OP_ALLOCATE (${OP_ALLOCATE}), OP_FREE (${OP_FREE}) or OP_REALLOCATE (${OP_REALLOCATE})`,
      );
    const size = sizes[k];
    if (!Number.isSafeInteger(size) || size! <= 0)
      fail(`operation ${k}: size ${describeValue(size)} is not a positive integer up to 2^53 - 1`);
    out[k] = `${op === OP_ALLOCATE ? 'a' : 'r'} ${name} ${size}\n`;
  }
  return out.join('');
}
