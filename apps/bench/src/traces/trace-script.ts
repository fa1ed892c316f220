import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** `a <id> <size>`. */
export const TRACE_ALLOCATE = 0;
/** `f <id>`. */
export const TRACE_FREE = 1;
/** `r <id> <size>`. */
export const TRACE_REALLOCATE = 2;

/**
 * A replay trace as the benchmark runs it: parallel typed arrays, block names turned into
 * slot numbers 0..blocks-1 (a slot is reused only by the same name).
 */
export interface TraceScript {
  /** The trace's name: its file name without `.trace` / `.trace.gz`. */
  readonly name: string;
  /** Number of operations. */
  readonly length: number;
  /** {@link TRACE_ALLOCATE}, {@link TRACE_FREE} or {@link TRACE_REALLOCATE}, per operation. */
  readonly ops: Uint8Array;
  /** The block slot of each operation. */
  readonly slots: Uint32Array;
  /** The size of each operation (0 for a free). */
  readonly sizes: Uint32Array;
  /** How many slots. */
  readonly blocks: number;
}

/**
 * Parses trace text in the replay format of `mems-demo replay` (`a <id> <size>`, `f <id>`,
 * `r <id> <size>`; `#` comments and blank lines skipped) and checks that it replays: no block
 * allocated twice, no free or realloc of a block that is not live, sizes from 1 to 2^32 − 1.
 * @param name the trace's name.
 * @param text the text.
 * @returns the script.
 * @throws Error naming the line of the first operation that is malformed or cannot replay.
 */
export function parseTraceScript(name: string, text: string): TraceScript {
  const lines = text.split('\n');
  const ops = new Uint8Array(lines.length);
  const slots = new Uint32Array(lines.length);
  const sizes = new Uint32Array(lines.length);
  const slotOf = new Map<string, number>();
  const live: boolean[] = [];
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i]!.indexOf('#');
    const line = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
    if (line === '') continue;
    const fail = (reason: string): never => {
      throw new Error(`${name}: line ${i + 1}: ${reason}`);
    };
    const parts = line.split(/\s+/);
    const op = parts[0];
    if (op !== 'a' && op !== 'f' && op !== 'r') fail(`unknown operation ${JSON.stringify(op)}`);
    if (parts.length !== (op === 'f' ? 2 : 3)) fail(`wrong number of arguments in ${JSON.stringify(line)}`);
    let slot = slotOf.get(parts[1]!);
    if (slot === undefined) {
      slot = slotOf.size;
      slotOf.set(parts[1]!, slot);
      live.push(false);
    }
    if (op === 'a' ? live[slot] : !live[slot])
      fail(op === 'a' ? `block ${parts[1]} is already allocated` : `block ${parts[1]} is not allocated`);
    let size = 0;
    if (op !== 'f') {
      size = Number(parts[2]);
      if (!/^\d+$/.test(parts[2]!) || size < 1 || size > 0xffffffff)
        fail(`bad size ${JSON.stringify(parts[2])}`);
    }
    live[slot] = op !== 'f';
    ops[n] = op === 'a' ? TRACE_ALLOCATE : op === 'f' ? TRACE_FREE : TRACE_REALLOCATE;
    slots[n] = slot;
    sizes[n] = size;
    n++;
  }
  return {
    name,
    length: n,
    ops: ops.slice(0, n),
    slots: slots.slice(0, n),
    sizes: sizes.slice(0, n),
    blocks: slotOf.size,
  };
}

/**
 * Reads a trace file, gzip-compressed (`.gz`) or plain.
 * @param path the file.
 * @returns the script, named after the file.
 * @throws Error when the file cannot be read or parsed.
 */
export function loadTraceScript(path: string): TraceScript {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return parseTraceScript(
    basename(path)
      .replace(/\.gz$/, '')
      .replace(/\.trace$/, ''),
    text,
  );
}

/** Live bytes over a trace's replay, from the requested sizes. */
export interface TraceLiveBytes {
  /** The most bytes requested by live blocks at once. */
  readonly peak: number;
  /** After each operation, the bytes requested by live blocks. */
  readonly after: Float64Array;
}

/**
 * Replays a script's sizes without allocating.
 * @param script the trace.
 * @returns the peak and the live bytes after each operation.
 */
export function traceLiveBytes(script: TraceScript): TraceLiveBytes {
  const sizeOf = new Float64Array(script.blocks);
  const after = new Float64Array(script.length);
  let live = 0;
  let peak = 0;
  for (let k = 0; k < script.length; k++) {
    const slot = script.slots[k]!;
    const size = script.sizes[k]!;
    live += size - sizeOf[slot]!;
    sizeOf[slot] = size;
    after[k] = live;
    if (live > peak) peak = live;
  }
  return { peak, after };
}

/**
 * The script as bytes for the C replayer: uint32 operations, uint32 blocks, then ops (uint8),
 * slots (uint32) and sizes (uint32), little-endian.
 * @param script the trace.
 * @returns the bytes.
 */
export function encodeTraceScript(script: TraceScript): Uint8Array {
  const n = script.length;
  const out = new Uint8Array(8 + n + 8 * n);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, script.blocks, true);
  out.set(script.ops, 8);
  let at = 8 + n;
  for (let k = 0; k < n; k++, at += 4) view.setUint32(at, script.slots[k]!, true);
  for (let k = 0; k < n; k++, at += 4) view.setUint32(at, script.sizes[k]!, true);
  return out;
}
