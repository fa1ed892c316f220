import { createSharedMemoryProvider, openSharedMemoryProvider, SharedArena } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { Heap } from '../heap.js';
import { SHARED_CALLS } from '../heap-state.js';
import { beginSharedCall, endSharedCall, publishSharedState } from '../internal.js';
import { SharedTableMemory } from '../memory/shared-table-memory.js';
import type { PolicyName } from '../policies/index.js';
import type { HeapTables } from './heap-tables.js';

// Every table of a heap that threads share keeps its scalars (counts, list heads, capacities,
// cursors) in plain fields and moves them through the shared scalars region around each call
// (saveState, loadState). A field left out of a table's save or load list would be stale in
// every other thread. So: fill a heap through one thread's tables, save, load into a second
// thread's tables over the same memory (built fresh, so every field starts at its initial
// value), and compare every scalar field of every table, one test per table.

const PAGE = 4096;

/** Two threads' heaps over one heap's shared tables, as createSharedMems and attachMems build them. */
function twoThreads(policy: PolicyName): [Heap, Heap] {
  const arena = SharedArena.create({ slots: 64, maxBytes: 64 * 1024 * 1024 });
  const provider = createSharedMemoryProvider({ maxBytes: 1024 * PAGE });
  const options = { policy, pageSize: PAGE };
  const first = new Heap({ ...options, provider }, 'test', undefined, {
    memory: new SharedTableMemory(arena, false),
    mappingAt: (address) => provider.mappingAt(address),
  });
  publishSharedState(first);
  const own = openSharedMemoryProvider(provider.handle);
  const second = new Heap({ ...options, provider: own }, 'test', undefined, {
    memory: new SharedTableMemory(SharedArena.open(arena.handle), true),
    mappingAt: (address) => own.mappingAt(address),
  });
  return [first, second];
}

/** Enough calls to move every scalar away from its initial value: growth, holes, cached blocks, trims. */
function fill(heap: Heap): void {
  const live: number[] = [];
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < 3000; i++) {
    const r = next() % 10;
    if (r < 5 || live.length === 0) live.push(heap.allocate(16 + (next() % 3000)));
    else if (r < 8) heap.free(live.splice(next() % live.length, 1)[0]!);
    else {
      const k = next() % live.length;
      live[k] = heap.realloc(live[k]!, 16 + (next() % 6000));
    }
  }
  // Free a run of blocks so that some nodes empty and trim returns them (node ids are recycled).
  for (const p of live.splice(0, live.length >> 1)) heap.free(p);
  heap.trim();
  for (let i = 0; i < 200; i++) live.push(heap.allocate(16 + (next() % 500)));
  for (let i = 0; i < 100; i++) heap.free(live.pop()!);
}

/**
 * A table's scalar fields by path (nested objects such as a policy's tree included; typed
 * arrays, arrays, functions and the table memory left out: views are re-made, not saved).
 */
function scalars(table: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<object>();
  const walk = (value: object, path: string, depth: number): void => {
    if (seen.has(value) || depth > 3) return;
    seen.add(value);
    for (const [key, field] of Object.entries(value)) {
      if (key === 'memory' || key === 'holes' || key === 'records') continue;
      if (typeof field === 'number' || typeof field === 'boolean' || typeof field === 'string')
        out[`${path}${key}`] = field;
      else if (
        field !== null &&
        typeof field === 'object' &&
        !ArrayBuffer.isView(field) &&
        !Array.isArray(field)
      )
        walk(field, `${path}${key}.`, depth + 1);
    }
  };
  walk(table, '', 0);
  for (const path of PER_CALL) delete out[path];
  return out;
}

/**
 * Fields that belong to one thread's call and are not state: best fit's memo of where its last
 * search found a hole. `loadState` forgets it (foundSeg = NONE, which is compared), so the
 * parent and link it remembered beside it mean nothing in another thread.
 */
const PER_CALL = new Set(['tree.foundParent', 'tree.foundSlot']);

const tablesOf = (heap: Heap): HeapTables => heap[SHARED_CALLS] as unknown as HeapTables;

const TABLES = ['segments', 'nodes', 'live', 'policy', 'cache'] as const;

describe.each(['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const)(
  "a shared heap's tables (%s): every scalar saved by one thread is loaded by another",
  (policy) => {
    const [first, second] = twoThreads(policy);
    beginSharedCall(first);
    fill(first);
    endSharedCall(first);
    beginSharedCall(second);
    const a = tablesOf(first);
    const b = tablesOf(second);

    it.each(TABLES)('%s', (name) => {
      const mine = a[name];
      const theirs = b[name];
      if (mine === null) {
        expect(theirs).toBeNull();
        return;
      }
      const expected = scalars(mine);
      // The fill moved the table's state: a comparison of initial values would prove nothing.
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(scalars(theirs!)).toEqual(expected);
    });

    it('leaves the second thread with a heap that validates and agrees with the first', () => {
      second.validate();
      expect(second.snapshot()).toEqual(first.snapshot());
      endSharedCall(second);
    });
  },
);

describe('the check itself', () => {
  it('finds a scalar that one table left out of its save list', () => {
    const [first, second] = twoThreads('tlsf');
    const nodes = tablesOf(first).nodes as unknown as { saveState(s: Float64Array, at: number): void };
    const save = nodes.saveState.bind(nodes);
    // Save everything but the last slot (lastSerial): the round trip must see the difference.
    nodes.saveState = (state, at) => {
      const before = state[at + 4];
      save(state, at);
      state[at + 4] = before!;
    };
    beginSharedCall(first);
    fill(first);
    endSharedCall(first);
    beginSharedCall(second);
    expect(scalars(tablesOf(second).nodes)).not.toEqual(scalars(tablesOf(first).nodes));
    endSharedCall(second);
  });
});
