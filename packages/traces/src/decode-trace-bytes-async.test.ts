import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTraceBytes } from './decode-trace-bytes';
import { decodeTraceBytesAsync } from './decode-trace-bytes-async';

const TEXT = '# a trace\na x 10\nr x 20\nf x\n';

// Node has DecompressionStream too, so the browser path runs here unchanged.
describe('decodeTraceBytesAsync (DecompressionStream)', () => {
  it('decodes plain UTF-8 bytes', async () => {
    expect(await decodeTraceBytesAsync(new TextEncoder().encode(TEXT))).toBe(TEXT);
  });

  it('gunzips bytes that start with 1f 8b', async () => {
    expect(await decodeTraceBytesAsync(gzipSync(TEXT))).toBe(TEXT);
  });

  it('gunzips a view into a larger buffer, reading only its own bytes', async () => {
    const gz = gzipSync(TEXT);
    const padded = new Uint8Array(gz.length + 20);
    padded.set(gz, 10);
    expect(await decodeTraceBytesAsync(padded.subarray(10, 10 + gz.length))).toBe(TEXT);
  });

  it('gives the same text as the Node decoder, plain or gzip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), async (text, gzip) => {
        const bytes = gzip ? gzipSync(text) : new TextEncoder().encode(text);
        expect(await decodeTraceBytesAsync(bytes)).toBe(decodeTraceBytes(bytes));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses truncated gzip, naming the call and the bytes', async () => {
    await expect(decodeTraceBytesAsync(new Uint8Array(gzipSync(TEXT).subarray(0, 12)))).rejects.toThrow(
      /^decodeTraceBytesAsync\(an object \(Uint8Array\)\): the bytes start with gzip's magic number \(1f 8b\) but do not decompress: /,
    );
  });

  it.each([['a x 1'], [new ArrayBuffer(4)], [undefined]])('refuses %o, naming the call', async (value) => {
    await expect(decodeTraceBytesAsync(value as unknown as Uint8Array)).rejects.toThrow(
      /^decodeTraceBytesAsync\(.+\): the bytes must be a Uint8Array$/,
    );
  });
});
