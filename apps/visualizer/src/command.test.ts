import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, CommandSyntaxError, formatCommand, parseCommand } from './command.js';

describe('parseCommand', () => {
  it.each<[string, Command]>([
    ['malloc 1000', { op: 'malloc', size: 1000 }],
    ['  MALLOC   0x10  ', { op: 'malloc', size: 16 }],
    ['malloc 0', { op: 'malloc', size: 0 }],
    ['malloc -5', { op: 'malloc', size: -5 }],
    ['calloc 4 25', { op: 'calloc', count: 4, size: 25 }],
    ['realloc 1000 3000', { op: 'realloc', address: 1000, size: 3000 }],
    ['free 2000', { op: 'free', address: 2000 }],
    ['get 1500', { op: 'get', address: 1500 }],
    ['write 1000 hi', { op: 'write', address: 1000, text: 'hi' }],
    ['write 1000  two  spaces ', { op: 'write', address: 1000, text: ' two  spaces ' }],
    ['write 1000 "a\\nb"', { op: 'write', address: 1000, text: 'a\nb' }],
    ['trim', { op: 'trim' }],
    ['a x 100', { op: 'a', id: 'x', size: 100 }],
    ['f x', { op: 'f', id: 'x' }],
    ['r x 0x20', { op: 'r', id: 'x', size: 32 }],
  ])('%j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });

  it('skips blank lines and # comments', () => {
    expect(parseCommand('')).toBeNull();
    expect(parseCommand('   ')).toBeNull();
    expect(parseCommand('# malloc 5')).toBeNull();
  });

  it.each([
    ['frobnicate 3', 'unknown command "frobnicate"'],
    ['malloc', 'usage: malloc <size>'],
    ['malloc 1 2', 'usage: malloc <size>'],
    ['calloc 4', 'usage: calloc <count> <size>'],
    ['free', 'usage: free <addr>'],
    ['trim now', 'usage: trim'],
    ['malloc ten', 'malloc: size "ten" is not an integer'],
    ['malloc 1.5', 'malloc: size "1.5" is not an integer'],
    ['realloc x 5', 'realloc: address "x" is not an integer'],
    ['write 1000', 'usage: write <addr> <text>'],
    ['write 1000 ', 'usage: write <addr> <text>'],
    ['write zz hi', 'write: address "zz" is not an integer'],
    ['write 1000 "unterminated', 'is not a valid JSON string'],
    ['f', 'usage: f <id>'],
    ['a x', 'usage: a <id> <size>'],
  ])('refuses %j', (line, message) => {
    expect(() => parseCommand(line)).toThrow(CommandSyntaxError);
    expect(() => parseCommand(line)).toThrow(message);
  });

  it('refuses what is not text', () => {
    expect(() => parseCommand(42 as unknown as string)).toThrow('a command must be text, not number');
  });
});

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('malloc' as const), size: fc.integer() }),
  fc.record({ op: fc.constant('calloc' as const), count: fc.nat(), size: fc.nat() }),
  fc.record({ op: fc.constant('realloc' as const), address: fc.nat(), size: fc.integer() }),
  fc.record({ op: fc.constantFrom('free' as const, 'get' as const), address: fc.nat() }),
  fc.record({ op: fc.constant('write' as const), address: fc.nat(), text: fc.string({ minLength: 1 }) }),
  fc.record({ op: fc.constant('trim' as const) }),
  fc.record({
    op: fc.constantFrom('a' as const, 'r' as const),
    id: fc.stringMatching(/^[\w@.-]+$/),
    size: fc.nat(),
  }),
  fc.record({ op: fc.constant('f' as const), id: fc.stringMatching(/^[\w@.-]+$/) }),
);

describe('formatCommand', () => {
  it('writes a line that parses back to the same command, for every command', () => {
    fc.assert(
      fc.property(commandArbitrary, (command) => {
        expect(parseCommand(formatCommand(command))).toEqual(command);
      }),
    );
  });

  it('writes plain text as typed and awkward text as JSON', () => {
    expect(formatCommand({ op: 'write', address: 1000, text: 'hi there' })).toBe('write 1000 hi there');
    expect(formatCommand({ op: 'write', address: 1000, text: ' x' })).toBe('write 1000 " x"');
    expect(formatCommand({ op: 'write', address: 1000, text: 'a\nb' })).toBe('write 1000 "a\\nb"');
  });
});
