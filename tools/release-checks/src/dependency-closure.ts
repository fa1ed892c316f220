import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readManifest } from './workspace-packages.js';

/**
 * Finds where `name` resolves from `fromDir`, the way Node does: the first
 * `node_modules/<name>` in `fromDir` or a folder above it.
 * @param name a package name.
 * @param fromDir the folder of the package that depends on it (its real path).
 * @returns the package's real folder, or `undefined` when it is not installed here.
 */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package an npm consumer installs along with the package in `dir`: its `dependencies`,
 * `optionalDependencies` and non-optional `peerDependencies` (npm installs those too), and theirs,
 * recursively, as resolved in this checkout. Optional peers are left out: the consumer chooses.
 * @param dir the package's folder.
 * @returns the names of the packages installed with it (not its own name).
 */
export function installClosure(dir: string): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [realpathSync(dir)];
  const root = readManifest(dir).name;
  while (queue.length > 0) {
    const pkgDir = queue.shift()!;
    const m = readManifest(pkgDir);
    const optionalPeers = new Set(
      Object.entries(m.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional === true)
        .map(([name]) => name),
    );
    const names = [
      ...Object.keys(m.dependencies ?? {}),
      ...Object.keys(m.optionalDependencies ?? {}),
      ...Object.keys(m.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
    ];
    for (const name of names) {
      if (name === root || seen.has(name)) continue;
      seen.add(name);
      // An optional dependency for another platform is not installed here: it has no dependencies to follow.
      const resolved = resolvePackageDir(name, pkgDir);
      if (resolved !== undefined) queue.push(resolved);
    }
  }
  return seen;
}
