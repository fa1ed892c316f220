import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { readTraceText } from './trace-input.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-demo-trace-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = 'a b1 2000\na b2 1500\nf b1\n';

describe('readTraceText', () => {
  it('reads plain and gzip-compressed traces alike, whatever the name', () => {
    const plain = join(dir, 'p.trace');
    const packed = join(dir, 'p.trace.gz');
    const unnamed = join(dir, 'p.bin');
    writeFileSync(plain, TRACE);
    writeFileSync(packed, gzipSync(TRACE));
    writeFileSync(unnamed, gzipSync(TRACE));
    expect(readTraceText('compare', plain)).toBe(TRACE);
    expect(readTraceText('compare', packed)).toBe(TRACE);
    expect(readTraceText('replay', unnamed)).toBe(TRACE);
  });

  it('reports a missing file and a broken gzip as CliErrors naming the command and the file', () => {
    const missing = join(dir, 'missing');
    expect(() => readTraceText('compare', missing)).toThrow(CliError);
    expect(() => readTraceText('compare', missing)).toThrow(`compare: cannot read ${missing}: ENOENT`);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(() => readTraceText('replay', broken)).toThrow(CliError);
    expect(() => readTraceText('replay', broken)).toThrow(
      new RegExp(
        `^replay: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} looks gzip-compressed but does not decompress: \\w`,
      ),
    );
  });
});
