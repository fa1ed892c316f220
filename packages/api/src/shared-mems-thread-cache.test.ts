// The threadCache option of createSharedMems, from one thread: several objects over one heap
// (each attached object has a cache slot of its own, as a worker would), so that every check
// is deterministic. Worker threads run the same rules in shared-heap-workers.test.ts.
import type { HeapSnapshot } from '@mems/core';
import { createSharedMemoryProvider, isMemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCKS, BYTES, ThreadCacheTable, TOPS } from '../../core/src/tables/thread-cache-table.js';
import { attachMems, createSharedMems, type SharedMems } from './shared-mems.js';

const POLICIES = ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const;

/** The error a call throws (fails the test when it returns). */
function thrown(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    expect(isMemsError(error)).toBe(true);
    return error as { code: string; message: string };
  }
  throw new Error('the call did not throw');
}

/** Every segment kind the snapshot shows (views never show a cached block). */
function kinds(snapshot: HeapSnapshot): Set<string> {
  return new Set(snapshot.nodes.flatMap((node) => node.segments.map((segment) => segment.kind)));
}

/** Fills block `p` of `n` bytes with bytes derived from `tag`; `check` reads them back. */
function fill(mems: SharedMems, p: number, n: number, tag: number): void {
  const bytes = mems.view(p, n);
  for (let i = 0; i < n; i++) bytes[i] = (tag * 31 + i) & 255;
}
function intact(mems: SharedMems, p: number, n: number, tag: number): boolean {
  const bytes = mems.view(p, n);
  for (let i = 0; i < n; i++) if (bytes[i] !== ((tag * 31 + i) & 255)) return false;
  return true;
}

describe('createSharedMems({ threadCache })', () => {
  it('takes true or settings, and refuses bad ones (EINVAL naming the option), making nothing', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const bad: [unknown, RegExp][] = [
      [1, /option threadCache = 1: must be true, false or an object/],
      ['yes', /must be true, false or an object/],
      [[], /must be true, false or an object/],
      [{ maxBlockSize: 24 }, /its maxBlockSize 24 must be a multiple of 16 from 16 to 16384/],
      [{ blocksPerClass: 0 }, /its blocksPerClass 0 must be an integer from 1 to 1024/],
      [{ maxBytes: 2 ** 31 }, /its maxBytes 2147483648 must be an integer from 0 to 2\^30/],
      [{ maxThreads: 257 }, /its maxThreads 257 must be an integer from 1 to 256/],
      [{ maxThreads: 1.5 }, /its maxThreads 1.5 must be an integer/],
      [{ perThread: 4 }, /unknown setting "perThread"/],
      [revoked.proxy, /option threadCache could not be read/],
    ];
    for (const [threadCache, message] of bad) {
      const error = thrown(() => createSharedMems({ policy: 'tlsf', threadCache: threadCache as never }));
      expect(error.code).toBe('EINVAL');
      expect(error.message).toMatch(/^createSharedMems: option threadCache/);
      expect(error.message).toMatch(message);
    }
    const both = thrown(() => createSharedMems({ policy: 'tlsf', threadCache: true, frontCache: true }));
    expect(both.message).toMatch(
      /option frontCache = true: a heap with threadCache has no front cache of its own/,
    );
    for (const threadCache of [true, false, undefined, { maxBlockSize: 64, maxThreads: 1 }]) {
      const mems = createSharedMems({ policy: 'tlsf', threadCache });
      expect(mems.handle.threads === null).toBe(threadCache === false || threadCache === undefined);
      mems.finish();
    }
  });

  it('serves a freed block of a cached size back to the next malloc of its class, and shows it as free meanwhile', () => {
    for (const policy of POLICIES) {
      const mems = createSharedMems({
        policy,
        threadCache: true,
        provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
      });
      const a = mems.malloc(10);
      expect(mems.usableSize(a)).toBe(16); // rounded up to its class
      const before = mems.stats().counters;
      mems.free(a);
      // Views flush the caches: the block is a hole in every one of them.
      const after = mems.stats();
      expect(after.counters.liveBlocks).toBe(before.liveBlocks - 1);
      expect(after.counters.bytesInUse).toBe(before.bytesInUse - 16);
      expect(kinds(after)).not.toContain('CACHED');
      mems.validate();
      const b = mems.malloc(16);
      mems.free(b);
      expect(mems.malloc(12)).toBe(b); // the cache's hit: the block just freed
      mems.finish();
    }
  });

  it('refuses a double free, an interior pointer and a freed address exactly, from any object, changing nothing', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: true,
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const other = attachMems(mems.handle); // a second cache slot, as another thread has
    const kept = mems.malloc(100);
    fill(mems, kept, 100, 7);
    const a = mems.malloc(32);
    mems.free(a); // in this object's cache
    const first = thrown(() => mems.free(a));
    const second = thrown(() => other.free(a)); // a block in another thread's cache
    for (const error of [first, second]) {
      expect(error.code).toBe('EFAULT');
      expect(error.message).toMatch(
        new RegExp(`^free\\(${a}\\): ${a} is inside a free hole \\[\\d+:\\d+\\] \\(already freed\\?\\)$`),
      );
    }
    expect(second.message).toBe(first.message);
    const interior = thrown(() => other.free(kept + 8));
    expect(interior.message).toBe(
      `free(${kept + 8}): ${kept + 8} is an interior address of the block at ${kept}, not its start`,
    );
    for (const call of [
      () => other.usableSize(a),
      () => other.view(a, 1),
      () => other.get(a),
      () => mems.realloc(a, 64),
    ])
      expect(thrown(call).code).toBe('EFAULT');
    expect(intact(mems, kept, 100, 7)).toBe(true);
    // Nothing changed: the block is still cached (the next malloc of its class takes it).
    expect(mems.malloc(32)).toBe(a);
    other.detach();
    mems.finish();
  });

  it('lets a block allocated through one object be freed through another (the freeing one caches it)', () => {
    const mems = createSharedMems({
      policy: 'best-fit',
      threadCache: true,
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const other = attachMems(mems.handle);
    const p = mems.malloc(48);
    other.free(p);
    expect(other.malloc(48)).toBe(p);
    other.free(p);
    expect(thrown(() => mems.free(p)).code).toBe('EFAULT');
    other.detach(); // its cached block goes back to the heap
    expect(mems.stats().counters.liveBlocks).toBe(0);
    mems.validate();
    mems.finish();
  });

  it('detach returns the cache’s blocks and its slot; beyond maxThreads an object calls the heap directly', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: { maxThreads: 2 },
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const words = new Int32Array(mems.handle.threads!);
    const table = new ThreadCacheTable(mems.handle.threads!, 'test');
    const slotBase = (slot: number) => table.base(slot);
    const second = attachMems(mems.handle);
    const third = attachMems(mems.handle); // no slot left: every call takes the lock
    const q = second.malloc(64);
    second.free(q);
    expect(words[slotBase(1) + BLOCKS]).toBeGreaterThan(0);
    const r = third.malloc(64);
    expect(r).not.toBe(q); // q waits in the second object's cache
    expect(third.usableSize(r)).toBe(64);
    third.free(r); // straight to the heap
    expect(thrown(() => third.free(r)).code).toBe('EFAULT');
    second.detach();
    expect(words[slotBase(1) + BLOCKS]).toBe(0);
    const fourth = attachMems(mems.handle); // takes the slot second gave back
    const s = fourth.malloc(64);
    fourth.free(s);
    expect(words[slotBase(1) + BLOCKS]).toBeGreaterThan(0);
    expect(mems.stats().counters.liveBlocks).toBe(0);
    mems.validate();
    third.detach();
    fourth.detach();
    mems.finish();
  });

  it('keeps every block’s bytes and never overlaps two live blocks, for any sequence of calls through three objects', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.record({
          maxBlockSize: fc.constantFrom(64, 256, 1024),
          blocksPerClass: fc.constantFrom(1, 2, 8, 64),
          maxBytes: fc.constantFrom(0, 256, 65536),
        }),
        fc.array(
          fc.record({
            op: fc.constantFrom('malloc', 'malloc', 'free', 'free', 'realloc', 'calloc', 'stats', 'misuse'),
            via: fc.nat(2),
            size: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5000 })),
            pick: fc.nat(),
          }),
          { maxLength: 120 },
        ),
        (policy, threadCache, commands) => {
          const mems = createSharedMems({
            policy,
            threadCache,
            provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
          });
          const objects = [mems, attachMems(mems.handle), attachMems(mems.handle)];
          const live = new Map<number, { size: number; tag: number }>();
          const freed: number[] = [];
          let tag = 0;
          try {
            for (const command of commands) {
              const m = objects[command.via]!;
              const addresses = [...live.keys()];
              const target = addresses[command.pick % Math.max(1, addresses.length)];
              if (command.op === 'malloc' || command.op === 'calloc') {
                const p = command.op === 'malloc' ? m.malloc(command.size) : m.calloc(1, command.size);
                expect(live.has(p)).toBe(false);
                if (command.op === 'calloc') expect(m.view(p, command.size).every((b) => b === 0)).toBe(true);
                fill(m, p, command.size, ++tag);
                live.set(p, { size: command.size, tag });
              } else if (command.op === 'free' && target !== undefined) {
                const block = live.get(target)!;
                expect(intact(m, target, block.size, block.tag)).toBe(true);
                m.free(target);
                live.delete(target);
                freed.push(target);
              } else if (command.op === 'realloc' && target !== undefined) {
                const block = live.get(target)!;
                const p = m.realloc(target, command.size);
                const kept = Math.min(block.size, command.size);
                const bytes = m.view(p, kept);
                for (let i = 0; i < kept; i++) expect(bytes[i]).toBe((block.tag * 31 + i) & 255);
                live.delete(target);
                fill(m, p, command.size, ++tag);
                live.set(p, { size: command.size, tag });
              } else if (command.op === 'stats') {
                const s = m.stats();
                expect(s.counters.liveBlocks).toBe(live.size);
                expect(kinds(s)).not.toContain('CACHED');
                m.validate();
              } else if (command.op === 'misuse') {
                const gone = freed.find((p) => !live.has(p));
                if (gone !== undefined) expect(thrown(() => m.free(gone)).code).toBe('EFAULT');
                if (target !== undefined && live.get(target)!.size > 1)
                  expect(thrown(() => m.free(target + 1)).code).toBe('EFAULT');
              }
            }
            // No two live blocks overlap, and each one's bytes are its own.
            const spans = [...live]
              .map(([p, b]) => [p, mems.usableSize(p), b] as const)
              .sort((x, y) => x[0] - y[0]);
            for (let i = 1; i < spans.length; i++)
              expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![0] + spans[i - 1]![1]);
            for (const [p, , b] of spans) expect(intact(mems, p, b.size, b.tag)).toBe(true);
            for (const p of live.keys()) objects[p % 3]!.free(p);
            const end = mems.stats().counters;
            expect(end.liveBlocks).toBe(0);
            expect(end.bytesInUse).toBe(0);
            mems.validate();
          } finally {
            objects[1]!.detach();
            objects[2]!.detach();
            mems.finish();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps each thread within maxBytes and blocksPerClass, spilling a batch to the heap when a free finds no room', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: { maxBytes: 1024, blocksPerClass: 8, maxThreads: 1 },
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const words = new Int32Array(mems.handle.threads!);
    const blocks = Array.from({ length: 40 }, () => mems.malloc(64));
    const held: number[] = [];
    for (const p of blocks) {
      mems.free(p);
      held.push(words[32 + BYTES]!);
      expect(words[32 + BYTES]).toBeLessThanOrEqual(1024);
      expect(words[32 + TOPS + 3]).toBeLessThanOrEqual(8);
    }
    // Full classes (8 × 64 B) halve: the cache never sat at its limit for every free.
    expect(Math.max(...held)).toBe(512);
    expect(Math.min(...held.slice(8))).toBeLessThan(512);
    // One block per class, 320-784 B: the third or so overflows the budget; each free then
    // halves the largest classes, so the block freed always finds room in its own class.
    const big = Array.from({ length: 30 }, (_, i) => mems.malloc(16 * (i + 20)));
    for (const [i, p] of big.entries()) {
      mems.free(p);
      expect(words[32 + TOPS + i + 19]).toBe(1);
      expect(words[32 + BYTES]).toBeLessThanOrEqual(1024);
    }
    expect(mems.stats().counters.liveBlocks).toBe(0);
    mems.validate();
    mems.finish();
  });

  it('moves a full class’s older half to the depot, where another thread’s miss takes it without an allocation', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: { blocksPerClass: 4 },
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const consumer = attachMems(mems.handle);
    const table = new ThreadCacheTable(mems.handle.threads!, 'test');
    const c = 64 / 16 - 1;
    const produced = Array.from({ length: 12 }, () => consumer.malloc(64));
    for (const p of produced) mems.free(p); // freed by another thread than the one that allocated
    const waiting = table.words[table.depot + c]!;
    expect(waiting).toBeGreaterThan(0);
    expect(waiting).toBeLessThanOrEqual(table.depotPerClass);
    const mappedBefore = consumer.stats().counters.bytesMapped;
    // stats flushed everything: fill the depot again, then miss in the consumer's empty class.
    const again = Array.from({ length: 12 }, () => consumer.malloc(64));
    for (const p of again) mems.free(p);
    const inDepot = table.words[table.depot + c]!;
    const depotIds = new Set(
      Array.from({ length: inDepot }, (_, i) => table.words[table.depotStack(c) + i]!),
    );
    const consumerTop = table.words[table.base(1) + TOPS + c]!;
    for (let i = 0; i < consumerTop; i++) consumer.malloc(64); // empty the consumer's own class
    const taken = consumer.malloc(64);
    expect(again).toContain(taken); // one of the blocks the other thread freed
    expect(table.words[table.depot + c]).toBeLessThan(inDepot);
    expect(depotIds.size).toBe(inDepot);
    expect(consumer.stats().counters.bytesMapped).toBe(mappedBefore);
    mems.validate();
    consumer.detach();
    mems.finish();
  });

  it('after finish, every object is ESTATE and the caches are closed', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: true,
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const other = attachMems(mems.handle);
    const p = other.malloc(16);
    other.free(p);
    mems.finish();
    expect(thrown(() => other.malloc(16)).code).toBe('ESTATE');
    expect(thrown(() => other.free(p)).message).toMatch(/this heap is finished/);
    expect(thrown(() => mems.malloc(16)).code).toBe('ESTATE');
    other.detach();
  });

  it('a slot left busy (a thread that died in a cache operation) makes locked calls time out, and recover() mends it', () => {
    const mems = createSharedMems({
      policy: 'tlsf',
      threadCache: true,
      lockTimeoutMs: 20,
      provider: createSharedMemoryProvider({ maxBytes: 4096 * 4096 }),
    });
    const other = attachMems(mems.handle);
    const words = new Int32Array(mems.handle.threads!);
    const base1 = new ThreadCacheTable(mems.handle.threads!, 'test').base(1);
    const p = other.malloc(32);
    const q = other.malloc(32);
    other.free(p);
    other.free(q);
    // A thread that died between marking a block cached and pushing it: the block is CACHED
    // in the heap and in no stack (here: the class's top forgotten), and its busy flag is set.
    const c = 32 / 16 - 1;
    expect(words[base1 + TOPS + c]).toBeGreaterThanOrEqual(2);
    words[base1 + TOPS + c]! -= 1;
    Atomics.store(words, base1, 1);
    const timedOut = thrown(() => mems.stats());
    expect(timedOut.code).toBe('ESTATE');
    expect(timedOut.message).toBe(
      'stats(): thread cache slot 1 stayed busy for 20 ms; if its thread died inside a call, call recover()',
    );
    expect(mems.recover()).toBe(true);
    expect(words[base1]).toBe(0);
    const after = mems.stats().counters;
    expect(after.liveBlocks).toBe(0); // the stray block was freed, the other flushed
    mems.validate();
    expect(mems.recover()).toBe(false); // nothing held any more
    other.detach();
    mems.finish();
  });
});
