import { createCounters } from './heap-counters.js';
import { createPolicy } from './heap-options.js';
import { LiveBlockIndex } from './live-block-index.js';
import { NodeTable } from './node-table.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './policies/placement-policy.js';
import { SegmentTable } from './segment-table.js';
import type { TableMemory } from './table-memory.js';

/**
 * Everything a heap knows, as flat tables: the segment records (every sub-chain), the node
 * table (the main chain), the live-block hash, the placement policy's index and the counters.
 * The sub-chain operations ({@link ./sub-chain.ts}) are functions over this one object.
 */
export class HeapTables {
  /** Segment records: every PROCESS and HOLE of every node. */
  readonly segments: SegmentTable;
  /** The main chain: one entry per mapped node. */
  readonly nodes: NodeTable;
  /** Block start → segment id, for every live block. */
  readonly live: LiveBlockIndex;
  /** The placement policy's index over the holes. */
  readonly policy: PlacementPolicy;
  /** The O(1) counters, indexed by the names in heap-counters.ts. */
  readonly count: Float64Array;

  /**
   * @param memory where every table allocates its typed arrays.
   * @param policy the (checked) policy factory.
   * @param call the creating call, for the policy's creation errors.
   * @throws MemsError `EINVAL` when the policy factory fails (see createPolicy).
   */
  constructor(memory: TableMemory, policy: PlacementPolicyFactory, call: string) {
    this.segments = new SegmentTable(memory);
    this.nodes = new NodeTable();
    this.live = new LiveBlockIndex(this.segments, memory);
    this.count = createCounters(memory);
    this.policy = createPolicy(policy, this.segments, memory, call);
  }

  /** Bytes of metadata held in the tables' typed arrays. */
  get metadataBytes(): number {
    return (
      this.segments.metadataBytes +
      this.nodes.metadataBytes +
      this.live.metadataBytes +
      this.policy.metadataBytes
    );
  }
}
