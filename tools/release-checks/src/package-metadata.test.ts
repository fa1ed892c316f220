import { describe, expect, it } from 'vitest';
import { publishedPackages, REPO_ROOT, readManifest, workspacePackages } from './workspace-packages.js';

const REPOSITORY_URL = 'git+https://github.com/mems-ts/mems-ts.git';
const workspace = workspacePackages();
const workspaceNames = new Set(workspace.map((pkg) => pkg.name));
const published = publishedPackages();

describe('published package.json metadata', () => {
  describe.each(published.map((pkg) => [pkg.name, pkg] as const))('%s', (_name, pkg) => {
    const m = pkg.manifest;

    it('points at its folder of the repository, its README and the issue tracker', () => {
      expect(m.repository).toEqual({ type: 'git', url: REPOSITORY_URL, directory: pkg.path });
      expect(m.homepage).toBe(`https://github.com/mems-ts/mems-ts/tree/main/${pkg.path}#readme`);
      expect(m.bugs).toEqual({ url: 'https://github.com/mems-ts/mems-ts/issues' });
    });

    it('names its author, keywords and the Node versions it supports (those of the root)', () => {
      expect(m.author).toBe('MeMS contributors');
      expect(m.keywords?.length).toBeGreaterThanOrEqual(3);
      expect(m.keywords).toContain('mems');
      expect(m.engines).toEqual({ node: '>=20' });
      expect(m.engines).toEqual(readManifest(REPO_ROOT).engines);
    });

    it('depends on other workspace packages as workspace:^ (a caret range once published)', () => {
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        for (const [dep, range] of Object.entries(m[field] ?? {})) {
          if (workspaceNames.has(dep)) expect(`${field}.${dep} ${range}`).toBe(`${field}.${dep} workspace:^`);
        }
      }
    });

    it('depends on no private workspace package', () => {
      const privateNames = workspace.filter((p) => p.manifest.private).map((p) => p.name);
      expect(Object.keys(m.dependencies ?? {}).filter((dep) => privateNames.includes(dep))).toEqual([]);
    });
  });
});
