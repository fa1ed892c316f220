import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MemsError } from '@mems/os';
import { afterAll, describe, expect, it } from 'vitest';
import { traceFilesIn, traceNameOf } from './trace-files.js';
import { loadTraceScript } from './traces/trace-script.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-trace-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the traces of a folder', () => {
  it('takes every *.trace.gz and plain *.trace, recipes first, and reads both kinds', () => {
    writeFileSync(join(dir, 'zeta.trace'), 'a 0 16\na 1 32\nf 0\n');
    writeFileSync(join(dir, 'git-log.trace.gz'), gzipSync('a 0 100\nr 0 200\nf 0\n'));
    writeFileSync(join(dir, 'alpha.trace.gz'), gzipSync('a 0 8\n'));
    writeFileSync(join(dir, 'notes.txt'), 'not a trace');
    mkdirSync(join(dir, 'sub.trace'));
    const { files, duplicates } = traceFilesIn(dir);
    expect(files.map(traceNameOf)).toEqual(['git-log', 'alpha', 'zeta']);
    expect(duplicates).toEqual([]);
    const gz = loadTraceScript(files[0]!);
    expect(gz).toMatchObject({ name: 'git-log', length: 3 });
    const plain = loadTraceScript(files[2]!);
    expect(plain).toMatchObject({ name: 'zeta', length: 3 });
  });

  it('replays x.trace.gz, not also x.trace, and says which file it left out', () => {
    writeFileSync(join(dir, 'alpha.trace'), 'a 0 8\n');
    const { files, duplicates } = traceFilesIn(dir);
    expect(files).toContain(join(dir, 'alpha.trace.gz'));
    expect(files).not.toContain(join(dir, 'alpha.trace'));
    expect(duplicates).toEqual([join(dir, 'alpha.trace')]);
  });

  it('refuses what is not a folder with EINVAL', () => {
    for (const bad of [join(dir, 'zeta.trace'), join(dir, 'missing'), '', 7 as unknown as string]) {
      let caught: unknown;
      try {
        traceFilesIn(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MemsError);
      expect((caught as MemsError).code).toBe('EINVAL');
      expect((caught as MemsError).message).toContain('traceFilesIn');
    }
  });
});
