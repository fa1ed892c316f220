import { formatTrace, OP_ALLOCATE, OP_FREE, OP_REALLOCATE } from '@mems/traces';
/** What {@link convertRawLog} did with a tracer log. */
export interface ConversionStats {
  /** Lines of the log read (up to where the cap stopped the conversion). */
  readonly linesRead: number;
  /** Operations written: `a`, `f` and `r` lines. */
  readonly operations: number;
  readonly allocations: number;
  readonly frees: number;
  readonly reallocs: number;
  /** `malloc(0)`, `calloc` of 0 bytes or `realloc(p, n)` … written with size 1 (MeMS refuses size 0). */
  readonly zeroSizes: number;
  /**
   * Frees and reallocs of pointers the log never saw allocated (allocated before the tracer
   * started, or by posix_memalign/aligned_alloc, which it does not record): frees are dropped,
   * reallocs become allocations.
   */
  readonly unknownPointers: number;
  /** Allocations that returned a pointer still live in the log (its free was not recorded): a free is written first. */
  readonly missedFrees: number;
  /** Blocks still live at the end of the trace. */
  readonly liveAtEnd: number;
  /** The most bytes requested by live blocks at once. */
  readonly peakLiveBytes: number;
  /** Whether the cap stopped the conversion before the end of the log. */
  readonly truncated: boolean;
}

/** A log line that cannot be read. */
export class RawLogError extends Error {
  /**
   * @param line the 1-based line number in the log.
   * @param reason what is wrong.
   */
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`tracer log line ${line}: ${reason}`);
    this.name = 'RawLogError';
  }
}

const FIELDS: Record<string, number> = { m: 2, c: 3, r: 3, f: 1 };

/**
 * Converts the log of `native/malloc-tracer.c` (`m size result`, `c count size result`,
 * `r pointer size result`, `f pointer`, hex) into the replay format of `mems-demo replay`
 * (`a <id> <size>`, `f <id>`, `r <id> <size>`). Each allocation gets a fresh id (base 36), kept
 * by its reallocs; `realloc(NULL, n)` is an allocation and `realloc(p, 0)` that returned NULL a
 * free. See {@link ConversionStats} for what is adjusted and counted.
 * @param log the log's text.
 * @param maxOperations stop after this many operations (a positive integer).
 * @returns the trace text (no comments) and what was done.
 * @throws RawLogError for a line that is not one of the four forms, or maxOperations not a positive integer.
 */
export function convertRawLog(log: string, maxOperations: number): { trace: string; stats: ConversionStats } {
  if (!Number.isSafeInteger(maxOperations) || maxOperations <= 0)
    throw new RawLogError(0, `maxOperations must be a positive integer, got ${maxOperations}`);
  // The trace as formatTrace (@mems/traces) writes it: one entry per operation, a name per block.
  const live = new Map<bigint, { id: number; size: number }>();
  const ops: number[] = [];
  const ids: number[] = [];
  const sizes: number[] = [];
  const names: string[] = [];
  const emit = (op: number, id: number, size: number): void => {
    ops.push(op);
    ids.push(id);
    sizes.push(size);
  };
  let allocations = 0;
  let frees = 0;
  let reallocs = 0;
  let zeroSizes = 0;
  let unknownPointers = 0;
  let missedFrees = 0;
  let liveBytes = 0;
  let peakLiveBytes = 0;
  let linesRead = 0;
  const lines = log.split('\n');
  if (lines.at(-1) === '') lines.pop();

  const positive = (size: bigint): number => {
    if (size === 0n) {
      zeroSizes++;
      return 1;
    }
    return Number(size);
  };
  const free = (pointer: bigint): void => {
    const block = live.get(pointer)!;
    live.delete(pointer);
    liveBytes -= block.size;
    emit(OP_FREE, block.id, 0);
    frees++;
  };
  const allocate = (pointer: bigint, size: number): void => {
    if (live.has(pointer)) {
      missedFrees++;
      free(pointer);
    }
    const id = names.push(names.length.toString(36)) - 1;
    live.set(pointer, { id, size });
    liveBytes += size;
    if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
    emit(OP_ALLOCATE, id, size);
    allocations++;
  };

  for (let i = 0; i < lines.length && ops.length < maxOperations; i++) {
    const parts = lines[i]!.split(' ');
    const op = parts[0]!;
    if (
      FIELDS[op] === undefined ||
      parts.length !== FIELDS[op]! + 1 ||
      parts.slice(1).some((p) => !/^[0-9a-f]+$/.test(p))
    )
      throw new RawLogError(
        i + 1,
        `expected "m size result", "c count size result", "r pointer size result" or "f pointer", got ${JSON.stringify(lines[i])}`,
      );
    linesRead = i + 1;
    const field = parts.slice(1).map((p) => BigInt(`0x${p}`));
    if (op === 'm') allocate(field[1]!, positive(field[0]!));
    else if (op === 'c') allocate(field[2]!, positive(field[0]! * field[1]!));
    else if (op === 'f') {
      if (live.has(field[0]!)) free(field[0]!);
      else unknownPointers++;
    } else {
      const [pointer, size, result] = field as [bigint, bigint, bigint];
      if (pointer === 0n) {
        if (result !== 0n) allocate(result, positive(size));
      } else if (!live.has(pointer)) {
        unknownPointers++;
        if (result !== 0n) allocate(result, positive(size));
      } else if (result === 0n) {
        // realloc(p, 0) freed p (a failed realloc with size > 0 is not logged).
        free(pointer);
      } else {
        const block = live.get(pointer)!;
        const bytes = positive(size);
        live.delete(pointer);
        if (live.has(result)) {
          missedFrees++;
          free(result);
        }
        live.set(result, { id: block.id, size: bytes });
        liveBytes += bytes - block.size;
        if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
        emit(OP_REALLOCATE, block.id, bytes);
        reallocs++;
      }
    }
  }
  return {
    trace: formatTrace({ length: ops.length, ops, ids, sizes, names }),
    stats: {
      linesRead,
      operations: ops.length,
      allocations,
      frees,
      reallocs,
      zeroSizes,
      unknownPointers,
      missedFrees,
      liveAtEnd: live.size,
      peakLiveBytes,
      truncated: linesRead < lines.length,
    },
  };
}
