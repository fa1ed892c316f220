import { describe, expect, it } from 'vitest';
import { ModelHeap, ModelMismatch } from './model-heap.js';
import { ModelProvider } from './model-provider.js';

const seedConfig = {
  pageSize: 4096,
  startAddress: 1000,
  alignment: 1,
  policy: 'first-fit' as const,
  minNodePages: 1,
  autoTrim: false,
  maxNodeBytes: 2 ** 32 - 4096,
  providerPageSize: 4096,
};

// The three stats blocks of the seed's example program (apps/demo/src/fixtures/seed-example-output.txt).
const SEED_STATS = [
  `----- MeMS SYSTEM STATS -----
MAIN[1000:5095]-> P[1000:1999] <-> P[2000:2999] <-> P[3000:3999] <-> P[4000:4999] <-> H[5000:5095] <-> NULL
MAIN[5096:9191]-> P[5096:6095] <-> P[6096:7095] <-> P[7096:8095] <-> P[8096:9095] <-> H[9096:9191] <-> NULL
MAIN[9192:13287]-> P[9192:10191] <-> P[10192:11191] <-> H[11192:13287] <-> NULL
Pages used:\t3
Space unused:\t2288
Main Chain Length:\t3
Sub-chain Length array: [5, 5, 3, ]
-----------------------------
`,
  `----- MeMS SYSTEM STATS -----
MAIN[1000:5095]-> P[1000:1999] <-> P[2000:2999] <-> P[3000:3999] <-> H[4000:5095] <-> NULL
MAIN[5096:9191]-> P[5096:6095] <-> P[6096:7095] <-> P[7096:8095] <-> P[8096:9095] <-> H[9096:9191] <-> NULL
MAIN[9192:13287]-> P[9192:10191] <-> P[10192:11191] <-> H[11192:13287] <-> NULL
Pages used:\t3
Space unused:\t3288
Main Chain Length:\t3
Sub-chain Length array: [4, 5, 3, ]
-----------------------------
`,
];

describe('the reference model', () => {
  it("reproduces the seed's example program", () => {
    const heap = new ModelHeap(seedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    const addresses = Array.from({ length: 10 }, () => heap.allocate(1000));
    expect(addresses).toEqual([1000, 2000, 3000, 4000, 5096, 6096, 7096, 8096, 9192, 10192]);
    expect(heap.renderSeedStats()).toBe(SEED_STATS[0]);
    heap.free(4000);
    expect(heap.renderSeedStats()).toBe(SEED_STATS[1]);
    expect(heap.allocate(1000)).toBe(4000);
    expect(heap.renderSeedStats()).toBe(SEED_STATS[0]);
  });

  it('prints an empty heap as the seed does', () => {
    const heap = new ModelHeap(seedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    expect(heap.renderSeedStats()).toBe(
      '----- MeMS SYSTEM STATS -----\nPages used:\t0\nSpace unused:\t0\nMain Chain Length:\t0\nSub-chain Length array: []\n-----------------------------\n',
    );
  });

  it('reallocs in place when shrinking or when the next hole is large enough, else allocates, copies, then frees', () => {
    const heap = new ModelHeap(seedConfig, new ModelProvider(4096, Number.POSITIVE_INFINITY));
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    heap.setBytes(a, [1, 2, 3]);
    expect(heap.realloc(a, 50)).toBe(a); // shrink: a 50-byte hole after it
    expect(heap.realloc(a, 100)).toBe(a); // grows back into it
    heap.free(b);
    expect(heap.realloc(a, 4000)).toBe(a); // grows into the merged hole
    expect(heap.realloc(a, 5000)).toBe(5096); // does not fit the node: a new node, bytes copied
    expect(Array.from(heap.knownBytes(5096, 4))).toEqual([1, 2, 3, -1]);
    expect(heap.renderSeedStats()).toContain('MAIN[1000:5095]-> H[1000:5095] <-> NULL');
    // trim unmaps the empty first node; the next node starts after the last live one.
    expect(heap.trim()).toEqual({ released: 4096, failures: 0 });
    expect(heap.nodes.map((n) => n.start)).toEqual([5096]);
  });

  it('follows each placement policy', () => {
    const run = (policy: 'first-fit' | 'next-fit' | 'best-fit') => {
      const heap = new ModelHeap(
        { ...seedConfig, policy },
        new ModelProvider(4096, Number.POSITIVE_INFINITY),
      );
      const blocks = [300, 10, 100, 10, 200, 10].map((size) => heap.allocate(size));
      heap.free(blocks[0]!); // hole of 300 at 1000
      heap.free(blocks[2]!); // hole of 100 at 1310
      return [heap.allocate(50), heap.allocate(50)];
    };
    expect(run('first-fit')).toEqual([1000, 1050]);
    expect(run('best-fit')).toEqual([1310, 1360]);
    expect(run('next-fit')).toEqual([1630, 1680]); // after the last allocation (1620)
  });

  it('refuses a tlsf placement that is not a fitting hole', () => {
    const heap = new ModelHeap(
      { ...seedConfig, policy: 'tlsf' },
      new ModelProvider(4096, Number.POSITIVE_INFINITY),
    );
    expect(heap.allocate(100, 1000)).toBe(1000);
    expect(() => heap.allocate(100, 1050)).toThrow(ModelMismatch);
    expect(() => heap.allocate(100, 5096)).toThrow(ModelMismatch);
  });

  it('counts provider calls and faults like the mock', () => {
    const provider = new ModelProvider(4096, 8192);
    provider.faults.push({ op: 'map', remaining: 2, kind: 'error' });
    expect(provider.map(4096)).toEqual({ kind: 'ok', index: 0 });
    expect(provider.map(4096)).toEqual({ kind: 'error', reason: 'fault' });
    expect(provider.map(4096)).toEqual({ kind: 'ok', index: 1 });
    expect(provider.map(4096)).toEqual({ kind: 'error', reason: 'maxBytes' });
    expect(provider.mappedBytes).toBe(8192);
  });
});
