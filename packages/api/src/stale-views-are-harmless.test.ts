/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Touching a view after its node is gone must never kill the process. On real pages a koffi view
// cannot be detached, and touching an address range given back with munmap is SIGSEGV (exit 139):
// so the mmap provider keeps a range reserved, its memory decommitted, while a view MeMS handed
// out over it may be reachable, and releases it once a FinalizationRegistry reports the buffer
// collected. Each case runs in a fresh Node process (with --expose-gc) using the built
// @mems/api as a user would, so a crash fails the test instead of the test runner.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const linux = process.platform === 'linux';

/** Runs an ES module script; returns its JSON output, or fails with how the process ended. */
function run(script: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({
    status: 0,
    signal: null,
    stderr: '',
  });
  return JSON.parse(child.stdout) as Record<string, unknown>;
}

/** Collects garbage and lets the FinalizationRegistry callbacks run (they are tasks). */
const COLLECT = `
  async function collect() {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
`;

describe.skipIf(!linux)('a view kept past the end of its node reads zeros, never kills the process', () => {
  it('after mems_finish: mems_view, mems_view_as and mems_memory_of results stay harmless', () => {
    const out = run(`
      import { mems_finish, mems_init, mems_malloc, mems_memory_of, mems_view, mems_view_as } from '@mems/api';
      mems_init({ alignment: 8 });
      const p = mems_malloc(64);
      const bytes = mems_view(p, 8);
      const words = mems_view_as(Float64Array, p, 1);
      const memory = mems_memory_of(p);
      bytes[0] = 7;
      memory.f64[(p - memory.base) >> 3] = 1.5;
      const before = words[0];
      mems_finish();
      const after = [bytes[0], words[0], memory.f64[(p - memory.base) >> 3], memory.u8[0]];
      bytes[1] = 9; // a write lands in a decommitted page, which reads zeros again later
      process.stdout.write(JSON.stringify({ before, after }));
    `);
    expect(out).toEqual({ before: 1.5, after: [0, 0, 0, 0] });
  });

  it('after trim unmaps a node: a view of it is harmless, and the range is released once the view is collected', () => {
    const out = run(`
      import { createMems } from '@mems/api';
      import { createMmapProvider } from '@mems/os/mmap';
      ${COLLECT}
      // Regions of 16 pages, so that a 20-page block has a reservation of its own, which its
      // unmap would release.
      const provider = createMmapProvider({ regionBytes: 16 * 4096 });
      const mems = createMems({ provider });
      const p = mems.malloc(20 * 4096);
      let view = mems.view(p);
      view.fill(5);
      mems.free(p);
      const trimmed = mems.trim();
      const kept = { regions: provider.regionCount, awaiting: provider.awaitingCollection };
      const read = view[100];
      view = null;
      await collect();
      const collected = { regions: provider.regionCount, awaiting: provider.awaitingCollection };
      mems.finish();
      process.stdout.write(JSON.stringify({ trimmed, kept, read, collected }));
    `);
    const { trimmed, ...rest } = out;
    expect(trimmed).toBeGreaterThanOrEqual(20 * 4096); // the node, released by trim
    expect(rest).toEqual({
      kept: { regions: 1, awaiting: 1 },
      read: 0,
      collected: { regions: 0, awaiting: 0 },
    });
  });

  it('a heap whose views were never handed out gives its address space back at finish, with no garbage collection', () => {
    const out = run(`
      import { createMems } from '@mems/api';
      import { createMmapProvider } from '@mems/os/mmap';
      const provider = createMmapProvider();
      const mems = createMems({ provider });
      mems.free(mems.calloc(100, 8));
      mems.realloc(mems.malloc(10), 100000);
      mems.finish();
      process.stdout.write(JSON.stringify({ regions: provider.regionCount, reserved: provider.reservedBytes }));
    `);
    expect(out).toEqual({ regions: 0, reserved: 0 });
  });

  it('the memoryOf object a finished heap handed out keeps its region until it is collected, then the region goes', () => {
    const out = run(`
      import { createMems } from '@mems/api';
      import { createMmapProvider } from '@mems/os/mmap';
      ${COLLECT}
      const provider = createMmapProvider();
      const mems = createMems({ provider });
      let memory = mems.memoryOf(mems.malloc(100));
      memory.u8[0] = 1;
      mems.finish();
      const kept = provider.awaitingCollection;
      memory.u8[0] = 2; // harmless
      memory = null;
      await collect();
      process.stdout.write(JSON.stringify({ kept, after: provider.awaitingCollection, regions: provider.regionCount }));
    `);
    expect(out).toEqual({ kept: 1, after: 0, regions: 0 });
  });
});
