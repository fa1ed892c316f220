import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages, REPO_ROOT, run } from './workspace-packages.js';

const rootLicense = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
const published = publishedPackages();

describe('the licence', () => {
  it('is the MIT licence at the repository root, held by the MeMS contributors', () => {
    expect(rootLicense.startsWith('MIT License\n\nCopyright (c) 2026 MeMS contributors\n')).toBe(true);
    expect(rootLicense).toContain('Permission is hereby granted, free of charge');
    expect(rootLicense).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('covers the five published packages (the check below is not vacuous)', () => {
    expect(published.map((pkg) => pkg.name).sort()).toEqual([
      '@mems/api',
      '@mems/core',
      '@mems/os',
      '@mems/stats',
      '@mems/traces',
    ]);
  });

  describe.each(published.map((pkg) => [pkg.name, pkg] as const))('%s', (_name, pkg) => {
    it('says MIT in package.json and keeps a copy of the root LICENSE', () => {
      expect(pkg.manifest.license).toBe('MIT');
      const copy = join(pkg.dir, 'LICENSE');
      expect(existsSync(copy), `${pkg.path}/LICENSE is missing`).toBe(true);
      expect(readFileSync(copy, 'utf8')).toBe(rootLicense);
    });

    it('ships LICENSE in its tarball (pnpm pack)', () => {
      const packed = JSON.parse(run('pnpm', ['pack', '--dry-run', '--json'], pkg.dir)) as {
        files: { path: string }[];
      };
      const paths = packed.files.map((file) => file.path);
      expect(paths).toContain('LICENSE');
      expect(paths).toContain('README.md');
      expect(paths).toContain('package.json');
    });
  });
});
