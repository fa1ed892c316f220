import { inRange, xorshift32 } from './random.js';

/**
 * A precomputed churn script: the sizes of the `live` blocks allocated first, then for each
 * step the index of the live block to free and the size of the block that replaces it. Every
 * contender replays the same script, so no random-number cost is measured and all face the
 * same requests. A contender that needs more steps than the script holds starts it again.
 */
export interface ChurnSequence {
  /** How many blocks stay live. */
  readonly live: number;
  /** Size of each block allocated while filling, `live` entries. */
  readonly fillSizes: Uint16Array;
  /** For each step: the index (0..live-1) of the block to free. */
  readonly victims: Uint32Array;
  /** For each step: the size of the block allocated in its place. */
  readonly sizes: Uint16Array;
}

/** Options of {@link makeChurnSequence}. */
export interface ChurnSequenceOptions {
  /** Smallest block size, bytes. Default 16. */
  minSize?: number;
  /** Largest block size, bytes (at most 65535). Default 511. */
  maxSize?: number;
  /** Steps in the script. Default max(2^20, 2 × live). */
  steps?: number;
  /** Generator seed. Default 0x9e3779b9. */
  seed?: number;
}

/**
 * Builds the churn script for `live` blocks.
 * @param live live-block count, a positive integer.
 * @param options sizes, length and seed.
 * @returns the script.
 */
export function makeChurnSequence(live: number, options: ChurnSequenceOptions = {}): ChurnSequence {
  const minSize = options.minSize ?? 16;
  const maxSize = options.maxSize ?? 511;
  const steps = options.steps ?? Math.max(2 ** 20, 2 * live);
  const next = xorshift32(options.seed ?? 0x9e3779b9);
  const fillSizes = new Uint16Array(live);
  for (let i = 0; i < live; i++) fillSizes[i] = inRange(next(), minSize, maxSize);
  const victims = new Uint32Array(steps);
  const sizes = new Uint16Array(steps);
  for (let k = 0; k < steps; k++) {
    victims[k] = inRange(next(), 0, live - 1);
    sizes[k] = inRange(next(), minSize, maxSize);
  }
  return { live, fillSizes, victims, sizes };
}

/**
 * Replays the script's sizes (without allocating) to find the live bytes requested.
 * @param seq the script.
 * @param steps how many steps were executed after the fill (wrapping around the script).
 * @returns the peak and final sum of live block sizes.
 */
export function liveBytesOver(seq: ChurnSequence, steps: number): { peak: number; final: number } {
  const current = seq.fillSizes.slice();
  let live = 0;
  for (let i = 0; i < current.length; i++) live += current[i]!;
  let peak = live;
  const n = seq.victims.length;
  for (let done = 0, k = 0; done < steps; done++) {
    const v = seq.victims[k]!;
    live += seq.sizes[k]! - current[v]!;
    current[v] = seq.sizes[k]!;
    if (live > peak) peak = live;
    if (++k === n) k = 0;
  }
  return { peak, final: live };
}

/**
 * The script as bytes for the C reference: uint32 live, uint32 steps, then fillSizes (uint16),
 * victims (uint32) and sizes (uint16), little-endian.
 * @param seq the script.
 * @returns the bytes.
 */
export function encodeChurnSequence(seq: ChurnSequence): Uint8Array {
  const steps = seq.victims.length;
  const out = new Uint8Array(8 + seq.live * 2 + steps * 4 + steps * 2);
  const view = new DataView(out.buffer);
  view.setUint32(0, seq.live, true);
  view.setUint32(4, steps, true);
  let at = 8;
  for (let i = 0; i < seq.live; i++, at += 2) view.setUint16(at, seq.fillSizes[i]!, true);
  for (let k = 0; k < steps; k++, at += 4) view.setUint32(at, seq.victims[k]!, true);
  for (let k = 0; k < steps; k++, at += 2) view.setUint16(at, seq.sizes[k]!, true);
  return out;
}
