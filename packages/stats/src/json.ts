import type { HeapSnapshot, SegmentKind } from '@mems/core';
import { heapMetrics, nodeMetrics } from './metrics';
import { assertIntegerOption, assertOptions, assertSnapshot } from './validate';

/** The value of {@link StatsJson.format}: names this JSON document's shape. */
export const STATS_JSON_FORMAT = 'mems-stats';

/** The value of {@link StatsJson.version}; it changes only when a field is renamed or removed. */
export const STATS_JSON_VERSION = 1;

/** One segment in {@link StatsJson}. */
export interface StatsJsonSegment {
  /** `'PROCESS'` (allocated) or `'HOLE'` (free). */
  kind: SegmentKind;
  /** Virtual address of the first byte. */
  start: number;
  /** Virtual address of the last byte (inclusive). */
  lastAddress: number;
  /** Length in bytes. */
  size: number;
}

/** One main-chain node in {@link StatsJson}, with its computed figures. */
export interface StatsJsonNode {
  /** Virtual address of the first byte. */
  start: number;
  /** Virtual address of the last byte (inclusive). */
  lastAddress: number;
  /** Length in bytes. */
  size: number;
  /** Pages spanned. */
  pages: number;
  /** Physical address of the first byte, as a decimal string. */
  physicalAddress: string;
  /** Bytes in PROCESS segments. */
  bytesInUse: number;
  /** Bytes in HOLE segments. */
  bytesFree: number;
  /** Largest HOLE in bytes (0 when none). */
  largestHole: number;
  /** `bytesInUse / size` (0 to 1). */
  utilisation: number;
  /** The sub-chain, in address order. */
  segments: StatsJsonSegment[];
}

/** The JSON document produced by {@link toJSON} and {@link formatJson}. Field names are stable. */
export interface StatsJson {
  /** Always {@link STATS_JSON_FORMAT} (`'mems-stats'`). */
  format: typeof STATS_JSON_FORMAT;
  /** Always {@link STATS_JSON_VERSION} (`1`). */
  version: typeof STATS_JSON_VERSION;
  /** Placement policy name. */
  policy: string;
  /** Page size in bytes. */
  pageSize: number;
  /** First virtual address. */
  startAddress: number;
  /** Block alignment in bytes. */
  alignment: number;
  /** Page provider name. */
  provider: string;
  /** The heap's counters, copied from the snapshot. */
  counters: {
    pagesMapped: number;
    bytesMapped: number;
    bytesInUse: number;
    bytesFree: number;
    liveBlocks: number;
    holes: number;
    nodes: number;
    segments: number;
  };
  /** Whole-heap metrics (see `computeMetrics`). */
  metrics: {
    utilisation: number;
    externalFragmentation: number;
    holeCount: number;
    largestHole: number;
    totalFree: number;
    holeSizeHistogram: { fromBytes: number; toBytes: number; count: number }[];
  };
  /** The main chain, in address order. */
  nodes: StatsJsonNode[];
}

/** Options of {@link formatJson}. */
export interface FormatJsonOptions {
  /** Spaces per indentation level, 0 to 10; 0 prints one line. Default 2. */
  indent?: number;
}

/**
 * Builds the stable JSON form of a snapshot: settings, counters, computed metrics and every
 * node with its own figures and segments. Fields always appear in the documented order; fields
 * of the snapshot that are not documented here are left out.
 * @param snapshot a heap snapshot from `@mems/core`.
 * @returns a fresh plain object (safe to mutate or pass to `JSON.stringify`).
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and `counters`.
 */
export function toJSON(snapshot: HeapSnapshot): StatsJson {
  assertSnapshot('toJSON', snapshot);
  return buildJson(snapshot);
}

function buildJson(snapshot: HeapSnapshot): StatsJson {
  const c = snapshot.counters;
  const m = heapMetrics(snapshot);
  return {
    format: STATS_JSON_FORMAT,
    version: STATS_JSON_VERSION,
    policy: snapshot.policy,
    pageSize: snapshot.pageSize,
    startAddress: snapshot.startAddress,
    alignment: snapshot.alignment,
    provider: snapshot.provider,
    counters: {
      pagesMapped: c.pagesMapped,
      bytesMapped: c.bytesMapped,
      bytesInUse: c.bytesInUse,
      bytesFree: c.bytesFree,
      liveBlocks: c.liveBlocks,
      holes: c.holes,
      nodes: c.nodes,
      segments: c.segments,
    },
    metrics: {
      utilisation: m.utilisation,
      externalFragmentation: m.externalFragmentation,
      holeCount: m.holeCount,
      largestHole: m.largestHole,
      totalFree: m.totalFree,
      holeSizeHistogram: m.holeSizeHistogram.map((b) => ({
        fromBytes: b.fromBytes,
        toBytes: b.toBytes,
        count: b.count,
      })),
    },
    nodes: snapshot.nodes.map((node) => {
      const n = nodeMetrics(node);
      return {
        start: node.start,
        lastAddress: node.lastAddress,
        size: node.size,
        pages: node.pages,
        physicalAddress: node.physicalAddress,
        bytesInUse: n.bytesInUse,
        bytesFree: n.bytesFree,
        largestHole: n.largestHole,
        utilisation: n.utilisation,
        segments: node.segments.map((s) => ({
          kind: s.kind,
          start: s.start,
          lastAddress: s.lastAddress,
          size: s.size,
        })),
      };
    }),
  };
}

/**
 * Formats the {@link toJSON} document as JSON text, ending with a newline.
 * @param snapshot a heap snapshot from `@mems/core`.
 * @param options `indent`: spaces per level, 0 to 10 (default 2; 0 gives a single line).
 * @returns the JSON text followed by `\n`.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and
 *   `counters`, or when `options.indent` is not an integer from 0 to 10.
 */
export function formatJson(snapshot: HeapSnapshot, options?: FormatJsonOptions): string {
  assertSnapshot('formatJson', snapshot);
  assertOptions('formatJson', options);
  assertIntegerOption('formatJson', 'indent', options?.indent, 0, 10);
  const indent = options?.indent ?? 2;
  return `${JSON.stringify(buildJson(snapshot), null, indent === 0 ? undefined : indent)}\n`;
}
