/**
 * The main thread's checkpoint of a `pnpm fuzz --shared N` round, while every worker is parked:
 * the blocks the workers hold (the registry and the hand-off rings) must not overlap, in
 * virtual or in physical memory; they must be exactly the heap's PROCESS segments; the
 * counters `liveBlocks` and `bytesInUse` must equal their count and total size; `validate()`
 * must pass; `printStats` must print the seed text of the snapshot; and every byte of every
 * block must still hold its pattern (read from this thread, through this thread's views).
 */
import type { Mems } from '@mems/api';
import { formatSeedStats } from '@mems/stats';
import type { HeldBlock } from './block-registry.js';
import { checkPattern, describeBlockId } from './thread-block-patterns.js';
import { ThreadCheckFailed } from './thread-check-failed.js';

/** A block a worker holds, or one in a ring between two workers. */
export type WorkerBlock = HeldBlock & { owner?: number; from?: number; to?: number };

/** What a checkpoint looked at. */
export interface QuietCheckCounts {
  blocks: number;
  verifiedBytes: number;
}

const where = (b: WorkerBlock): string =>
  `block ${describeBlockId(b.id)} [${b.address}, +${b.size})${b.owner !== undefined ? ` held by worker ${b.owner}` : ` in transit from worker ${b.from} to worker ${b.to}`}`;

/**
 * Checks the heap against the blocks the workers hold.
 * @param mems the main thread's object over the heap.
 * @param blocks every block held or in transit.
 * @returns how much it checked.
 * @throws ThreadCheckFailed naming the first difference.
 */
export function checkQuietHeap(mems: Mems, blocks: readonly WorkerBlock[]): QuietCheckCounts {
  const byAddress = [...blocks].sort((a, b) => a.address - b.address);
  for (let i = 1; i < byAddress.length; i++) {
    const a = byAddress[i - 1]!;
    const b = byAddress[i]!;
    if (b.address < a.address + a.size)
      throw new ThreadCheckFailed(`${where(a)} and ${where(b)} overlap in virtual memory`);
  }
  const snapshot = mems.stats();
  const c = snapshot.counters;
  const bytes = blocks.reduce((sum, b) => sum + b.size, 0);
  if (c.liveBlocks !== blocks.length || c.bytesInUse !== bytes)
    throw new ThreadCheckFailed(
      `stats().counters say ${c.liveBlocks} live blocks, ${c.bytesInUse} bytes in use; the workers hold ${blocks.length} blocks, ${bytes} bytes`,
    );
  const held = new Map(byAddress.map((b) => [b.address, b]));
  for (const node of snapshot.nodes)
    for (const segment of node.segments) {
      if (segment.kind !== 'PROCESS') continue;
      const block = held.get(segment.start);
      if (block === undefined)
        throw new ThreadCheckFailed(
          `the heap has a live block [${segment.start}:${segment.lastAddress}] that no worker holds`,
        );
      if (block.size !== segment.size)
        throw new ThreadCheckFailed(`${where(block)}: the heap's segment there is ${segment.size} bytes`);
    }
  mems.validate();
  let text = '';
  mems.printStats((t) => (text += t));
  if (text !== formatSeedStats(snapshot))
    throw new ThreadCheckFailed('printStats printed something else than the seed text of stats()');
  // Physical memory: each block contiguous, no two overlapping.
  const physical = byAddress.map((b) => {
    const start = mems.get(b.address);
    const last = mems.get(b.address + b.size - 1);
    if (last - start !== BigInt(b.size - 1))
      throw new ThreadCheckFailed(
        `${where(b)}: get() of its last byte is ${last - start} bytes after its first`,
      );
    return { block: b, start };
  });
  physical.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < physical.length; i++) {
    const a = physical[i - 1]!;
    const b = physical[i]!;
    if (b.start < a.start + BigInt(a.block.size))
      throw new ThreadCheckFailed(`${where(a.block)} and ${where(b.block)} overlap in physical memory`);
  }
  let verifiedBytes = 0;
  for (const b of byAddress)
    verifiedBytes += checkPattern(mems, b, b.size, `checkpoint, ${where(b)}`, () => blocks);
  return { blocks: blocks.length, verifiedBytes };
}
