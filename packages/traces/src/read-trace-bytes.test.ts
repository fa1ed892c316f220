import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OP_ALLOCATE, OP_FREE } from './operations';
import { readTraceBytes } from './read-trace-bytes';
import { TraceError } from './trace-error';

describe('readTraceBytes', () => {
  it('parses plain and gzip-compressed bytes alike', async () => {
    for (const bytes of [new TextEncoder().encode('a x 5\nf x\n'), gzipSync('a x 5\nf x\n')]) {
      const trace = await readTraceBytes(bytes);
      expect(Array.from(trace.ops)).toEqual([OP_ALLOCATE, OP_FREE]);
      expect(trace.names).toEqual(['x']);
    }
  });

  it('reports a malformed line of a gzip-compressed trace with its number', async () => {
    const error = await readTraceBytes(gzipSync('a x 5\n# fine\nfree x\n')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).line).toBe(3);
    expect((error as TraceError).reason).toContain('unknown operation "free"');
  });

  it('refuses what is not bytes, naming the call', async () => {
    await expect(readTraceBytes('a x 5' as unknown as Uint8Array)).rejects.toThrow(
      'readTraceBytes("a x 5"): the bytes must be a Uint8Array',
    );
  });
});
