import { RING_HEAD, RING_TAIL } from './handoff-ring.js';
import type { ThreadAllocator } from './shared-churn-thread-body.js';

/**
 * An allocator for tests of the thread workloads' loops: hands out increasing addresses, keeps
 * the set of live blocks and which worker allocated each, and throws on a free of a block that
 * is not live (a double free, or a block never allocated).
 * @returns the allocator (as one worker sees it) maker and the shared bookkeeping.
 */
export function trackingHeap(): {
  live: Map<number, number>;
  freedByOther: { count: number };
  as(worker: number): ThreadAllocator;
} {
  const live = new Map<number, number>();
  const freedByOther = { count: 0 };
  let next = 16;
  return {
    live,
    freedByOther,
    as: (worker) => ({
      malloc: (size) => {
        const address = next;
        next += Math.max(16, size);
        live.set(address, worker);
        return address;
      },
      free: (address) => {
        const owner = live.get(address);
        if (owner === undefined) throw new Error(`free of ${address}, which is not live`);
        if (owner !== worker) freedByOther.count++;
        live.delete(address);
      },
      close: () => {},
    }),
  };
}

/**
 * Entries waiting in a hand-off ring (its tail − head), without taking them.
 * @param buffer the ring's buffer.
 * @returns how many.
 */
export function ringLength(buffer: SharedArrayBuffer): number {
  const header = new Int32Array(buffer, 0, RING_TAIL + 1);
  return Atomics.load(header, RING_TAIL) - Atomics.load(header, RING_HEAD);
}
