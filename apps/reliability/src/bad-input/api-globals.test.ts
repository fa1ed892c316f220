import {
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_print_stats,
  mems_realloc,
  mems_stats,
  mems_trim,
  mems_usable_size,
  mems_validate,
  mems_view,
  mems_view_as,
} from '@mems/api';
import { createMockProvider, isMemsError, type MockPageProvider } from '@mems/os';
import { beforeAll, describe } from 'vitest';
import { captureStdout } from '../capture-stdout.js';
import { badCase, itRefuses } from './harness.js';
import {
  buildFixture,
  detachedNodeCases,
  detachFirstNode,
  type HeapCallNames,
  type HeapCalls,
  heapBadInputs,
  notLiveCases,
  observeHeap,
} from './heap-matrix.js';
import { badOptionCases } from './options-matrix.js';

const globals = {
  malloc: mems_malloc,
  free: mems_free,
  get: mems_get,
  realloc: mems_realloc,
  calloc: mems_calloc,
  view: mems_view,
  viewAs: mems_view_as,
  usableSize: mems_usable_size,
  trim: mems_trim,
  stats: mems_stats,
  validate: mems_validate,
  finish: mems_finish,
  printStats: mems_print_stats,
} as unknown as HeapCalls;

const NAMES: HeapCallNames = {
  malloc: 'mems_malloc',
  free: 'mems_free',
  get: 'mems_get',
  realloc: 'mems_realloc',
  calloc: 'mems_calloc',
  view: 'mems_view',
  viewAs: 'mems_view_as',
  usableSize: 'mems_usable_size',
  trim: 'mems_trim',
  stats: 'mems_stats',
  validate: 'mems_validate',
  finish: 'mems_finish',
  printStats: 'mems_print_stats',
};

/** A provider that bad `mems_init` calls must never touch. */
const untouched = createMockProvider();

/** When MeMS is not live: its state and the providers' accounting. */
function observeNotLive(): string {
  let state: string;
  try {
    mems_stats();
    state = 'live';
  } catch (error) {
    state = isMemsError(error) ? error.code : String(error);
  }
  return `${state}; untouched provider: ${untouched.mapCalls} maps, ${untouched.mappedBytes} bytes`;
}

describe('@mems/api process-wide functions refuse bad input and change nothing', () => {
  describe('before mems_init', () => {
    itRefuses(
      notLiveCases(NAMES, () => globals),
      observeNotLive,
    );
  });

  describe('mems_init with bad options (MeMS stays uninitialised)', () => {
    itRefuses(
      badOptionCases(
        'mems_init',
        (o) => mems_init(o as never),
        () => untouched,
        true,
      ),
      observeNotLive,
    );
  });

  let provider: MockPageProvider;
  describe('while live', () => {
    beforeAll(() => {
      provider = createMockProvider();
      mems_init({ provider });
      buildFixture(globals);
    });
    const observe = () => observeHeap(globals, provider, () => captureStdout(() => mems_print_stats()));
    itRefuses(
      heapBadInputs(NAMES, () => globals, { printStatsTakesWrite: false }),
      observe,
    );
    itRefuses(
      [
        badCase(
          'mems_init',
          'ESTATE',
          [],
          [],
          () => mems_init({ provider: untouched }),
          'already initialised',
        ),
        badCase(
          'mems_init',
          'ESTATE',
          [{ pageSize: 0 }],
          [],
          () => mems_init({ pageSize: 0 }),
          'already initialised',
        ),
      ],
      observe,
    );
  });

  describe("while live, with the first node's buffer detached (structuredClone with a transfer list)", () => {
    beforeAll(() => detachFirstNode(globals));
    itRefuses(
      detachedNodeCases(NAMES, () => globals),
      () => observeHeap(globals, provider, () => captureStdout(() => mems_print_stats())),
    );
  });

  describe('after mems_finish', () => {
    beforeAll(() => mems_finish());
    itRefuses(
      notLiveCases(NAMES, () => globals),
      observeNotLive,
    );
    itRefuses(
      badOptionCases(
        'mems_init',
        (o) => mems_init(o as never),
        () => untouched,
        true,
      ).slice(0, 12),
      observeNotLive,
    );
  });
});
