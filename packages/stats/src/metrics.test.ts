import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_FREE, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import { computeMetrics, computeNodeMetrics } from './metrics';

describe('computeMetrics', () => {
  it('computes the seed example after ten mallocs', () => {
    const metrics = computeMetrics(buildSnapshot(SEED_AFTER_MALLOCS));
    expect(metrics.utilisation).toBeCloseTo(10000 / 12288, 12);
    expect(metrics.holeCount).toBe(3);
    expect(metrics.largestHole).toBe(2096);
    expect(metrics.totalFree).toBe(2288);
    expect(metrics.externalFragmentation).toBeCloseTo(1 - 2096 / 2288, 12);
    expect(metrics.holeSizeHistogram).toEqual([
      { fromBytes: 64, toBytes: 127, count: 2 },
      { fromBytes: 128, toBytes: 255, count: 0 },
      { fromBytes: 256, toBytes: 511, count: 0 },
      { fromBytes: 512, toBytes: 1023, count: 0 },
      { fromBytes: 1024, toBytes: 2047, count: 0 },
      { fromBytes: 2048, toBytes: 4095, count: 1 },
    ]);
  });

  it('puts a freed 1096-byte hole in the 1024..2047 bucket', () => {
    const metrics = computeMetrics(buildSnapshot(SEED_AFTER_FREE));
    expect(metrics.holeSizeHistogram.find((b) => b.fromBytes === 1024)?.count).toBe(1);
    expect(metrics.totalFree).toBe(3288);
  });

  it('gives zeros and an empty histogram for an empty heap', () => {
    expect(computeMetrics(buildSnapshot([]))).toEqual({
      utilisation: 0,
      externalFragmentation: 0,
      holeCount: 0,
      largestHole: 0,
      totalFree: 0,
      holeSizeHistogram: [],
    });
  });

  it('has no fragmentation when all free space is one hole, or when nothing is free', () => {
    expect(computeMetrics(buildSnapshot(['P96 H4000'])).externalFragmentation).toBe(0);
    expect(computeMetrics(buildSnapshot(['P4096'])).externalFragmentation).toBe(0);
    expect(computeMetrics(buildSnapshot(['P4096'])).utilisation).toBe(1);
  });

  it('measures fragmentation across nodes: four equal holes give 0.75', () => {
    const snapshot = buildSnapshot(['H1024 P1024 H1024 P1024', 'H1024 P1024 H1024 P1024']);
    expect(computeMetrics(snapshot).externalFragmentation).toBe(0.75);
  });

  it('puts exact powers of two at the start of their bucket', () => {
    const snapshot = buildSnapshot(['H1 P1 H2 P1 H4 P4087'], { pageSize: 4096 });
    expect(computeMetrics(snapshot).holeSizeHistogram).toEqual([
      { fromBytes: 1, toBytes: 1, count: 1 },
      { fromBytes: 2, toBytes: 3, count: 1 },
      { fromBytes: 4, toBytes: 7, count: 1 },
    ]);
  });

  it('buckets holes larger than 4 GiB correctly', () => {
    const pageSize = 2 ** 33;
    const snapshot = buildSnapshot([`P${2 ** 33 - 2 ** 32 - 1} H${2 ** 32 + 1}`], { pageSize });
    expect(computeMetrics(snapshot).holeSizeHistogram).toEqual([
      { fromBytes: 2 ** 32, toBytes: 2 ** 33 - 1, count: 1 },
    ]);
  });

  it('takes utilisation from the counters', () => {
    const snapshot = buildSnapshot(SEED_AFTER_MALLOCS);
    const counters = { ...snapshot.counters, bytesInUse: 1, bytesMapped: 4 };
    expect(computeMetrics({ ...snapshot, counters }).utilisation).toBe(0.25);
  });
});

describe('computeNodeMetrics', () => {
  it('walks one node', () => {
    const [node] = buildSnapshot(['P1000 P1000 H2096']).nodes;
    expect(computeNodeMetrics(node!)).toEqual({
      bytesInUse: 2000,
      bytesFree: 2096,
      processCount: 2,
      holeCount: 1,
      largestHole: 2096,
      utilisation: 2000 / 4096,
    });
  });
});
