import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installClosure } from './dependency-closure.js';
import { publishedPackages, run } from './workspace-packages.js';

const published = new Map(publishedPackages().map((pkg) => [pkg.name, pkg]));
const os = published.get('@mems/os')!;
const api = published.get('@mems/api')!;

describe('koffi (a native addon) is installed only by those who want real pages', () => {
  it('is an optional peer of @mems/os, not one of its dependencies', () => {
    expect(os.manifest.dependencies?.koffi).toBeUndefined();
    expect(os.manifest.optionalDependencies?.koffi).toBeUndefined();
    expect(os.manifest.peerDependencies?.koffi).toBe('^3.3.4');
    expect(os.manifest.peerDependenciesMeta?.koffi).toEqual({ optional: true });
    // Its own tests run on real pages: the version they run against is the one @mems/api installs.
    expect(os.manifest.devDependencies?.koffi).toBe(api.manifest.dependencies?.koffi);
  });

  it.each(['@mems/os', '@mems/core', '@mems/stats', '@mems/traces'])(
    'is not installed with %s (browser users)',
    (name) => {
      const closure = [...installClosure(published.get(name)!.dir)];
      expect(closure.filter((dep) => dep.includes('koffi'))).toEqual([]);
    },
  );

  it('is a dependency of @mems/api, whose default provider on Node is mmap', () => {
    expect(api.manifest.dependencies?.koffi).toBe('3.3.4');
    expect(installClosure(api.dir).has('koffi')).toBe(true);
  });
});

describe('@mems/os/mmap loads koffi from the consumer (an npm project with the packed @mems/os)', () => {
  let project: string;
  let modules: string;
  beforeAll(() => {
    project = mkdtempSync(join(realpathSync(tmpdir()), 'mems-consumer-'));
    modules = join(project, 'node_modules');
    mkdirSync(join(modules, '@mems', 'os'), { recursive: true });
    const packed = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', project], os.dir)) as {
      filename: string;
    };
    run(
      'tar',
      ['-xzf', packed.filename, '-C', join(modules, '@mems', 'os'), '--strip-components=1'],
      project,
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  /** Runs a CommonJS script in the consumer project and returns its stdout. */
  const runInProject = (script: string): string => {
    // No NODE_PATH: pnpm sets one to its store when it runs the tests, a consumer has none.
    const env = { ...process.env, NODE_PATH: '' };
    const result = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  };
  const mapOnePage = `
    const { createMmapProvider } = require('@mems/os/mmap');
    try {
      const provider = createMmapProvider();
      const mapping = provider.map(provider.pageSize);
      new Uint8Array(mapping.buffer)[0] = 7;
      provider.unmap(mapping);
      console.log(provider.name, 'mapped');
    } catch (error) {
      console.log(error.code, error.message);
    }`;

  it('without koffi installed, refuses with ENOMEM saying koffi cannot be loaded', () => {
    expect(runInProject(mapOnePage)).toMatch(/^ENOMEM createMmapProvider\(\): koffi cannot be loaded/);
  });

  it.runIf(process.platform === 'linux')('with koffi installed beside it, maps real pages', () => {
    // As npm and pnpm lay out an optional peer the consumer installed: resolvable from @mems/os.
    symlinkSync(realpathSync(join(api.dir, 'node_modules', 'koffi')), join(modules, 'koffi'), 'dir');
    expect(runInProject(mapOnePage)).toBe('mmap mapped\n');
  });
});
