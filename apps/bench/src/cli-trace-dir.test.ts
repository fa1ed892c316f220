import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from './results.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mems-bench-trace-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small trace: allocations, a realloc, frees, and blocks left live at the end. */
function smallTrace(blocks: number): string {
  const lines: string[] = [];
  for (let i = 0; i < blocks; i++) lines.push(`a ${i} ${16 + ((i * 37) % 400)}`);
  for (let i = 0; i < blocks; i += 3) lines.push(`r ${i} ${500 + i}`);
  for (let i = 0; i < blocks; i += 2) lines.push(`f ${i}`);
  return `${lines.join('\n')}\n`;
}

const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--expose-gc', CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('pnpm bench --trace-dir', () => {
  it('replays the .trace and the .trace.gz of a folder with the traces workload', (ctx) => {
    if (!existsSync(CLI)) return ctx.skip('apps/bench is not built (pnpm build)');
    const traces = join(dir, 'traces');
    mkdirSync(traces);
    writeFileSync(join(traces, 'plain-one.trace'), smallTrace(300));
    writeFileSync(join(traces, 'packed-two.trace.gz'), gzipSync(smallTrace(200)));
    const out = join(dir, 'out');
    const run = bench('--quick', '--trace-dir', traces, '--contenders', 'tlsf/mmap', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchReport;
    expect(new Set(report.results.map((r) => r.workload))).toEqual(new Set(['traces']));
    expect(report.results.map((r) => [r.contender, r.point]).sort()).toEqual([
      ['tlsf/mmap', 'packed-two'],
      ['tlsf/mmap', 'plain-one'],
    ]);
    expect(report.notes.join('\n')).toContain(`traces replayed from ${traces}`);
    expect(readFileSync(join(out, 'benchmarks.md'), 'utf8')).toContain('plain-one');
  });

  it('stops before measuring when the folder holds no trace, or is none', (ctx) => {
    if (!existsSync(CLI)) return ctx.skip('apps/bench is not built (pnpm build)');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = bench('--trace-dir', empty, '--out', join(dir, 'never'));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no *.trace.gz or *.trace in it');
    const missing = bench('--trace-dir', join(dir, 'missing'), '--out', join(dir, 'never'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('not a folder');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
