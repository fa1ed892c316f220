import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const here = new URL('./', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
/** The Node-only sources: the `@mems/traces/node` entry and what only it imports. */
const NODE_ONLY = ['node.ts', 'decode-trace-bytes.ts'];
const sources = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('browser safety of @mems/traces (the visualiser bundles it)', () => {
  it('has sources on both sides of the line', () => {
    expect(sources).toContain('index.ts');
    for (const name of NODE_ONLY) expect(sources).toContain(name);
  });

  it.each(sources.filter((name) => !NODE_ONLY.includes(name)))(
    '%s imports only its neighbours and @mems/os (whose main entry is browser-safe), and touches no Node global',
    (name) => {
      const code = readFileSync(new URL(name, here), 'utf8');
      for (const [, specifier] of code.matchAll(/from\s+'([^']+)'/g)) {
        expect(specifier!.startsWith('./') || specifier === '@mems/os', `${name} imports ${specifier}`).toBe(
          true,
        );
        expect(NODE_ONLY.map((file) => `./${file.replace(/\.ts$/, '')}`)).not.toContain(specifier);
      }
      expect(code).not.toMatch(/\b(process|Buffer|require|__dirname)\b[.(]/);
    },
  );

  it('builds an index bundle that loads nothing from node: (the dist, whatever chunks tsup makes)', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(new URL(file, dist), 'utf8');
      expect(code, file).not.toMatch(/['"]node:|['"]zlib['"]/);
      for (const [, specifier] of code.matchAll(/from\s*['"]\.\/([^'"]+)['"]/g)) visit(specifier!);
    };
    visit('index.js');
    expect(seen.size).toBeGreaterThan(0);
  });
});
