import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap } from './heap.js';

// The chains printed in the seed's expected output (apps/demo/src/fixtures/seed-example-output.txt),
// as [kind, start, last] triples.
const AFTER_TEN: [string, number, number][][] = [
  [
    ['P', 1000, 1999],
    ['P', 2000, 2999],
    ['P', 3000, 3999],
    ['P', 4000, 4999],
    ['H', 5000, 5095],
  ],
  [
    ['P', 5096, 6095],
    ['P', 6096, 7095],
    ['P', 7096, 8095],
    ['P', 8096, 9095],
    ['H', 9096, 9191],
  ],
  [
    ['P', 9192, 10191],
    ['P', 10192, 11191],
    ['H', 11192, 13287],
  ],
];
const AFTER_FREE: [string, number, number][][] = [
  [
    ['P', 1000, 1999],
    ['P', 2000, 2999],
    ['P', 3000, 3999],
    ['H', 4000, 5095],
  ],
  AFTER_TEN[1]!,
  AFTER_TEN[2]!,
];

function chains(heap: ReturnType<typeof createHeap>): [string, number, number][][] {
  return heap.snapshot().nodes.map((n) => n.segments.map((s) => [s.kind[0]!, s.start, s.lastAddress]));
}

describe.each([4096, 16384])('the seed example with default settings on %i-byte OS pages', (osPageSize) => {
  it('reproduces the addresses, chains and counters of example-output.txt', () => {
    const provider = createMockProvider({ pageSize: osPageSize });
    const heap = createHeap({ provider });
    const addresses = Array.from({ length: 10 }, () => heap.allocate(1000));
    expect(addresses).toEqual([1000, 2000, 3000, 4000, 5096, 6096, 7096, 8096, 9192, 10192]);
    expect(chains(heap)).toEqual(AFTER_TEN);
    expect(heap.snapshot().nodes.map((n) => [n.start, n.lastAddress])).toEqual([
      [1000, 5095],
      [5096, 9191],
      [9192, 13287],
    ]);
    expect(heap.counters()).toMatchObject({ pagesMapped: 3, bytesFree: 2288, nodes: 3 });

    // Element 1 of the first array, written through its view, read back through element 0's.
    heap.viewAs(Int32Array, 1004, 1)[0] = 200;
    expect(heap.translate(1004) - heap.translate(1000)).toBe(4n);
    expect(heap.viewAs(Int32Array, 1000)[1]).toBe(200);

    heap.free(addresses[3]!);
    expect(chains(heap)).toEqual(AFTER_FREE);
    expect(heap.counters()).toMatchObject({ pagesMapped: 3, bytesFree: 3288, nodes: 3 });

    expect(heap.allocate(1000)).toBe(4000);
    expect(chains(heap)).toEqual(AFTER_TEN);
    expect(heap.counters()).toMatchObject({ pagesMapped: 3, bytesFree: 2288 });
    heap.validate();
    // Each 4096-byte heap page is mapped as whole OS pages.
    expect(provider.mappedBytes).toBe(3 * Math.max(4096, osPageSize));
    heap.destroy();
    expect(provider.mappedBytes).toBe(0);
  });
});
