import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as browserEntry from './index.js';
import * as nodeEntry from './index.node.js';
import { bundleEntries, packageDir } from './test-support/bundle-entries.js';

/** Every source file reachable from `entry` through relative imports, with its import specifiers. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const code = readFileSync(join(packageDir, 'src', file), 'utf8');
    const specifiers = [
      ...code.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*'([^']+)'|(?<!typeof )import\s*\(\s*'([^']+)'/g,
      ),
    ].map((match) => (match[1] ?? match[2])!);
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('./')) visit(specifier.slice(2).replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return graph;
}

/**
 * Runs a script in a fresh `node` process and returns what it printed as JSON. The script may
 * use `load(file)` (import for .js, require for .cjs) and `koffiLoaded()`, which looks for the
 * koffi addon among the process's shared objects and koffi among the CommonJS modules.
 * Its stderr is captured: it must be empty, or match `stderr` when the script is expected to
 * warn (so no warning reaches the test run's output, and none goes unnoticed).
 */
function runNode(dir: string, body: string, stderr?: RegExp): unknown {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(`${dir}/`)});
    const load = async (file) => file.endsWith('.cjs') ? require(${JSON.stringify(`${dir}/`)} + file) : import(${JSON.stringify(`${dir}/`)} + file);
    const koffiLoaded = () =>
      process.report.getReport().sharedObjects.some((path) => path.includes('koffi')) ||
      Object.keys(require.cache).some((path) => path.includes('koffi'));
    const result = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify(result));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (stderr === undefined) expect(run.stderr).toBe('');
  else expect(run.stderr).toMatch(stderr);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('entry points', () => {
  let nodeDir = '';
  let browserDir = '';

  beforeAll(async () => {
    nodeDir = await bundleEntries(['src/index.ts', 'src/index.node.ts', 'src/mmap.ts']);
    browserDir = await bundleEntries(['src/index.ts'], 'browser');
  }, 60_000);

  afterAll(() => {
    for (const dir of [nodeDir, browserDir]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('export the same names from the browser and the node entry', () => {
    expect(Object.keys(nodeEntry).sort()).toEqual(Object.keys(browserEntry).sort());
    expect(nodeEntry.createDefaultProvider).not.toBe(browserEntry.createDefaultProvider);
    expect(nodeEntry.MemsError).toBe(browserEntry.MemsError);
  });

  it('browser entry source imports no Node built-in and no koffi, even unused', () => {
    const graph = importGraph('index.ts');
    expect(graph.size).toBeGreaterThan(4);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) expect(`${file}: ${specifier}`).toMatch(/: \.\/[\w.-]+\.js$/);
    }
    expect([...graph.keys()]).not.toContain('mmap-provider.ts');
  });

  it('no source file imports koffi statically; only load-koffi.ts requires it, inside a function', () => {
    const graph = importGraph('index.node.ts');
    for (const [file, specifiers] of [...graph, ...importGraph('mmap.ts'), ...importGraph('testing.ts')]) {
      expect(specifiers, file).not.toContain('koffi');
    }
    expect(graph.has('load-koffi.ts')).toBe(true);
    const loader = readFileSync(join(packageDir, 'src', 'load-koffi.ts'), 'utf8');
    expect(loader).toMatch(/\n {6}koffi = createRequire\(import\.meta\.url\)\('koffi'\)/);
  });

  for (const file of ['index.node.js', 'index.node.cjs', 'index.js', 'index.cjs', 'mmap.js', 'mmap.cjs']) {
    it(`${file}: importing does not load koffi`, () => {
      const result = runNode(
        nodeDir,
        `const module = await load(${JSON.stringify(file)}); return { loaded: koffiLoaded(), exports: Object.keys(module).length };`,
      );
      expect(result).toEqual({ loaded: false, exports: expect.any(Number) });
    });
  }

  it.runIf(process.platform === 'linux' || process.platform === 'darwin')(
    'node entry: createDefaultProvider() loads koffi and returns the mmap provider (both builds)',
    () => {
      for (const file of ['index.node.js', 'index.node.cjs']) {
        const result = runNode(
          nodeDir,
          `const { createDefaultProvider } = await load(${JSON.stringify(file)});
           const provider = createDefaultProvider();
           const mapping = provider.map(provider.pageSize);
           new Uint8Array(mapping.buffer)[1] = 7;
           provider.unmap(mapping);
           return { name: provider.name, loaded: koffiLoaded(), mappedBytes: provider.mappedBytes };`,
        );
        expect(result).toEqual({ name: 'mmap', loaded: true, mappedBytes: 0 });
      }
    },
  );

  it('browser entry: createDefaultProvider() returns the mock and never loads koffi (both builds)', () => {
    for (const file of ['index.js', 'index.cjs']) {
      const result = runNode(
        nodeDir,
        `const { createDefaultProvider } = await load(${JSON.stringify(file)});
         const provider = createDefaultProvider();
         provider.unmap(provider.map(4096));
         return { name: provider.name, loaded: koffiLoaded() };`,
        // The browser build in Node says once why it gives the mock (MemsWarning).
        /^\(node:\d+\) \[MEMS_MOCK_FALLBACK\] MemsWarning: @mems\/os: createDefaultProvider\(\) returns the mock provider .*because this is the browser build of @mems\/os running in Node/,
      );
      expect(result).toEqual({ name: 'mock', loaded: false });
    }
  });

  it('browser entry bundles for the browser with no Node built-in, no require and no koffi', () => {
    const files = readdirSync(browserDir).filter((file) => file.endsWith('.js'));
    expect(files).toContain('index.js');
    for (const file of files) {
      const code = readFileSync(join(browserDir, file), 'utf8');
      expect(code).not.toMatch(/koffi/);
      expect(code).not.toMatch(/["']node:/);
      expect(code).not.toMatch(/\brequire\(/);
      expect(code).not.toMatch(/\bprocess\./);
    }
  });

  it.runIf(process.platform === 'linux')(
    'mmap: an mmap refused by the OS (ENOMEM under RLIMIT_AS) is a MemsError ENOMEM that changes nothing',
    () => {
      const result = runNode(
        nodeDir,
        `const { createMmapProvider } = await load('mmap.js');
         const provider = createMmapProvider();
         const keep = provider.map(provider.pageSize);
         const koffi = require('koffi');
         const libc = koffi.load('libc.so.6');
         const rlimit = koffi.struct({ cur: 'uint64_t', max: 'uint64_t' });
         const setrlimit = libc.func('setrlimit', 'int', ['int', koffi.pointer(rlimit)]);
         const vmSize = Number(/VmSize:\\s+(\\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
         const limit = BigInt(vmSize + 2 ** 30);
         if (setrlimit(9 /* RLIMIT_AS */, { cur: limit, max: limit }) !== 0) return { skipped: koffi.errno() };
         let error;
         try { provider.map(2 ** 32); } catch (e) { error = { name: e.name, code: e.code, message: e.message }; }
         return { error, mappedBytes: provider.mappedBytes, mappingCount: provider.mappingCount, keepLive: keep.live };`,
      );
      expect(result).toEqual({
        error: {
          name: 'MemsError',
          code: 'ENOMEM',
          message: expect.stringMatching(
            /^mmap\.map\(4294967296\): mmap\(.*\) failed with ENOMEM \(errno 12\)$/,
          ),
        },
        mappedBytes: 4096,
        mappingCount: 1,
        keepLive: true,
      });
    },
  );
});
