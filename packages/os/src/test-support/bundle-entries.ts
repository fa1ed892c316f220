import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

/** The package directory (`packages/os`). */
export const packageDir: string = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles entry points of this package the way `tsup.config.ts` does (ESM and CJS, shims on,
 * no declarations) into a fresh directory under `node_modules/.cache`, so that a child `node`
 * process can load them and still resolve `koffi` from this package. Tests use it instead of
 * `dist/`, which may be missing or stale when tests run without a build.
 * @param entries entry files relative to the package, for example `['src/index.node.ts']`.
 * @param platform the esbuild platform: `'node'` (default) or `'browser'`.
 * @returns the directory holding `<name>.js` (ESM) and `<name>.cjs` (CJS) for each entry.
 * @throws whatever tsup throws when the bundle cannot be built.
 */
export async function bundleEntries(
  entries: string[],
  platform: 'node' | 'browser' = 'node',
): Promise<string> {
  const cacheDir = join(packageDir, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const outDir = mkdtempSync(join(cacheDir, 'mems-os-entries-'));
  // Like the package: `.js` is ESM, `.cjs` is CommonJS.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await build({
    entry: entries.map((entry) => join(packageDir, entry)),
    outDir,
    format: platform === 'node' ? ['esm', 'cjs'] : ['esm'],
    platform,
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
    shims: true,
    dts: false,
    clean: false,
    silent: true,
    config: false,
    tsconfig: join(packageDir, 'tsconfig.json'),
  });
  return outDir;
}
