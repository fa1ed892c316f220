import { bytesOfMapping, createSharedMemoryProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import { SEED_EXAMPLE_OUTPUT, statsBlocks } from './test-support/seed-fixture.js';

// createMems over the shared-memory provider: the blocks live in one SharedArrayBuffer, which
// worker threads can open (the heap's metadata stays in this thread).
describe('createMems over the shared-memory provider', () => {
  it("prints the seed example's three stats blocks byte for byte", () => {
    const provider = createSharedMemoryProvider({ maxBytes: 1024 * 4096 });
    const mems = createMems({ provider });
    const printed: string[] = [];
    const arrays = Array.from({ length: 10 }, () => mems.malloc(1000));
    expect(arrays).toEqual([1000, 2000, 3000, 4000, 5096, 6096, 7096, 8096, 9192, 10192]);
    mems.viewAs(Int32Array, arrays[0]! + 4, 1)[0] = 200;
    expect(mems.get(arrays[0]! + 4) - mems.get(arrays[0]!)).toBe(4n);
    mems.printStats((text) => printed.push(text));
    mems.free(arrays[3]!);
    mems.printStats((text) => printed.push(text));
    expect(mems.malloc(1000)).toBe(4000);
    mems.printStats((text) => printed.push(text));
    expect(printed).toEqual(statsBlocks(SEED_EXAMPLE_OUTPUT));
    mems.validate();
    mems.finish();
    expect(provider.mappedBytes).toBe(0);
  });

  it('puts every block where the provider says its node is, in the shared buffer', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 1024 * 4096 });
    const mems = createMems({ provider, policy: 'tlsf' });
    const blocks = [3000, 9000, 500, 20000].map((size, i) => {
      const ptr = mems.malloc(size);
      mems.view(ptr).fill(i + 1);
      return { ptr, size, tag: i + 1 };
    });
    for (const { ptr, size, tag } of blocks) {
      const physical = mems.get(ptr);
      const node = mems
        .stats()
        .nodes.find((candidate) => candidate.start <= ptr && ptr <= candidate.lastAddress)!;
      const mapping = provider.mappingAt(BigInt(node.physicalAddress));
      const offset = Number(physical - mapping.address);
      expect(
        bytesOfMapping(mapping)
          .subarray(offset, offset + size)
          .every((byte) => byte === tag),
      ).toBe(true);
    }
    mems.finish();
  });
});
