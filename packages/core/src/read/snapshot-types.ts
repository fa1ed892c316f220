// The plain, serialisable shapes a heap describes itself in: counters, nodes, segments, the
// snapshot (what @mems/stats formats).

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
