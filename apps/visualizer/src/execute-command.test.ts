import { createMems } from '@mems/api';
import { createMockProvider, MemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { CommandSyntaxError } from './command.js';
import { BlockNames, errorText, executeCommand, StepError } from './execute-command.js';
import { TraceFileError } from './trace-file.js';
import { createVisualHeap, DEFAULT_OPTIONS } from './visual-heap.js';

const fresh = () => ({ heap: createVisualHeap(DEFAULT_OPTIONS).heap, names: new BlockNames() });

describe('executeCommand', () => {
  it('prints what the REPL prints for each command', () => {
    const { heap, names } = fresh();
    const run = (c: Parameters<typeof executeCommand>[2]) => executeCommand(heap, names, c);
    expect(run({ op: 'malloc', size: 1000 })).toEqual({ text: 'Virtual address: 1000', address: 1000 });
    expect(run({ op: 'calloc', count: 4, size: 25 })).toEqual({
      text: 'Virtual address: 2000',
      address: 2000,
    });
    expect(run({ op: 'realloc', address: 2000, size: 200 })).toEqual({
      text: 'Virtual address: 2000',
      address: 2000,
    });
    expect(run({ op: 'realloc', address: 1000, size: 5000 }).text).toBe(
      'Virtual address: 5096 (moved from 1000)',
    );
    expect(run({ op: 'write', address: 2000, text: 'hé' })).toEqual({
      text: 'Wrote 3 bytes at 2000',
      address: 2000,
    });
    expect([...heap.view(2000, 3)]).toEqual([0x68, 0xc3, 0xa9]);
    expect(run({ op: 'get', address: 2000 }).text).toBe(`Physical address: ${heap.translate(2000)}`);
    expect(run({ op: 'free', address: 2000 })).toEqual({ text: 'Freed 2000', address: 2000 });
    expect(run({ op: 'trim' })).toEqual({ text: 'Released 4096 bytes', address: null });
    heap.destroy();
  });

  it('gives trace blocks their addresses and follows them when they move', () => {
    const { heap, names } = fresh();
    executeCommand(heap, names, { op: 'a', id: 'x', size: 100 });
    executeCommand(heap, names, { op: 'a', id: 'y', size: 100 });
    expect(names.addressOf('x')).toBe(1000);
    expect(executeCommand(heap, names, { op: 'r', id: 'x', size: 500 }).address).toBe(1200);
    expect(names.addressOf('x')).toBe(1200);
    expect(names.nameOf(1000)).toBeUndefined();
    expect(executeCommand(heap, names, { op: 'f', id: 'x' })).toEqual({ text: 'Freed 1200', address: 1200 });
    expect(names.addressOf('x')).toBeUndefined();
    // A plain free of a named block forgets the name too.
    executeCommand(heap, names, { op: 'free', address: 1100 });
    expect(names.addressOf('y')).toBeUndefined();
    heap.destroy();
  });

  it('refuses trace operations on names that are not (or are already) allocated, changing nothing', () => {
    const { heap, names } = fresh();
    executeCommand(heap, names, { op: 'a', id: 'x', size: 100 });
    const before = heap.snapshot();
    expect(() => executeCommand(heap, names, { op: 'a', id: 'x', size: 5 })).toThrow(
      new StepError('a x: block "x" is already allocated'),
    );
    expect(() => executeCommand(heap, names, { op: 'f', id: 'q' })).toThrow(
      'f q: block "q" is not allocated',
    );
    expect(() => executeCommand(heap, names, { op: 'r', id: 'q', size: 5 })).toThrow(
      'r q: block "q" is not allocated',
    );
    expect(heap.snapshot()).toEqual(before);
    heap.destroy();
  });

  it("fails with MeMS's own error, worded as createMems words it, and changes nothing", () => {
    const { heap, names } = fresh();
    const api = createMems({ provider: createMockProvider() });
    executeCommand(heap, names, { op: 'malloc', size: 1000 });
    api.malloc(1000);
    const before = heap.snapshot();
    for (const [command, call] of [
      [{ op: 'free', address: 1234 }, () => api.free(1234)],
      [{ op: 'malloc', size: 0 }, () => api.malloc(0)],
      [{ op: 'get', address: 3000 }, () => api.get(3000)],
      [{ op: 'realloc', address: 7, size: 5 }, () => api.realloc(7, 5)],
      [{ op: 'calloc', count: -1, size: 5 }, () => api.calloc(-1, 5)],
      [{ op: 'write', address: 1500, text: 'x'.repeat(600) }, () => api.view(1500, 600)],
    ] as const) {
      let expected = '';
      try {
        call();
      } catch (error) {
        expected = errorText(error);
      }
      expect(expected).toMatch(/^E[A-Z]+: /);
      expect(() => executeCommand(heap, names, command)).toThrow(MemsError);
      try {
        executeCommand(heap, names, command);
      } catch (error) {
        expect(errorText(error)).toBe(expected);
      }
    }
    expect(heap.snapshot()).toEqual(before);
    heap.destroy();
    api.finish();
  });
});

describe('errorText', () => {
  it('shows a MemsError as CODE: message, the page’s own errors as their message, anything else with its name', () => {
    expect(errorText(new MemsError('EINVAL', 'malloc(0): bad'))).toBe('EINVAL: malloc(0): bad');
    expect(errorText(new StepError('f q: no'))).toBe('f q: no');
    expect(errorText(new CommandSyntaxError('usage: trim'))).toBe('usage: trim');
    expect(errorText(new TraceFileError('t', 2, 'bad'))).toBe('t, line 2: bad');
    expect(errorText(new TypeError('x is not a function'))).toBe('TypeError: x is not a function');
    expect(errorText('boom')).toBe('thrown: boom');
  });
});
