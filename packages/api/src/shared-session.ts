import { describeArgument, type Heap, type HeapSnapshot } from '@mems/core';
import {
  acceptThreadCaches,
  beginSharedCall,
  endSharedCall,
  flushThreadCaches,
  forgetThreadCaches,
  repairThreadCaches,
  type ThreadCache,
  type ThreadCacheTable,
} from '@mems/core/internal';
import {
  describeValue,
  MemsError,
  SharedArena,
  type SharedArenaHandle,
  type SharedMutex,
  type SharedPagesHandle,
  type SharedPagesProvider,
} from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import { DISPOSE } from './dispose-symbol.js';
import type { Mems } from './mems.js';
import { MemsSession } from './open-mems.js';
import { INSTANCE_CALL_NAMES, OPERATION_NAMES, OPERATIONS, type OperationName } from './operations.js';
import {
  controlWords,
  FINISHED,
  LIVE,
  lockTimeoutOf,
  W_ATTACHED,
  W_OWNS_PROVIDER,
  W_STATE,
} from './shared-control-block.js';
import { writeToStdout } from './write-to-stdout.js';

/**
 * What {@link SharedMems.handle} is: a structured-cloneable value (SharedArrayBuffers and
 * strings) to post to a worker (`workerData`, `postMessage`), which opens the same heap with
 * `attachMems`.
 */
export interface SharedMemsHandle {
  /** Always `'mems-shared-heap'`. */
  readonly kind: 'mems-shared-heap';
  /**
   * The handle's layout version (3: the control block carries the options in @mems/core's
   * option table order, and the handle the thread caches' buffer).
   */
  readonly version: 3;
  /** The heap's control block: its lock, state, options (a fixed SharedArrayBuffer). */
  readonly control: SharedArrayBuffer;
  /** The heap's tables (a growable SharedArrayBuffer and its directory). */
  readonly arena: SharedArenaHandle;
  /** The page provider's handle. */
  readonly provider: SharedPagesHandle;
  /** The per-thread caches' buffer (the `threadCache` option), or null for none. */
  readonly threads: SharedArrayBuffer | null;
}

/**
 * A heap that every worker thread of a process can use: every method of {@link Mems}, each one
 * atomic (one lock per call), plus the {@link SharedMems.handle} to post to other threads,
 * {@link SharedMems.detach} and {@link SharedMems.recover}. Error messages name the methods as
 * `createMems`'s do.
 */
export interface SharedMems extends Mems {
  /** The value to post to another thread, which opens the same heap with `attachMems`. */
  readonly handle: SharedMemsHandle;
  /** True once this thread called {@link SharedMems.detach}. */
  readonly isDetached: boolean;
  /**
   * Ends this thread's use of the heap (the heap and other threads are unaffected): later calls
   * through this object are `ESTATE`. Views made in this thread stay valid while their blocks
   * live. Does not free blocks: free them first, or let another thread do it. With thread
   * caches, the blocks this thread's cache holds go back to the heap (under the heap's lock) and
   * its cache slot is free for another thread.
   * @throws MemsError `ESTATE` when this object already detached, or when the heap's lock is
   *   not released within `lockTimeoutMs` (this thread's cache is then kept).
   */
  detach(): void;
  /**
   * `using` support: on the creator's object (from `createSharedMems`) it runs `finish()`, which
   * ends the heap for every thread; on an object from `attachMems` it runs `detach()`. Does
   * nothing once this object detached; `finish` does nothing once the heap is finished.
   * @throws MemsError as {@link Mems.finish}.
   */
  [Symbol.dispose](): void;
  /**
   * Frees the heap's lock when the thread holding it died inside a call (a worker terminated),
   * then checks the heap with `validate()`. Call it only when you know the holder is gone: it
   * takes the lock away from whoever holds it. The dead thread's call may have been half done:
   * when validation fails, the heap is lost; `finish()` it (it still unmaps every node it
   * knows) and make a new one. With thread caches it also frees the busy flag of a thread that
   * died inside a cache operation (one still set after 100 ms), mends the caches (a block marked
   * cached that no cache holds is freed, an entry that is not a cached block is dropped, counts
   * are recounted) and flushes every cache to the heap, the dead thread's included; its slot
   * stays taken (its thread object can no longer detach) until `finish`.
   * @returns true when a lock or a busy flag was freed, false when nobody held one.
   * @throws MemsError `ESTATE` when called from inside a call on this heap, after `detach` or
   *   after `finish`; HeapInvariantError when the heap does not validate.
   */
  recover(): boolean;
}

/**
 * The locked operations that show (or change) the whole heap: with thread caches, they flush
 * every thread's cache first, so that cached blocks are holes in what they see.
 */
const FLUSHING: ReadonlySet<OperationName> = new Set(['stats', 'validate', 'trim', 'freeAll']);

/** How long `recover` waits for a busy cache flag before it takes it for a dead thread's. */
const RECOVER_WAIT_MS = 100;

/** The ESTATE of a locked call that waited `timeoutMs` for a thread's cache operation to end. */
function busyCache(what: string, timeoutMs: number, slot: number): MemsError {
  const error = new MemsError(
    'ESTATE',
    `${what}: thread cache slot ${slot} stayed busy for ${timeoutMs} ms; if its thread died inside a call, call recover()`,
  );
  BUSY_ERRORS.add(error);
  return error;
}

const BUSY_ERRORS = new WeakSet<object>();

function isBusyCache(error: unknown): boolean {
  return typeof error === 'object' && error !== null && BUSY_ERRORS.has(error);
}

/** The operations a shared session writes itself (`shared: 'own'` in the operations table). */
type OwnOperation = {
  [K in OperationName]: (typeof OPERATIONS)[K]['shared'] extends 'own' ? K : never;
}[OperationName];

const NAMES = INSTANCE_CALL_NAMES;

/**
 * Returns a default provider's reservation (shared mmap); a shared-memory provider needs nothing.
 * @param provider the provider the creator made.
 */
export function destroyProvider(provider: SharedPagesProvider): void {
  const destroy = (provider as { destroy?: () => void }).destroy;
  if (typeof destroy === 'function') destroy.call(provider);
}

/**
 * The ESTATE of a call whose wait for the heap's lock timed out.
 * @param what the call as written, e.g. `malloc(10)`.
 * @param timeoutMs the heap's `lockTimeoutMs`.
 * @param holder the lock handle that holds it.
 */
export function lockTimeout(what: string, timeoutMs: number, holder: number): MemsError {
  return new MemsError(
    'ESTATE',
    `${what}: the heap's lock was not released within ${timeoutMs} ms (lock handle ${holder} holds it); if the thread holding it died inside a call, call recover()`,
  );
}

/**
 * One thread's use of a shared heap: its heap object, lock handle and provider. Each operation
 * is the thread's plain operation (a {@link MemsSession} over this thread's heap object) run
 * under the heap's lock; the operations table says which ones this class writes itself.
 */
export class SharedSession {
  readonly mems: SharedMems;
  private heap: Heap | null;
  /** This thread's plain operations over its heap object (called only under the lock). */
  private readonly plain: Mems;
  private readonly words: Int32Array;
  private readonly timeout: number;
  private finishedHere = false;
  /** The heap's thread caches, or null (no `threadCache` option). */
  private readonly caches: ThreadCacheTable | null;
  /** This thread's cache, or null (none, no slot left, or detached). */
  private cache: ThreadCache | null;

  /**
   * @param handle the heap's handle (this thread's copy).
   * @param heap this thread's heap object over the shared tables.
   * @param provider this thread's provider object.
   * @param mutex this thread's lock handle.
   * @param creator whether this thread made the heap: disposing the creator's object finishes
   *   the heap, disposing an attached one detaches.
   * @param caches the heap's thread caches, or null.
   * @param cache this thread's cache (its slot claimed under the lock), or null.
   */
  constructor(
    readonly handle: SharedMemsHandle,
    heap: Heap,
    private readonly provider: SharedPagesProvider,
    private readonly mutex: SharedMutex,
    private readonly creator: boolean,
    caches: ThreadCacheTable | null = null,
    cache: ThreadCache | null = null,
  ) {
    this.heap = heap;
    this.caches = caches;
    this.cache = cache;
    // Marks this thread's heap object as one whose hash may hold other threads' cached blocks.
    if (caches !== null) acceptThreadCaches(heap);
    const plain = new MemsSession(NAMES, {
      notOpened: 'this thread has no heap',
      finished: 'this heap is finished (finish was called)',
      alreadyOpen: 'this heap is already open',
      finishAgain: 'ignore',
    });
    plain.adopt(heap);
    this.plain = plain.mems;
    this.words = controlWords(handle.control);
    this.timeout = lockTimeoutOf(handle.control);
    this.mems = this.operations();
  }

  private get finished(): boolean {
    return this.finishedHere || Atomics.load(this.words, W_STATE) !== LIVE;
  }

  /**
   * Takes the lock and starts a call; returns the heap. Throws ESTATE (lock untouched) when it
   * cannot. The call's arguments come one by one (`count` of them), so that a successful call
   * builds no array and no text.
   */
  private enter(
    call: string,
    count: number,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    busyTimeout = this.timeout,
  ): Heap {
    const heap = this.heap;
    const mutex = this.mutex;
    // The uncontended case first: one compare-and-swap, nothing that can throw.
    let locked = heap !== null && mutex.lockIfFree();
    if (!locked) {
      try {
        locked = heap !== null && mutex.lock(this.timeout);
      } catch {
        // Re-entry (this object already holds the lock): refused below in this surface's words.
      }
    }
    if (!locked) this.refuse(call, [a, b, c].slice(0, count));
    // A plain read under the lock: finish writes the state word under the lock too.
    if (this.words[W_STATE] !== LIVE) {
      mutex.unlock();
      this.refuse(call, [a, b, c].slice(0, count));
    }
    const caches = this.caches;
    if (caches !== null) {
      const busy = caches.exclude(busyTimeout);
      if (busy >= 0) {
        mutex.unlock();
        throw busyCache(
          `${call}(${[a, b, c].slice(0, count).map(describeArgument).join(', ')})`,
          busyTimeout,
          busy,
        );
      }
    }
    try {
      beginSharedCall(heap!);
    } catch (error) {
      caches?.admit();
      mutex.unlock();
      throw error;
    }
    return heap!;
  }

  /** The ESTATE of a call that cannot start: detached, re-entered, lock timed out, or finished. */
  private refuse(call: string, args: readonly unknown[]): never {
    const what = `${call}(${args.map(describeArgument).join(', ')})`;
    if (this.heap === null)
      throw new MemsError('ESTATE', `${what}: this thread detached from the heap (detach was called)`);
    if (this.mutex.held)
      throw new MemsError(
        'ESTATE',
        `${what}: called from inside a call on the same heap (its page provider must not call back into it)`,
      );
    if (Atomics.load(this.words, W_STATE) !== LIVE)
      throw new MemsError('ESTATE', `${what}: this heap is finished (finish was called)`);
    throw lockTimeout(what, this.timeout, this.mutex.holder);
  }

  private leave(heap: Heap): void {
    try {
      endSharedCall(heap);
    } finally {
      this.caches?.admit(); // (not after finish: the caches stay closed)
      this.mutex.unlockHeld(); // taken by this very call, in enter
    }
  }

  /** Inside a locked call: frees every thread's cached blocks, so that the call sees them as holes. */
  private flushCaches(heap: Heap): void {
    if (this.caches !== null) flushThreadCaches(heap, this.caches);
  }

  /** An operation of the table run under the lock: the plain operation between enter and leave. */
  private locked(operation: OperationName): (...args: unknown[]) => unknown {
    const call = NAMES[operation];
    const plain = this.plain[operation] as (...args: unknown[]) => unknown;
    const flushes = FLUSHING.has(operation);
    return (...args) => {
      const heap = this.enter(call, args.length, args[0], args[1], args[2]);
      try {
        if (flushes) this.flushCaches(heap);
        return plain(...args);
      } finally {
        this.leave(heap);
      }
    };
  }

  /** `finish`: ends the heap for every thread; nothing once it is finished (by any thread). */
  private finish(): void {
    let heap: Heap;
    try {
      heap = this.enter(NAMES.finish, 0);
    } catch (error) {
      if (this.heap !== null && this.finished && !this.mutex.held) return; // finished already
      throw error;
    }
    let failure: unknown;
    try {
      this.caches?.close();
      try {
        heap.destroy();
      } catch (error) {
        failure = error; // the heap is destroyed all the same (see Heap.destroy)
      }
      if (this.caches !== null) forgetThreadCaches(this.caches);
      this.cache = null;
      Atomics.store(this.words, W_STATE, FINISHED);
      this.finishedHere = true;
      if (this.words[W_OWNS_PROVIDER] === 1 && failure === undefined) destroyProvider(this.provider);
      SharedArena.open(this.handle.arena).retire(); // no thread touches the tables after FINISHED
    } finally {
      this.leave(heap);
    }
    if (failure !== undefined) throw failure;
  }

  private detach(): void {
    if (this.heap === null)
      throw new MemsError('ESTATE', 'detach(): this thread already detached from the heap');
    const cache = this.cache;
    if (cache !== null && !this.finished) {
      // This thread's cached blocks go back to the heap, and its slot to the next thread.
      const heap = this.enter('detach', 0);
      try {
        cache.flushLocked();
        cache.table.release(cache.slot);
      } finally {
        this.leave(heap);
      }
    }
    this.cache = null;
    this.heap = null;
    Atomics.sub(this.words, W_ATTACHED, 1);
  }

  private recover(): boolean {
    const call = 'recover';
    if (this.heap === null)
      throw new MemsError('ESTATE', `${call}(): this thread detached from the heap (detach was called)`);
    const holder = this.mutex.holder;
    if (holder === this.mutex.id)
      throw new MemsError('ESTATE', `${call}(): called from inside a call on the same heap`);
    const freed = holder !== 0 && this.mutex.forceUnlock(holder);
    const caches = this.caches;
    if (caches === null) {
      const heap = this.enter(call, 0);
      try {
        heap.validate();
      } finally {
        this.leave(heap);
      }
      return freed;
    }
    // A thread that died inside a cache operation left its busy flag set: the locked call
    // waits for it a while, then clears it and mends what the operation left half done.
    let heap: Heap;
    let cleared = 0;
    for (;;) {
      try {
        heap = this.enter(call, 0, undefined, undefined, undefined, RECOVER_WAIT_MS);
        break;
      } catch (error) {
        if (!isBusyCache(error)) throw error;
        cleared += caches.forceIdle().length;
      }
    }
    try {
      repairThreadCaches(heap, caches);
      heap.validate();
    } finally {
      this.leave(heap);
    }
    return freed || cleared > 0;
  }

  private operations(): SharedMems {
    const session = this;
    const n = NAMES;
    const plainFree = this.plain.free;
    // The hot pair, written out: no argument array, no closure per call.
    const own: Pick<SharedMems, OwnOperation> = {
      malloc: (size) => {
        const cache = this.cache;
        if (
          cache !== null &&
          typeof size === 'number' &&
          size > 0 &&
          size <= cache.limit &&
          Number.isInteger(size)
        ) {
          const cached = cache.tryAllocate(size);
          if (cached >= 0) return cached;
          const heap = this.enter(n.malloc, 1, size);
          try {
            return cache.allocateLocked(size);
          } finally {
            this.leave(heap);
          }
        }
        const heap = this.enter(n.malloc, 1, size);
        try {
          return heap.allocate(size);
        } finally {
          this.leave(heap);
        }
      },
      free: (ptr) => {
        const cache = this.cache;
        if (cache !== null && typeof ptr === 'number' && ptr >= 0 && Number.isInteger(ptr)) {
          if (cache.tryFree(ptr)) return;
          const heap = this.enter(n.free, 1, ptr);
          try {
            cache.freeLocked(ptr);
          } finally {
            this.leave(heap);
          }
          return;
        }
        const heap = this.enter(n.free, 1, ptr);
        try {
          if (typeof ptr === 'number') heap.free(ptr);
          else plainFree(ptr); // a typed array from mallocAs
        } finally {
          this.leave(heap);
        }
      },
      printStats: (write) => {
        const heap = this.enter(n.printStats, write === undefined ? 0 : 1, write);
        let snapshot: HeapSnapshot;
        try {
          this.flushCaches(heap);
          snapshot = heap.snapshot();
        } finally {
          this.leave(heap);
        }
        if (write !== undefined && typeof write !== 'function')
          throw new MemsError('EINVAL', `${n.printStats}(${describeValue(write)}): write must be a function`);
        // Formatted and written outside the lock: `write` may take its time (or use the heap).
        const text = formatSeedStats(snapshot);
        if (write === undefined) writeToStdout(text);
        else write(text);
      },
      finish: () => this.finish(),
    };
    const mems: Record<string | symbol, unknown> = {
      handle: this.handle,
      get isFinished() {
        return session.finished;
      },
      get isDetached() {
        return session.heap === null;
      },
      detach: () => this.detach(),
      recover: () => this.recover(),
      [DISPOSE]: () => {
        if (this.heap === null) return;
        if (this.creator) this.finish();
        else this.detach();
      },
    };
    for (const operation of OPERATION_NAMES)
      mems[operation] =
        OPERATIONS[operation].shared === 'locked' ? this.locked(operation) : own[operation as OwnOperation];
    return mems as unknown as SharedMems;
  }
}
