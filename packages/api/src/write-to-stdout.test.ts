import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeToStdout } from './write-to-stdout.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeToStdout', () => {
  it('writes through process.stdout.write, unchanged, with the stream as this', () => {
    const written: string[] = [];
    const stdout = {
      write(this: unknown, text: string) {
        expect(this).toBe(stdout);
        written.push(text);
      },
    };
    writeToStdout('a\tb\n\n', { process: { stdout } });
    expect(written).toEqual(['a\tb\n\n']);
  });

  it('falls back to console.log without adding a newline when there is no process.stdout', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    writeToStdout('line 1\nline 2\n', {});
    writeToStdout('no newline', { process: {} });
    writeToStdout('x\n', { process: { stdout: { write: 'not a function' } } });
    expect(log.mock.calls).toEqual([['line 1\nline 2'], ['no newline'], ['x']]);
  });
});
