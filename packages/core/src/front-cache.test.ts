import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';

function heapWith(options: HeapOptions = {}): Heap {
  return createHeap({ provider: createMockProvider(), policy: 'tlsf', ...options });
}

/** The error a call throws (its code and message), or null. */
function errorOf(action: () => unknown): { code: string; message: string } | null {
  try {
    action();
    return null;
  } catch (error) {
    if (!isMemsError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

/** What every block-taking call says about `address`. */
function refusals(heap: Heap, address: number) {
  return [
    errorOf(() => heap.free(address)),
    errorOf(() => heap.translate(address)),
    errorOf(() => heap.translate(address + 3)),
    errorOf(() => heap.view(address)),
    errorOf(() => heap.viewAs(Uint8Array, address)),
    errorOf(() => heap.usableSize(address)),
    errorOf(() => heap.realloc(address, 10)),
  ];
}

/** The cache's internals, for tests that check what the views hide. */
function cacheOf(heap: Heap): { bytes: number; blocks: number } {
  return (heap as unknown as { t: { cache: { bytes: number; blocks: number } } }).t.cache;
}

describe.each(['tlsf', 'best-fit'] as const)('the front cache under %s', (policy) => {
  it('gives a freed block back to the next allocation of its size class (LIFO)', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.allocate(50);
    heap.free(a);
    heap.free(b);
    expect(cacheOf(heap).blocks).toBe(2);
    expect(heap.allocate(97)).toBe(b); // 97 and 100 both round to the 112-byte class
    expect(heap.allocate(112)).toBe(a);
    expect(cacheOf(heap).blocks).toBe(0);
    heap.validate();
  });

  it('rounds sizes up to maxBlockSize to 16 bytes (the alignment when larger); larger ones to the alignment', () => {
    const heap = heapWith({ policy });
    expect(heap.usableSize(heap.allocate(1))).toBe(16);
    expect(heap.usableSize(heap.allocate(1024))).toBe(1024);
    expect(heap.usableSize(heap.allocate(1025))).toBe(1025);
    const aligned = heapWith({ policy, alignment: 64 });
    expect(aligned.usableSize(aligned.allocate(1))).toBe(64);
    expect(aligned.usableSize(aligned.allocate(1000))).toBe(1024);
    const off = heapWith({ policy, frontCache: false });
    expect(off.usableSize(off.allocate(1))).toBe(1);
  });

  it('shows a cached block as free memory, merged with its free neighbours, in snapshot and counters', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(16);
    const b = heap.allocate(32);
    const c = heap.allocate(48);
    heap.allocate(16);
    heap.free(b);
    heap.free(c);
    heap.free(a);
    expect(cacheOf(heap).blocks).toBe(3);
    const before = heap.snapshot();
    expect(before.nodes[0]!.segments.map((s) => `${s.kind[0]}[${s.start}:${s.lastAddress}]`)).toEqual([
      'H[1000:1095]',
      'P[1096:1111]',
      'H[1112:5095]',
    ]);
    expect(before.counters).toMatchObject({
      liveBlocks: 1,
      bytesInUse: 16,
      bytesFree: 4080,
      holes: 2,
      segments: 3,
    });
    expect(heap.counters()).toEqual(before.counters);
    heap.validate();
    expect(heap.flushCache()).toBe(96);
    expect(cacheOf(heap).blocks).toBe(0);
    expect(heap.snapshot()).toEqual(before);
    expect(heap.counters()).toEqual(before.counters);
    heap.validate();
  });

  it('refuses a cached block exactly as a freed one (same code and message), double free included', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(40);
    const b = heap.allocate(40);
    heap.allocate(40);
    heap.free(a);
    heap.free(b);
    const cached = [...refusals(heap, a), ...refusals(heap, b)];
    expect(cacheOf(heap).blocks).toBe(2);
    for (const error of cached) expect(error?.code).toBe('EFAULT');
    expect(cached[0]!.message).toBe('free(1000): 1000 is inside a free hole [1000:1095] (already freed?)');
    heap.flushCache();
    expect([...refusals(heap, a), ...refusals(heap, b)]).toEqual(cached);
    heap.validate();
  });

  it('lets trim and destroy see cached memory as free', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, policy });
    const a = heap.allocate(100);
    const big = heap.allocate(5000); // a second node
    heap.free(a);
    expect(cacheOf(heap).blocks).toBe(1);
    expect(heap.trim()).toBe(4096); // the first node: its only block waits in the cache
    expect(heap.counters()).toMatchObject({ nodes: 1, liveBlocks: 1 });
    heap.validate();
    heap.free(big);
    heap.allocate(64);
    heap.free(heap.allocate(64));
    heap.destroy();
    expect(provider.mappedBytes).toBe(0);
  });

  it('grows a block in place into a cached neighbour, as into any hole', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(64);
    const b = heap.allocate(64);
    heap.allocate(64);
    heap.free(b);
    expect(cacheOf(heap).blocks).toBe(1);
    expect(heap.realloc(a, 128)).toBe(a);
    expect(heap.usableSize(a)).toBe(128);
    heap.validate();
  });

  it('takes out of the cache only the blocks a growing block runs into; the rest stay cached', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(64);
    const b = heap.allocate(64);
    const c = heap.allocate(32);
    heap.allocate(64);
    const far = heap.allocate(48);
    heap.allocate(64);
    heap.free(c);
    heap.free(b); // a, then the cached run b, c
    heap.free(far); // cached, not beside a
    expect(cacheOf(heap).blocks).toBe(3);
    const before = heap.snapshot();
    expect(heap.realloc(a, 160)).toBe(a);
    expect(heap.usableSize(a)).toBe(160);
    expect(cacheOf(heap).blocks).toBe(1);
    expect(heap.flushCache()).toBe(48); // far was still cached
    heap.validate();
    // The run after a was one free range before (64 + 32 bytes shown as one hole); a took it.
    const run = before.nodes[0]!.segments[1]!;
    expect([run.kind, run.start, run.size]).toEqual(['HOLE', a + 64, 96]);
  });

  it('zero-fills a block calloc takes from the cache', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(32);
    heap.view(a).fill(0xab);
    heap.free(a);
    const z = heap.calloc(4, 8);
    expect(z).toBe(a);
    expect([...heap.view(z)].every((byte) => byte === 0)).toBe(true);
  });

  it('with autoTrim, unmaps a node whose last live block is freed, cached neighbours included', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, policy, autoTrim: true });
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.free(a);
    expect(cacheOf(heap).blocks).toBe(1);
    heap.free(b);
    expect(provider.mappedBytes).toBe(0);
    expect(heap.counters()).toMatchObject({ nodes: 0, liveBlocks: 0, bytesFree: 0 });
    heap.validate();
  });

  it('keeps at most blocksPerClass blocks per class and maxBytes in all; the rest is freed at once', () => {
    const heap = heapWith({ policy, frontCache: { blocksPerClass: 2, maxBytes: 160 } });
    const small = [heap.allocate(16), heap.allocate(16), heap.allocate(16)];
    const large = [heap.allocate(64), heap.allocate(64)];
    for (const address of small) heap.free(address);
    expect(cacheOf(heap)).toMatchObject({ blocks: 2, bytes: 32 });
    heap.free(large[0]!);
    expect(cacheOf(heap)).toMatchObject({ blocks: 3, bytes: 96 });
    heap.free(large[1]!); // 96 + 64 = 160: still within the budget
    expect(cacheOf(heap)).toMatchObject({ blocks: 4, bytes: 160 });
    const more = heap.allocate(1024);
    heap.allocate(16); // from the cache
    heap.free(more); // 1024 > maxBlockSize: freed at once
    expect(cacheOf(heap)).toMatchObject({ blocks: 3, bytes: 144 });
    heap.validate();
  });

  it('flushes the cache instead of mapping a node when it holds an eighth of the mapped bytes', () => {
    const heap = heapWith({ policy, frontCache: { blocksPerClass: 1024, maxBytes: 1 << 20 } });
    const blocks: number[] = [];
    for (let i = 0; i < 8; i++) blocks.push(heap.allocate(64)); // 512 bytes: 1/8 of the node
    const rest = heap.allocate(4096 - 512);
    for (const address of blocks) heap.free(address);
    expect(cacheOf(heap).bytes).toBe(512);
    expect(heap.allocate(500)).toBe(1000); // no hole fits until the cache is flushed
    expect(cacheOf(heap).bytes).toBe(0);
    expect(heap.counters().nodes).toBe(1);
    heap.free(rest);
    heap.validate();
  });

  it('maps a node and keeps the cache when it holds less than an eighth of the mapped bytes', () => {
    const heap = heapWith({ policy });
    const blocks: number[] = [];
    for (let i = 0; i < 7; i++) blocks.push(heap.allocate(64)); // 448 bytes cached below
    const rest = heap.allocate(4096 - 448);
    for (const address of blocks) heap.free(address);
    expect(cacheOf(heap).bytes).toBe(448);
    expect(heap.allocate(400)).toBe(5096); // a new node: 448 < 4096 / 8
    expect(cacheOf(heap).bytes).toBe(448);
    heap.free(rest);
    heap.validate();
  });

  it('catches a broken cache in validate()', () => {
    const heap = heapWith({ policy });
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.free(a);
    heap.validate();
    const t = (heap as unknown as { t: InternalTables }).t;
    const cache = t.cache;
    const c = 112 / 16 - 1;
    const cachedId = cache.stacks[c * cache.perClass]!;
    cache.stacks[c * cache.perClass] = t.live.get(b); // a live block of the same size instead
    expect(() => heap.validate()).toThrow(
      /front cache: class 6 \(112 bytes\), entry 0 .* is not a CACHED record/,
    );
    cache.stacks[c * cache.perClass] = cachedId;
    heap.validate();
    cache.bytes += 16;
    expect(() => heap.validate()).toThrow(/counter bytesInUse is 96, the chain has 112/);
  });
});

/** The internals the broken-cache test reaches into. */
interface InternalTables {
  cache: { stacks: Int32Array; perClass: number; bytes: number; blocks: number };
  live: { get(address: number): number };
}

describe('a heap without a front cache', () => {
  it('frees at once and flushCache() returns 0', () => {
    const heap = heapWith({ frontCache: false });
    const a = heap.allocate(100);
    heap.free(a);
    expect(heap.counters()).toMatchObject({ holes: 1, segments: 1 });
    expect(heap.flushCache()).toBe(0);
  });

  it('refuses flushCache() after destroy', () => {
    const heap = heapWith();
    heap.destroy();
    expect(errorOf(() => heap.flushCache())?.code).toBe('ESTATE');
  });
});
