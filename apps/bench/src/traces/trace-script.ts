import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { OP_ALLOCATE, OP_FREE, parseTrace, type Trace, TraceError } from '@mems/traces';
import { decodeTraceBytes } from '@mems/traces/node';

/**
 * A replay trace as the benchmark runs it: parallel typed arrays, block names turned into
 * slot numbers 0..blocks-1 (a slot is reused only by the same name).
 */
export interface TraceScript {
  /** The trace's name: its file name without `.trace` / `.trace.gz`. */
  readonly name: string;
  /** Number of operations. */
  readonly length: number;
  /** `OP_ALLOCATE`, `OP_FREE` or `OP_REALLOCATE` (from `@mems/traces`), per operation. */
  readonly ops: Uint8Array;
  /** The block slot of each operation. */
  readonly slots: Uint32Array;
  /** The size of each operation (0 for a free). */
  readonly sizes: Uint32Array;
  /** How many slots. */
  readonly blocks: number;
}

/** The largest size the benchmark replays: the C replayer reads sizes as uint32. */
export const MAX_SCRIPT_SIZE = 0xffffffff;

/**
 * Checks that a parsed trace replays and turns it into a script: no block allocated twice, no
 * free or realloc of a block that is not live, sizes up to {@link MAX_SCRIPT_SIZE}.
 * @param name the trace's name, for errors.
 * @param trace the trace, as `parseTrace` of `@mems/traces` returns it.
 * @returns the script (the trace's block numbers are its slots).
 * @throws Error `<name>: line <n>: <reason>` for the first operation that cannot replay.
 */
export function traceScriptOf(name: string, trace: Trace): TraceScript {
  const { length, ops, ids, names } = trace;
  const sizes = new Uint32Array(length);
  const live = new Uint8Array(names.length);
  for (let k = 0; k < length; k++) {
    const op = ops[k]!;
    const id = ids[k]!;
    const fail = (reason: string): never => {
      throw new Error(`${name}: line ${trace.lines[k]}: ${reason}`);
    };
    if (op === OP_ALLOCATE ? live[id] === 1 : live[id] === 0)
      fail(
        op === OP_ALLOCATE
          ? `block ${names[id]} is already allocated`
          : `block ${names[id]} is not allocated`,
      );
    const size = trace.sizes[k]!;
    if (size > MAX_SCRIPT_SIZE)
      fail(`size ${size} is too large for the benchmark's replay (at most ${MAX_SCRIPT_SIZE})`);
    live[id] = op === OP_FREE ? 0 : 1;
    sizes[k] = size;
  }
  return { name, length, ops, slots: ids, sizes, blocks: names.length };
}

/**
 * Parses trace text with `parseTrace` of `@mems/traces` (the replay format of
 * `mems-demo replay`) and checks that it replays (see {@link traceScriptOf}).
 * @param name the trace's name.
 * @param text the text.
 * @returns the script.
 * @throws Error `<name>: line <n>: <reason>` for the first line that is malformed or cannot
 *   replay.
 */
export function parseTraceScript(name: string, text: string): TraceScript {
  let trace: Trace;
  try {
    trace = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceError) throw new Error(`${name}: ${error.message}`, { cause: error });
    throw error;
  }
  return traceScriptOf(name, trace);
}

/**
 * Reads a trace file, gzip-compressed (recognised by its first two bytes) or plain.
 * @param path the file.
 * @param operations parse only the first this many operation lines (comments and blank lines
 *   do not count), as the quick run replays; undefined or null parses them all.
 * @returns the script, named after the file.
 * @throws Error when the file cannot be read, decompressed or parsed.
 */
export function loadTraceScript(path: string, operations?: number | null): TraceScript {
  const text = decodeTraceBytes(readFileSync(path));
  return parseTraceScript(
    basename(path)
      .replace(/\.gz$/, '')
      .replace(/\.trace$/, ''),
    operations == null ? text : firstOperations(text, operations),
  );
}

/**
 * The text of a trace up to and including its `operations`-th operation line.
 * @param text the trace's text.
 * @param operations how many operation lines to keep.
 * @returns the prefix (the whole text when it has no more).
 */
export function firstOperations(text: string, operations: number): string {
  let seen = 0;
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const stop = end < 0 ? text.length : end + 1;
    const line = text.slice(at, stop).trim();
    if (line !== '' && !line.startsWith('#') && ++seen === operations) return text.slice(0, stop);
    at = stop;
  }
  return text;
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
