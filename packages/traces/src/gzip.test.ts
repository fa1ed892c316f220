import { gzipSync } from 'node:zlib';
import { MemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { isGzip } from './gzip';

describe('isGzip', () => {
  it('recognises gzip by its first two bytes', () => {
    expect(isGzip(gzipSync('a x 1\n'))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f, 0x8b]))).toBe(true);
  });

  it('says no to plain text, one byte, no bytes and a near miss', () => {
    expect(isGzip(new TextEncoder().encode('a x 1\n'))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array())).toBe(false);
    expect(isGzip(new Uint8Array([0x1f, 0x8c]))).toBe(false);
  });

  it.each([['a x 1'], [[0x1f, 0x8b]], [new ArrayBuffer(2)], [null]])(
    'refuses %o, naming the call',
    (value) => {
      expect(() => isGzip(value as unknown as Uint8Array)).toThrow(MemsError);
      expect(() => isGzip(value as unknown as Uint8Array)).toThrow(
        /^isGzip\(.+\): the bytes must be a Uint8Array$/,
      );
    },
  );
});
