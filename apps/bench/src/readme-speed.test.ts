import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bench-paths.js';
import { SAMPLE_REPORT } from './fixtures/sample-report.js';
import {
  normalizeMarkdown,
  README_SPEED_END,
  README_SPEED_START,
  readmeSpeedBlock,
  renderReadmeSpeed,
  updateReadmeSpeed,
} from './readme-speed.js';
import type { BenchReport } from './results.js';

describe("the root README's Speed tables", () => {
  it('are what the generator makes from the committed results file', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const report = JSON.parse(
      readFileSync(join(REPO_ROOT, 'apps/bench/results/latest.json'), 'utf8'),
    ) as BenchReport;
    // biome lays out the committed tables (padding); the content must be the generator's.
    expect(normalizeMarkdown(readmeSpeedBlock(readme))).toBe(normalizeMarkdown(renderReadmeSpeed(report)));
  });

  it('replace only the block between the markers', () => {
    const readme = `# Title\n\nbefore\n\n${README_SPEED_START}\nold\n${README_SPEED_END}\n\nafter\n`;
    const next = updateReadmeSpeed(readme, SAMPLE_REPORT);
    expect(next.startsWith('# Title\n\nbefore\n\n<!-- bench:speed:start -->\n')).toBe(true);
    expect(next.endsWith(`${README_SPEED_END}\n\nafter\n`)).toBe(true);
    expect(next).not.toContain('\nold\n');
    expect(readmeSpeedBlock(next)).toBe(renderReadmeSpeed(SAMPLE_REPORT));
    expect(updateReadmeSpeed(next, SAMPLE_REPORT)).toBe(next);
  });

  it('refuse a README without both markers, once each, in order', () => {
    for (const bad of [
      'no markers',
      `${README_SPEED_END}\n${README_SPEED_START}\n`,
      `${README_SPEED_START}\n${README_SPEED_START}\n${README_SPEED_END}\n`,
    ])
      expect(() => updateReadmeSpeed(bad, SAMPLE_REPORT)).toThrow(/markers/);
  });

  it('hold the run, the churn table, the paired ratios and the standings of the report', () => {
    const block = renderReadmeSpeed(SAMPLE_REPORT);
    expect(block).toContain('From the full run of 2026-01-02T03:04:05.000Z');
    expect(block).toContain('| MeMS tlsf · mmap | 40.0 [36.0–48.0] | 50.0 [45.0–60.0] | 90.0 [81.0–108] |');
    expect(block).toContain('| MeMS tlsf · mmap | 2.4× | 2.4× | 3.3× |');
    expect(block).toContain(
      '- churn, against libc malloc via koffi: ahead at 1k (2.4×, MeMS tlsf · mmap), 10k (2.4×, MeMS tlsf · mmap), 1M (3.3×, MeMS tlsf · mmap)',
    );
    // A run without the minimal-loop control is flagged: its koffi rows predate the fix.
    expect(block).toContain('predates the harness fix of issue 19');
    const withControl: BenchReport = {
      ...SAMPLE_REPORT,
      contenders: [
        ...SAMPLE_REPORT.contenders,
        { id: 'koffi-libc-minimal', label: 'minimal', group: 'peer' },
      ],
    };
    expect(renderReadmeSpeed(withControl)).not.toContain('predates');
  });

  it('normalise away only layout', () => {
    expect(normalizeMarkdown('| a | b |\n|:---|---:|\n| 1 | 2 |\n\ntext\nwrapped')).toBe(
      normalizeMarkdown('\n| a   |   b |\n| :-- | --: |\n| 1   |   2 |\n\n\ntext wrapped\n'),
    );
    expect(normalizeMarkdown('| a | 1 |')).not.toBe(normalizeMarkdown('| a | 2 |'));
  });
});
