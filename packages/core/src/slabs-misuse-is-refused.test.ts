// Misusing a slab's addresses is refused exactly as in a heap without slabs, and changes
// nothing: a double free, an interior address, an address in a slab's free block or in its tail
// past its last block, given to free, realloc, usableSize, translate, view, viewAs or memoryOf,
// is EFAULT with the message a heap without slabs gives ("is inside a free hole [a:b] (already
// freed?)", "is an interior address of the block at Y, not its start"), where the hole is the
// visible one (the slab's free blocks merged with the holes beside them); a value that is not
// an address is EINVAL with the same message as without slabs. The snapshot, the counters and
// every live block's bytes are the same before and after each refused call.

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';
import { refusalOf } from './test-support/refusal.js';
import { explain, slabAt } from './test-support/slab-probes.js';

/** Everything observable: the snapshot, the counters and the bytes of every live block. */
function fingerprint(heap: Heap): unknown {
  const snapshot = heap.snapshot();
  const bytes = snapshot.nodes.flatMap((n) =>
    n.segments.filter((s) => s.kind === 'PROCESS').map((s) => Array.from(heap.view(s.start))),
  );
  return { snapshot, counters: heap.counters(), bytes };
}

/** Runs `call`, which must throw a MemsError, and checks that nothing observable changed. */
function refusal(heap: Heap, call: () => unknown): string {
  const before = fingerprint(heap);
  const result = refusalOf(call);
  expect(fingerprint(heap)).toEqual(before);
  heap.validate();
  return result;
}

/** Every call that takes an address, refusing `address` (`X` in the messages). */
function everyCall(heap: Heap): [string, (address: number) => unknown, (x: number) => string][] {
  return [
    ['free', (a) => heap.free(a), (x) => `free(${x})`],
    ['realloc', (a) => heap.realloc(a, 40), (x) => `realloc(${x}, 40)`],
    ['usableSize', (a) => heap.usableSize(a), (x) => `usableSize(${x})`],
    ['translate', (a) => heap.translate(a), (x) => `translate(${x})`],
    ['view', (a) => heap.view(a), (x) => `view(${x})`],
    ['view with a length', (a) => heap.view(a, 1), (x) => `view(${x}, 1)`],
    ['viewAs', (a) => heap.viewAs(Uint8Array, a), (x) => `viewAs(Uint8Array, ${x})`],
    ['memoryOf', (a) => heap.memoryOf(a), (x) => `memoryOf(${x})`],
  ];
}

/** The calls that need a block's start (an interior address is refused by these only). */
const START_ONLY = new Set(['free', 'realloc', 'usableSize']);

/**
 * A heap whose class of 24-byte blocks has a slab (170 blocks and a 16-byte tail), with live,
 * freed and never-used blocks in it, each live block filled with its own byte.
 */
function slabbedHeap(options: HeapOptions = {}) {
  const heap = createHeap({ provider: createMockProvider(), policy: 'tlsf', slabs: true, ...options });
  const blocks: number[] = [];
  // The class's warm-up places its first blocks in holes; then its blocks come from a slab.
  while (blocks.length < 400 && (blocks.length === 0 || slabAt(heap, blocks[blocks.length - 1]!) < 0))
    blocks.push(heap.allocate(20));
  const slabbed = blocks[blocks.length - 1]!;
  expect(slabAt(heap, slabbed)).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < 9; i++) blocks.push(heap.allocate(20));
  blocks.forEach((b, i) => {
    heap.view(b).fill((i % 250) + 1);
  });
  const inSlab = blocks.filter((b) => slabAt(heap, b) >= 0);
  expect(inSlab.length).toBe(10);
  // Free two slab blocks in the middle: [live][free][free][live]...
  const freedA = inSlab[3]!;
  const freedB = inSlab[4]!;
  heap.free(freedA);
  heap.free(freedB);
  const live = inSlab.filter((b) => b !== freedA && b !== freedB);
  const slabStart = inSlab[0]!;
  return { heap, live, freedA, freedB, slabStart, holePlaced: blocks.filter((b) => slabAt(heap, b) < 0) };
}

describe.each([
  ['tlsf, alignment 1', {}],
  ['tlsf, alignment 8, startAddress 0', { alignment: 8, startAddress: 0 }],
  ['first-fit, pageSize 16384', { policy: 'first-fit' as const, pageSize: 16384 }],
  ['best-fit, no autoTrim', { policy: 'best-fit' as const, autoTrim: false }],
])('misuse of a slab (%s)', (_name, options: HeapOptions) => {
  it('a double free of a slab block is EFAULT "inside a free hole", worded from the visible hole', () => {
    const { heap, freedA, freedB } = slabbedHeap(options);
    for (const address of [freedA, freedB]) {
      const why = explain(heap.snapshot(), address);
      expect(why).toMatch(/^inside a free hole \[\d+:\d+\] \(already freed\?\)$/);
      // The two freed neighbours show as one hole of both blocks.
      expect(why).toBe(`inside a free hole [${freedA}:${freedB + 23}] (already freed?)`);
      for (const [, call, name] of everyCall(heap))
        expect(refusal(heap, () => call(address))).toBe(`EFAULT: ${name(address)}: ${address} is ${why}`);
    }
  });

  it('an address inside a freed slab block is EFAULT "inside a free hole" for every call', () => {
    const { heap, freedA, freedB } = slabbedHeap(options);
    const why = `inside a free hole [${freedA}:${freedB + 23}] (already freed?)`;
    for (const address of [freedA + 1, freedA + 23, freedB + 8, freedB + 23])
      for (const [, call, name] of everyCall(heap))
        expect(refusal(heap, () => call(address))).toBe(`EFAULT: ${name(address)}: ${address} is ${why}`);
  });

  it('an interior address of a live slab block is refused by free, realloc and usableSize only', () => {
    const { heap, live } = slabbedHeap(options);
    for (const block of [live[0]!, live[3]!, live[live.length - 1]!]) {
      for (const offset of [1, 8, 23]) {
        const address = block + offset;
        const why = `an interior address of the block at ${block}, not its start`;
        expect(explain(heap.snapshot(), address)).toBe(why);
        for (const [label, call, name] of everyCall(heap)) {
          if (START_ONLY.has(label))
            expect(refusal(heap, () => call(address))).toBe(`EFAULT: ${name(address)}: ${address} is ${why}`);
        }
        // The other calls accept any byte of a live block.
        expect(heap.view(address).length).toBe(24 - offset);
        expect(heap.translate(address)).toBe(heap.translate(block) + BigInt(offset));
      }
    }
  });

  it("an address in a slab's never-used blocks and its tail is EFAULT inside the hole they make", () => {
    const { heap, slabStart } = slabbedHeap(options);
    const snapshot = heap.snapshot();
    // Blocks 10..169 were never used; bytes 4080..4095 are the tail past block 169.
    for (const offset of [10 * 24, 10 * 24 + 5, 169 * 24, 4080, 4088, 4095]) {
      const address = slabStart + offset;
      const why = explain(snapshot, address);
      expect(why).toMatch(/^inside a free hole/);
      for (const [, call, name] of everyCall(heap))
        expect(refusal(heap, () => call(address))).toBe(`EFAULT: ${name(address)}: ${address} is ${why}`);
    }
  });

  it('a value that is not an address is EINVAL with the message of a heap without slabs', () => {
    const { heap, live } = slabbedHeap(options);
    const plain = createHeap({ provider: createMockProvider() });
    plain.allocate(20);
    const block = live[0]!;
    const values: unknown[] = [
      block + 0.5,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      String(block),
      null,
      2 ** 53,
    ];
    for (const value of values) {
      const address = value as number;
      const calls: [(h: Heap) => unknown][] = [
        [(h) => h.free(address)],
        [(h) => h.memoryOf(address)],
        [(h) => h.usableSize(address)],
        [(h) => h.realloc(address, 8)],
        [(h) => h.translate(address)],
        [(h) => h.view(address)],
      ];
      for (const [call] of calls) {
        const got = refusal(heap, () => call(heap));
        expect(got).toMatch(/^EINVAL: /);
        expect(got).toBe(refusal(plain, () => call(plain)));
      }
    }
  });

  it('a freed slab block is refused by translate, view and memoryOf, and its neighbours still work', () => {
    const { heap, live, freedA } = slabbedHeap(options);
    heap.memoryOf(live[0]!); // builds the node's memory object first
    const why = explain(heap.snapshot(), freedA);
    expect(refusal(heap, () => heap.memoryOf(freedA))).toBe(
      `EFAULT: memoryOf(${freedA}): ${freedA} is ${why}`,
    );
    expect(refusal(heap, () => heap.translate(freedA))).toBe(
      `EFAULT: translate(${freedA}): ${freedA} is ${why}`,
    );
    expect(refusal(heap, () => heap.view(freedA, 4))).toBe(`EFAULT: view(${freedA}, 4): ${freedA} is ${why}`);
    for (const block of live) expect(heap.usableSize(block)).toBe(24);
  });
});

describe('the oracle of these tests', () => {
  // The messages above are computed from the snapshot; this checks that the same computation
  // gives a heap without slabs' messages exactly, so the slabs heap is held to that wording.
  it('words a heap without slabs exactly as it words itself', () => {
    const heap = createHeap({ provider: createMockProvider(), policy: 'tlsf' });
    const blocks = Array.from({ length: 12 }, () => heap.allocate(24));
    heap.free(blocks[3]!);
    heap.free(blocks[4]!);
    heap.free(blocks[8]!);
    const snapshot = heap.snapshot();
    for (const address of [
      blocks[3]!,
      blocks[4]! + 5,
      blocks[8]!,
      blocks[0]! + 1,
      blocks[11]! + 23,
      50,
      10 ** 9,
    ]) {
      const why = explain(snapshot, address);
      for (const [, call, name] of everyCall(heap)) {
        const got = refusal(heap, () => call(address));
        if (why.startsWith('an interior') && !got.startsWith('EFAULT')) continue; // interior reads work
        expect(got).toBe(`EFAULT: ${name(address)}: ${address} is ${why}`);
      }
    }
  });
});
