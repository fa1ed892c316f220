import { describe, expect, it } from 'vitest';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE, parseTrace, TraceError } from './trace.js';

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

  it('accepts an empty text', () => {
    expect(parseTrace('').length).toBe(0);
  });

  it.each([
    ['A x 1', 'unknown operation "A"'],
    ['malloc 1', 'unknown operation "malloc"'],
    ['a x', 'expected "a <id> <size>", got 1 argument(s)'],
    ['a x 1 2', 'expected "a <id> <size>", got 3 argument(s)'],
    ['r x', 'expected "r <id> <size>", got 1 argument(s)'],
    ['f', 'expected "f <id>", got 0 argument(s)'],
    ['a x 0x10', 'size "0x10" is not a positive integer'],
    ['a x 1e3', 'size "1e3" is not a positive integer'],
    [
      'a x 99999999999999999999',
      'size 99999999999999999999 is too large (the largest a trace can hold is 9007199254740991)',
    ],
    ['r x 9007199254740992', 'size 9007199254740992 is too large'],
  ])('refuses %j', (line, reason) => {
    let error: unknown;
    try {
      parseTrace(`a ok 1\n${line}\n`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).line).toBe(2);
    expect((error as TraceError).reason).toContain(reason);
    expect((error as TraceError).message).toBe(`line 2: ${(error as TraceError).reason}`);
  });
});
