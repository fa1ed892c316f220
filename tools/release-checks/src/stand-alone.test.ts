import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, run } from './workspace-packages.js';

/** Every file git tracks, relative to the repository root. */
const tracked = run('git', ['ls-files', '-z'], REPO_ROOT)
  .split('\0')
  .filter((path) => path !== '');

/** Paths outside the repository that a fresh clone does not have (spelt so this file does not match). */
const OUTSIDE = [['shared', 'seed'].join('/'), ['..', 'shared'].join('/')];

/** The seed's expected output: the demo's fixture, which CI compares `pnpm start` with. */
const SOURCE_OF_TRUTH = 'apps/demo/src/fixtures/seed-example-output.txt';

describe('the repository stands alone', () => {
  it('has tracked files to look at', () => {
    expect(tracked).toContain('README.md');
    expect(tracked).toContain(SOURCE_OF_TRUTH);
  });

  it('cites no path outside itself (docs, --help, comments, tests)', () => {
    const citing: string[] = [];
    for (const path of tracked) {
      if (path.endsWith('.svg') || path === 'pnpm-lock.yaml') continue;
      const text = readFileSync(join(REPO_ROOT, path), 'utf8');
      for (const [index, line] of text.split('\n').entries())
        if (OUTSIDE.some((outside) => line.includes(outside)))
          citing.push(`${path}:${index + 1}: ${line.trim()}`);
    }
    expect(citing).toEqual([]);
  });

  it("keeps every copy of the seed's expected output identical to the demo's fixture", () => {
    const copies = tracked.filter((path) => path.endsWith('/seed-example-output.txt'));
    expect(copies.length).toBeGreaterThan(1);
    const source = readFileSync(join(REPO_ROOT, SOURCE_OF_TRUTH), 'utf8');
    for (const copy of copies)
      expect(`${copy}\n${readFileSync(join(REPO_ROOT, copy), 'utf8')}`).toBe(`${copy}\n${source}`);
  });
});
