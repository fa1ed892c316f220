/**
 * A seeded random workload of malloc, calloc, realloc and free over a MeMS instance, with every
 * live block filled with its pattern and verified: before it is freed or resized, after each
 * realloc (the kept prefix; every live block too when asked), and every live block after each
 * batch, with overlap checks and, on real memory, raw reads at the physical addresses.
 */
import type { Mems } from '@mems/api';
import { BlockPatterns, IntegrityError, type TrackedBlock } from './block-patterns.js';
import { mulberry32 } from './random.js';

export interface IntegrityOptions {
  /** Operations to run (malloc, calloc, free and realloc each count one). */
  ops: number;
  seed: number;
  /** Verify every live block, check overlaps and walk the heap after this many operations. */
  batch: number;
  /** After each realloc, verify every live block (true) or only the resized one (false). */
  verifyAllAfterRealloc: boolean;
  /** The most live blocks at once. */
  maxLive: number;
  /** Heap page size, for the size distribution. */
  pageSize: number;
  /** Reads the byte at a physical address (raw, through koffi): checks views against `get`. */
  readRaw?: (address: bigint) => number;
  /** Called after each batch's checks. */
  onBatch?: (counts: IntegrityCounts) => void;
}

export interface IntegrityCounts {
  ops: number;
  mallocs: number;
  callocs: number;
  frees: number;
  reallocs: number;
  /** Reallocs that moved the block. */
  moves: number;
  /** Full passes over every live block. */
  fullChecks: number;
  bytesFilled: number;
  bytesVerified: number;
  /** Bytes read raw at physical addresses and compared with the view. */
  rawChecks: number;
  peakLive: number;
}

/**
 * Runs the workload; throws IntegrityError (naming the blocks) on any damaged byte or overlap,
 * or whatever MeMS throws. Frees nothing at the end: the caller finishes the heap.
 * @param mems the instance under test.
 * @param options see {@link IntegrityOptions}.
 * @returns the counts.
 */
export function runIntegrityWorkload(mems: Mems, options: IntegrityOptions): IntegrityCounts {
  const random = mulberry32(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const page = options.pageSize;
  const size = (): number => {
    const r = random();
    if (r < 0.6) return int(1, 64);
    if (r < 0.9) return int(65, 1064);
    if (r < 0.99) return int(1065, 2 * page);
    return int(2 * page, 8 * page);
  };
  const patterns = new BlockPatterns({
    bytes: (address, length) => mems.view(address, length),
    physical: (address) => mems.get(address),
  });
  const live: TrackedBlock[] = [];
  const counts: IntegrityCounts = {
    ops: 0,
    mallocs: 0,
    callocs: 0,
    frees: 0,
    reallocs: 0,
    moves: 0,
    fullChecks: 0,
    bytesFilled: 0,
    bytesVerified: 0,
    rawChecks: 0,
    peakLive: 0,
  };
  const takeRandom = (): TrackedBlock => {
    const i = int(0, live.length - 1);
    const block = live[i]!;
    live[i] = live[live.length - 1]!;
    live.pop();
    return block;
  };
  const fullCheck = () => {
    patterns.verifyAll();
    if (options.readRaw !== undefined) {
      for (const block of live) {
        for (const offset of [0, block.size - 1]) {
          if (offset >= block.valid) continue;
          const viewed = mems.view(block.address + offset, 1)[0]!;
          const raw = options.readRaw(mems.get(block.address + offset));
          counts.rawChecks++;
          if (raw !== viewed)
            throw new IntegrityError(
              `block #${block.id} [${block.address}:${block.address + block.size - 1}]: byte ${block.address + offset} reads ${viewed} through its view but ${raw} at its physical address`,
            );
        }
      }
    }
    mems.validate();
    counts.fullChecks++;
  };

  for (let op = 1; op <= options.ops; op++) {
    const r = random();
    if (live.length === 0 || (live.length < options.maxLive && r < 0.5)) {
      if (random() < 0.1) {
        const count = int(1, 16);
        const each = int(1, 64);
        const address = mems.calloc(count, each);
        const zeros = mems.view(address, count * each);
        for (let i = 0; i < zeros.length; i++)
          if (zeros[i] !== 0)
            throw new IntegrityError(
              `calloc(${count}, ${each}) at ${address}: byte ${address + i} is ${zeros[i]}, not 0`,
            );
        const block = patterns.add(address, count * each);
        patterns.fill(block);
        live.push(block);
        counts.callocs++;
      } else {
        const n = size();
        const block = patterns.add(mems.malloc(n), n);
        patterns.fill(block);
        live.push(block);
        counts.mallocs++;
      }
      if (live.length > counts.peakLive) counts.peakLive = live.length;
    } else if (r < 0.8) {
      const block = takeRandom();
      patterns.verify(block);
      mems.free(block.address);
      patterns.remove(block);
      counts.frees++;
    } else {
      const block = live[int(0, live.length - 1)]!;
      patterns.verify(block);
      const n = size();
      const address = mems.realloc(block.address, n);
      if (address !== block.address) counts.moves++;
      patterns.resized(block, address, n);
      patterns.verify(block); // the kept prefix came along
      patterns.fill(block);
      if (options.verifyAllAfterRealloc) patterns.verifyAll();
      counts.reallocs++;
    }
    counts.ops++;
    if (op % options.batch === 0 || op === options.ops) {
      fullCheck();
      counts.bytesFilled = patterns.bytesFilled;
      counts.bytesVerified = patterns.bytesVerified;
      options.onBatch?.(counts);
    }
  }
  return counts;
}
