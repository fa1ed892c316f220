/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
/** The files that end up in the published bundle: every non-test .ts file outside fixtures/. */
const sources = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('browser safety', () => {
  it('has source files to check', () => {
    expect(sources).toContain('index.ts');
  });

  it.each(sources)('%s imports no Node built-in and touches no Node global', (name) => {
    const code = readFileSync(`${here}/${name}`, 'utf8');
    const imports = [...code.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const specifier of imports) {
      expect(specifier.startsWith('./') || specifier === '@mems/core' || specifier === '@mems/os').toBe(true);
    }
    expect(code).not.toMatch(/\b(process|Buffer|require|__dirname)\b[.(]/);
  });

  it('imports @mems/core for types only', () => {
    for (const name of sources) {
      const code = readFileSync(`${here}/${name}`, 'utf8');
      for (const line of code.split('\n').filter((l) => l.includes("from '@mems/core'"))) {
        expect(line.startsWith('import type ')).toBe(true);
      }
    }
  });
});
