import { describe, expect, it } from 'vitest';
import { BlockRegistry } from './block-registry.js';

describe('the block registry', () => {
  it('keeps each worker’s blocks in its own slots, and lists every worker’s blocks with their owner', () => {
    const buffer = BlockRegistry.allocate(2, 3);
    const zero = new BlockRegistry(buffer, 2, 3, 0);
    const one = new BlockRegistry(buffer, 2, 3, 1);
    const reader = new BlockRegistry(buffer, 2, 3, -1);
    const a = zero.record({ address: 1000, size: 10, id: 64 });
    zero.record({ address: 2000, size: 20, id: 128 });
    one.record({ address: 0, size: 5, id: 65 });
    expect(zero.room).toBe(1);
    zero.update(a, { address: 3000, size: 30, id: 64 });
    zero.release(zero.record({ address: 4000, size: 1, id: 192 }));
    expect(() => {
      zero.record({ address: 1, size: 1, id: 1 });
      zero.record({ address: 2, size: 1, id: 2 });
    }).toThrow(/no free slot/);
    expect(reader.blocks().map((b) => [b.address, b.size, b.id, b.owner])).toEqual([
      [3000, 30, 64, 0],
      [2000, 20, 128, 0],
      [1, 1, 1, 0],
      [0, 5, 65, 1],
    ]);
  });
});
