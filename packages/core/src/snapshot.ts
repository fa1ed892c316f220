import { visibleCounters } from './front-cache.js';
import type { HeapTables } from './heap-tables.js';
import { NONE, PROCESS } from './segment-table.js';

/** The two kinds of segment in a sub-chain: allocated to the program, or free. */
export type SegmentKind = 'PROCESS' | 'HOLE';

/** One segment of a sub-chain, as a plain serialisable object. */
export interface SegmentSnapshot {
  /** PROCESS (allocated) or HOLE (free). */
  readonly kind: SegmentKind;
  /** The MeMS virtual address of its first byte. */
  readonly start: number;
  /** The MeMS virtual address of its last byte (inclusive, as the seed prints `[start:last]`). */
  readonly lastAddress: number;
  /** Its length in bytes (`lastAddress - start + 1`). */
  readonly size: number;
}

/** One main-chain node (one mapping), with its sub-chain in address order. */
export interface NodeSnapshot {
  /** The MeMS virtual address of the node's first byte. */
  readonly start: number;
  /** The MeMS virtual address of the node's last byte (inclusive). */
  readonly lastAddress: number;
  /** The node's length in bytes (pages × page size). */
  readonly size: number;
  /** How many heap pages the node spans. */
  readonly pages: number;
  /** The physical address of the node's first byte, as a decimal string (JSON-safe). */
  readonly physicalAddress: string;
  /** The sub-chain, in address order; its segments tile the node exactly. */
  readonly segments: readonly SegmentSnapshot[];
}

/** O(1) counters a heap keeps up to date on every call. */
export interface HeapCounters {
  /** Heap pages mapped by all nodes together (the seed's "Pages used"). */
  readonly pagesMapped: number;
  /** Bytes mapped by all nodes together (pagesMapped × pageSize). */
  readonly bytesMapped: number;
  /** Bytes in PROCESS segments. */
  readonly bytesInUse: number;
  /** Bytes in HOLE segments (the seed's "Space unused"). */
  readonly bytesFree: number;
  /** Number of PROCESS segments (live blocks). */
  readonly liveBlocks: number;
  /** Number of HOLE segments. */
  readonly holes: number;
  /** Number of main-chain nodes (the seed's "Main Chain Length"). */
  readonly nodes: number;
  /** Number of segments of every kind in all sub-chains. */
  readonly segments: number;
}

/**
 * A plain, serialisable description of a heap at one moment: the settings, the counters and
 * the whole main chain. `@mems/stats` formats only this type.
 */
export interface HeapSnapshot {
  /** The placement policy's name, for example `'first-fit'`. */
  readonly policy: string;
  /** The heap page size in bytes. */
  readonly pageSize: number;
  /** The first MeMS virtual address. */
  readonly startAddress: number;
  /** The block alignment in bytes (1 keeps the seed's byte-exact addresses). */
  readonly alignment: number;
  /** The name of the page provider (`'mmap'`, `'mock'`, ...). */
  readonly provider: string;
  /** The counters. */
  readonly counters: HeapCounters;
  /** The main chain, in address order. */
  readonly nodes: readonly NodeSnapshot[];
}

/** What {@link describeHeap} needs besides the tables. */
export interface SnapshotFacts {
  readonly pageSize: number;
  readonly startAddress: number;
  readonly alignment: number;
  readonly provider: string;
}

/**
 * A plain, JSON-safe description of a heap (what `@mems/stats` formats). Blocks in the front
 * cache are free memory: they and the holes beside them are shown as one HOLE, exactly as a
 * flush would merge them.
 * @param t the heap's tables.
 * @param facts its settings.
 * @returns the snapshot.
 */
export function describeHeap(t: HeapTables, facts: SnapshotFacts): HeapSnapshot {
  const { segments, nodes } = t;
  const nodeList: NodeSnapshot[] = [];
  for (let i = 0; i < nodes.count; i++) {
    const node = nodes.order[i]!;
    const segmentList: SegmentSnapshot[] = [];
    for (let seg = nodes.head[node]!; seg !== NONE; seg = segments.next(seg)) {
      const start = segments.start(seg);
      const size = segments.size(seg);
      const kind: SegmentKind = segments.kind(seg) === PROCESS ? 'PROCESS' : 'HOLE';
      const last = segmentList[segmentList.length - 1];
      if (kind === 'HOLE' && last?.kind === 'HOLE') {
        // Only a cached block lies beside a hole: show the hole a flush would make.
        segmentList[segmentList.length - 1] = {
          kind,
          start: last.start,
          lastAddress: start + size - 1,
          size: last.size + size,
        };
        continue;
      }
      segmentList.push({ kind, start, lastAddress: start + size - 1, size });
    }
    const start = nodes.start[node]!;
    const size = nodes.bytes[node]!;
    nodeList.push({
      start,
      lastAddress: start + size - 1,
      size,
      pages: size / facts.pageSize,
      physicalAddress: nodes.mappingOf(node).address.toString(),
      segments: segmentList,
    });
  }
  return {
    policy: t.policy.name,
    pageSize: facts.pageSize,
    startAddress: facts.startAddress,
    alignment: facts.alignment,
    provider: facts.provider,
    counters: visibleCounters(t, facts.pageSize),
    nodes: nodeList,
  };
}
