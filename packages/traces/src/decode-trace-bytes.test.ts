import { gzipSync } from 'node:zlib';
import { MemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { decodeTraceBytes } from './decode-trace-bytes';

const TEXT = '# a trace\na x 10\nr x 20\nf x\n';

describe('decodeTraceBytes (Node)', () => {
  it('decodes plain UTF-8 bytes', () => {
    expect(decodeTraceBytes(new TextEncoder().encode(TEXT))).toBe(TEXT);
    expect(decodeTraceBytes(Buffer.from('a é 1\n'))).toBe('a é 1\n');
  });

  it('gunzips bytes that start with 1f 8b, whatever the file is called', () => {
    expect(decodeTraceBytes(gzipSync(TEXT))).toBe(TEXT);
    expect(decodeTraceBytes(new Uint8Array(gzipSync(TEXT, { level: 9 })))).toBe(TEXT);
  });

  it('drops a byte-order mark, which would otherwise be part of the first operation', () => {
    expect(decodeTraceBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(TEXT)]))).toBe(
      TEXT,
    );
  });

  it('decodes no bytes to no text', () => {
    expect(decodeTraceBytes(new Uint8Array())).toBe('');
  });

  it('refuses truncated gzip, naming the call and the bytes', () => {
    const truncated = gzipSync(TEXT).subarray(0, 12);
    expect(() => decodeTraceBytes(truncated)).toThrow(
      /^decodeTraceBytes\(an object \(Uint8Array\)\): the bytes start with gzip's magic number \(1f 8b\) but do not decompress: /,
    );
  });

  it.each([['a x 1'], [[1, 2]], [null]])('refuses %o, naming the call', (value) => {
    expect(() => decodeTraceBytes(value as unknown as Uint8Array)).toThrow(MemsError);
    expect(() => decodeTraceBytes(value as unknown as Uint8Array)).toThrow(
      /^decodeTraceBytes\(.+\): the bytes must be a Uint8Array$/,
    );
  });
});
