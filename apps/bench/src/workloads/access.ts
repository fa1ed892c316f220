import { measureBatches, type TrialPlan } from '../measure.js';
import { inRange, xorshift32 } from '../random.js';
import type { PointResult } from '../results.js';
import type { ChurnSequence } from '../sequence.js';

/**
 * A precomputed random access script over `live` blocks: for each access, the index of the
 * block and a byte offset inside it, a multiple of 8 with 8 bytes left in the block.
 */
export interface AccessScript {
  /** For each access: the index (0..live-1) of the block. */
  readonly blocks: Uint32Array;
  /** For each access: the byte offset in that block, a multiple of 8, at most its size − 8. */
  readonly offsets: Uint32Array;
}

/**
 * Builds the access script for blocks of the given sizes (a churn script's fill sizes).
 * @param sizes each block's size in bytes, at least 8.
 * @param accesses how many accesses.
 * @param seed the generator's seed.
 * @returns the script, the same for the same arguments.
 * @throws Error when a block is smaller than 8 bytes.
 */
export function makeAccessScript(
  sizes: ArrayLike<number>,
  accesses: number,
  seed = 0x2545f491,
): AccessScript {
  const next = xorshift32(seed);
  const blocks = new Uint32Array(accesses);
  const offsets = new Uint32Array(accesses);
  for (let i = 0; i < sizes.length; i++)
    if (sizes[i]! < 8) throw new Error(`access needs blocks of at least 8 bytes, got ${sizes[i]}`);
  for (let k = 0; k < accesses; k++) {
    const i = inRange(next(), 0, sizes.length - 1);
    blocks[k] = i;
    offsets[k] = 8 * inRange(next(), 0, Math.floor(sizes[i]! / 8) - 1);
  }
  return { blocks, offsets };
}

/**
 * The access script as bytes for the C reference, to follow the churn script's bytes: uint32
 * n, then the block indices and the offsets (uint32 each), little-endian.
 * @param script the accesses.
 * @returns the bytes.
 */
export function encodeAccessScript(script: AccessScript): Uint8Array {
  const n = script.blocks.length;
  const out = new Uint8Array(4 + n * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  for (let k = 0; k < n; k++) view.setUint32(4 + k * 4, script.blocks[k]!, true);
  for (let k = 0; k < n; k++) view.setUint32(4 + n * 4 + k * 4, script.offsets[k]!, true);
  return out;
}

/**
 * One way a program reaches the memory of its live blocks (one contender of the `access`
 * workload). Each benchmark process drives one, so `access` stays monomorphic and is inlined.
 */
export interface AccessTarget {
  /** Contender id. */
  readonly id: string;
  /**
   * Allocates block `index` (untimed, before the accesses).
   * @param index 0..live-1, each once, in order.
   * @param size bytes.
   */
  allocate(index: number, size: number): void;
  /**
   * Writes `value` as a float64 at byte `offset` of block `index`, then reads that float64
   * back through the same path.
   * @param index a block allocated before.
   * @param offset a multiple of 8 with 8 bytes left in the block.
   * @param value the number to write.
   * @returns the number read back.
   */
  access(index: number, offset: number, value: number): number;
  /** Bytes held from the OS for the blocks, when the target can tell (null otherwise). */
  mappedBytes(): number | null;
  /** Frees every block. */
  destroy(): void;
}

/**
 * Random reads and writes of live blocks: allocate the blocks of `seq.fillSizes`, then run
 * the access script in a loop. Each access writes one float64 at the block's address plus the
 * script's offset and reads it back; the values read are summed and checked, batch by batch,
 * against the values written (a mismatch stops the run). One operation is one 8-byte
 * write+read.
 * @param target the contender.
 * @param seq the churn script (only its fill sizes are used).
 * @param script the accesses, built over `seq.fillSizes`.
 * @param plan trials.
 * @returns the point, workload `access`.
 * @throws Error when a value read back differs from the one written.
 */
export function runAccess(
  target: AccessTarget,
  seq: ChurnSequence,
  script: AccessScript,
  plan: TrialPlan,
): PointResult {
  const live = seq.live;
  let liveBytes = 0;
  for (let i = 0; i < live; i++) {
    target.allocate(i, seq.fillSizes[i]!);
    liveBytes += seq.fillSizes[i]!;
  }
  const { blocks, offsets } = script;
  const n = blocks.length;
  let pos = 0;
  let checked = 0;
  const run = (count: number): void => {
    while (count > 0) {
      const end = Math.min(n, pos + count);
      // The value written at access k is k + 0.5: the sum of a batch is exact in a float64.
      let sum = 0;
      for (let k = pos; k < end; k++) sum += target.access(blocks[k]!, offsets[k]!, k + 0.5);
      const expected = (end * end - pos * pos) / 2;
      if (sum !== expected)
        throw new Error(`${target.id}: accesses ${pos}..${end - 1} read back ${sum}, wrote ${expected}`);
      checked += end - pos;
      count -= end - pos;
      pos = end === n ? 0 : end;
    }
  };
  const m = measureBatches(run, 1, plan);
  const mapped = target.mappedBytes();
  const result: PointResult = {
    workload: 'access',
    contender: target.id,
    point: String(live),
    ns: m.ns,
    opsPerTrial: m.opsPerTrial,
    totalOps: m.totalOps,
    heapGrowthBytes: m.heapGrowthBytes,
    heapOps: m.heapOps,
    metadataPerBlock: null,
    mappedOverLive: mapped === null ? null : mapped / liveBytes,
    fragmentation: null,
    peakLiveBytes: liveBytes,
    peakMappedBytes: mapped,
  };
  if (checked < m.totalOps)
    throw new Error(`${target.id}: ${m.totalOps - checked} accesses were not checked`);
  target.destroy();
  return result;
}
