import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

describe('trim', () => {
  it('unmaps every node without a live block and reports the bytes', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider });
    const a = heap.allocate(4096);
    heap.allocate(4096);
    const c = heap.allocate(8192);
    heap.free(a);
    heap.free(c);
    expect(heap.trim()).toBe(3 * 4096);
    expect(provider.mappedBytes).toBe(4096);
    expect(heap.counters()).toMatchObject({ nodes: 1, pagesMapped: 1, bytesFree: 0 });
    heap.validate();
    // New nodes start right after the last one.
    expect(heap.allocate(10)).toBe(1000 + 2 * 4096);
  });

  it('is off by default and unmaps at once with autoTrim', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider, autoTrim: true });
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.free(a);
    expect(provider.mappingCount).toBe(1);
    heap.free(b);
    expect(provider.mappingCount).toBe(0);
    expect(heap.counters()).toMatchObject({ nodes: 0, pagesMapped: 0 });
    heap.validate();
  });

  it('keeps a node whose unmap fails, releases the rest and reports the failure', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider });
    const blocks = [heap.allocate(4096), heap.allocate(4096), heap.allocate(4096)];
    for (const b of blocks) heap.free(b);
    provider.injectFault({ op: 'unmap', nth: 2 });
    let error: unknown;
    try {
      heap.trim();
    } catch (e) {
      error = e;
    }
    expect(isMemsError(error, 'ENOMEM')).toBe(true);
    expect(String((error as Error).message)).toMatch(
      /1 empty node\(s\) could not be unmapped.*8192 bytes were released/,
    );
    expect(heap.counters().nodes).toBe(1);
    expect(provider.mappingCount).toBe(1);
    heap.validate();
    expect(heap.trim()).toBe(4096);
    expect(provider.mappedBytes).toBe(0);
  });
});

describe('destroy', () => {
  it('unmaps everything: the provider accounting returns to zero', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider });
    for (let i = 0; i < 20; i++) heap.allocate(1000 + i * 300);
    heap.destroy();
    expect(provider.mappedBytes).toBe(0);
    expect(provider.mappingCount).toBe(0);
  });

  it('releases every other mapping when one unmap fails, then reports it', () => {
    const provider = createMockProvider();
    const heap = createHeap({ provider });
    for (let i = 0; i < 4; i++) heap.allocate(4096);
    provider.injectFault({ op: 'unmap', nth: 2 });
    expect(() => heap.destroy()).toThrow(/1 mapping\(s\) could not be unmapped/);
    expect(provider.mappingCount).toBe(1);
    expect(heap.isDestroyed).toBe(true);
  });
});
