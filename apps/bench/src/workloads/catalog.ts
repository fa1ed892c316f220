import type { WorkloadId } from '../results.js';

/** How the report presents a workload. */
export interface WorkloadInfo {
  readonly id: WorkloadId;
  readonly title: string;
  /** What one operation is, e.g. "free+malloc pair". */
  readonly unit: string;
  /** What the points are, e.g. "live blocks". */
  readonly pointLabel: string;
  /** One paragraph for the docs. */
  readonly description: string;
}

/** The reported workloads, in report order. */
export const WORKLOADS: readonly WorkloadInfo[] = [
  {
    id: 'churn',
    title: 'Churn (the headline)',
    unit: 'free+malloc pair',
    pointLabel: 'live blocks',
    description:
      'L blocks stay live; each step frees a random live block and allocates a new one of a random size from 16 to 511 bytes in its place. The random script is computed beforehand (same script for every contender, the C reference included), so no random-number cost is timed. Warm-up replaces every block about once before timing starts.',
  },
  {
    id: 'churn-touch',
    title: 'Churn that touches its memory',
    unit: 'check+free+malloc+write step',
    pointLabel: 'live blocks',
    description:
      "The churn script above, but the program uses its blocks: every new block gets a stamp in its first and last 8 bytes, and both are read back and checked just before the block is freed. Each contender goes through its own access path: a `heap.view(address, size)` per access for MeMS (through `createMems().view` for the api row), one Uint8Array over the pool for @thi.ng/malloc, `koffi.encode`/`koffi.decode` for libc through koffi, plain stores for C. MeMS keeps its metadata apart from the blocks, so here it pays for the blocks' cache lines as allocators with in-band headers always do. The row `… · memoryOf per access` is the same heap as `tlsf+cache/mmap` touched through `heap.memoryOf(address)` instead of a view: the node's long-lived DataView at `address - base` (`setFloat64`/`getFloat64`, since blocks of the default alignment 1 are not 8-byte aligned).",
  },
  {
    id: 'access',
    title: 'Random reads and writes of live blocks',
    unit: '8-byte write+read',
    pointLabel: 'live blocks',
    description:
      "L blocks of the churn sizes (16–511 bytes) are allocated and stay live; then a precomputed random script of (block, offset) pairs, the offset a multiple of 8 inside the block, is run in a loop: each access writes one float64 at the block's address plus the offset and reads it back (the values read are summed and checked against those written). No allocation is timed: this is what reaching a block's bytes costs. The MeMS rows are one heap, tlsf with the front cache on mmap and `alignment: 8` (so that a Float64Array may index every block), reached four ways: `heap.viewAs(Float64Array, address + offset, 1)` per access (a new, checked typed array each time); `heap.memoryOf(address)` of the block's address per access, then its long-lived `f64[(address + offset - base) >> 3]`; the same with `heap.memoryOf(address + offset)`, an interior address, which MeMS finds by searching the node's segments (as `translate` does) rather than in its hash of block addresses; and the `memoryOf` object fetched once when the block was allocated and kept beside its address, so an access is the index arithmetic and the typed-array access alone. libc through koffi does `koffi.encode`/`koffi.decode` of a `'double'` at the malloc'd Number pointer plus the offset. The JavaScript floor is a plain `new Float64Array(size >> 3)` per block, kept in an array and indexed directly; the C reference stores and loads the double through a `volatile double *` into glibc's blocks.",
  },
  {
    id: 'glibc-simple',
    title: 'glibc-simple',
    unit: 'malloc+free pair',
    pointLabel: 'blocks × bytes',
    description:
      "glibc's bench-malloc-simple pattern: allocate N blocks of one size, then free them all in allocation order; repeat. N is 25, 100, 400 or 1600.",
  },
  {
    id: 'seed-fill',
    title: 'Seed pattern: filling with 1000-byte blocks',
    unit: 'malloc',
    pointLabel: 'blocks',
    description:
      "The seed example's allocation (malloc of 250 ints, 1000 bytes) scaled up: from an empty allocator, L calls of malloc(1000) in a row. Each trial starts from a fresh allocator, so mapping pages is part of the cost.",
  },
  {
    id: 'seed-churn',
    title: 'Seed pattern: churn of 1000-byte blocks',
    unit: 'free+malloc pair',
    pointLabel: 'live blocks',
    description:
      'Churn as above, but every block is 1000 bytes (every freed hole fits the next request exactly).',
  },
  {
    id: 'realloc-hole',
    title: 'Realloc growth, free hole after the block',
    unit: 'realloc',
    pointLabel: 'blocks grown side by side',
    description:
      'Blocks laid out as [block 16 B][free hole 1008 B][live fence 16 B], then every block grown step by step from 16 to 1024 bytes, 16 bytes a step (63 reallocs each). An allocator that grows in place into a following hole never copies.',
  },
  {
    id: 'realloc-live',
    title: 'Realloc growth, live block after the block',
    unit: 'realloc',
    pointLabel: 'blocks grown side by side',
    description:
      'For each size s = 16, 32, …, 1008: blocks laid out as [block s B][live fence 16 B] (untimed), each grown to s + 16 (timed: it must move and copy), then everything freed (untimed).',
  },
  {
    id: 'translate',
    title: 'Translate (mems_get) of random interior addresses',
    unit: 'translate',
    pointLabel: 'live blocks',
    description:
      'L blocks of the churn sizes are allocated; then precomputed random addresses strictly inside random live blocks are translated to physical addresses (heap.translate, or get() through @mems/api). Only MeMS translates: the other allocators hand out real addresses already.',
  },
  {
    id: 'traces',
    title: "Real programs' allocation traces",
    unit: 'operation (malloc, free or realloc)',
    pointLabel: 'trace',
    description:
      'Replays of malloc/calloc/realloc/free traces recorded from real programs with an LD_PRELOAD tracer (apps/bench/traces/README.md says how each was made): python-json, git-log, gcc-cc1, node-json. Each round replays the whole trace (timed) and then frees what is still live (untimed), so later rounds start from the memory the earlier ones left, as a long-running program would. One process per trace and contender; memory comes from a first, untimed replay: peak bytes mapped (glibc: `mallinfo2` arena + mmapped bytes), peak bytes requested by live blocks, and the peak RSS with both ends of every block of 16 bytes or more written.',
  },
  {
    id: 'shared-churn',
    title: 'Shared churn: one heap, several worker threads',
    unit: 'free+malloc pair (wall time over all workers)',
    pointLabel: 'worker threads',
    description:
      "W worker threads (1 and 2 on this 2-core machine) each keep their own 10k live blocks and churn them as above (sizes 16–511 B, one script per worker), all through one allocator; every fourth new block is handed to the next worker through a lock-free ring and freed there, so a quarter of the blocks are freed by a thread other than the one that allocated them. All workers run each timed round together: a sample is the round's wall time divided by all the pairs run in it, so lower is better and 1e9 divided by it is the pairs per second of the whole process. MeMS shared heaps (`createSharedMems`, workers `attachMems`) take one lock per call; `createMems` (single-threaded, one worker only) is the reference without a lock; glibc through koffi is called from the same workers (it keeps per-thread arenas).",
  },
  {
    id: 'larson',
    title: 'Larson: a server pattern across worker threads',
    unit: 'free+malloc pair (wall time over all workers)',
    pointLabel: 'worker threads',
    description:
      "mimalloc-bench's larson, the pattern of a server whose requests move between threads. W worker threads (1, 2 and 4; 4 oversubscribes this 2-core machine) each keep 5,000 live blocks of 16–1024 B (a precomputed script per worker, so no random-number cost is timed) and churn them through one allocator: each step frees the block in a scripted slot and allocates one of a scripted size in its place. Every 1,024 steps a worker hands 256 of its live blocks (the next slots in turn) to the next worker through a lock-free ring and adopts as many that the previous worker handed it, which it frees later in its own churn, so blocks routinely die in a thread other than the one that allocated them. A sample is the round's wall time divided by all the pairs run in it (aggregate ns per pair; 1e9 divided by it is the whole process's pairs per second). The MeMS shared heaps take one lock per call; glibc through koffi runs in the same workers (per-thread arenas); `createMems` is the single-thread reference at one worker.",
  },
  {
    id: 'xmalloc',
    title: 'xmalloc: producer and consumer threads',
    unit: 'malloc+free pair (wall time over all workers)',
    pointLabel: 'worker threads',
    description:
      "mimalloc-bench's xmalloc-test: half the W worker threads (W = 2, 4) are producers that allocate blocks of 16–128 B (a precomputed script each) and push every one through a lock-free ring to their consumer, which frees it; every block is freed by a thread other than its own. One worker alone is producer and consumer at once: it allocates a batch of 1,024 blocks, then frees them in allocation order. A side whose ring is full or empty spins briefly, then sleeps 20 µs between checks (so that, oversubscribed, the other side gets the core). A sample is the round's wall time divided by the malloc+free pairs completed in it (aggregate ns per pair). The MeMS shared heaps take one lock per call; glibc through koffi runs in the same workers.",
  },
];

/**
 * The info of a workload.
 * @param id a workload id.
 * @returns its info.
 */
export function workloadInfo(id: WorkloadId): WorkloadInfo {
  return WORKLOADS.find((w) => w.id === id)!;
}
