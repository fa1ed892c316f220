import type { HeapSnapshot, NodeSnapshot } from '@mems/core';
import { assertNode, assertSnapshot } from './validate';

/** One bucket of the hole-size histogram: holes of `fromBytes` to `toBytes` bytes (both inclusive). */
export interface HoleSizeBucket {
  /** The smallest size in the bucket: a power of two. */
  readonly fromBytes: number;
  /** The largest size in the bucket: the next power of two minus one. */
  readonly toBytes: number;
  /** How many holes have a size in `[fromBytes, toBytes]`. */
  readonly count: number;
}

/** Whole-heap figures computed from a snapshot by {@link computeMetrics}. */
export interface HeapMetrics {
  /** `counters.bytesInUse / counters.bytesMapped`, from 0 to 1; 0 when nothing is mapped. */
  readonly utilisation: number;
  /**
   * `1 - largestHole / totalFree`, from 0 (all free space in one hole) towards 1 (free space
   * scattered in many small holes); 0 when there is no free space.
   */
  readonly externalFragmentation: number;
  /** How many HOLE segments the sub-chains hold. */
  readonly holeCount: number;
  /** The size in bytes of the largest HOLE; 0 when there is none. */
  readonly largestHole: number;
  /** The sum of all HOLE sizes in bytes, counted over the sub-chains. */
  readonly totalFree: number;
  /**
   * Hole sizes in power-of-two buckets (`[1, 1]`, `[2, 3]`, `[4, 7]`, ...), from the bucket of
   * the smallest hole to the bucket of the largest, empty buckets in between included; `[]`
   * when there are no holes.
   */
  readonly holeSizeHistogram: readonly HoleSizeBucket[];
}

/** Figures for one main-chain node, computed by {@link computeNodeMetrics}. */
export interface NodeMetrics {
  /** Bytes in the node's PROCESS segments. */
  readonly bytesInUse: number;
  /** Bytes in the node's HOLE segments. */
  readonly bytesFree: number;
  /** How many PROCESS segments the node has. */
  readonly processCount: number;
  /** How many HOLE segments the node has. */
  readonly holeCount: number;
  /** The size in bytes of the node's largest HOLE; 0 when it has none. */
  readonly largestHole: number;
  /** `bytesInUse / size`, from 0 to 1; 0 for a node of size 0. */
  readonly utilisation: number;
}

/**
 * The power-of-two exponent of a positive size: the `k` with `2^k <= size < 2^(k+1)`.
 * Works beyond 2^32, unlike `Math.clz32`.
 */
function log2Floor(size: number): number {
  let k = Math.floor(Math.log2(size));
  if (2 ** k > size) k--;
  if (2 ** (k + 1) <= size) k++;
  return k;
}

/**
 * Computes the figures of one main-chain node by walking its sub-chain.
 * @param node a node of a {@link HeapSnapshot}.
 * @returns its bytes in use and free, segment counts, largest hole and utilisation.
 * @throws {MemsError} `EINVAL` when `node` is not a node object with a `segments` array.
 */
export function computeNodeMetrics(node: NodeSnapshot): NodeMetrics {
  assertNode('computeNodeMetrics', node);
  return nodeMetrics(node);
}

/** {@link computeNodeMetrics} without the input check, for callers that validated already. */
export function nodeMetrics(node: NodeSnapshot): NodeMetrics {
  let bytesInUse = 0;
  let bytesFree = 0;
  let processCount = 0;
  let holeCount = 0;
  let largestHole = 0;
  for (const segment of node.segments) {
    if (segment.kind === 'PROCESS') {
      bytesInUse += segment.size;
      processCount++;
    } else {
      bytesFree += segment.size;
      holeCount++;
      if (segment.size > largestHole) largestHole = segment.size;
    }
  }
  const utilisation = node.size > 0 ? bytesInUse / node.size : 0;
  return { bytesInUse, bytesFree, processCount, holeCount, largestHole, utilisation };
}

/**
 * Computes whole-heap metrics: utilisation from the counters, and the hole figures (count,
 * largest, total, fragmentation, size histogram) by walking every sub-chain.
 * @param snapshot a heap snapshot from `@mems/core`.
 * @returns the {@link HeapMetrics}.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and `counters`.
 */
export function computeMetrics(snapshot: HeapSnapshot): HeapMetrics {
  assertSnapshot('computeMetrics', snapshot);
  return heapMetrics(snapshot);
}

/** {@link computeMetrics} without the input check, for callers that validated already. */
export function heapMetrics(snapshot: HeapSnapshot): HeapMetrics {
  const { bytesInUse, bytesMapped } = snapshot.counters;
  const utilisation = bytesMapped > 0 ? bytesInUse / bytesMapped : 0;
  let holeCount = 0;
  let largestHole = 0;
  let totalFree = 0;
  const counts: number[] = [];
  let lowest = Number.POSITIVE_INFINITY;
  let highest = -1;
  for (const node of snapshot.nodes) {
    for (const segment of node.segments) {
      if (segment.kind !== 'HOLE') continue;
      holeCount++;
      totalFree += segment.size;
      if (segment.size > largestHole) largestHole = segment.size;
      if (segment.size < 1) continue; // a zero-byte hole has no power-of-two bucket
      const k = log2Floor(segment.size);
      counts[k] = (counts[k] ?? 0) + 1;
      if (k < lowest) lowest = k;
      if (k > highest) highest = k;
    }
  }
  const holeSizeHistogram: HoleSizeBucket[] = [];
  for (let k = lowest; k <= highest; k++) {
    holeSizeHistogram.push({ fromBytes: 2 ** k, toBytes: 2 ** (k + 1) - 1, count: counts[k] ?? 0 });
  }
  const externalFragmentation = totalFree > 0 ? 1 - largestHole / totalFree : 0;
  return { utilisation, externalFragmentation, holeCount, largestHole, totalFree, holeSizeHistogram };
}
