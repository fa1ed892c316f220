import { createMockProvider, isMemsError, type PageProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import { forwardingProvider } from './test-support/forwarding-provider.js';

/*
 * A provider that calls back into the heap it serves, from map() or unmap(): every nested call
 * is ESTATE and changes nothing, and the outer call completes as if nothing had happened.
 */

/** Every heap operation, as a nested call would make it. */
const NESTED_CALLS: readonly [string, (heap: Heap) => unknown][] = [
  ['allocate', (h) => h.allocate(10)],
  ['free', (h) => h.free(1000)],
  ['translate', (h) => h.translate(1000)],
  ['view', (h) => h.view(1000)],
  ['viewAs', (h) => h.viewAs(Uint8Array, 1000)],
  ['memoryOf', (h) => h.memoryOf(1000)],
  ['calloc', (h) => h.calloc(1, 1)],
  ['realloc', (h) => h.realloc(1000, 5)],
  ['usableSize', (h) => h.usableSize(1000)],
  ['trim', (h) => h.trim()],
  ['counters', (h) => h.counters()],
  ['snapshot', (h) => h.snapshot()],
  ['validate', (h) => h.validate()],
  ['destroy', (h) => h.destroy()],
];

/** What each nested call did: its name and the code it threw (or `returned`). */
type Outcomes = string[];

/**
 * A mock provider (named `mock`, like the reference's) whose map and/or unmap make every nested
 * call into `heap()` before doing their work.
 */
function reentrant(
  heap: () => Heap,
  from: { map?: boolean; unmap?: boolean },
): { provider: PageProvider; outcomes: Outcomes; mock: ReturnType<typeof createMockProvider> } {
  const mock = createMockProvider();
  const outcomes: Outcomes = [];
  let inside = false; // a heap that let the calls in would recurse without end
  const callBack = (where: string) => {
    if (inside) return;
    inside = true;
    for (const [name, call] of NESTED_CALLS) {
      try {
        call(heap());
        outcomes.push(`${where}: ${name} returned`);
      } catch (error) {
        outcomes.push(`${where}: ${name} ${isMemsError(error) ? error.code : String(error)}`);
      }
    }
    inside = false;
  };
  const provider = forwardingProvider(mock, {
    map(byteLength) {
      if (from.map) callBack('map');
      return mock.map(byteLength);
    },
    unmap(mapping) {
      if (from.unmap) callBack('unmap');
      mock.unmap(mapping);
    },
  });
  return { provider, outcomes, mock };
}

/** Every nested call of `count` provider calls from `where`, each ESTATE. */
function allRefused(where: string, count: number): Outcomes {
  return Array.from({ length: count }, () => NESTED_CALLS.map(([name]) => `${where}: ${name} ESTATE`)).flat();
}

/** Runs `script` on a re-entrant heap and on a plain one; both must end in the same state. */
function compare(
  from: { map?: boolean; unmap?: boolean },
  script: (heap: Heap) => unknown[],
  options: { autoTrim?: boolean } = {},
): { outcomes: Outcomes; heap: Heap; results: unknown[] } {
  let heap: Heap | undefined;
  const { provider, outcomes, mock } = reentrant(() => heap!, from);
  heap = createHeap({ provider, ...options });
  const reference = createHeap({ provider: createMockProvider(), ...options });
  const results = script(heap);
  expect(results).toEqual(script(reference));
  if (!reference.isDestroyed) {
    heap.validate();
    const strip = (h: Heap) => h.snapshot().nodes.map((n) => ({ ...n, physicalAddress: undefined }));
    expect(strip(heap)).toEqual(strip(reference));
    expect(heap.counters()).toEqual(reference.counters());
    expect(mock.mappedBytes).toBe(heap.counters().bytesMapped);
  } else {
    expect(heap.isDestroyed).toBe(true);
    expect(mock.mappedBytes).toBe(0);
  }
  return { outcomes, heap, results };
}

describe('a provider that calls back into the heap from map()', () => {
  it('allocate: every nested call is ESTATE; the outer allocation completes', () => {
    const { outcomes } = compare({ map: true }, (h) => [h.allocate(100), h.allocate(5000), h.allocate(200)]);
    expect(outcomes).toEqual(allRefused('map', 2));
  });

  it('calloc and a moving realloc: the outer calls complete, bytes zeroed and kept', () => {
    const { outcomes } = compare({ map: true }, (h) => {
      const a = h.allocate(100);
      h.view(a).fill(9);
      const b = h.allocate(50);
      const moved = h.realloc(a, 6000); // b follows a: moves into a fresh node
      const c = h.calloc(10, 500); // no hole fits: a fresh node
      return [
        a,
        b,
        moved,
        Array.from(h.view(moved, 100)).every((x) => x === 9),
        c,
        h.view(c).every((x) => x === 0),
      ];
    });
    expect(outcomes).toEqual(allRefused('map', 3));
  });

  it('names the call and says why', () => {
    let heap: Heap | undefined;
    let message = '';
    const mock = createMockProvider();
    heap = createHeap({
      provider: {
        ...mock,
        name: 'mock',
        pageSize: mock.pageSize,
        maxMappingBytes: mock.maxMappingBytes,
        map(n: number) {
          try {
            heap!.allocate(10);
          } catch (error) {
            message = (error as Error).message;
          }
          return mock.map(n);
        },
        unmap: (m) => mock.unmap(m),
      },
      callNames: { allocate: 'mems_malloc' },
    });
    expect(heap.allocate(1)).toBe(1000);
    expect(message).toBe(
      "mems_malloc(10): the heap is inside its page provider's map(); a provider must not call back into the heap it serves",
    );
  });
});

describe('a provider that calls back into the heap from unmap()', () => {
  it('trim: every nested call is ESTATE; trim releases what it should', () => {
    const { outcomes, results } = compare({ unmap: true }, (h) => {
      const a = h.allocate(100);
      const b = h.allocate(5000);
      const c = h.allocate(9000);
      h.free(b);
      h.free(c);
      return [a, h.trim()];
    });
    expect(results).toEqual([1000, 8192 + 12288]);
    expect(outcomes).toEqual(allRefused('unmap', 2));
  });

  it('free with autoTrim: the nested calls are ESTATE; the node is still returned', () => {
    const { outcomes } = compare(
      { unmap: true },
      (h) => {
        const a = h.allocate(100);
        const b = h.allocate(5000);
        h.free(b);
        return [a, b, h.counters().nodes];
      },
      { autoTrim: true },
    );
    expect(outcomes).toEqual(allRefused('unmap', 1));
  });

  it('destroy: the nested calls (a nested destroy too) are ESTATE; the heap is destroyed once', () => {
    const { outcomes, heap } = compare({ unmap: true }, (h) => {
      h.allocate(100);
      h.allocate(5000);
      h.destroy();
      return [h.isDestroyed];
    });
    expect(outcomes).toEqual(allRefused('unmap', 2));
    expect(heap.isDestroyed).toBe(true);
  });
});
