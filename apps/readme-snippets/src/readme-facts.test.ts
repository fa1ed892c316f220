import { readFileSync } from 'node:fs';
import * as api from '@mems/api';
import * as os from '@mems/os';
import * as stats from '@mems/stats';
import * as traces from '@mems/traces';
import * as tracesNode from '@mems/traces/node';
import { describe, expect, it } from 'vitest';
import { findReadmes } from './readme-snippets.js';

// Facts the READMEs state that the code can contradict: each package README names everything its
// index exports, and no README states a test count (counts go stale with every new test).
const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** The names `index.ts` exports as types only (`type X` inside an export list, `export type {...}`). */
function typeExports(indexSource: string): string[] {
  const names = new Set<string>();
  for (const [, list] of indexSource.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const item of list!.split(',')) {
      const match = /^\s*type\s+(\w+)/.exec(item);
      if (match) names.add(match[1]!);
    }
  for (const [, list] of indexSource.matchAll(/export\s+type\s+\{([^}]*)\}/g))
    for (const item of list!.split(',')) {
      const name = item
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  return [...names];
}

/** Whether the README names `name` as code: `name`, `name(...)` or `name.x` inside backticks. */
const namesIt = (readme: string, name: string): boolean =>
  new RegExp(`\`[^\`\\n]*\\b${name}\\b[^\`\\n]*\``).test(readme);

describe('package READMEs name every export', () => {
  it.each([
    ['@mems/api', 'packages/api', api],
    ['@mems/os', 'packages/os', os],
    ['@mems/stats', 'packages/stats', stats],
    ['@mems/traces', 'packages/traces', traces],
  ] as const)('%s: every value and type its index exports is in its README', (_name, dir, module) => {
    const readme = read(`${dir}/README.md`);
    const names = [...Object.keys(module), ...typeExports(read(`${dir}/src/index.ts`))];
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !namesIt(readme, name))).toEqual([]);
  });

  it('@mems/traces: everything @mems/traces/node exports is in its README', () => {
    const readme = read('packages/traces/README.md');
    const names = Object.keys(tracesNode);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !namesIt(readme, name))).toEqual([]);
  });

  it('finds an export missing from a README', () => {
    expect(namesIt('`mems_malloc(size)` and `createMems`', 'mems_malloc')).toBe(true);
    expect(namesIt('`mems_malloc_as(type, count)`', 'mems_malloc')).toBe(false);
    expect(namesIt('mems_free without backticks', 'mems_free')).toBe(false);
    expect(typeExports("export { a, type B } from 'x';\nexport type { C, D as E } from 'y';")).toEqual([
      'B',
      'C',
      'E',
    ]);
  });
});

describe('READMEs state no test counts', () => {
  const COUNT = /\b\d[\d,]*\s+(?:unit\s+)?tests?\s+in\s+\d[\d,]*\s+files?\b/i;

  it.each(findReadmes(new URL('.', root).pathname))('%s', (readme) => {
    expect(read(readme)).not.toMatch(COUNT);
  });

  it('recognises a stated count', () => {
    expect('3,145 tests in 122 files').toMatch(COUNT);
    expect('one test in a file').not.toMatch(COUNT);
  });
});
