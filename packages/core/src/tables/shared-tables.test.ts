import { createSharedMemoryProvider, openSharedMemoryProvider, SharedArena } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap } from '../heap.js';
import { beginSharedCall, endSharedCall, publishSharedState } from '../internal.js';
import { SharedTableMemory } from '../memory/shared-table-memory.js';
import type { PolicyName } from '../policies/index.js';

const PAGE = 4096;

/**
 * One heap whose tables live in a SharedArena, seen through several Heap objects as threads see
 * it (each opened over the same arena and its own handle on the provider), plus a plain heap
 * that gets the same calls. Every call runs between beginSharedCall and endSharedCall, as the
 * shared heap's lock brackets it.
 */
function sharedViews(policy: PolicyName, views: number) {
  const arena = SharedArena.create({ slots: 64, maxBytes: 64 * 1024 * 1024 });
  const provider = createSharedMemoryProvider({ maxBytes: 4096 * PAGE });
  const options = { policy, pageSize: PAGE };
  const first = new Heap({ ...options, provider }, 'test', undefined, {
    memory: new SharedTableMemory(arena, false),
    mappingAt: (address) => provider.mappingAt(address),
  });
  publishSharedState(first);
  const heaps = [first];
  for (let k = 1; k < views; k++) {
    const own = openSharedMemoryProvider(provider.handle);
    heaps.push(
      new Heap({ ...options, provider: own }, 'test', undefined, {
        memory: new SharedTableMemory(SharedArena.open(arena.handle), true),
        mappingAt: (address) => own.mappingAt(address),
      }),
    );
  }
  const run = <T>(k: number, call: (heap: Heap) => T): T => {
    const heap = heaps[k % heaps.length]!;
    beginSharedCall(heap);
    try {
      return call(heap);
    } finally {
      endSharedCall(heap);
    }
  };
  const reference = new Heap({ ...options, provider: createSharedMemoryProvider({ maxBytes: 4096 * PAGE }) });
  return { run, reference, provider };
}

type Op =
  | { kind: 'malloc'; size: number; view: number }
  | { kind: 'free'; pick: number; view: number }
  | { kind: 'realloc'; pick: number; size: number; view: number }
  | { kind: 'calloc'; size: number; view: number }
  | { kind: 'trim'; view: number };

const view = fc.nat(7);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('malloc' as const),
      size: fc.integer({ min: 1, max: 9000 }),
      view,
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat(), view }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('realloc' as const),
      pick: fc.nat(),
      size: fc.integer({ min: 1, max: 9000 }),
      view,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('calloc' as const),
      size: fc.integer({ min: 1, max: 3000 }),
      view,
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('trim' as const), view }), weight: 1 },
);

describe('tables in shared table memory, seen through several heap objects', () => {
  for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const) {
    it(`give the addresses, bytes and snapshot of a plain heap for any interleaving (${policy})`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 2, max: 4 }), (ops, views) => {
          const { run, reference } = sharedViews(policy, views);
          const live: number[] = [];
          for (const o of ops) {
            if (o.kind === 'malloc' || o.kind === 'calloc') {
              const p =
                o.kind === 'malloc'
                  ? run(o.view, (h) => h.allocate(o.size))
                  : run(o.view, (h) => h.calloc(1, o.size));
              expect(p).toBe(o.kind === 'malloc' ? reference.allocate(o.size) : reference.calloc(1, o.size));
              run(o.view + 1, (h) => h.view(p).fill(p & 0xff));
              live.push(p);
            } else if (o.kind === 'trim') {
              expect(run(o.view, (h) => h.trim())).toBe(reference.trim());
            } else if (live.length > 0) {
              const at = o.pick % live.length;
              const p = live[at]!;
              // Another view than the one that wrote it checks the block's bytes.
              const bytes = run(o.view, (h) => h.view(p));
              expect(bytes.every((b) => b === (p & 0xff))).toBe(true);
              if (o.kind === 'free') {
                run(o.view, (h) => h.free(p));
                reference.free(p);
                live.splice(at, 1);
              } else {
                const q = run(o.view, (h) => h.realloc(p, o.size));
                expect(q).toBe(reference.realloc(p, o.size));
                run(o.view, (h) => h.view(q).fill(q & 0xff));
                live[at] = q;
              }
            }
          }
          run(1, (h) => h.validate());
          const snapshot = run(2, (h) => h.snapshot());
          const expected = reference.snapshot();
          expect({ ...snapshot, provider: '' }).toEqual({ ...expected, provider: '' });
          expect(run(3, (h) => h.metadataBytes)).toBeGreaterThan(0);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('keep working after every table has grown many times from the other views', () => {
    const { run, reference } = sharedViews('first-fit', 3);
    const live: number[] = [];
    // Enough blocks to grow the segment records, the live-block hash (rehash), the node table
    // (past 16 nodes) and the B+-tree, each growth made by one view and seen by the others.
    for (let i = 0; i < 3000; i++) {
      const size = 16 + ((i * 7919) % 6000);
      const p = run(i, (h) => h.allocate(size));
      expect(p).toBe(reference.allocate(size));
      live.push(p);
      if (i % 3 === 2) {
        const victim = live.splice((i * 31) % live.length, 1)[0]!;
        run(i + 1, (h) => h.free(victim));
        reference.free(victim);
      }
    }
    run(0, (h) => h.validate());
    run(1, (h) => h.validate());
    expect(run(2, (h) => h.counters())).toEqual(reference.counters());
    run(0, (h) => h.destroy());
    expect(run(1, (h) => h.counters().liveBlocks)).toBe(0);
  });

  it('refuse a policy factory that keeps state outside table memory (EINVAL)', () => {
    const arena = SharedArena.create({ slots: 64, maxBytes: 1024 * 1024 });
    const provider = createSharedMemoryProvider({ maxBytes: 16 * PAGE });
    const own = {
      name: 'mine',
      create: () => ({
        name: 'mine',
        addHole() {},
        removeHole() {},
        holeResized() {},
        findHole: () => -1,
        allocated() {},
        clear() {},
        check: () => null,
        metadataBytes: 0,
      }),
    };
    expect(
      () =>
        new Heap({ provider, policy: own }, 'test', undefined, {
          memory: new SharedTableMemory(arena, false),
          mappingAt: (address) => provider.mappingAt(address),
        }),
    ).toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringContaining('option policy') }));
  });
});
