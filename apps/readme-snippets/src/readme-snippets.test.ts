import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractSnippets, findReadmes, SnippetSyntaxError, snippetName } from './readme-snippets.js';

describe('extractSnippets', () => {
  it('takes ts and js blocks with their line, and ignores other languages', () => {
    const markdown = [
      '# Title',
      '```sh',
      'pnpm add x',
      '```',
      '```ts',
      "import { a } from 'a';",
      'a();',
      '```',
      '```text',
      'output',
      '```',
      '```js',
      'console.log(1);',
      '```',
    ].join('\n');
    expect(extractSnippets('README.md', markdown)).toEqual([
      { readme: 'README.md', line: 5, language: 'ts', code: "import { a } from 'a';\na();\n", mode: 'run' },
      { readme: 'README.md', line: 12, language: 'js', code: 'console.log(1);\n', mode: 'run' },
    ]);
  });

  it('reads the vitest and skip markers on the line before a block', () => {
    const markdown = [
      '<!-- snippet: vitest -->',
      '```ts',
      'test();',
      '```',
      '<!-- snippet: skip: needs a browser -->',
      '```js',
      'window.x();',
      '```',
    ].join('\n');
    const [vitest, skipped] = extractSnippets('r.md', markdown);
    expect(vitest).toMatchObject({ mode: 'vitest', line: 2 });
    expect(skipped).toMatchObject({ mode: 'skip', reason: 'needs a browser', line: 6 });
  });

  it.each([
    ['<!-- snippet: skip -->\n```ts\nx\n```', 'r.md:1: a skipped snippet needs a reason'],
    ['<!-- snippet: skip:   -->\n```ts\nx\n```', 'r.md:1: a skipped snippet needs a reason'],
    ['<!-- snippet: run-later -->\n```ts\nx\n```', 'r.md:1: unknown snippet marker "run-later"'],
    [
      '<!-- snippet: vitest -->\ntext\n```ts\nx\n```',
      'r.md:1: a snippet marker must be right before a code block',
    ],
    ['<!-- snippet: vitest -->\n```sh\nx\n```', 'r.md:1: a snippet marker is only for'],
    ['<!-- snippet: vitest -->', 'r.md:1: a snippet marker must be right before a code block'],
    ['text\n```ts\nx', 'r.md:2: code block is never closed'],
  ])('refuses %j', (markdown, message) => {
    expect(() => extractSnippets('r.md', markdown)).toThrow(SnippetSyntaxError);
    expect(() => extractSnippets('r.md', markdown)).toThrow(message);
  });

  it('keeps a longer fence open across a shorter one inside it', () => {
    const markdown = ['````md', '```ts', 'not a snippet', '```', '````', '```ts', 'yes();', '```'].join('\n');
    expect(extractSnippets('r.md', markdown).map((s) => s.code)).toEqual(['yes();\n']);
  });
});

describe('findReadmes', () => {
  it('finds the root README, those of packages/* and apps/*, and docs/*.md', () => {
    const root = mkdtempSync(join(tmpdir(), 'readmes-'));
    try {
      for (const dir of ['packages/a', 'packages/b', 'apps/c', 'apps/d', 'docs/e'])
        mkdirSync(join(root, dir), { recursive: true });
      for (const file of [
        'README.md',
        'packages/a/README.md',
        'apps/c/README.md',
        'docs/e/README.md',
        'docs/policies.md',
        'docs/picture.svg',
      ])
        writeFileSync(join(root, file), '# x\n');
      expect(findReadmes(root)).toEqual([
        'README.md',
        'apps/c/README.md',
        'docs/policies.md',
        'packages/a/README.md',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names snippet files uniquely by README and line', () => {
    const snippet = {
      readme: 'packages/os/README.md',
      line: 91,
      language: 'ts',
      code: '',
      mode: 'run',
    } as const;
    expect(snippetName(snippet)).toBe('packages-os-README-l91');
  });
});
