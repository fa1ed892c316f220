import {
  createMockProvider,
  isMemsError,
  type Mapping,
  MemsError,
  type MockPageProvider,
  type PageProvider,
} from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import { forwardingProvider } from './test-support/forwarding-provider.js';

/*
 * A node whose memory cannot be reached: its ArrayBuffer was detached (transferred with
 * structuredClone or postMessage, an easy mistake in a browser), or its mapping was unmapped
 * behind the heap's back. A call that would read or write such a node's bytes is EFAULT naming
 * the node and changes nothing; calls that touch no bytes keep working.
 */

/** Detaches the ArrayBuffer under a view, as `postMessage(view, [view.buffer])` would. */
function detach(view: Uint8Array): void {
  structuredClone(view, { transfer: [view.buffer] });
}

/** A mock provider that lets the test reach the mappings it hands out (to unmap one behind the heap's back). */
function exposingProvider(): { provider: PageProvider; mock: MockPageProvider; maps: Mapping[] } {
  const mock = createMockProvider();
  const maps: Mapping[] = [];
  const provider = forwardingProvider(mock, {
    map(byteLength) {
      const mapping = mock.map(byteLength);
      maps.push(mapping);
      return mapping;
    },
    unmap(mapping) {
      mock.unmap(mapping);
    },
  });
  return { provider, mock, maps };
}

/**
 * Everything observable about a heap whose first node may be unreachable: the snapshot, the
 * counters, the provider's accounting, and the bytes of every block that can still be viewed.
 */
function observe(heap: Heap, mock: MockPageProvider): string {
  const snapshot = heap.snapshot();
  const bytes = snapshot.nodes.flatMap((node) =>
    node.segments
      .filter((s) => s.kind === 'PROCESS')
      .map((s) => {
        try {
          return `${s.start}: ${Array.from(heap.view(s.start)).join(',')}`;
        } catch (error) {
          return `${s.start}: ${isMemsError(error, 'EFAULT') ? 'unreachable' : String(error)}`;
        }
      }),
  );
  return JSON.stringify({
    snapshot,
    counters: heap.counters(),
    mock: [mock.mappedBytes, mock.mappingCount, mock.mapCalls, mock.unmapCalls],
    bytes,
  });
}

/**
 * Node [1000:5095] holds blocks 1000 (100 B) and 1100 (200 B) and a hole [1300:5095] (3796 B);
 * node [5096:9191] holds 5096 (300 B, filled with 7s), 5396 (100 B) and a hole [5496:9191]. The
 * first node's buffer is then detached.
 */
function detachedFirstNode(): { heap: Heap; mock: MockPageProvider } {
  const mock = createMockProvider();
  const heap = createHeap({ provider: mock });
  const got = [
    heap.allocate(100),
    heap.allocate(200),
    heap.allocate(3796),
    heap.allocate(300),
    heap.allocate(100),
  ];
  expect(got).toEqual([1000, 1100, 1300, 5096, 5396]);
  heap.free(1300);
  heap.view(5096).fill(7);
  detach(heap.view(1000));
  return { heap, mock };
}

/** Expects `call` to throw MemsError EFAULT naming the call and the node, and to change nothing. */
function expectRefused(
  heap: Heap,
  mock: MockPageProvider,
  call: () => unknown,
  message: RegExp,
  validate = true,
): void {
  const before = observe(heap, mock);
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(isMemsError(thrown, 'EFAULT'), String(thrown)).toBe(true);
  expect((thrown as Error).message).toMatch(message);
  expect(observe(heap, mock)).toBe(before);
  if (validate) heap.validate();
}

describe('a node whose ArrayBuffer was detached', () => {
  it('calloc that would take a hole in it is EFAULT naming the node, and adds no block', () => {
    const { heap, mock } = detachedFirstNode();
    expectRefused(
      heap,
      mock,
      () => heap.calloc(10, 10),
      /^calloc\(10, 10\): node \[1000:5095\]: its ArrayBuffer is detached/,
    );
    expect(heap.counters().liveBlocks).toBe(4);
  });

  it('realloc that would move a block out of it is EFAULT, and maps nothing', () => {
    const { heap, mock } = detachedFirstNode();
    expectRefused(heap, mock, () => heap.realloc(1000, 8000), /^realloc\(1000, 8000\): node \[1000:5095\]: /);
    expect(mock.mapCalls).toBe(2);
  });

  it('realloc that would move a healthy block into a hole of it is EFAULT', () => {
    const { heap, mock } = detachedFirstNode();
    // 5096 cannot grow in place (5396 follows it); the first hole that fits 400 B is in node 1.
    expectRefused(heap, mock, () => heap.realloc(5096, 400), /^realloc\(5096, 400\): node \[1000:5095\]: /);
  });

  it('view and viewAs are EFAULT naming the node', () => {
    const { heap, mock } = detachedFirstNode();
    expectRefused(
      heap,
      mock,
      () => heap.view(1000),
      /^view\(1000\): node \[1000:5095\]: its ArrayBuffer is detached/,
    );
    expectRefused(heap, mock, () => heap.view(1100, 4), /^view\(1100, 4\): node \[1000:5095\]/);
    expectRefused(
      heap,
      mock,
      () => heap.viewAs(Int32Array, 1100),
      /^viewAs\(Int32Array, 1100\): node \[1000:5095\]/,
    );
  });

  it('calls that touch no bytes keep working: allocate, free, translate, usableSize, in-place realloc', () => {
    const { heap } = detachedFirstNode();
    expect(heap.allocate(50)).toBe(1300); // first fit: the hole in the detached node (no byte touched)
    expect(heap.usableSize(1100)).toBe(200);
    expect(typeof heap.translate(1100)).toBe('bigint');
    expect(heap.realloc(1100, 150)).toBe(1100); // shrinks in place
    heap.free(1100);
    heap.validate();
  });

  it('the other nodes keep working in full, and trim returns the detached node once it is empty', () => {
    const { heap, mock } = detachedFirstNode();
    expect(Array.from(heap.view(5096, 4))).toEqual([7, 7, 7, 7]);
    const big = heap.calloc(100, 40); // no hole fits 4000 B: a fresh node, zero-filled
    expect(big).toBe(9192);
    expect(heap.view(big).every((b) => b === 0)).toBe(true);
    expect(heap.realloc(5396, 600)).toBe(5396); // grows in place in a healthy node
    heap.free(1000);
    heap.free(1100);
    const mappedBefore = mock.mappedBytes;
    expect(heap.trim()).toBeGreaterThanOrEqual(4096);
    expect(mock.mappedBytes).toBeLessThan(mappedBefore);
    expect(heap.snapshot().nodes.map((n) => n.start)).not.toContain(1000);
    heap.validate();
    heap.destroy();
    expect(mock.mappedBytes).toBe(0);
  });
});

describe('a node whose mapping was unmapped behind the heap', () => {
  it('view, viewAs, calloc, moving realloc and translate are EFAULT naming the node', () => {
    const { provider, mock, maps } = exposingProvider();
    const heap = createHeap({ provider });
    heap.allocate(100);
    heap.allocate(200);
    mock.unmap(maps[0]!);
    for (const [call, message] of [
      [() => heap.view(1000), /^view\(1000\): node \[1000:5095\]: its pages were unmapped/],
      [() => heap.viewAs(Uint8Array, 1000), /^viewAs\(Uint8Array, 1000\): node \[1000:5095\]/],
      [() => heap.calloc(2, 2), /^calloc\(2, 2\): node \[1000:5095\]/],
      [() => heap.realloc(1000, 9000), /^realloc\(1000, 9000\): node \[1000:5095\]/],
      [() => heap.translate(1050), /^translate\(1050\): node \[1000:5095\]: its pages were unmapped/],
    ] as const)
      expectRefused(heap, mock, call, message, false); // validate reports the dead mapping itself
    expect(mock.mapCalls).toBe(1);
    expect(() => heap.validate()).toThrow(/node 0 \[1000:5095\] has no live mapping/);
  });
});

/**
 * A mock provider whose mappings can be marked unmapped behind the heap while their buffers stay
 * attached, as the mmap provider's do (Node cannot detach a koffi buffer): only `live` tells.
 */
function keptBufferProvider(): {
  provider: PageProvider;
  mock: MockPageProvider;
  unmapBehind: (index: number) => void;
} {
  const mock = createMockProvider();
  const gone: boolean[] = [];
  const inner = new Map<Mapping, Mapping>();
  const provider = forwardingProvider(mock, {
    map(byteLength) {
      const real = mock.map(byteLength);
      const index = gone.push(false) - 1;
      const buffer = real.buffer;
      const mapping: Mapping = {
        provider: real.provider,
        address: real.address,
        byteLength: real.byteLength,
        get live() {
          return !gone[index];
        },
        get buffer() {
          if (gone[index]) throw new MemsError('EFAULT', 'buffer used after unmap');
          return buffer;
        },
      };
      inner.set(mapping, real);
      return mapping;
    },
    unmap(mapping) {
      mock.unmap(inner.get(mapping)!);
    },
  });
  return { provider, mock, unmapBehind: (index) => (gone[index] = true) };
}

describe('a node unmapped behind the heap after its bytes were reached (the buffer stays attached)', () => {
  it('view, viewAs, memoryOf, calloc and moving realloc are EFAULT naming the node', () => {
    const { provider, mock, unmapBehind } = keptBufferProvider();
    const heap = createHeap({ provider });
    heap.allocate(100);
    heap.allocate(200);
    // Reached while live: the heap keeps what it found about the node for the next call.
    heap.view(1000).fill(1);
    heap.viewAs(Uint8Array, 1100);
    heap.memoryOf(1000);
    heap.free(heap.calloc(2, 2));
    heap.free(heap.realloc(heap.allocate(10), 20));
    unmapBehind(0);
    for (const [call, message] of [
      [() => heap.view(1000), /^view\(1000\): node \[1000:5095\]: its pages were unmapped/],
      [() => heap.viewAs(Uint8Array, 1100), /^viewAs\(Uint8Array, 1100\): node \[1000:5095\]/],
      [() => heap.memoryOf(1000), /^memoryOf\(1000\): node \[1000:5095\]/],
      [() => heap.calloc(2, 2), /^calloc\(2, 2\): node \[1000:5095\]/],
      [() => heap.realloc(1000, 9000), /^realloc\(1000, 9000\): node \[1000:5095\]/],
    ] as const)
      expectRefused(heap, mock, call, message, false);
  });
});

describe('with a buffer detached at any point of any sequence of calls', () => {
  type Step =
    | { op: 'allocate'; size: number }
    | { op: 'calloc'; count: number; size: number }
    | { op: 'realloc'; pick: number; size: number }
    | { op: 'free'; pick: number }
    | { op: 'view'; pick: number }
    | { op: 'detach'; pick: number }
    | { op: 'trim' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('allocate' as const), size: fc.integer({ min: 1, max: 9000 }) }),
    fc.record({
      op: fc.constant('calloc' as const),
      count: fc.integer({ min: 1, max: 60 }),
      size: fc.integer({ min: 1, max: 100 }),
    }),
    fc.record({
      op: fc.constant('realloc' as const),
      pick: fc.nat(),
      size: fc.integer({ min: 1, max: 9000 }),
    }),
    fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('view' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('detach' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('trim' as const) }),
  );

  it('every call succeeds or throws a MemsError that changed nothing, and the heap stays valid', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.boolean(), (steps, autoTrim) => {
        const mock = createMockProvider();
        const heap = createHeap({ provider: mock, autoTrim });
        const live: number[] = [];
        const pick = (n: number): number | undefined =>
          live.length === 0 ? undefined : live[n % live.length];
        for (const s of steps) {
          if (s.op === 'detach') {
            const nodes = heap.snapshot().nodes;
            if (nodes.length === 0) continue;
            const node = nodes[s.pick % nodes.length]!;
            const block = node.segments.find((seg) => seg.kind === 'PROCESS');
            if (block === undefined) continue;
            try {
              detach(heap.view(block.start));
            } catch (error) {
              expect(isMemsError(error, 'EFAULT')).toBe(true); // already detached
            }
            continue;
          }
          const before = observe(heap, mock);
          try {
            if (s.op === 'allocate') live.push(heap.allocate(s.size));
            else if (s.op === 'calloc') {
              const p = heap.calloc(s.count, s.size);
              expect(heap.view(p).every((b) => b === 0)).toBe(true);
              live.push(p);
            } else if (s.op === 'realloc') {
              const p = pick(s.pick);
              if (p === undefined) continue;
              const moved = heap.realloc(p, s.size);
              live.splice(live.indexOf(p), 1, moved);
            } else if (s.op === 'free') {
              const p = pick(s.pick);
              if (p === undefined) continue;
              heap.free(p);
              live.splice(live.indexOf(p), 1);
            } else if (s.op === 'view') {
              const p = pick(s.pick);
              if (p === undefined) continue;
              heap.view(p);
            } else heap.trim();
          } catch (error) {
            expect(isMemsError(error), String(error)).toBe(true);
            expect(observe(heap, mock)).toBe(before);
          }
          heap.validate();
        }
        heap.destroy();
        expect(mock.mappedBytes).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
