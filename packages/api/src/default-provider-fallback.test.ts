/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh Node process in which koffi cannot be loaded (a preload makes `require('koffi')` fail,
// as on a platform without a koffi binary), using the built @mems/api as a user would.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const blockKoffi = fileURLToPath(new URL('./test-support/block-koffi.cjs', import.meta.url));

describe('@mems/api when koffi cannot be loaded', () => {
  it('mems_init() and createMems() fall back to the mock, with exactly one MemsWarning saying why', () => {
    const script = `
      import { createMems, mems_finish, mems_init, mems_malloc, mems_stats } from '@mems/api';
      const warnings = [];
      process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: w.message }));
      mems_init();
      mems_malloc(10);
      const globalProvider = mems_stats().provider;
      mems_finish();
      const heap = createMems();
      const heapProvider = heap.stats().provider;
      heap.finish();
      await new Promise((resolve) => setImmediate(resolve));
      process.stdout.write(JSON.stringify({ globalProvider, heapProvider, warnings }));
    `;
    const output = execFileSync(
      process.execPath,
      ['--no-deprecation', '--require', blockKoffi, '--input-type=module', '-e', script],
      { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = JSON.parse(output) as {
      globalProvider: string;
      heapProvider: string;
      warnings: { name: string; code: string; message: string }[];
    };
    expect(result.globalProvider).toBe('mock');
    expect(result.heapProvider).toBe('mock');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ name: 'MemsWarning', code: 'MEMS_MOCK_FALLBACK' });
    expect(result.warnings[0]!.message).toMatch(/koffi cannot be loaded .*Cannot find module 'koffi'/);
    expect(result.warnings[0]!.message).toContain('createMockProvider()');
  });
});
