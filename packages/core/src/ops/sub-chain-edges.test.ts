import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from '../heap.js';

const kinds = (heap: Heap) =>
  heap.snapshot().nodes.map((n) => n.segments.map((s) => `${s.kind[0]}${s.size}`).join(' '));
const fresh = (options = {}) => createHeap({ provider: createMockProvider(), ...options });

describe('splitting and merging segments', () => {
  it('takes exactly one page without leaving a zero-byte hole', () => {
    const heap = fresh();
    expect(heap.allocate(4096)).toBe(1000);
    expect(kinds(heap)).toEqual(['P4096']);
    expect(heap.counters()).toMatchObject({ holes: 0, segments: 1, bytesFree: 0 });
  });

  it('maps ceil(size / pageSize) pages for a large block, hole after it', () => {
    const heap = fresh();
    heap.allocate(3 * 4096 + 1);
    expect(heap.snapshot().nodes[0]).toMatchObject({ pages: 4, size: 4 * 4096 });
    expect(kinds(heap)).toEqual([`P${3 * 4096 + 1} H${4096 - 1}`]);
  });

  it('maps at least minNodePages pages per node', () => {
    const heap = fresh({ minNodePages: 4 });
    heap.allocate(10);
    expect(heap.snapshot().nodes[0]!.pages).toBe(4);
  });

  it('fills a hole exactly, leaving no hole segment', () => {
    const heap = fresh();
    const a = heap.allocate(100);
    heap.allocate(100);
    heap.free(a);
    expect(heap.allocate(100)).toBe(a);
    expect(kinds(heap)).toEqual(['P100 P100 H3896']);
  });

  it('merges a freed block with the hole on its left', () => {
    const heap = fresh();
    const [a, b] = [heap.allocate(100), heap.allocate(100), heap.allocate(100)];
    heap.free(a!);
    heap.free(b!);
    expect(kinds(heap)).toEqual(['H200 P100 H3796']);
  });

  it('merges a freed block with the hole on its right', () => {
    const heap = fresh();
    const [, b, c] = [heap.allocate(100), heap.allocate(100), heap.allocate(100)];
    heap.free(c!);
    expect(kinds(heap)).toEqual(['P100 P100 H3896']);
    heap.free(b!);
    expect(kinds(heap)).toEqual(['P100 H3996']);
  });

  it('merges a freed block with holes on both sides into one', () => {
    const heap = fresh();
    const [a, b, c] = [heap.allocate(100), heap.allocate(100), heap.allocate(100), heap.allocate(100)];
    heap.free(a!);
    heap.free(c!);
    heap.free(b!);
    expect(kinds(heap)).toEqual(['H300 P100 H3696']);
  });

  it('never merges across nodes', () => {
    const heap = fresh();
    const a = heap.allocate(4096);
    const b = heap.allocate(4096);
    heap.free(a);
    heap.free(b);
    expect(kinds(heap)).toEqual(['H4096', 'H4096']);
    expect(heap.allocate(8000)).toBe(1000 + 2 * 4096);
  });

  it('frees every block in every order back to one hole per node', () => {
    const permutations = (xs: number[]): number[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of permutations([0, 1, 2, 3, 4])) {
      const heap = fresh();
      const blocks = [1000, 500, 1500, 96, 1000].map((size) => heap.allocate(size));
      for (const i of order) {
        heap.free(blocks[i]!);
        heap.validate();
      }
      expect(kinds(heap)).toEqual(['H4096']);
      expect(heap.counters()).toMatchObject({ liveBlocks: 0, bytesInUse: 0, bytesFree: 4096 });
    }
  });

  it('rounds sizes up to the alignment and keeps every block aligned in physical memory', () => {
    const heap = fresh({ alignment: 16 });
    const a = heap.allocate(1);
    const b = heap.allocate(17);
    expect(heap.usableSize(a)).toBe(16);
    expect(heap.usableSize(b)).toBe(32);
    expect(heap.translate(b) % 16n).toBe(0n);
    expect(heap.viewAs(Float64Array, b).length).toBe(4);
  });

  it('numbers nodes contiguously from the start address', () => {
    const heap = fresh({ startAddress: 0, pageSize: 8192 });
    expect([heap.allocate(8192), heap.allocate(1), heap.allocate(8192)]).toEqual([0, 8192, 16384]);
  });
});
