/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createMockProvider } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_print_stats,
  mems_view_as,
} from './globals.js';
import { captureStdout } from './test-support/capture-stdout.js';
import {
  finishIfLive,
  SEED_EXAMPLE_OUTPUT,
  SOURCE_EXAMPLE_PATH,
  statsBlocks,
} from './test-support/seed-fixture.js';

afterEach(() => finishIfLive(mems_finish));

describe("the seed's example sequence through the global functions (mock provider)", () => {
  it("uses a fixture identical to the demo's (apps/demo/src/fixtures/seed-example-output.txt)", () => {
    expect(SEED_EXAMPLE_OUTPUT).toBe(readFileSync(SOURCE_EXAMPLE_PATH, 'utf8'));
  });

  it('prints exactly the three stats blocks of example-output.txt', () => {
    const expected = statsBlocks(SEED_EXAMPLE_OUTPUT);
    expect(expected).toHaveLength(3);

    mems_init({ provider: createMockProvider() });
    const arrays = Array.from({ length: 10 }, () => mems_malloc(1000));
    expect(arrays).toEqual([1000, 2000, 3000, 4000, 5096, 6096, 7096, 8096, 9192, 10192]);

    const first = arrays[0]!;
    mems_view_as(Int32Array, first + 4, 1)[0] = 200;
    expect(mems_get(first + 4) - mems_get(first)).toBe(4n);
    expect(mems_view_as(Int32Array, first)[1]).toBe(200);

    const printed = [captureStdout(mems_print_stats)];
    mems_free(arrays[3]!);
    printed.push(captureStdout(mems_print_stats));
    expect(mems_malloc(1000)).toBe(4000);
    printed.push(captureStdout(mems_print_stats));
    expect(printed).toEqual(expected);
    mems_finish();
  });

  it('prints the empty-heap stats right after mems_init', () => {
    mems_init({ provider: createMockProvider() });
    expect(captureStdout(mems_print_stats)).toBe(
      '----- MeMS SYSTEM STATS -----\nPages used:\t0\nSpace unused:\t0\nMain Chain Length:\t0\nSub-chain Length array: []\n-----------------------------\n',
    );
  });
});
