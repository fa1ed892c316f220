import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runAb } from './ab-run.js';
import { buildRef, buildWorkingTree, loadSide, resolveCommit } from './build-core.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const cacheDir = mkdtempSync(join(realpathSync(tmpdir()), 'mems-ab-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('the A/B build', () => {
  it("builds a ref's sources and the working tree into two separate, working allocators", async () => {
    const head = await buildRef(root, 'HEAD', cacheDir);
    expect(head.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(head.file.startsWith(join(cacheDir, head.commit!))).toBe(true);
    const tree = await buildWorkingTree(root, cacheDir);
    const [older, newer] = [await loadSide(head), await loadSide(tree)];
    expect(older.createHeap).not.toBe(newer.createHeap);
    for (const side of [older, newer]) {
      const heap = side.createHeap({ provider: side.createMockProvider(), policy: 'tlsf', frontCache: true });
      const p = heap.allocate(100);
      expect(p).toBe(1000);
      heap.free(p);
      heap.destroy();
      const mems = side.createMems({ provider: side.createMockProvider() });
      mems.free(mems.malloc(10));
      mems.finish();
    }
  }, 60_000);

  it('reuses the build of a commit it has built', async () => {
    const first = await buildRef(root, 'HEAD', cacheDir);
    const again = await buildRef(root, resolveCommit(root, 'HEAD'), cacheDir);
    expect(again.file).toBe(first.file);
  }, 60_000);

  it('refuses a ref git does not know, and one that looks like an option', () => {
    expect(() => resolveCommit(root, 'no-such-branch-here')).toThrow(
      /git does not know "no-such-branch-here"/,
    );
    expect(() => resolveCommit(root, '--all')).toThrow(/not a git ref/);
  });

  it('runs every configuration on both sides and pairs their rounds', async () => {
    const side = await loadSide(await buildRef(root, 'HEAD', cacheDir));
    const other = await loadSide(await buildWorkingTree(root, cacheDir));
    const result = runAb(side, other, {
      live: 200,
      rounds: 3,
      steps: 2000,
      configs: ['first-fit', 'tlsf+cache', 'api'],
    });
    expect(result.results.map((r) => r.config)).toEqual(['first-fit', 'tlsf+cache', 'api']);
    for (const r of result.results) {
      expect(r.ratios.perRound).toHaveLength(3);
      expect(r.oldNs).toBeGreaterThan(0);
      expect(r.newNs).toBeGreaterThan(0);
    }
  }, 60_000);
});
