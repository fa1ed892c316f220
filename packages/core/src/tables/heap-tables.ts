import { MemsError } from '@mems/os';
import { COUNTER_COUNT } from '../memory/counter-slots.js';
import type { NodeMemory } from '../memory/page-buffers.js';
import { hasSharedState, type SharedTableState, type TableMemory, viewOf } from '../memory/table-memory.js';
import type { FrontCacheSettings, SlabSettings } from '../options/heap-options.js';
import { createPolicy } from '../policies/create-policy.js';
import type { PlacementPolicy, PlacementPolicyFactory } from '../policies/placement-policy.js';
import { FrontCache } from './front-cache-table.js';
import { LiveBlockIndex } from './live-block-index.js';
import { type MappingResolver, NodeTable } from './node-table.js';
import { SegmentTable } from './segment-table.js';
import { SlabTable } from './slab-table.js';

/**
 * Where a heap's tables live when other threads share them: the table memory (regions every
 * thread reaches), and how this thread finds a mapping another thread made. Tables built over
 * it keep their scalars in a region of their own too ({@link HeapTables.loadState}).
 */
export interface SharedTableStorage {
  /** The regions, in a memory every thread holds. */
  readonly memory: TableMemory;
  /** This thread's mapping for a mapping address (the provider's `mappingAt`). */
  readonly mappingAt: MappingResolver;
}

/**
 * Everything a heap knows, as flat tables: the segment records (every sub-chain), the node
 * table (the main chain), the live-block hash, the placement policy's index and the counters.
 * The sub-chain operations (ops/sub-chain.ts) are functions over this one object.
 *
 * Every table keeps its records in regions of one {@link TableMemory} and its scalars in
 * plain fields; a heap shared by threads moves the scalars to and from a scalars region
 * ({@link HeapTables.saveState}, {@link HeapTables.loadState}) around each call and re-makes
 * its views ({@link HeapTables.rebind}) when another thread moved a region.
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
  /** The front cache (tables/front-cache-table.ts), or null when the heap has none. */
  readonly cache: FrontCache | null;
  /** The slabs (tables/slab-table.ts), or null when the heap has none. */
  readonly slabs: SlabTable | null;
  /**
   * Each node's memory as last found reachable (read/reachable-buffer.ts `reachableNode`): the
   * whole-node byte views the heap copies through and views are cut from, by node id; this
   * thread's own, checked before each use, dropped when a node is unmapped.
   */
  readonly nodeViews: (NodeMemory | undefined)[] = [];
  /** The O(1) counters, indexed by the names in memory/counter-slots.ts. */
  count: Float64Array;
  private readonly memory: TableMemory;
  private readonly countRegion: number;
  /** The tables whose scalars a shared heap moves, in a fixed order. */
  private readonly stateful: readonly SharedTableState[];
  /** The scalars region (shared heaps only; -1 otherwise). */
  private readonly stateRegion: number;
  private state: Float64Array | null = null;
  /** The memory's generation when this thread last bound its views (shared heaps; -1 before). */
  private seenGeneration = -1;
  /**
   * Where each table's scalars start in the scalars region (nodes, live-block hash, policy; the
   * segments' start at 0), read once, so that a shared call moves them with four direct calls.
   */
  private readonly nodesAt: number;
  private readonly liveAt: number;
  private readonly policyAt: number;
  /** The policy as a table with scalars (shared heaps only). */
  private readonly policyState: SharedTableState | null;

  /**
   * @param memory where every table allocates its regions.
   * @param policy the (checked) policy factory.
   * @param call the creating call, for the policy's creation errors.
   * @param frontCache the front cache's settings, or null for none.
   * @param alignment the heap's block alignment (the cache's size granule is at least it).
   * @param slabs the slabs' settings, or null for none.
   * @param startAddress the heap's first virtual address (where the slabs' page map starts).
   * @param shared for a heap that threads share: its mapping resolver (`memory` is then the
   *   shared one, and the policy must keep its state in table memory).
   * @throws MemsError `EINVAL` when the policy factory fails (see createPolicy), or for slabs
   *   in a heap that threads share.
   */
  /** Where the front cache's scalars start in the scalars region (shared heaps with a cache). */
  private cacheAt = -1;
  /** Where the scalars region records which tables (by tag) saved last; -1 when not shared. */
  private ownerAt = -1;
  /** These tables' tag among every thread's tables over the same memory (1, 2, ...). */
  private ownerTag = 0;

  constructor(
    memory: TableMemory,
    policy: PlacementPolicyFactory,
    call: string,
    frontCache: FrontCacheSettings | null = null,
    alignment = 1,
    slabs: SlabSettings | null = null,
    startAddress = 0,
    shared?: SharedTableStorage,
  ) {
    if (slabs !== null && shared !== undefined)
      throw new MemsError(
        'EINVAL',
        `${call}: option slabs: a heap that threads share cannot use slabs yet (their tables are private to one thread); leave slabs out`,
      );
    this.memory = memory;
    this.segments = new SegmentTable(memory);
    this.nodes = new NodeTable(memory, shared?.mappingAt ?? null);
    this.live = new LiveBlockIndex(this.segments, memory);
    this.countRegion = memory.allocate(COUNTER_COUNT * 8);
    this.count = viewOf(memory, this.countRegion, Float64Array);
    this.policy = createPolicy(policy, this.segments, memory, call);
    const stateful: SharedTableState[] = [this.segments, this.nodes, this.live];
    if (hasSharedState(this.policy)) stateful.push(this.policy);
    this.cache = frontCache === null ? null : new FrontCache(memory, frontCache, alignment);
    if (this.cache !== null) stateful.push(this.cache);
    this.slabs = slabs === null ? null : new SlabTable(slabs, alignment, startAddress);
    if (this.cache !== null && this.slabs !== null) this.cache.slabLimit = this.slabs.limit;
    this.stateful = stateful;
    this.nodesAt = this.segments.stateSlots;
    this.liveAt = this.nodesAt + this.nodes.stateSlots;
    this.policyAt = this.liveAt + this.live.stateSlots;
    this.policyState = null;
    this.stateRegion = -1;
    if (shared !== undefined) {
      if (!hasSharedState(this.policy))
        throw new MemsError(
          'EINVAL',
          `${call}: option policy = ${this.policy.name}: a heap that threads share takes only the built-in policies (their state lives in table memory)`,
        );
      this.policyState = this.policy;
      this.cacheAt = this.policyAt + this.policy.stateSlots;
      const slots = this.cacheAt + (this.cache?.stateSlots ?? 0);
      // Two more: how many HeapTables have bound to these tables, and which one saved last.
      this.stateRegion = memory.allocate((slots + 2) * 8);
      this.ownerAt = slots + 1;
      // Under the heap's lock (creation, or attachMems): each thread's tables get their own tag.
      this.ownerTag = ++this.stateView()[slots]!;
    }
  }

  /** Re-makes every table's views from its regions (another thread moved one). */
  rebind(): void {
    for (const table of this.stateful) table.rebind();
    this.count = viewOf(this.memory, this.countRegion, Float64Array);
    if (this.stateRegion >= 0) this.state = viewOf(this.memory, this.stateRegion, Float64Array);
  }

  /**
   * Starts a call on tables that threads share, under the caller's lock: reads every table's
   * scalars, then re-makes the views when another thread moved a region since this thread last
   * bound them (the scalars come first: re-binding reads some, such as the current hash region).
   */
  beginSharedCall(): void {
    this.loadState();
    const generation = this.memory.generation;
    if (generation !== this.seenGeneration) {
      this.rebind();
      this.seenGeneration = generation;
    }
  }

  /**
   * {@link beginSharedCall} for a thread cache's operation, which runs ordered after the last
   * locked call (see ops/thread-cache.ts) and so reads the generation without an atomic load
   * where the hardware orders plain accesses (`ordered`).
   */
  beginCacheOperation(ordered: boolean): void {
    this.loadState();
    const generation = ordered ? this.memory.generationOrdered : this.memory.generation;
    if (generation !== this.seenGeneration) {
      this.rebind();
      this.seenGeneration = generation;
    }
  }

  /** Writes every table's scalars to the scalars region (shared heaps only). */
  saveState(): void {
    const state = this.stateView();
    this.segments.saveState(state, 0);
    this.nodes.saveState(state, this.nodesAt);
    this.live.saveState(state, this.liveAt);
    this.policyState!.saveState(state, this.policyAt);
    if (this.cache !== null) this.cache.saveState(state, this.cacheAt);
    state[this.ownerAt] = this.ownerTag;
    // (A region this thread moved was re-bound by its table at once; the next call re-binds the
    // rest once more when it sees the new generation: rare, and one atomic load cheaper per call.)
  }

  /** Reads every table's scalars from the scalars region (shared heaps only). */
  loadState(): void {
    const state = this.stateView();
    // Nothing to read when these very tables saved last: no other thread changed the heap since,
    // so the fields hold the values already (a heap used by one thread at a time, mostly).
    if (state[this.ownerAt] === this.ownerTag) return;
    this.segments.loadState(state, 0);
    this.nodes.loadState(state, this.nodesAt);
    this.live.loadState(state, this.liveAt);
    this.policyState!.loadState(state, this.policyAt);
    if (this.cache !== null) this.cache.loadState(state, this.cacheAt);
  }

  private stateView(): Float64Array {
    if (this.state === null) {
      if (this.stateRegion < 0) throw new Error('these tables have no scalars region (not a shared heap)');
      this.state = viewOf(this.memory, this.stateRegion, Float64Array);
    }
    return this.state;
  }

  /** Bytes of metadata held in the tables' typed arrays. */
  get metadataBytes(): number {
    return (
      this.segments.metadataBytes +
      this.nodes.metadataBytes +
      this.live.metadataBytes +
      this.policy.metadataBytes +
      (this.cache?.metadataBytes ?? 0) +
      (this.slabs?.metadataBytes ?? 0)
    );
  }
}
