/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_FREE, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import { formatSeedStats } from './seed-stats';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const copyPath = resolve(here, 'fixtures/seed-example-output.txt');
// The source of truth: the demo's fixture, which CI compares `pnpm start` with.
const sourcePath = resolve(repoRoot, 'apps/demo/src/fixtures/seed-example-output.txt');

/** The `mems_print_stats` blocks of the seed's expected output, each with its final newline. */
function statsBlocks(text: string): string[] {
  const blocks: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '----- MeMS SYSTEM STATS -----') continue;
    const end = lines.indexOf('-----------------------------', i);
    blocks.push(`${lines.slice(i, end + 1).join('\n')}\n`);
    i = end;
  }
  return blocks;
}

describe('formatSeedStats', () => {
  const expected = statsBlocks(readFileSync(copyPath, 'utf8'));

  it('finds the three stats blocks of the seed example', () => {
    expect(expected).toHaveLength(3);
  });

  it('prints the seed example after ten mallocs byte for byte', () => {
    expect(formatSeedStats(buildSnapshot(SEED_AFTER_MALLOCS))).toBe(expected[0]);
  });

  it('prints the seed example after freeing the fourth array byte for byte', () => {
    expect(formatSeedStats(buildSnapshot(SEED_AFTER_FREE))).toBe(expected[1]);
  });

  it('prints the seed example after the malloc that refills the hole byte for byte', () => {
    expect(formatSeedStats(buildSnapshot(SEED_AFTER_MALLOCS))).toBe(expected[2]);
  });

  it('uses real tabs and the one space after "Sub-chain Length array:"', () => {
    const text = formatSeedStats(buildSnapshot(SEED_AFTER_MALLOCS));
    expect(text).toContain('Pages used:\t3\n');
    expect(text).toContain('Space unused:\t2288\n');
    expect(text).toContain('Main Chain Length:\t3\n');
    expect(text).toContain('Sub-chain Length array: [5, 5, 3, ]\n');
  });

  it('prints an empty heap with no MAIN lines, zeros and an empty array', () => {
    expect(formatSeedStats(buildSnapshot([]))).toBe(
      [
        '----- MeMS SYSTEM STATS -----',
        'Pages used:\t0',
        'Space unused:\t0',
        'Main Chain Length:\t0',
        'Sub-chain Length array: []',
        '-----------------------------',
        '',
      ].join('\n'),
    );
  });

  it('takes "Pages used" and "Space unused" from the counters', () => {
    const snapshot = buildSnapshot(['P100 H8092'], { pageSize: 4096 });
    expect(snapshot.counters.pagesMapped).toBe(2);
    const text = formatSeedStats({
      ...snapshot,
      counters: { ...snapshot.counters, pagesMapped: 7, bytesFree: 11 },
    });
    expect(text).toContain('Pages used:\t7\n');
    expect(text).toContain('Space unused:\t11\n');
  });

  it("keeps its copy of the expected output identical to the demo's", () => {
    expect(readFileSync(copyPath, 'utf8')).toBe(readFileSync(sourcePath, 'utf8'));
  });
});
