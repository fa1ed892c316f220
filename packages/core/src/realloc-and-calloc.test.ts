import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

const fresh = () => createHeap({ provider: createMockProvider() });

describe('realloc', () => {
  it('shrinks in place and gives the tail back as a hole merged with the next one', () => {
    const heap = fresh();
    const a = heap.allocate(1000);
    expect(heap.realloc(a, 600)).toBe(a);
    expect(heap.snapshot().nodes[0]!.segments.map((s) => [s.kind, s.size])).toEqual([
      ['PROCESS', 600],
      ['HOLE', 3496],
    ]);
  });

  it('shrinks in place before another block, making a new hole', () => {
    const heap = fresh();
    const a = heap.allocate(1000);
    heap.allocate(1000);
    expect(heap.realloc(a, 400)).toBe(a);
    expect(heap.snapshot().nodes[0]!.segments.map((s) => s.size)).toEqual([400, 600, 1000, 2096]);
    heap.validate();
  });

  it('grows in place into the following hole, keeping the bytes', () => {
    const heap = fresh();
    const a = heap.allocate(100);
    heap.view(a).fill(7);
    expect(heap.realloc(a, 3000)).toBe(a);
    expect(heap.usableSize(a)).toBe(3000);
    expect(heap.view(a, 100).every((b) => b === 7)).toBe(true);
    heap.validate();
  });

  it('grows in place by swallowing a following hole exactly', () => {
    const heap = fresh();
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.allocate(100);
    heap.free(b);
    expect(heap.realloc(a, 200)).toBe(a);
    expect(heap.counters().holes).toBe(1);
    heap.validate();
  });

  it('moves a block that cannot grow in place, copying its bytes and freeing the old one', () => {
    const heap = fresh();
    const a = heap.allocate(100);
    heap.allocate(100);
    heap.view(a).set(Array.from({ length: 100 }, (_, i) => i));
    const moved = heap.realloc(a, 5000);
    expect(moved).not.toBe(a);
    expect(Array.from(heap.view(moved, 100))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(() => heap.free(a)).toThrow(/free hole/);
    heap.validate();
  });

  it('returns the same address when the size does not change', () => {
    const heap = fresh();
    const a = heap.allocate(64);
    expect(heap.realloc(a, 64)).toBe(a);
  });
});

describe('calloc', () => {
  it('zero-fills the whole usable block, alignment padding included', () => {
    const heap = createHeap({ provider: createMockProvider(), alignment: 8 });
    const a = heap.allocate(8);
    heap.view(a).fill(0xff);
    heap.free(a);
    const b = heap.calloc(1, 3);
    expect(heap.usableSize(b)).toBe(8);
    expect(Array.from(heap.view(b))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('zero-fills a block reused from a hole that held old bytes', () => {
    const heap = fresh();
    const a = heap.allocate(256);
    heap.view(a).fill(0xab);
    heap.free(a);
    const b = heap.calloc(16, 16);
    expect(b).toBe(a);
    expect(heap.view(b).every((x) => x === 0)).toBe(true);
  });
});
