import { describe, expect, it } from 'vitest';
import { HelpRequested, parseNumberOptions } from './cli-args.js';

const OPTIONS = { ops: 'operations in all', seed: 'a 32-bit integer', 'max-live': 'most live blocks' };
const parse = (...argv: string[]) =>
  parseNumberOptions(argv, OPTIONS, { name: 'mems-soak', description: 'Soak.' });

describe('the reliability command lines', () => {
  it('reads integer options under their written names, with or without a leading --', () => {
    expect(parse('--ops', '100', '--max-live', '7', '--seed=-3')).toEqual({
      ops: 100,
      'max-live': 7,
      seed: -3,
    });
    expect(parse('--', '--ops', '5')).toEqual({ ops: 5 });
    expect(parse()).toEqual({});
  });

  it('answers --help with every option', () => {
    for (const flag of ['--help', '-h']) {
      const help = (() => {
        try {
          parse(flag);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(help).toBeInstanceOf(HelpRequested);
      const text = (help as HelpRequested).message;
      expect(text).toContain('Usage: mems-soak');
      for (const option of ['--ops <n>', '--seed <n>', '--max-live <n>']) expect(text).toContain(option);
    }
  });

  it('refuses unknown options, missing values, non-integers and stray arguments, naming them', () => {
    expect(() => parse('--opz', '1')).toThrow(/unknown option '--opz'/);
    expect(() => parse('--ops')).toThrow(/argument missing/);
    expect(() => parse('--ops', '1.5')).toThrow(/"1.5" is not an integer/);
    expect(() => parse('--ops', ' ')).toThrow(/is not an integer/);
    expect(() => parse('100')).toThrow(/too many arguments|unexpected/);
    for (const argv of [['--opz'], ['--ops'], ['--ops', 'x'], ['100']])
      expect(() => parse(...argv)).not.toThrow(HelpRequested);
  });
});
