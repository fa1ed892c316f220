/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import type { HeapSnapshot } from '@mems/core';
import { createSharedMemoryProvider } from '@mems/os';
import { createSharedMmapProvider } from '@mems/os/mmap';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelMappingsMeeting } from '../../os/src/test-support/proc-maps.js';
import { builtEntry, startWorker } from '../../os/src/test-support/workers.js';
import { createSharedMems } from './shared-mems.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = new URL('./test-support/workers/shared-heap-churn.mjs', import.meta.url);
const holdScript = new URL('./test-support/workers/hold-heap-lock.mjs', import.meta.url);
const idleScript = new URL('./test-support/workers/idle-with-cache.mjs', import.meta.url);
const linux = process.platform === 'linux';

interface Counts {
  malloc: number;
  calloc: number;
  realloc: number;
  free: number;
  sent: number;
  received: number;
  checkedBytes: number;
}

/** Checks what a snapshot says: blocks and nodes never overlap, counters add up. */
function checkSnapshot(s: HeapSnapshot): void {
  let end = Number.NEGATIVE_INFINITY;
  let physicalEnd = -1n;
  const byPhysical = [...s.nodes].sort((a, b) =>
    BigInt(a.physicalAddress) < BigInt(b.physicalAddress) ? -1 : 1,
  );
  for (const node of byPhysical) {
    const at = BigInt(node.physicalAddress);
    expect(at >= physicalEnd).toBe(true);
    physicalEnd = at + BigInt(node.lastAddress - node.start + 1);
  }
  for (const node of s.nodes)
    for (const segment of node.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(end);
      end = segment.start + segment.size;
    }
  expect(s.counters.bytesInUse + s.counters.bytesFree).toBe(s.counters.bytesMapped);
}

describe('one shared heap, many worker threads', () => {
  let entry = '';
  beforeAll(() => {
    entry = builtEntry(packageDir, 'index.js');
  });

  /**
   * Starts `workers` churn workers on the heap, in a ring: each posts blocks to the next one,
   * which frees them, and all start together at a barrier.
   */
  function startRing(handle: unknown, workers: number, ops: number, seedOf: (index: number) => number) {
    const barrier = new SharedArrayBuffer(8);
    const channels = Array.from({ length: workers }, () => new MessageChannel());
    return channels.map((_, i) => {
      const send = channels[i]!.port1;
      const receive = channels[(i + workers - 1) % workers]!.port2;
      return startWorker<Counts>(
        script,
        { entry, handle, seed: seedOf(i), ops, index: i, workers, barrier, send, receive },
        { transferList: [send, receive] },
      );
    });
  }

  for (const [workers, ops, policy, threadCache] of [
    [2, 25_000, 'first-fit', false],
    [4, 12_000, 'tlsf', false],
    [8, 6_000, 'best-fit', false],
    // Per-thread caches (threadCache): the main thread's stats and trim flush every cache.
    [2, 25_000, 'tlsf', true],
    [4, 12_000, 'first-fit', true],
    [8, 6_000, 'best-fit', true],
    [8, 6_000, 'next-fit', true],
  ] as const) {
    it(`${workers} workers × ${ops} random malloc/calloc/realloc/free (${policy}${threadCache ? ', thread caches' : ''}), blocks handed on by message, trim and stats from the main thread`, async () => {
      const provider = createSharedMmapProvider({ maxBytes: 64 * 1024 * 4096 });
      const mems = createSharedMems({ provider, policy, threadCache });
      const started = startRing(mems.handle, workers, ops, (i) => 1000 + i * 7919);
      let running = true;
      const all = Promise.all(started.map((s) => s.result)).finally(() => {
        running = false;
      });
      // The main thread trims, reads stats and validates while the workers run.
      let inspections = 0;
      const nodesSeen = new Map<string, number>();
      while (running) {
        mems.trim();
        const snapshot = mems.stats();
        checkSnapshot(snapshot);
        for (const node of snapshot.nodes)
          nodesSeen.set(node.physicalAddress, node.lastAddress - node.start + 1);
        mems.validate();
        inspections++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      let counts: Counts[];
      try {
        counts = await all;
      } finally {
        await Promise.all(started.map((s) => s.worker.terminate()));
      }
      const total = counts.reduce(
        (sum, c) => ({
          ops: sum.ops + c.malloc + c.calloc + c.realloc + c.free,
          sent: sum.sent + c.sent,
          received: sum.received + c.received,
          allocated: sum.allocated + c.malloc + c.calloc,
          freed: sum.freed + c.free,
        }),
        { ops: 0, sent: 0, received: 0, allocated: 0, freed: 0 },
      );
      expect(total.sent).toBeGreaterThan(0);
      expect(total.received).toBe(total.sent); // every posted block was freed by its receiver
      expect(total.freed).toBe(total.allocated);
      expect(inspections).toBeGreaterThan(0);
      mems.validate();
      const end = mems.stats();
      checkSnapshot(end);
      expect(end.counters.liveBlocks).toBe(0);
      expect(end.counters.bytesInUse).toBe(0);
      if (linux)
        for (const [address, bytes] of nodesSeen)
          if (end.nodes.some((n) => n.physicalAddress === address))
            expect(kernelMappingsMeeting(BigInt(address), bytes)).toBeGreaterThan(0);
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
      expect(provider.mappingCount).toBe(0);
      provider.destroy();
      if (linux)
        for (const [address, bytes] of nodesSeen)
          expect(kernelMappingsMeeting(BigInt(address), bytes)).toBe(0);
      // Every worker ran all its operations (checked here rather than printed to the test run).
      expect(total.ops).toBeGreaterThanOrEqual(workers * ops);
    }, 30_000);
  }

  it('survives a worker terminated while it holds the lock: calls time out (ESTATE), recover() frees the lock', async () => {
    const mems = createSharedMems({
      provider: createSharedMemoryProvider({ maxBytes: 64 * 4096 }),
      lockTimeoutMs: 100,
    });
    const mine = mems.malloc(64);
    const osEntry = builtEntry(fileURLToPath(new URL('../../os', import.meta.url)), 'index.node.js');
    let isLocked: () => void = () => {};
    const locked = new Promise<void>((resolve) => {
      isLocked = resolve;
    });
    const held = startWorker<never>(
      holdScript,
      { entry, osEntry, handle: mems.handle },
      { onMessage: () => isLocked() },
    );
    held.result.catch(() => {}); // it never reports; terminating it rejects
    await locked;
    await held.worker.terminate();
    expect(() => mems.malloc(8)).toThrow(/lock was not released within 100 ms/);
    expect(mems.recover()).toBe(true);
    expect(mems.usableSize(mine)).toBe(64);
    expect(mems.stats().counters.liveBlocks).toBe(2); // the dead worker's block stays allocated
    mems.malloc(8);
    mems.validate();
    mems.finish();
  }, 30_000);

  for (const threadCache of [false, true])
    it(`runs over the shared-memory provider too (growing its buffer from the workers${threadCache ? ', thread caches' : ''})`, async () => {
      const provider = createSharedMemoryProvider({ maxBytes: 16 * 1024 * 4096 });
      const mems = createSharedMems({ provider, policy: 'next-fit', autoTrim: true, threadCache });
      const started = startRing(mems.handle, 2, 4000, (i) => 77 + i);
      try {
        await Promise.all(started.map((s) => s.result));
      } finally {
        await Promise.all(started.map((s) => s.worker.terminate()));
      }
      mems.validate();
      expect(mems.stats().counters.liveBlocks).toBe(0);
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
    }, 30_000);

  it('reads and flushes the cache of a thread that sleeps in Atomics.wait, then of one that was terminated (thread caches)', async () => {
    const mems = createSharedMems({
      provider: createSharedMemoryProvider({ maxBytes: 1024 * 4096 }),
      policy: 'tlsf',
      threadCache: true,
      lockTimeoutMs: 1000,
    });
    let report: (value: { live: number; size: number }) => void = () => {};
    const reported = new Promise<{ live: number; size: number }>((resolve) => {
      report = resolve;
    });
    const idle = startWorker<never>(
      idleScript,
      { entry, handle: mems.handle },
      { onMessage: (m) => report(m as never) },
    );
    idle.result.catch(() => {}); // it never reports; terminating it rejects
    const { live, size } = await reported;
    // The worker sleeps with 39 blocks in its cache: this thread's views flush them itself.
    const words = new Int32Array(mems.handle.threads!);
    expect(words.some((w, i) => i >= 32 && w !== 0)).toBe(true);
    const seen = mems.stats();
    expect(seen.counters.liveBlocks).toBe(1);
    expect(seen.counters.bytesInUse).toBe(size);
    mems.validate();
    await idle.worker.terminate();
    // Dead now: its slot stays taken, nothing waits on it, its live block stays allocated.
    expect(mems.recover()).toBe(false);
    expect(mems.usableSize(live)).toBe(size);
    const p = mems.malloc(32);
    mems.free(p);
    mems.free(live);
    expect(mems.stats().counters.liveBlocks).toBe(0);
    mems.validate();
    mems.finish();
  }, 30_000);
});
