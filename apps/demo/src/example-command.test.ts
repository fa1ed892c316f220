import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BLOCK_KOFFI,
  EXPECTED_EXAMPLE,
  MOCK_NOTICE,
  maskPhysical,
  physicalAddressOf,
  runCli,
} from './test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-demo-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// CI's acceptance test compares `pnpm --silent start` with this file: the seed's expected output.
const ciScript = resolve(fileURLToPath(import.meta.url), '../../../../.ci/run');

describe('mems-demo example', () => {
  it('uses the fixture that CI compares `pnpm start` with', () => {
    expect(readFileSync(ciScript, 'utf8')).toContain(
      'diff -u apps/demo/src/fixtures/seed-example-output.txt "$out/masked.txt"',
    );
    expect(EXPECTED_EXAMPLE).toContain('------- Allocated virtual addresses [mems_malloc] -------\n');
    expect(EXPECTED_EXAMPLE).toContain('Virtual address: 1000\tPhysical Address: {PHYSICAL}\n');
  });

  it('prints exactly the expected output on the default provider, with a real address', () => {
    const run = runCli(['example']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
    const address = physicalAddressOf(run.stdout)!;
    expect(address).toBeGreaterThan(0n);
    // A page-aligned address from mmap (Linux's pages are 4 KiB), nothing like the mock's.
    expect(address % 4096n).toBe(0n);
    if (process.platform === 'linux') expect(address).not.toBe(0x1000_0000n);
  });

  it('prints exactly the expected output on the mock provider (through views), naming the provider on stderr', () => {
    const run = runCli(['--provider', 'mock', 'example']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(MOCK_NOTICE);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
    expect(physicalAddressOf(run.stdout)).toBe(0x1000_0000n);
  });

  it.runIf(process.platform === 'linux')('prints exactly the expected output on --provider mmap', () => {
    const run = runCli(['example', '--provider', 'mmap']);
    expect(run.status).toBe(0);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
  });

  it('writes an SVG picture with --svg, and the same text', () => {
    const file = join(dir, 'example.svg');
    const run = runCli(['--provider', 'mock', 'example', '--svg', file]);
    expect(run.status).toBe(0);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(svg).toContain('MAIN[1000:5095]');
    expect(svg).toContain('MAIN[9192:13287]');
  });

  it('reports an unwritable --svg in one line with exit code 1, after the whole example printed', () => {
    const file = join(dir, 'missing-dir', 'example.svg');
    const run = runCli(['--provider', 'mock', 'example', '--svg', file]);
    expect(run.status).toBe(1);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
    expect(run.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: example: --svg: cannot write ${file}: ENOENT: no such file or directory, open '${file}'\n`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('when koffi cannot load: warns once, names the mock provider, and still prints the example', () => {
    const run = runCli(['example'], { nodeArgs: ['--require', BLOCK_KOFFI] });
    expect(run.status).toBe(0);
    expect(maskPhysical(run.stdout)).toBe(EXPECTED_EXAMPLE);
    expect(physicalAddressOf(run.stdout)).toBe(0x1000_0000n); // the mock's first address
    expect(run.stderr.match(/MemsWarning/g)).toHaveLength(1);
    expect(run.stderr.startsWith(MOCK_NOTICE)).toBe(true);
    expect(run.stderr).toMatch(
      /^\(node:\d+\) \[MEMS_MOCK_FALLBACK\] MemsWarning: @mems\/os: createDefaultProvider\(\) returns the mock provider .* because the mmap provider cannot be created: createMmapProvider\(\): koffi cannot be loaded on .*: Cannot find module 'koffi' \(blocked by test-support\/block-koffi\.cjs\)\. Choose a provider explicitly/m,
    );
    const explicit = runCli(['--provider', 'mmap', 'example'], { nodeArgs: ['--require', BLOCK_KOFFI] });
    expect(explicit.status).toBe(1);
    expect(explicit.stdout).toBe('');
    expect(explicit.stderr).toMatch(/^mems-demo: ENOMEM: createMmapProvider\(\): koffi cannot be loaded/);
  });

  it('follows the global options (best fit has the front cache on: 1000 bytes round up to 1008)', () => {
    const run = runCli(['--provider', 'mock', '--policy', 'best-fit', 'example']);
    expect(maskPhysical(run.stdout)).not.toBe(EXPECTED_EXAMPLE);
    expect(run.stdout).toContain('Virtual address: 2008\n');
    expect(run.stdout).toContain(
      'MAIN[1000:5095]-> P[1000:2007] <-> P[2008:3015] <-> P[3016:4023] <-> P[4024:5031] <-> H[5032:5095] <-> NULL',
    );
    const shifted = runCli(['--provider', 'mock', '--start', '0', 'example']);
    expect(shifted.stdout).toContain('Virtual address: 0\n');
    expect(shifted.stdout).toContain('MAIN[0:4095]-> P[0:999]');
  });

  it('reports a bad option as one line on stderr with exit code 1 and prints nothing', () => {
    const run = runCli(['--page-size', '1000', 'example']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "mems-demo: EINVAL: mems_init: option pageSize = 1000: must be a positive multiple or divisor of the provider's page size 4096\n",
    );
  });
});
