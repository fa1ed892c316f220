import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

// The node lookup (which node holds an address) is a binary search over the nodes in address
// order: its metadata grows with the number of nodes, never with the bytes they span, and a
// heap page size of 1 costs what 4096 does.

describe('node lookup', () => {
  it('costs the same metadata for a 16-byte node and a 256 MiB one', () => {
    const small = createHeap({ provider: createMockProvider() });
    const large = createHeap({ provider: createMockProvider() });
    small.allocate(16);
    large.allocate(2 ** 28);
    expect(large.metadataBytes).toBe(small.metadataBytes);
    large.destroy();
  });

  it('with pageSize 1 costs no more than with pageSize 4096, and malloc(2^30) stays small', () => {
    const byteHeap = createHeap({ provider: createMockProvider(), pageSize: 1 });
    const pageHeap = createHeap({ provider: createMockProvider(), pageSize: 4096 });
    for (const heap of [byteHeap, pageHeap]) {
      const block = heap.allocate(2 ** 30);
      heap.view(block, 1)[0] = 1;
      heap.view(block + 2 ** 30 - 1, 1)[0] = 2;
      expect(heap.translate(block + 2 ** 29)).toBe(heap.translate(block) + 2n ** 29n);
      heap.validate();
    }
    expect(byteHeap.metadataBytes).toBeLessThanOrEqual(pageHeap.metadataBytes);
    expect(byteHeap.metadataBytes).toBeLessThan(64 * 1024);
    byteHeap.destroy();
    pageHeap.destroy();
  });

  it('grows with the number of nodes only: 1024 one-page nodes cost what 1024 sixteen-page ones cost', () => {
    const onePage = createHeap({ provider: createMockProvider() });
    const sixteenPages = createHeap({ provider: createMockProvider() });
    for (let i = 0; i < 1024; i++) {
      onePage.allocate(4096);
      sixteenPages.allocate(16 * 4096);
    }
    expect(sixteenPages.metadataBytes).toBe(onePage.metadataBytes);
  });

  it('finds the node of every address across gaps that trimmed nodes leave', () => {
    const heap = createHeap({ provider: createMockProvider(), pageSize: 1 });
    const sizes = [1, 4096, 3, 70_000, 5, 12_345, 2];
    const blocks = sizes.map((size) => heap.allocate(size));
    // Trim the nodes of blocks 1, 3 and 5: their ranges become gaps in the virtual space.
    for (const i of [1, 3, 5]) heap.free(blocks[i]!);
    heap.trim();
    const nodes = heap.snapshot().nodes;
    expect(nodes.map((node) => node.size)).toEqual([1, 3, 5, 2]);
    for (const node of nodes) {
      for (const address of [node.start, node.lastAddress]) {
        const base = BigInt(node.physicalAddress);
        expect(heap.translate(address)).toBe(base + BigInt(address - node.start));
      }
    }
    for (const i of [1, 3, 5]) {
      for (const address of [blocks[i]!, blocks[i]! + sizes[i]! - 1]) {
        let error: unknown;
        try {
          heap.translate(address);
        } catch (thrown) {
          error = thrown;
        }
        expect(isMemsError(error, 'EFAULT')).toBe(true);
        expect((error as Error).message).toContain('not inside any mapped node');
      }
    }
    const last = nodes.at(-1)!;
    expect(() => heap.translate(last.lastAddress + 1)).toThrow('not inside any mapped node');
    expect(() => heap.translate(999)).toThrow('not inside any mapped node');
    heap.validate();
  });
});
