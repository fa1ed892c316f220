import { isMemsError, type Mems } from '@mems/api';
import type { PageProvider } from '@mems/os';
import { OP_ALLOCATE, OP_FREE, type Trace, TraceError } from '@mems/traces';

/** Callbacks of {@link replayTrace}, called between timed stretches of operations. */
export interface ReplayHooks {
  /** Call {@link ReplayHooks.onEvery} after every this many operations (a positive integer). */
  every?: number;
  /** Called with the number of operations done, every `every` operations. */
  onEvery?(done: number): void;
  /** Call {@link ReplayHooks.onProgress} after every this many operations. */
  progressStep?: number;
  /** Called with the number of operations done, every `progressStep` operations. */
  onProgress?(done: number): void;
}

/** What a replay measured. */
export interface ReplayResult {
  /** Operations replayed. */
  readonly operations: number;
  /** Time spent in MeMS calls and bookkeeping, in milliseconds (callbacks excluded). */
  readonly timeMs: number;
  /** The most bytes the provider had mapped at once. */
  readonly peakBytesMapped: number;
  /** The most bytes in live blocks at once (usable sizes). */
  readonly peakLiveBytes: number;
}

/**
 * Replays a parsed trace on a heap: `a` mallocs and names a block, `f` frees it, `r`
 * reallocs it. Tracks the peak of mapped bytes (from the provider's live accounting) and of
 * live bytes (usable sizes of live blocks).
 * @param trace the parsed trace.
 * @param heap a live heap using `provider`.
 * @param provider the heap's provider, read for `mappedBytes`.
 * @param hooks periodic callbacks (stats, progress).
 * @returns the measurements.
 * @throws TraceError naming the line of the first operation that cannot run: an `a` of a block
 *   that is still allocated, an `f` or `r` of one that is not, or a MemsError (its code and
 *   message in the reason). The heap is left as it was after the last good operation.
 */
export function replayTrace(
  trace: Trace,
  heap: Mems,
  provider: PageProvider,
  hooks: ReplayHooks = {},
): ReplayResult {
  const { ops, ids, sizes, lines, names } = trace;
  const n = trace.length;
  const address = new Float64Array(names.length).fill(-1);
  const every = hooks.every ?? 0;
  const step = hooks.progressStep ?? 0;
  let live = 0;
  let peakLive = 0;
  let peakMapped = provider.mappedBytes;
  let elapsed = 0;
  let i = 0;
  while (i < n) {
    let stop = n;
    if (every > 0) stop = Math.min(stop, (Math.floor(i / every) + 1) * every);
    if (step > 0) stop = Math.min(stop, (Math.floor(i / step) + 1) * step);
    const started = performance.now();
    try {
      for (; i < stop; i++) {
        const id = ids[i]!;
        const at = address[id]!;
        const op = ops[i]!;
        if (op === OP_ALLOCATE) {
          if (at >= 0)
            throw new TraceError(
              lines[i]!,
              `block ${JSON.stringify(names[id])} is already allocated (at ${at}); free it first`,
            );
          const p = heap.malloc(sizes[i]!);
          address[id] = p;
          live += heap.usableSize(p);
        } else {
          if (at < 0) throw new TraceError(lines[i]!, `block ${JSON.stringify(names[id])} is not allocated`);
          if (op === OP_FREE) {
            live -= heap.usableSize(at);
            heap.free(at);
            address[id] = -1;
          } else {
            const before = heap.usableSize(at);
            const q = heap.realloc(at, sizes[i]!);
            address[id] = q;
            live += heap.usableSize(q) - before;
          }
        }
        if (live > peakLive) peakLive = live;
        const mapped = provider.mappedBytes;
        if (mapped > peakMapped) peakMapped = mapped;
      }
    } catch (error) {
      if (isMemsError(error)) throw new TraceError(lines[i]!, `${error.code}: ${error.message}`);
      throw error;
    } finally {
      elapsed += performance.now() - started;
    }
    if (every > 0 && i % every === 0) hooks.onEvery?.(i);
    if (step > 0 && (i % step === 0 || i === n)) hooks.onProgress?.(i);
  }
  return { operations: n, timeMs: elapsed, peakBytesMapped: peakMapped, peakLiveBytes: peakLive };
}
