import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from './read-trace-file.js';
import { parseTraceFile, TraceFileError } from './trace-file.js';

const SAMPLE = readFileSync(fileURLToPath(new URL('../../demo/traces/sample.trace', import.meta.url)));

describe('readTraceFile (the bytes of a picked or dropped file)', () => {
  it('reads a plain trace', async () => {
    expect(await readTraceFile('sample.trace', SAMPLE)).toEqual(
      parseTraceFile('sample.trace', SAMPLE.toString('utf8')),
    );
  });

  it('reads a gzip-compressed trace, whatever its name, as the plain one', async () => {
    const plain = parseTraceFile('sample.trace', SAMPLE.toString('utf8'));
    expect(plain.length).toBeGreaterThan(10);
    expect(await readTraceFile('sample.trace.gz', gzipSync(SAMPLE))).toEqual(plain);
    expect(await readTraceFile('sample.bin', new Uint8Array(gzipSync(SAMPLE)))).toEqual(plain);
  });

  it('reads a gzip-compressed CS:APP trace named .rep.gz', async () => {
    expect(await readTraceFile('x.rep.gz', gzipSync('1 1 2 1\na 0 5\nf 0\n'))).toEqual([
      { op: 'a', id: 'b0', size: 5 },
      { op: 'f', id: 'b0' },
    ]);
  });

  it('names the file and the line of a malformed line inside gzip', async () => {
    await expect(readTraceFile('bad.trace.gz', gzipSync('a x 10\nq y\n'))).rejects.toThrow(
      'bad.trace.gz, line 2: unknown operation "q"',
    );
  });

  it('refuses bytes that look gzip-compressed but do not decompress', async () => {
    const error = await readTraceFile('cut.trace.gz', gzipSync(SAMPLE).subarray(0, 20)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TraceFileError);
    expect((error as TraceFileError).message).toMatch(
      /^cut\.trace\.gz: looks gzip-compressed but does not decompress: \w/,
    );
  });
});
