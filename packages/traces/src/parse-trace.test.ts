import { readFileSync } from 'node:fs';
import { MemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from './operations';
import { parseTrace } from './parse-trace';
import { TraceError } from './trace-error';

/** The error parseTrace throws for a text, or a failure when it throws none. */
function errorOf(text: string): TraceError {
  try {
    parseTrace(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TraceError);
    return error as TraceError;
  }
  throw new Error(`parseTrace(${JSON.stringify(text)}) did not throw`);
}

describe('parseTrace', () => {
  it('reads operations, names and sizes, skipping comments and blank lines', () => {
    const trace = parseTrace('# header\n\na buf 100\n  r buf 200  # grow\nf buf\r\na 7 1\n');
    expect(trace.length).toBe(4);
    expect(Array.from(trace.ops)).toEqual([OP_ALLOCATE, OP_REALLOCATE, OP_FREE, OP_ALLOCATE]);
    expect(Array.from(trace.ids)).toEqual([0, 0, 0, 1]);
    expect(Array.from(trace.sizes)).toEqual([100, 200, 0, 1]);
    expect(Array.from(trace.lines)).toEqual([3, 4, 5, 6]);
    expect(trace.names).toEqual(['buf', '7']);
  });

  it('returns arrays of exactly length entries, of the documented types', () => {
    const trace = parseTrace('# one\n\n\na x 5\n\n');
    expect(trace.ops).toBeInstanceOf(Uint8Array);
    expect(trace.ids).toBeInstanceOf(Uint32Array);
    expect(trace.sizes).toBeInstanceOf(Float64Array);
    expect(trace.lines).toBeInstanceOf(Uint32Array);
    for (const array of [trace.ops, trace.ids, trace.sizes, trace.lines]) expect(array.length).toBe(1);
  });

  it('keeps a block number for a name that comes back after a free', () => {
    const trace = parseTrace('a x 1\nf x\na y 2\na x 3\n');
    expect(Array.from(trace.ids)).toEqual([0, 0, 1, 0]);
    expect(trace.names).toEqual(['x', 'y']);
  });

  it('separates words by tabs and runs of blanks, and takes a comment right after a word', () => {
    const trace = parseTrace('a\tx\t\t10#no space\nr  x   20\n');
    expect(Array.from(trace.sizes)).toEqual([10, 20]);
  });

  it('accepts an empty text, or only comments, as a trace of no operations', () => {
    expect(parseTrace('').length).toBe(0);
    expect(parseTrace('# nothing\n\n   \n').length).toBe(0);
  });

  it('takes sizes up to 2^53 - 1', () => {
    expect(parseTrace('a x 9007199254740991\n').sizes[0]).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("reads the demo's sample trace: one operation per a/f/r line", () => {
    const text = readFileSync(new URL('../../../apps/demo/traces/sample.trace', import.meta.url), 'utf8');
    const trace = parseTrace(text);
    expect(trace.length).toBe(text.split('\n').filter((line) => /^\s*[afr]\s/.test(line)).length);
    expect(trace.names[0]).toBe('arr0');
    expect(trace.sizes[0]).toBe(1000);
    expect(Array.from(trace.ops)).toContain(OP_FREE);
  });

  it.each([
    ['A x 1', 'unknown operation "A"; expected a <id> <size>, f <id> or r <id> <size>'],
    ['malloc 1', 'unknown operation "malloc"'],
    ['q x', 'unknown operation "q"'],
    ['toString x 1', 'unknown operation "toString"'],
    ['constructor x', 'unknown operation "constructor"'],
    ['a x', 'expected "a <id> <size>", got 1 argument(s)'],
    ['a x 1 2', 'expected "a <id> <size>", got 3 argument(s)'],
    ['r x', 'expected "r <id> <size>", got 1 argument(s)'],
    ['f', 'expected "f <id>", got 0 argument(s)'],
    ['f x y', 'expected "f <id>", got 2 argument(s)'],
    ['a x 0', 'size "0" is not a positive integer'],
    ['a x -3', 'size "-3" is not a positive integer'],
    ['a x 1.5', 'size "1.5" is not a positive integer'],
    ['a x 0x10', 'size "0x10" is not a positive integer'],
    ['a x 1e3', 'size "1e3" is not a positive integer'],
    [
      'a x 99999999999999999999',
      'size 99999999999999999999 is too large (the largest a trace can hold is 9007199254740991)',
    ],
    ['r x 9007199254740992', 'size 9007199254740992 is too large'],
  ])('refuses %j, naming its line', (line, reason) => {
    const error = errorOf(`# header\na ok 1\n${line}\nf ok\n`);
    expect(error.line).toBe(3);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`line 3: ${error.reason}`);
    expect(error.name).toBe('TraceError');
  });

  it('stops at the first malformed line', () => {
    expect(errorOf('a x 1\nbad\nworse 1 2 3\n').line).toBe(2);
  });

  it('counts lines from 1, with \\r\\n line ends', () => {
    expect(errorOf('a x 1\r\n\r\nz\r\n').line).toBe(3);
  });

  it.each([[42], [null], [undefined], [new Uint8Array(3)]])(
    'refuses %o as the text, naming the call',
    (value) => {
      expect(() => parseTrace(value as unknown as string)).toThrow(MemsError);
      expect(() => parseTrace(value as unknown as string)).toThrow(
        /^parseTrace\(.+\): the trace text must be a string$/,
      );
    },
  );
});
