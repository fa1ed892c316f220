/**
 * Where the built worker entry of `pnpm fuzz --shared N` is: worker threads run plain
 * JavaScript, so they load dist/shared-fuzz-thread.js, beside the running bundle (dist/) or,
 * when the sources run under vitest, in dist/ seen from src/ (`pnpm build` makes it).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker entry's URL.
 * @param requireFresh when true (the tests), refuse a build older than a source file of this
 *   package, so that a test never runs stale worker code.
 * @throws Error when `requireFresh` and the build is missing or stale.
 */
export function fuzzThreadScript(requireFresh = false): URL {
  const beside = new URL('./shared-fuzz-thread.js', import.meta.url);
  const script = existsSync(fileURLToPath(beside))
    ? beside
    : new URL('../../dist/shared-fuzz-thread.js', import.meta.url);
  if (requireFresh) {
    const path = fileURLToPath(script);
    if (!existsSync(path)) throw new Error(`${path} is missing: build first (pnpm build)`);
    const built = statSync(path).mtimeMs;
    const newest = newestSource(fileURLToPath(new URL('../src', script)));
    if (newest.mtimeMs > built)
      throw new Error(`${path} is older than ${newest.path}: rebuild first (pnpm build)`);
  }
  return script;
}

function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory()
      ? newestSource(path)
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? { path, mtimeMs: statSync(path).mtimeMs }
        : null;
    if (found !== null && found.mtimeMs > newest.mtimeMs) newest = found;
  }
  return newest;
}
