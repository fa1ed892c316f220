import { MemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTrace } from './format-trace';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from './operations';
import { parseTrace } from './parse-trace';
import type { Trace } from './trace';

/** A trace as plain arrays, for comparing. */
const plain = (trace: Trace) => ({
  length: trace.length,
  ops: Array.from(trace.ops),
  ids: Array.from(trace.ids),
  sizes: Array.from(trace.sizes),
  lines: Array.from(trace.lines),
  names: trace.names,
});

/**
 * A well-formed trace: names numbered in the order they first appear (as the parser numbers
 * them), sizes from 1 to 2^53 - 1, 0 for frees, lines 1 to length.
 */
const traceArbitrary: fc.Arbitrary<Trace> = fc
  .record({
    pool: fc.uniqueArray(fc.stringMatching(/^[^\s#]{1,8}$/), { minLength: 1, maxLength: 12 }),
    steps: fc.array(
      fc.record({
        op: fc.constantFrom(OP_ALLOCATE, OP_FREE, OP_REALLOCATE),
        pick: fc.nat(),
        size: fc.oneof(
          fc.integer({ min: 1, max: 5000 }),
          fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        ),
      }),
      { maxLength: 60 },
    ),
  })
  .map(({ pool, steps }) => {
    const names: string[] = [];
    const index = new Map<string, number>();
    const idOf = (name: string): number => {
      if (!index.has(name)) index.set(name, names.push(name) - 1);
      return index.get(name)!;
    };
    const n = steps.length;
    return {
      length: n,
      ops: Uint8Array.from(steps, (s) => s.op),
      ids: Uint32Array.from(steps, (s) => idOf(pool[s.pick % pool.length]!)),
      sizes: Float64Array.from(steps, (s) => (s.op === OP_FREE ? 0 : s.size)),
      lines: Uint32Array.from(steps, (_, k) => k + 1),
      names,
    };
  });

describe('formatTrace', () => {
  it('writes one line per operation', () => {
    expect(formatTrace(parseTrace('# header\na buf 100\n\nr buf 200 # grow\nf buf\na 7 1\n'))).toBe(
      'a buf 100\nr buf 200\nf buf\na 7 1\n',
    );
  });

  it('writes an empty trace as the empty string', () => {
    expect(formatTrace(parseTrace('# nothing\n'))).toBe('');
  });

  it('takes plain arrays and ignores entries past length and sizes of frees', () => {
    expect(formatTrace({ length: 2, ops: [0, 1, 0], ids: [0, 0, 0], sizes: [8, 99, 5], names: ['p'] })).toBe(
      'a p 8\nf p\n',
    );
  });

  it('round-trips: parseTrace(formatTrace(trace)) is the trace, lines 1 to length', () => {
    fc.assert(
      fc.property(traceArbitrary, (trace) => {
        expect(plain(parseTrace(formatTrace(trace)))).toEqual(plain(trace));
      }),
      { numRuns: 300 },
    );
  });

  it('is a fixed point on any text the parser accepts', () => {
    fc.assert(
      fc.property(
        traceArbitrary,
        fc.array(fc.constantFrom('', '# note', '   ', '\t# x'), { maxLength: 5 }),
        (trace, noise) => {
          const text = `${noise.join('\n')}\n${formatTrace(trace)}`;
          const once = formatTrace(parseTrace(text));
          expect(formatTrace(parseTrace(once))).toBe(once);
          expect(once).toBe(formatTrace(trace));
        },
      ),
      { numRuns: 100 },
    );
  });

  const good = () => ({ length: 1, ops: [OP_ALLOCATE], ids: [0], sizes: [8], names: ['x'] });
  it.each([
    [
      'not an object',
      null,
      'formatTrace(): the trace must be an object with length, ops, ids, sizes and names; got null',
    ],
    ['a bad length', { ...good(), length: -1 }, 'trace.length must be a non-negative integer; got -1'],
    [
      'short ops',
      { ...good(), length: 2, ids: [0, 0], sizes: [1, 1] },
      'trace.ops must be an array with at least 2 entries; got an array',
    ],
    [
      'ids not an array',
      { ...good(), ids: 'x' },
      'trace.ids must be an array with at least 1 entries; got "x"',
    ],
    ['names not an array', { ...good(), names: 'x' }, 'trace.names must be an array of strings; got "x"'],
    [
      'an unknown operation',
      { ...good(), ops: [7] },
      'operation 0 is 7, not OP_ALLOCATE (0), OP_FREE (1) or OP_REALLOCATE (2)',
    ],
    ['an id with no name', { ...good(), ids: [3] }, 'operation 0 names block 3, but trace.names has 1 names'],
    [
      'a name with a blank',
      { ...good(), names: ['a b'] },
      'operation 0: block name "a b" is not one word without "#"',
    ],
    ['a name with #', { ...good(), names: ['a#'] }, 'block name "a#" is not one word'],
    ['an empty name', { ...good(), names: [''] }, 'block name "" is not one word'],
    [
      'a zero size',
      { ...good(), sizes: [0] },
      'operation 0: size 0 is not a positive integer up to 2^53 - 1',
    ],
    ['a fractional size', { ...good(), sizes: [1.5] }, 'size 1.5 is not a positive integer'],
    ['an unsafe size', { ...good(), sizes: [2 ** 53] }, 'size 9007199254740992 is not a positive integer'],
  ])('refuses %s, naming the call and the value', (_what, trace, message) => {
    expect(() => formatTrace(trace as never)).toThrow(MemsError);
    expect(() => formatTrace(trace as never)).toThrow(message);
  });
});
