import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAX_TRACE_OPERATIONS,
  parseReplayTrace,
  parseRepTrace,
  parseTraceFile,
  TraceFileError,
} from './trace-file.js';

describe('parseReplayTrace', () => {
  it("reads the demo's sample trace: one command per operation", () => {
    const path = fileURLToPath(new URL('../../demo/traces/sample.trace', import.meta.url));
    const text = readFileSync(path, 'utf8');
    const operations = text.split('\n').filter((line) => /^\s*[afr]\s/.test(line));
    const commands = parseReplayTrace('sample.trace', text);
    expect(commands).toHaveLength(operations.length);
    expect(commands[0]).toEqual({ op: 'a', id: 'arr0', size: 1000 });
    expect(commands.some((c) => c.op === 'f')).toBe(true);
  });

  it('skips comments and blank lines', () => {
    expect(parseReplayTrace('t', '# head\n\n a x 5 # five\nr x 9\nf x\n')).toEqual([
      { op: 'a', id: 'x', size: 5 },
      { op: 'r', id: 'x', size: 9 },
      { op: 'f', id: 'x' },
    ]);
  });

  it.each([
    ['q x\n', 't, line 1: unknown operation "q"'],
    ['a x\n', 't, line 1: expected "a <id> <size>", got 1 argument(s)'],
    ['a x 5\nf\n', 't, line 2: expected "f <id>", got 0 argument(s)'],
    ['a x 0\n', 't, line 1: size "0" is not a positive integer'],
    ['a x -3\n', 't, line 1: size "-3" is not a positive integer'],
    ['a x 1.5\n', 't, line 1: size "1.5" is not a positive integer'],
  ])('refuses %j', (text, message) => {
    expect(() => parseReplayTrace('t', text)).toThrow(TraceFileError);
    expect(() => parseReplayTrace('t', text)).toThrow(message);
  });

  it(`refuses more than ${MAX_TRACE_OPERATIONS} operations`, () => {
    const text = 'a x 1\nf x\n'.repeat(MAX_TRACE_OPERATIONS / 2 + 1);
    expect(() => parseReplayTrace('big', text)).toThrow(`big: ${MAX_TRACE_OPERATIONS + 2} operations`);
  });
});

describe('parseRepTrace', () => {
  const rep = (body: string[], ops = body.length) => ['20000', '3', String(ops), '1', ...body].join('\n');

  it('reads a CS:APP malloc-lab trace, naming blocks b<id>', () => {
    expect(parseRepTrace('x.rep', rep(['a 0 2040', 'a 1 10', 'r 1 30', 'f 0', 'f 1']))).toEqual([
      { op: 'a', id: 'b0', size: 2040 },
      { op: 'a', id: 'b1', size: 10 },
      { op: 'r', id: 'b1', size: 30 },
      { op: 'f', id: 'b0' },
      { op: 'f', id: 'b1' },
    ]);
  });

  it('turns a 0-byte allocation into 1 byte and a realloc to 0 bytes into a free', () => {
    expect(parseRepTrace('x.rep', rep(['a 0 0', 'r 0 0']))).toEqual([
      { op: 'a', id: 'b0', size: 1 },
      { op: 'f', id: 'b0' },
    ]);
  });

  it('accepts a header spread over lines or on one line', () => {
    expect(parseRepTrace('x.rep', '100 1 1 1\na 0 5\n')).toEqual([{ op: 'a', id: 'b0', size: 5 }]);
  });

  it.each([
    ['', 'x.rep: a .rep trace starts with four numbers'],
    ['20000\n1\n', 'x.rep: a .rep trace starts with four numbers'],
    ['20000 1 x 1\n', 'x.rep, line 1: a .rep trace starts with four numbers'],
    ['1 1 1 1\nz 0 5\n', 'x.rep, line 2: unknown operation "z"'],
    ['1 1 1 1\na zero 5\n', 'x.rep, line 2: expected "a <id> <bytes>" with a numeric id'],
    ['1 1 2 1\na 0 5\n', 'x.rep: the header says 2 operations, the file has 1'],
  ])('refuses %j', (text, message) => {
    expect(() => parseRepTrace('x.rep', text)).toThrow(message);
  });
});

describe('parseTraceFile', () => {
  it('picks the format by the file name', () => {
    expect(parseTraceFile('t.REP', '1 1 1 1\na 7 3\n')).toEqual([{ op: 'a', id: 'b7', size: 3 }]);
    expect(parseTraceFile('t.trace', 'a 7 3\n')).toEqual([{ op: 'a', id: '7', size: 3 }]);
  });

  it('refuses a trace with no operations', () => {
    expect(() => parseTraceFile('empty.trace', '# nothing\n')).toThrow(
      'empty.trace: the trace has no operations',
    );
  });
});
