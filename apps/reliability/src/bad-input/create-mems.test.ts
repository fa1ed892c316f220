import { createMems, type Mems } from '@mems/api';
import { createMockProvider, type MockPageProvider } from '@mems/os';
import { beforeAll, describe } from 'vitest';
import { itRefuses } from './harness.js';
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

const NAMES: HeapCallNames = {
  malloc: 'malloc',
  free: 'free',
  get: 'get',
  realloc: 'realloc',
  calloc: 'calloc',
  view: 'view',
  viewAs: 'viewAs',
  usableSize: 'usableSize',
  trim: 'trim',
  stats: 'stats',
  validate: 'validate',
  finish: 'finish',
  printStats: 'printStats',
};

const untouched = createMockProvider();
const observeUntouched = () => `${untouched.mapCalls} maps, ${untouched.mappedBytes} bytes`;

describe('createMems() instances refuse bad input and change nothing', () => {
  describe('createMems with bad options (nothing is created or mapped)', () => {
    itRefuses(
      badOptionCases(
        'createMems',
        (o) => createMems(o as never),
        () => untouched,
        true,
      ),
      observeUntouched,
    );
  });

  let provider: MockPageProvider;
  let mems: Mems;
  const calls = () => mems as unknown as HeapCalls;
  const observe = () =>
    observeHeap(calls(), provider, () => {
      let text = '';
      mems.printStats((t) => (text += t));
      return text;
    });

  describe('while live', () => {
    beforeAll(() => {
      provider = createMockProvider();
      mems = createMems({ provider });
      buildFixture(calls());
    });
    itRefuses(heapBadInputs(NAMES, calls, { printStatsTakesWrite: true }), observe);
  });

  describe("while live, with the first node's buffer detached (structuredClone with a transfer list)", () => {
    beforeAll(() => detachFirstNode(calls()));
    itRefuses(detachedNodeCases(NAMES, calls), observe);
  });

  describe('after finish', () => {
    beforeAll(() => mems.finish());
    // finish() again is a no-op on instances (resource-helpers.test.ts in @mems/api).
    itRefuses(
      notLiveCases(NAMES, calls, ['finish']),
      () => `${mems.isFinished}; ${observeUntouched()}; ${provider.mappedBytes}`,
    );
  });
});
