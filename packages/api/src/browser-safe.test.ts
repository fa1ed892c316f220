/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(srcDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('the package source is browser-safe', () => {
  it.each(sources)(
    '%s imports no Node built-in and no koffi, and reaches process only through globalThis',
    (name) => {
      const text = readFileSync(`${srcDir}/${name}`, 'utf8');
      expect(text).not.toMatch(/from '(node:|fs|path|os|child_process|koffi|@mems\/os\/mmap)/);
      expect(text).not.toMatch(/require\(/);
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).not.toMatch(/(^|[^.\w])process\./m);
    },
  );
});
