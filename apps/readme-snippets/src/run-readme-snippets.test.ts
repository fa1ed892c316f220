import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnippets, type Snippet, snippetName } from './readme-snippets.js';

// Every ts/js snippet of every README (root, packages/*, apps/*), as a user would paste it: each
// is written to a file inside this package (so `@mems/*` and koffi resolve as in a project that
// installed them), type-checked with tsc against the built packages' .d.ts, then run with node
// (or, marked `<!-- snippet: vitest -->`, as a vitest test file). A snippet's relative imports
// (`./my-provider.js`) come from ../fixtures. The packages must be built (`pnpm test` builds).

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const root = join(packageDir, '../../');
const snippets = collectSnippets(root);
const checked = snippets.filter((snippet) => snippet.mode !== 'skip');
const require = createRequire(import.meta.url);

/** The environment for child processes, without the variables of the vitest run around us. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST') env[key] = value;
  return { ...env, NO_COLOR: '1' };
}

const fileOf = (snippet: Snippet) =>
  snippet.mode === 'vitest' ? `${snippetName(snippet)}.test.mts` : `${snippetName(snippet)}.mts`;

let work = '';
const typeErrors = new Map<string, string[]>();

beforeAll(() => {
  work = mkdtempSync(join(packageDir, '.snippets-'));
  const fixtures = join(packageDir, 'fixtures');
  for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.ts'))) {
    copyFileSync(join(fixtures, file), join(work, file));
    const js = ts.transpileModule(readFileSync(join(fixtures, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(work, file.replace(/\.ts$/, '.js')), js);
  }
  for (const snippet of checked) {
    writeFileSync(join(work, fileOf(snippet)), snippet.code);
    if (snippet.mode === 'run') {
      const js = ts.transpileModule(snippet.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: fileOf(snippet),
      }).outputText;
      writeFileSync(join(work, `${snippetName(snippet)}.mjs`), js);
    }
  }
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: { types: ['node'], noEmit: true, customConditions: ['node'] },
      include: ['*.mts', '*.ts'],
    }),
  );
  writeFileSync(join(work, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mts'] } };\n");
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', work, '--pretty', 'false'],
    { encoding: 'utf8', env: childEnv() },
  );
  for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
    const match = /^(.*?)\(\d+,\d+\): error /.exec(line);
    const key = match === null ? 'tsconfig' : basename(match[1]!);
    if (line.trim() === '') continue;
    typeErrors.set(key, [...(typeErrors.get(key) ?? []), line]);
  }
}, 180_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('README snippets', () => {
  it('are found in the READMEs (ts and js code blocks)', () => {
    expect(checked.length).toBeGreaterThan(0);
    expect(new Set(snippets.map((snippet) => snippet.readme))).toContain('README.md');
  });

  it('type-check as a whole (no error outside the snippet files)', () => {
    const outside = [...typeErrors].filter(([file]) => !checked.some((snippet) => fileOf(snippet) === file));
    expect(outside).toEqual([]);
  });

  it.each(
    checked.map((snippet) => [`${snippet.readme}:${snippet.line} (${snippet.mode})`, snippet] as const),
  )('%s type-checks and runs', (_name, snippet) => {
    expect(typeErrors.get(fileOf(snippet)) ?? []).toEqual([]);
    const result =
      snippet.mode === 'vitest'
        ? spawnSync(
            process.execPath,
            [
              join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs'),
              'run',
              '--root',
              work,
              '--config',
              join(work, 'vitest.config.mjs'),
              fileOf(snippet),
            ],
            { cwd: work, encoding: 'utf8', env: childEnv(), timeout: 110_000 },
          )
        : spawnSync(process.execPath, [join(work, `${snippetName(snippet)}.mjs`)], {
            cwd: work,
            encoding: 'utf8',
            env: childEnv(),
            timeout: 110_000,
          });
    expect(result.error).toBeUndefined();
    const output = `status ${result.status} ${result.signal ?? ''}\n${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    if (snippet.mode === 'run') expect(result.stderr, output).toBe('');
    else expect(result.stdout, output).toMatch(/Tests +\d+ passed/);
  });
});
