import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { afterAll, describe, expect, it } from 'vitest';

// The import graph of the published packages, as madge reads it (the same as
// `pnpm check:imports`): no circle anywhere, and @mems/core's folders import only downwards.

// madge's TypeScript detective warns through a deprecated Node API on every file; the warning
// is madge's, not ours.
process.noDeprecation = true;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsConfig = join(root, 'tsconfig.base.json');

/** madge over `dir`'s TypeScript sources, tests left out. */
function graphOf(dir: string): Promise<madge.MadgeInstance> {
  return madge(dir, {
    fileExtensions: ['ts'],
    tsConfig,
    excludeRegExp: [/\.test\.ts$/, /node_modules/, /dist\//],
  });
}

/**
 * @mems/core's floors, top-down: a module may import from its own floor or a lower one (earlier
 * in this list), never from a higher one. Modules at the top of src/ are the last floor.
 */
const CORE_FLOORS = ['errors', 'memory', 'policies', 'options', 'tables', 'ops', 'read'] as const;

/** The floor of a module path relative to packages/core/src (top-level modules: the top floor). */
function floorOf(path: string): number {
  const folder = path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
  const floor = (CORE_FLOORS as readonly string[]).indexOf(folder);
  return floor < 0 ? CORE_FLOORS.length : floor;
}

describe('the import graph', () => {
  it('has no circle in any package', async () => {
    const graph = await graphOf(join(root, 'packages'));
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    expect(graph.circular()).toEqual([]);
  });

  it("runs down @mems/core's folders (errors, memory, policies, options, tables, ops, read, then the heap)", async () => {
    const core = join(root, 'packages', 'core', 'src');
    const graph = await graphOf(core);
    const upward: string[] = [];
    for (const [file, imports] of Object.entries(graph.obj())) {
      if (file.startsWith('test-support/')) continue;
      for (const target of imports) {
        if (target.startsWith('..') || target.startsWith('/')) continue;
        if (floorOf(target) > floorOf(file)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
    // Every folder named above exists and holds modules (a renamed folder must update the list).
    const folders = new Set(Object.keys(graph.obj()).map((file) => file.split('/')[0]));
    for (const floor of CORE_FLOORS) expect(folders.has(floor), floor).toBe(true);
  });

  describe('the check itself', () => {
    const scratch = mkdtempSync(join(realpathSync(tmpdir()), 'mems-import-graph-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('finds a circle when there is one', async () => {
      writeFileSync(join(scratch, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(join(scratch, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
      const graph = await graphOf(scratch);
      expect(graph.circular().map((circle) => circle.map((file) => relative('.', file)).sort())).toEqual([
        ['a.ts', 'b.ts'],
      ]);
    });

    it('tells a floor from the one above it', () => {
      expect(floorOf('errors/call-errors.ts')).toBeLessThan(floorOf('memory/table-memory.ts'));
      expect(floorOf('ops/sub-chain.ts')).toBeLessThan(floorOf('read/lookup.ts'));
      expect(floorOf('read/lookup.ts')).toBeLessThan(floorOf('heap.ts'));
    });
  });
});
