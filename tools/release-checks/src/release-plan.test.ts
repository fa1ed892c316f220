import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackageManifest, REPO_ROOT, readManifest, workspacePackages } from './workspace-packages.js';

const CHANGESET_DIR = join(REPO_ROOT, '.changeset');
const workspace = workspacePackages();
const privates = workspace.filter((pkg) => pkg.manifest.private === true);
const published = workspace.filter((pkg) => pkg.manifest.private !== true);

/** The packages a changeset file names in its frontmatter, with their bump types. */
function namedPackages(file: string): Map<string, string> {
  const text = readFileSync(join(CHANGESET_DIR, file), 'utf8');
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!front) throw new Error(`.changeset/${file} has no frontmatter`);
  const named = new Map<string, string>();
  for (const line of front[1]!.split('\n').filter((l) => l.trim() !== '')) {
    const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
    if (!entry) throw new Error(`.changeset/${file}: cannot read "${line}"`);
    named.set(entry[1]!, entry[2]!);
  }
  return named;
}

/** The pending changesets, in the order changesets reads them (by file name). */
const changesetFiles = readdirSync(CHANGESET_DIR)
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .sort();

describe('the pending changesets', () => {
  it.each(changesetFiles)('%s names only published packages of this workspace', (file) => {
    const names = [...namedPackages(file).keys()];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(published.map((pkg) => pkg.name)).toContain(name);
  });

  it.each(
    published.filter((pkg) => pkg.manifest.version === '0.0.0').map((pkg) => [pkg.name, pkg.path] as const),
  )('%s, not yet released, comes first with its 0-first-release changeset', (name, path) => {
    const file = `0-first-release-${path.split('/').pop()}.md`;
    expect(namedPackages(file)).toEqual(new Map([[name, 'minor']]));
    expect(changesetFiles.find((f) => namedPackages(f).has(name))).toBe(file);
  });
});

describe('`changeset version` on a copy of the workspace', () => {
  let copy: string;
  let output: string;
  const before = new Map<string, PackageManifest>(workspace.map((pkg) => [pkg.path, pkg.manifest]));
  const versioned = (path: string): PackageManifest => readManifest(join(copy, path));
  const changelog = (path: string): string => readFileSync(join(copy, path, 'CHANGELOG.md'), 'utf8');

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'mems-release-plan-'));
    for (const file of ['package.json', 'pnpm-workspace.yaml'])
      copyFileSync(join(REPO_ROOT, file), join(copy, file));
    mkdirSync(join(copy, '.changeset'));
    for (const file of readdirSync(CHANGESET_DIR))
      copyFileSync(join(CHANGESET_DIR, file), join(copy, '.changeset', file));
    for (const pkg of workspace) {
      mkdirSync(join(copy, pkg.path), { recursive: true });
      for (const file of ['package.json', 'CHANGELOG.md'])
        if (existsSync(join(pkg.dir, file))) copyFileSync(join(pkg.dir, file), join(copy, pkg.path, file));
    }
    const bin = createRequire(import.meta.url).resolve('@changesets/cli/bin.js');
    const result = spawnSync(process.execPath, [bin, 'version'], { cwd: copy, encoding: 'utf8' });
    output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('consumes every pending changeset', () => {
    expect(
      readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md'),
    ).toEqual([]);
  });

  it.each(privates.map((pkg) => [pkg.name, pkg.path] as const))(
    'leaves the private %s alone: same package.json, no CHANGELOG',
    (_name, path) => {
      expect(readFileSync(join(copy, path, 'package.json'), 'utf8')).toBe(
        readFileSync(join(REPO_ROOT, path, 'package.json'), 'utf8'),
      );
      expect(existsSync(join(copy, path, 'CHANGELOG.md'))).toBe(false);
    },
  );

  it.each(published.map((pkg) => [pkg.name, pkg.path] as const))(
    'releases %s: 0.0.0 becomes 0.1.0, its first release, listed first in its CHANGELOG',
    (name, path) => {
      const old = before.get(path)!.version;
      const next = versioned(path).version;
      if (old === '0.0.0') {
        expect(next).toBe('0.1.0');
        const text = changelog(path);
        expect(text.startsWith(`# ${name}\n\n## 0.1.0\n\n### Minor Changes\n\n- First release of `)).toBe(
          true,
        );
        // Only one version entry: nothing was released before.
        expect(text.match(/^## /gm)).toHaveLength(1);
      } else {
        expect(changelog(path).includes(`\n## ${next}\n`)).toBe(true);
      }
    },
  );

  it.each(published.map((pkg) => [pkg.name, pkg.path] as const))(
    '%s keeps its internal dependencies as workspace:^ and says "Updated dependencies" at most once per version',
    (_name, path) => {
      const deps = versioned(path).dependencies ?? {};
      for (const [dep, range] of Object.entries(deps))
        if (dep.startsWith('@mems/')) expect(`${dep} ${range}`).toBe(`${dep} workspace:^`);
      for (const entry of changelog(path).split(/^## /m).slice(1))
        expect(entry.match(/^- Updated dependencies/gm)?.length ?? 0).toBeLessThanOrEqual(1);
    },
  );
});
