import { createMockProvider, isMemsError, type PageProvider } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardingProvider } from '../../core/src/test-support/forwarding-provider.js';
import { createMems } from './create-mems.js';
import { mems_finish, mems_init, mems_malloc, mems_print_stats, mems_stats } from './globals.js';
import type { Mems } from './mems.js';
import { finishIfLive } from './test-support/seed-fixture.js';

/*
 * A provider that calls back into the heap it serves: the nested call is ESTATE and changes
 * nothing (a nested finish does not finish), and the outer call completes.
 */

afterEach(() => finishIfLive(mems_finish));

/** A mock provider that runs `hook` inside each map and unmap (once at a time). */
function hooked(hook: (where: 'map' | 'unmap') => void): PageProvider {
  const mock = createMockProvider();
  let inside = false;
  const run = (where: 'map' | 'unmap') => {
    if (inside) return;
    inside = true;
    try {
      hook(where);
    } finally {
      inside = false;
    }
  };
  return forwardingProvider(mock, {
    map(n) {
      run('map');
      return mock.map(n);
    },
    unmap(m) {
      run('unmap');
      mock.unmap(m);
    },
  });
}

function codeOf(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (error) {
    return isMemsError(error) ? error.code : String(error);
  }
}

describe('re-entry through @mems/api', () => {
  it('mems_* called from map() and from unmap() are ESTATE; a nested mems_finish does not finish', () => {
    const seen: string[] = [];
    mems_init({
      provider: hooked((where) => {
        seen.push(
          `${where}: ${[
            codeOf(() => mems_malloc(1)),
            codeOf(() => mems_stats()),
            codeOf(() => mems_print_stats()),
            codeOf(() => mems_init()),
            codeOf(() => mems_finish()),
          ].join(' ')}`,
        );
      }),
    });
    expect(mems_malloc(100)).toBe(1000);
    expect(mems_malloc(10)).toBe(1100);
    expect(mems_stats().counters.liveBlocks).toBe(2); // the nested malloc added nothing
    mems_finish(); // the outer finish finishes
    expect(seen).toEqual([
      'map: ESTATE ESTATE ESTATE ESTATE ESTATE',
      'unmap: ESTATE ESTATE ESTATE ESTATE ESTATE',
    ]);
    expect(codeOf(() => mems_malloc(1))).toBe('ESTATE');
    mems_init({ provider: createMockProvider() }); // and MeMS can start again
    expect(mems_malloc(1)).toBe(1000);
  });

  it('a createMems instance: a nested finish is ESTATE and the instance stays live until the outer one', () => {
    let mems: Mems | undefined;
    const seen: string[] = [];
    mems = createMems({
      provider: hooked((where) => {
        seen.push(`${where}: ${codeOf(() => mems!.finish())} ${mems!.isFinished}`);
      }),
      autoTrim: true,
    });
    const p = mems.malloc(10);
    mems.free(p); // autoTrim: unmaps the node
    expect(mems.isFinished).toBe(false);
    expect(mems.malloc(10)).toBe(1000);
    mems.finish();
    expect(mems.isFinished).toBe(true);
    expect(seen).toEqual([
      'map: ESTATE false',
      'unmap: ESTATE false',
      'map: ESTATE false',
      'unmap: ESTATE false',
    ]);
  });
});
