import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SAMPLE_TRACE } from './test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-demo-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = 'a b1 2000\na b2 1500\nf b1\na c 500\na d 1400\n';
const file = join(dir, 'placement.trace');
writeFileSync(file, TRACE);
const GIT_LOG = fileURLToPath(new URL('../../bench/traces/git-log.trace.gz', import.meta.url));

const compare = (args: string[]) => runCli(['--provider', 'mock', 'compare', ...args]);

describe('mems-demo compare', () => {
  it('prints a table with one row per policy', () => {
    const run = compare([file]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Trace: ${file} (5 operations, provider mock, page size 4096)`);
    expect(lines.slice(2, 6).map((l) => l.split(/ +/)[0])).toEqual([
      'first-fit',
      'next-fit',
      'best-fit',
      'tlsf',
    ]);
  });

  it('agrees with `replay --json --policy P` for every policy', () => {
    const run = compare([file, '--json']);
    expect(run.status).toBe(0);
    const comparison = JSON.parse(run.stdout);
    for (const row of comparison.policies) {
      const single = JSON.parse(
        runCli(['--provider', 'mock', '--policy', row.policy, 'replay', file, '--json']).stdout,
      );
      for (const key of ['peakPagesMapped', 'peakLiveBytes', 'peakUtilisation', 'fragmentation', 'final'])
        expect(row[key], `${row.policy} ${key}`).toEqual(single[key]);
    }
    expect(comparison.policies[0].fragmentation).not.toEqual(comparison.policies[1].fragmentation);
  });

  it('reads a gzip-compressed trace and writes the utilisation chart with --svg', () => {
    const packed = join(dir, 'sample.trace.gz');
    writeFileSync(packed, gzipSync(readFileSync(SAMPLE_TRACE)));
    const svg = join(dir, 'chart.svg');
    const run = compare([packed, '--svg', svg]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(30 operations, provider mock, page size 4096)');
    const chart = readFileSync(svg, 'utf8');
    expect(chart.match(/<polyline /g)).toHaveLength(4);
  });

  it('replays a committed real-program trace', () => {
    const run = compare([GIT_LOG, '--json', '--samples', '10']);
    expect(run.status).toBe(0);
    const comparison = JSON.parse(run.stdout);
    expect(comparison.operations).toBeGreaterThan(50_000);
    for (const row of comparison.policies) {
      expect(row.peakUtilisation).toBeGreaterThan(0.5);
      expect(row.utilisationOverTime.operations).toHaveLength(10);
    }
  });

  it('refuses --policy, a malformed line, a missing file and a bad --samples', () => {
    const policy = runCli(['--provider', 'mock', '--policy', 'tlsf', 'compare', file]);
    expect(policy.status).toBe(1);
    expect(policy.stderr).toBe(
      'mems-demo: compare: it replays the trace under every policy, so --policy does not apply\n',
    );
    const bad = join(dir, 'bad.trace');
    writeFileSync(bad, 'a x 1\nq\n');
    const malformed = compare([bad]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toBe(
      `mems-demo: compare: ${bad}:2: unknown operation "q"; expected a <id> <size>, f <id> or r <id> <size>\n`,
    );
    const missing = compare([join(dir, 'missing.trace')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^mems-demo: compare: cannot read .*missing\.trace: ENOENT/);
    expect(compare([file, '--samples', '0']).status).toBe(1);
  });
});
