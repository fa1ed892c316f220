import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The code-block languages whose snippets are checked. */
export const SNIPPET_LANGUAGES: readonly string[] = ['ts', 'typescript', 'js', 'javascript', 'mts', 'mjs'];

/**
 * How a snippet is checked:
 * - `'run'` (no marker): type-checked, then run with node; it must exit 0 and print nothing on stderr.
 * - `'vitest'` (`<!-- snippet: vitest -->`): type-checked, then run as a vitest test file (for
 *   snippets that are test files themselves, such as a contract suite).
 * - `'skip'` (`<!-- snippet: skip: <reason> -->`): not checked; the reason is required.
 */
export type SnippetMode = 'run' | 'vitest' | 'skip';

/** One fenced code block of a README. */
export interface Snippet {
  /** The README, relative to the repository root (`packages/os/README.md`). */
  readonly readme: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language (`ts`, `js`, ...). */
  readonly language: string;
  /** The code between the fences, ending with a newline. */
  readonly code: string;
  /** How it is checked. */
  readonly mode: SnippetMode;
  /** For `'skip'`, why the snippet cannot run. */
  readonly reason?: string;
}

/** A malformed marker or fence: the README and line, and what is wrong. */
export class SnippetSyntaxError extends Error {
  /**
   * @param readme the README.
   * @param line the 1-based line.
   * @param problem what is wrong.
   */
  constructor(readme: string, line: number, problem: string) {
    super(`${readme}:${line}: ${problem}`);
    this.name = 'SnippetSyntaxError';
  }
}

const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/**
 * Reads a marker comment's text (`vitest`, `skip: reason`).
 * @returns the mode and reason.
 * @throws SnippetSyntaxError for an unknown marker or a skip without a reason.
 */
function parseMarker(readme: string, line: number, text: string): { mode: SnippetMode; reason?: string } {
  if (text === 'vitest') return { mode: 'vitest' };
  const skip = /^skip(?::\s*(.*))?$/.exec(text);
  if (skip !== null) {
    const reason = skip[1]?.trim() ?? '';
    if (reason === '')
      throw new SnippetSyntaxError(
        readme,
        line,
        'a skipped snippet needs a reason: <!-- snippet: skip: why -->',
      );
    return { mode: 'skip', reason };
  }
  throw new SnippetSyntaxError(
    readme,
    line,
    `unknown snippet marker ${JSON.stringify(text)}; use <!-- snippet: vitest --> or <!-- snippet: skip: why -->`,
  );
}

/**
 * Extracts the TypeScript and JavaScript code blocks of one README, with the marker (an HTML
 * comment on the line right before the opening fence) that says how each is checked. Blocks in
 * other languages are ignored; a marker that is not followed by a checked block is an error.
 * @param readme the README's path, for messages.
 * @param markdown the README's text.
 * @returns the snippets in order.
 * @throws SnippetSyntaxError for a bad marker, a stray marker or an unclosed fence.
 */
export function extractSnippets(readme: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let pending: { mode: SnippetMode; reason?: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const marker = MARKER.exec(text);
    if (marker !== null) {
      pending = { ...parseMarker(readme, i + 1, marker[1]!), line: i + 1 };
      continue;
    }
    const fence = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(text);
    if (fence === null) {
      if (pending !== undefined)
        throw new SnippetSyntaxError(
          readme,
          pending.line,
          'a snippet marker must be right before a code block',
        );
      continue;
    }
    const language = fence[2]!.toLowerCase();
    const close = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence[1]!) && l.trim() === fence[1]);
    if (close < 0) throw new SnippetSyntaxError(readme, i + 1, 'code block is never closed');
    if (SNIPPET_LANGUAGES.includes(language)) {
      snippets.push({
        readme,
        line: i + 1,
        language,
        code: `${lines.slice(i + 1, close).join('\n')}\n`,
        mode: pending?.mode ?? 'run',
        ...(pending?.reason === undefined ? {} : { reason: pending.reason }),
      });
    } else if (pending !== undefined) {
      throw new SnippetSyntaxError(
        readme,
        pending.line,
        `a snippet marker is only for ${SNIPPET_LANGUAGES.join('/')} code blocks, not ${language || 'plain'} ones`,
      );
    }
    pending = undefined;
    i = close;
  }
  if (pending !== undefined)
    throw new SnippetSyntaxError(readme, pending.line, 'a snippet marker must be right before a code block');
  return snippets;
}

/**
 * The READMEs whose snippets are checked: the root's, those of every folder in `packages/` and
 * `apps/`, and the concept pages `docs/*.md`, as paths relative to `root`, sorted.
 * @param root the repository root.
 * @returns the paths.
 */
export function findReadmes(root: string): string[] {
  const found = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const readme = join(dir, entry.name, 'README.md');
      if (entry.isDirectory() && existsSync(readme)) found.push(relative(root, readme));
    }
  }
  const docs = join(root, 'docs');
  if (existsSync(docs))
    for (const entry of readdirSync(docs, { withFileTypes: true }))
      if (entry.isFile() && entry.name.endsWith('.md')) found.push(`docs/${entry.name}`);
  return found.sort();
}

/**
 * Every checked snippet of every README of the repository.
 * @param root the repository root.
 * @returns the snippets, README by README.
 * @throws SnippetSyntaxError for a malformed marker or fence.
 */
export function collectSnippets(root: string): Snippet[] {
  return findReadmes(root).flatMap((readme) =>
    extractSnippets(readme, readFileSync(join(root, readme), 'utf8')),
  );
}

/**
 * A file name for a snippet, unique in the repository: `packages-os-README-l91`.
 * @param snippet the snippet.
 * @returns the name, without extension.
 */
export function snippetName(snippet: Snippet): string {
  return `${snippet.readme.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-l${snippet.line}`;
}
