import { describeArgument, type Heap } from '@mems/core';
import { describeValue, MemsError } from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import { DISPOSE } from './dispose-symbol.js';
import type { Mems } from './mems.js';
import { createHeapFromOptions } from './mems-options.js';
import { type CallNames, heapCallNames } from './operations.js';
import { TypedBlocks, withAlignmentHint } from './typed-blocks.js';
import { writeToStdout } from './write-to-stdout.js';

/** How one surface words the ESTATE of a call made while it has no live heap. */
export interface StateWording {
  /** Why a call fails before the first heap is opened (the global surface only). */
  readonly notOpened: string;
  /** Why a call fails after `finish` ended the heap. */
  readonly finished: string;
  /** Why opening fails while a heap is live (the global surface only). */
  readonly alreadyOpen: string;
  /**
   * What `finish` does once the heap is finished: `'refuse'` (ESTATE: the seed's
   * `mems_finish`) or `'ignore'` (nothing: the objects of `createMems` and the shared heaps).
   */
  readonly finishAgain: 'refuse' | 'ignore';
}

/**
 * The one owner of the API's life-cycle check (ESTATE before the heap is opened and after it is
 * finished), for both surfaces: `mems_*` keeps one session for the process, `createMems` one per
 * instance. Every operation of {@link MemsSession.mems} checks the state here, once, then calls
 * the heap (whose own ESTATE check then only guards re-entry from inside the page provider).
 */
export class MemsSession {
  private heap: Heap | null = null;
  private finished = false;
  /** The typed arrays `mallocAs`/`callocAs` handed out, which `free` takes back. */
  private readonly arrays = new TypedBlocks();
  /** The session's operations as a {@link Mems}, with this surface's names in error messages. */
  readonly mems: Mems;

  /**
   * @param names the surface's function names.
   * @param wording the surface's ESTATE reasons.
   */
  constructor(
    private readonly names: CallNames,
    private readonly wording: StateWording,
  ) {
    this.mems = this.operations();
  }

  /** Whether a heap is live. */
  get isLive(): boolean {
    return this.heap !== null;
  }

  /**
   * Creates the session's heap (afresh after a finish).
   * @param options the caller's `MemsOptions` (checked here).
   * @param given the arguments as written, for the ESTATE message (`mems_init()` or with options).
   * @throws MemsError `ESTATE` while a heap is live (it is untouched); `EINVAL` for bad options,
   *   naming `names.init` (the session stays as it was).
   */
  open(options: unknown, given: readonly unknown[]): void {
    if (this.heap !== null)
      throw new MemsError(
        'ESTATE',
        `${this.names.init}(${given.map(describeValue).join(', ')}): ${this.wording.alreadyOpen}`,
      );
    this.adopt(createHeapFromOptions(options, this.names.init, heapCallNames(this.names)));
  }

  /**
   * Makes an existing heap the session's own (a shared heap's per-thread heap object, whose
   * operations the shared session then runs under its lock).
   * @param heap a live heap whose call names are this surface's.
   */
  adopt(heap: Heap): void {
    this.heap = heap;
    this.finished = false;
  }

  /**
   * Throws the ESTATE of `call(args)` made when no heap is live. Each operation reads
   * `this.heap ?? this.refuseDead(...))`, so the argument list is built only on that path:
   * built on every call, it cost `malloc`/`free` an allocation each (about 4% of churn).
   */
  private refuseDead(call: string, args: readonly unknown[]): never {
    throw new MemsError(
      'ESTATE',
      `${call}(${args.map(describeArgument).join(', ')}): ${this.finished ? this.wording.finished : this.wording.notOpened}`,
    );
  }

  private operations(): Mems {
    const n = this.names;
    const session = this;
    return {
      get isFinished() {
        return session.finished;
      },
      malloc: (size) => (this.heap ?? this.refuseDead(n.malloc, [size])).allocate(size),
      free: (ptr) => {
        const heap = this.heap ?? this.refuseDead(n.free, [ptr]);
        // One typeof on the hot path; typed arrays from mallocAs go out of line.
        if (typeof ptr === 'number') heap.free(ptr);
        else this.arrays.free(heap, n.free, ptr);
      },
      get: (ptr) => (this.heap ?? this.refuseDead(n.get, [ptr])).translate(ptr),
      printStats: (write) => {
        const heap = this.heap ?? this.refuseDead(n.printStats, write === undefined ? [] : [write]);
        if (write !== undefined && typeof write !== 'function')
          throw new MemsError('EINVAL', `${n.printStats}(${describeValue(write)}): write must be a function`);
        const text = formatSeedStats(heap.snapshot());
        if (write === undefined) writeToStdout(text);
        else write(text);
      },
      finish: () => {
        if (this.heap === null && this.finished && this.wording.finishAgain === 'ignore') return;
        const heap = this.heap ?? this.refuseDead(n.finish, []);
        try {
          heap.destroy();
        } finally {
          // destroy ends the heap even when some unmaps fail; called from inside the provider
          // it refuses (ESTATE) and the heap stays live.
          if (heap.isDestroyed && this.heap === heap) {
            this.heap = null;
            this.finished = true;
          }
        }
      },
      calloc: (count, size) => (this.heap ?? this.refuseDead(n.calloc, [count, size])).calloc(count, size),
      realloc: (ptr, size) => (this.heap ?? this.refuseDead(n.realloc, [ptr, size])).realloc(ptr, size),
      view: (ptr, byteLength) =>
        (this.heap ?? this.refuseDead(n.view, byteLength === undefined ? [ptr] : [ptr, byteLength])).view(
          ptr,
          byteLength,
        ),
      viewAs(type, ptr, count) {
        const heap =
          session.heap ??
          session.refuseDead(n.viewAs, count === undefined ? [type, ptr] : [type, ptr, count]);
        try {
          return heap.viewAs(type, ptr, count);
        } catch (error) {
          throw withAlignmentHint(error, n);
        }
      },
      memoryOf: (ptr) => (this.heap ?? this.refuseDead(n.memoryOf, [ptr])).memoryOf(ptr),
      usableSize: (ptr) => (this.heap ?? this.refuseDead(n.usableSize, [ptr])).usableSize(ptr),
      trim: () => (this.heap ?? this.refuseDead(n.trim, [])).trim(),
      stats: () => (this.heap ?? this.refuseDead(n.stats, [])).snapshot(),
      validate: () => (this.heap ?? this.refuseDead(n.validate, [])).validate(),
      mallocAs(type, count) {
        const heap = session.heap ?? session.refuseDead(n.mallocAs, [type, count]);
        return session.arrays.allocate(heap, n.mallocAs, false, type, count);
      },
      callocAs(type, count) {
        const heap = session.heap ?? session.refuseDead(n.callocAs, [type, count]);
        return session.arrays.allocate(heap, n.callocAs, true, type, count);
      },
      freeAll: () => this.arrays.freeAll(this.heap ?? this.refuseDead(n.freeAll, [])),
      [DISPOSE]: () => {
        if (this.heap !== null) this.mems.finish();
      },
    };
  }
}

/**
 * How `createMems` instances word their ESTATE. Only `finished` can show: an instance is opened
 * when it is made and never opened again.
 */
function instanceWording(names: CallNames): StateWording {
  return {
    notOpened: `this heap is not open (${names.init} failed)`,
    finished: `this heap is finished (${names.finish} was called)`,
    alreadyOpen: 'this heap is already open',
    finishAgain: 'ignore',
  };
}

/**
 * Creates a heap and wraps it as a {@link Mems} whose error messages use one surface's names.
 * `createMems` is this with its own names; `mems_init` opens the process-wide session.
 * @param options the caller's `MemsOptions` (checked here).
 * @param names the surface's function names.
 * @returns a live instance.
 * @throws MemsError `EINVAL` for bad options, naming `names.init`.
 */
export function openMems(options: unknown, names: CallNames): Mems {
  const session = new MemsSession(names, instanceWording(names));
  session.open(options, []);
  return session.mems;
}
