/**
 * Each `pnpm fuzz --shared N` worker's most recent operations, in one SharedArrayBuffer: a ring
 * of the last {@link OP_LOG_DEPTH} per worker, written before each call (its result filled in
 * after), so that the main thread can print them when the worker fails, and also when it hangs
 * inside a call and cannot report anything itself.
 */

/** How many operations are kept per worker. */
export const OP_LOG_DEPTH = 64;

/** What a logged operation was; each one's arguments are formatted by {@link describeOperation}. */
export const LoggedOp = {
  malloc: 1,
  calloc: 2,
  realloc: 3,
  free: 4,
  send: 5,
  receive: 6,
  write: 7,
  verify: 8,
  get: 9,
  usableSize: 10,
  stats: 11,
  validate: 12,
  printStats: 13,
  trim: 14,
  misuse: 15,
  quietMisuse: 16,
  barrier: 17,
  turn: 18,
  rawWrite: 19,
} as const;

/** The numeric code of a {@link LoggedOp}. */
export type LoggedOpCode = (typeof LoggedOp)[keyof typeof LoggedOp];

/** The calls whose misuse is logged, by number (the `a` field of a `misuse` entry). */
export const MISUSE_CALLS = ['free', 'realloc', 'usableSize', 'get', 'malloc', 'calloc'] as const;

const FIELDS = 5;
const NO_RESULT = Number.NaN;

/** One logged operation. */
export interface LoggedOperation {
  readonly code: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly result: number;
}

/** Describes one logged operation as a line: `realloc(1000, 64) → 1200`. */
export function describeOperation(op: LoggedOperation): string {
  const { a, b, c, result } = op;
  const out = Number.isNaN(result) ? ' → (did not return)' : ` → ${result}`;
  switch (op.code) {
    case LoggedOp.malloc:
      return `malloc(${a})${out}  #${c}`;
    case LoggedOp.calloc:
      return `calloc(${a}, ${b})${out}  #${c}`;
    case LoggedOp.realloc:
      return `realloc(${a}, ${b})${out}  #${c}`;
    case LoggedOp.free:
      return `free(${a})${Number.isNaN(result) ? ' (did not return)' : ''}  #${c}`;
    case LoggedOp.send:
      return `hand #${c} [${a}, +${b}) to worker ${result}`;
    case LoggedOp.receive:
      return `receive #${c} [${a}, +${b}) from worker ${result}`;
    case LoggedOp.write:
      return `write pattern of #${c} at [${a}, +${b})`;
    case LoggedOp.rawWrite:
      return `write pattern of #${c} at [${a}, +${b}) through get() and raw stores`;
    case LoggedOp.verify:
      return `verify #${c} [${a}, +${b})${Number.isNaN(result) ? ' (did not finish)' : ''}`;
    case LoggedOp.get:
      return `get(${a})${Number.isNaN(result) ? ' (did not return)' : ''}  #${c}`;
    case LoggedOp.usableSize:
      return `usableSize(${a})${out}  #${c}`;
    case LoggedOp.stats:
      return `stats()${Number.isNaN(result) ? ' (did not return)' : ''}`;
    case LoggedOp.validate:
      return `validate()${Number.isNaN(result) ? ' (did not return)' : ''}`;
    case LoggedOp.printStats:
      return `printStats(() => {})${Number.isNaN(result) ? ' (did not return)' : ''}`;
    case LoggedOp.trim:
      return `trim()${out}`;
    case LoggedOp.misuse:
    case LoggedOp.quietMisuse: {
      const call = MISUSE_CALLS[a] ?? `call ${a}`;
      const args = call === 'realloc' || call === 'calloc' ? `${b}, ${c}` : `${b}`;
      const when = op.code === LoggedOp.quietMisuse ? ' (alone on the heap)' : '';
      const outcome = Number.isNaN(result)
        ? ' (did not return)'
        : [': NOT refused', ': refused as expected', ': refused with another code or message'][result];
      return `${call}(${args}) must be refused${when}${outcome ?? ''}`;
    }
    case LoggedOp.barrier:
      return `barrier of round ${a}${Number.isNaN(result) ? ' (waiting)' : ''}`;
    case LoggedOp.turn:
      return `turn of round ${a}${Number.isNaN(result) ? ' (waiting or acting)' : ''}`;
    default:
      return `operation ${op.code} (${a}, ${b}, ${c}) → ${result}`;
  }
}

/** One thread's view of the operation logs of a run. */
export class ThreadOpLog {
  private readonly counts: Int32Array;
  private readonly entries: Float64Array;

  /**
   * @param buffer from {@link ThreadOpLog.allocate} (the same one in every thread).
   * @param workers how many worker threads the run has.
   */
  constructor(
    buffer: SharedArrayBuffer,
    readonly workers: number,
  ) {
    this.counts = new Int32Array(buffer, 0, workers * 2);
    this.entries = new Float64Array(buffer, workers * 8, workers * OP_LOG_DEPTH * FIELDS);
  }

  /** An empty log for `workers` workers. */
  static allocate(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer(workers * 8 + workers * OP_LOG_DEPTH * FIELDS * 8);
  }

  /**
   * Logs the start of an operation of worker `worker` (its owner only).
   * @returns where it is, for {@link settle}.
   */
  begin(worker: number, code: LoggedOpCode, a = 0, b = 0, c = 0): number {
    const n = this.counts[worker * 2]!;
    const at = (worker * OP_LOG_DEPTH + (n % OP_LOG_DEPTH)) * FIELDS;
    const e = this.entries;
    e[at] = code;
    e[at + 1] = a;
    e[at + 2] = b;
    e[at + 3] = c;
    e[at + 4] = NO_RESULT;
    Atomics.store(this.counts, worker * 2, n + 1);
    return at;
  }

  /** Records the result of the operation {@link begin} logged at `at`. */
  settle(at: number, result: number): void {
    this.entries[at + 4] = result;
  }

  /** How many operations worker `worker` logged in all. */
  total(worker: number): number {
    return Atomics.load(this.counts, worker * 2);
  }

  /**
   * Worker `worker`'s last `count` operations, oldest first, numbered from the run's start.
   * @returns one line per operation.
   */
  recent(worker: number, count = 50): string[] {
    const n = this.total(worker);
    const lines: string[] = [];
    for (let i = Math.max(0, n - Math.min(count, OP_LOG_DEPTH)); i < n; i++) {
      const at = (worker * OP_LOG_DEPTH + (i % OP_LOG_DEPTH)) * FIELDS;
      const e = this.entries;
      const line = describeOperation({
        code: e[at]!,
        a: e[at + 1]!,
        b: e[at + 2]!,
        c: e[at + 3]!,
        result: e[at + 4]!,
      });
      lines.push(`${String(i + 1).padStart(8)}. ${line}`);
    }
    return lines;
  }
}
