import {
  createMems,
  type Mems,
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_realloc,
  mems_validate,
  mems_view,
} from '@mems/api';
import { createMmapProvider, readByteAt } from '@mems/os/mmap';
import { describe, expect, it } from 'vitest';
import { runIntegrityWorkload } from './integrity-workload.js';

const POLICIES = ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const;

describe('data integrity on real pages (mmap)', () => {
  for (const policy of POLICIES) {
    for (const [pageSize, alignment] of [
      [4096, 1],
      [8192, 16],
      [2048, 8], // heap pages smaller than the OS page: each node maps a whole OS page
    ] as const) {
      it(`${policy}, pageSize ${pageSize}, alignment ${alignment}: every block keeps its bytes`, () => {
        const provider = createMmapProvider();
        const mems = createMems({ provider, policy, pageSize, alignment });
        const counts = runIntegrityWorkload(mems, {
          ops: 2000,
          seed: pageSize + alignment,
          batch: 100,
          verifyAllAfterRealloc: true,
          maxLive: 150,
          pageSize,
          readRaw: readByteAt,
        });
        expect(counts.reallocs).toBeGreaterThan(0);
        expect(counts.moves).toBeGreaterThan(0);
        expect(counts.rawChecks).toBeGreaterThan(0);
        mems.finish();
        expect(provider.mappedBytes).toBe(0);
        expect(provider.mappingCount).toBe(0);
      });
    }
  }

  it('through the process-wide mems_* functions, with autoTrim', () => {
    const provider = createMmapProvider();
    mems_init({ provider, alignment: 8, autoTrim: true, startAddress: 0 });
    const globals = {
      malloc: mems_malloc,
      calloc: mems_calloc,
      free: mems_free,
      realloc: mems_realloc,
      view: mems_view,
      get: mems_get,
      validate: mems_validate,
    } as unknown as Mems;
    const counts = runIntegrityWorkload(globals, {
      ops: 3000,
      seed: 7,
      batch: 100,
      verifyAllAfterRealloc: true,
      maxLive: 100,
      pageSize: 4096,
      readRaw: readByteAt,
    });
    expect(counts.frees).toBeGreaterThan(0);
    mems_finish();
    expect(provider.mappedBytes).toBe(0);
  });
});
