import { describeValue, MemsError } from './errors.js';

/** How many bytes of shared memory a {@link SharedMutex} occupies: four 32-bit words. */
export const SHARED_MUTEX_BYTES = 16;

/** Word 0: the lock state. */
const STATE = 0;
/** Word 1: the id of the instance holding the lock, 0 when free. */
const HOLDER = 1;
/** Word 2: the last instance id handed out (ids start at 1). */
const LAST_ID = 2;

/** State: nobody holds the lock. */
const UNLOCKED = 0;
/** State: held, nobody waits. */
const LOCKED = 1;
/** State: held, and some thread may be asleep in `Atomics.wait` (unlock must notify). */
const CONTENDED = 2;

/**
 * How many times `lock` looks at the lock (and retries the compare-and-swap when it is free)
 * before it goes to sleep: about 2–4 µs, longer than a heap call holds the lock, so that a
 * waiter usually gets the lock without the two system calls (wait, notify) and the wake-up
 * latency of sleeping. At 64 tries, two workers churning one shared heap ran at 838 ns per pair
 * together; at 2000, 696 (bench shared-churn, 10k blocks each, the same loaded machine).
 */
const SPIN_TRIES = 2000;

/**
 * Whether this thread may block in `Atomics.wait`. A browser's main thread may not (it throws
 * `TypeError` even when the value differs, before comparing), Node's main thread and every
 * worker may. Asked once per thread.
 */
let threadCanWait: boolean | undefined;

function canThisThreadWait(): boolean {
  if (threadCanWait === undefined) {
    try {
      // The word holds 0, so a thread that may wait gets 'not-equal' at once and never blocks.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      threadCanWait = true;
    } catch {
      threadCanWait = false;
    }
  }
  return threadCanWait;
}

/**
 * The release both unlocks end with (the holder word already cleared): LOCKED → UNLOCKED, or,
 * when the lock was CONTENDED, UNLOCKED and one sleeper woken.
 */
function releaseState(words: Int32Array): void {
  if (Atomics.sub(words, STATE, 1) !== LOCKED) {
    Atomics.store(words, STATE, UNLOCKED);
    Atomics.notify(words, STATE, 1);
  }
}

/**
 * A mutual-exclusion lock in shared memory that every thread holding the same
 * `SharedArrayBuffer` can take: the futex mutex of Drepper's "Futexes Are Tricky" (state 0 free,
 * 1 held, 2 held with waiters). `lock` takes a free lock with one compare-and-swap; under
 * contention it retries a few times, then sleeps in `Atomics.wait` until `unlock` wakes one
 * waiter with `Atomics.notify`. Where a thread may not wait (a browser's main thread; detected
 * once with a try), it spins instead. Atomics operations are sequentially consistent, so every
 * write made while holding the lock is visible to the next holder.
 *
 * Each `SharedMutex` object is one thread's handle on the lock: make one per thread over the
 * same memory (`new SharedMutex(buffer, byteOffset)`), never share the object itself. Each gets
 * its own {@link SharedMutex.id}, and the lock records which id holds it
 * ({@link SharedMutex.holder}), so a re-entrant `lock` is refused instead of deadlocking, an
 * `unlock` by a thread that does not hold the lock is refused, and a supervisor can tell which
 * thread held the lock when it died. The lock is not robust: a thread that dies holding it
 * leaves it held (see {@link SharedMutex.forceUnlock}).
 */
export class SharedMutex {
  /** This handle's id, unique among the handles over the same lock word (1, 2, …). */
  readonly id: number;
  /** True when this thread sleeps under contention; false when it spins (browser main thread). */
  readonly canWait: boolean;
  readonly #words: Int32Array;

  /**
   * Opens a handle on the lock stored in `buffer` at `byteOffset` ({@link SHARED_MUTEX_BYTES}
   * bytes, zero-filled before first use: fresh shared memory is a free lock).
   * @param buffer a `SharedArrayBuffer` (growable or not) holding the lock.
   * @param byteOffset where the lock's 16 bytes start: a multiple of 4. Default 0.
   * @param options `spin: true` makes this handle spin under contention even where the thread
   *   could sleep (as it must on a browser's main thread); default: sleep where allowed.
   * @throws MemsError `EINVAL` when `buffer` is not a SharedArrayBuffer, the 16 bytes at
   *   `byteOffset` do not lie inside it, or `options` is not an object with a boolean `spin`.
   */
  constructor(buffer: SharedArrayBuffer, byteOffset = 0, options: { spin?: boolean } = {}) {
    if (!isSharedArrayBuffer(buffer)) {
      throw new MemsError(
        'EINVAL',
        `SharedMutex(${describeValue(buffer)}): buffer must be a SharedArrayBuffer`,
      );
    }
    if (
      typeof byteOffset !== 'number' ||
      !Number.isSafeInteger(byteOffset) ||
      byteOffset < 0 ||
      byteOffset % 4 !== 0 ||
      byteOffset + SHARED_MUTEX_BYTES > buffer.byteLength
    ) {
      throw new MemsError(
        'EINVAL',
        `SharedMutex(SharedArrayBuffer(${buffer.byteLength}), ${describeValue(byteOffset)}): byteOffset must be a multiple of 4 with ${SHARED_MUTEX_BYTES} bytes after it inside the buffer`,
      );
    }
    const spin = typeof options === 'object' && options !== null ? options.spin : options;
    if (spin !== undefined && typeof spin !== 'boolean') {
      throw new MemsError(
        'EINVAL',
        `SharedMutex(SharedArrayBuffer(${buffer.byteLength}), ${byteOffset}, ${describeValue(options)}): options.spin must be a boolean`,
      );
    }
    // A fixed-length view: one over a growable buffer without a length is far slower to use.
    this.#words = new Int32Array(buffer, byteOffset, SHARED_MUTEX_BYTES / 4);
    this.id = Atomics.add(this.#words, LAST_ID, 1) + 1;
    this.canWait = spin !== true && canThisThreadWait();
  }

  /**
   * Makes a new, free lock in its own 16-byte `SharedArrayBuffer`.
   * @returns this thread's handle; post `mutex.buffer` to other threads and open it there with
   *   `new SharedMutex(buffer)`.
   */
  static create(): SharedMutex {
    return new SharedMutex(new SharedArrayBuffer(SHARED_MUTEX_BYTES));
  }

  /** The shared memory holding the lock (to post to other threads). */
  get buffer(): SharedArrayBuffer {
    return this.#words.buffer as SharedArrayBuffer;
  }

  /** Where the lock's 16 bytes start in {@link SharedMutex.buffer}. */
  get byteOffset(): number {
    return this.#words.byteOffset;
  }

  /** The id of the handle that holds the lock now, or 0 when it is free (a racy snapshot). */
  get holder(): number {
    return Atomics.load(this.#words, HOLDER);
  }

  /** Whether this handle holds the lock. */
  get held(): boolean {
    return Atomics.load(this.#words, HOLDER) === this.id;
  }

  /**
   * Takes the lock, waiting as long as it takes (or until `timeoutMs` has passed).
   * @param timeoutMs the most milliseconds to wait: a non-negative number or `Infinity`
   *   (default).
   * @returns true when this handle now holds the lock; false when the time ran out.
   * @throws MemsError `ESTATE` when this handle already holds the lock (waiting would deadlock);
   *   `EINVAL` for a bad `timeoutMs`. Neither changes the lock.
   */
  lock(timeoutMs = Number.POSITIVE_INFINITY): boolean {
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      throw new MemsError(
        'EINVAL',
        `SharedMutex.lock(${describeValue(timeoutMs)}): timeoutMs must be a non-negative number or Infinity`,
      );
    }
    const words = this.#words;
    let state = Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED);
    if (state === UNLOCKED) {
      Atomics.store(words, HOLDER, this.id);
      return true;
    }
    if (Atomics.load(words, HOLDER) === this.id) {
      throw new MemsError('ESTATE', `SharedMutex.lock(): handle ${this.id} already holds the lock`);
    }
    for (let i = 0; i < SPIN_TRIES; i++) {
      if (Atomics.load(words, STATE) === UNLOCKED) {
        state = Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED);
        if (state === UNLOCKED) {
          Atomics.store(words, HOLDER, this.id);
          return true;
        }
      }
    }
    const deadline = timeoutMs === Number.POSITIVE_INFINITY ? timeoutMs : Date.now() + timeoutMs;
    // From here on the state is set to CONTENDED whenever this thread takes the lock, because it
    // cannot know whether others sleep: the unlock then notifies once more than needed at worst.
    state = Atomics.exchange(words, STATE, CONTENDED);
    while (state !== UNLOCKED) {
      if (this.canWait) {
        const left = deadline === Number.POSITIVE_INFINITY ? deadline : deadline - Date.now();
        if (left <= 0) return false;
        Atomics.wait(words, STATE, CONTENDED, left);
      } else if (deadline !== Number.POSITIVE_INFINITY && Date.now() >= deadline) {
        return false;
      }
      state = Atomics.exchange(words, STATE, CONTENDED);
    }
    Atomics.store(words, HOLDER, this.id);
    return true;
  }

  /**
   * Takes the lock only if it is free, and never throws: false when anyone holds it, this
   * handle included (where {@link SharedMutex.tryLock} throws). The fast path of a caller with
   * its own slow path for the rest (waiting with `lock`, telling re-entry apart with `held`).
   * @returns true when this handle now holds the lock.
   */
  lockIfFree(): boolean {
    const words = this.#words;
    if (Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED) !== UNLOCKED) return false;
    // A plain store: only the holder writes it, and the release in unlock publishes it with the
    // lock; `holder` is a racy snapshot for everyone else anyway.
    words[HOLDER] = this.id;
    return true;
  }

  /**
   * Takes the lock only if it is free.
   * @returns true when this handle now holds the lock, false when someone else holds it.
   * @throws MemsError `ESTATE` when this handle already holds it.
   */
  tryLock(): boolean {
    const words = this.#words;
    if (Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED) === UNLOCKED) {
      Atomics.store(words, HOLDER, this.id);
      return true;
    }
    if (Atomics.load(words, HOLDER) === this.id) {
      throw new MemsError('ESTATE', `SharedMutex.tryLock(): handle ${this.id} already holds the lock`);
    }
    return false;
  }

  /**
   * Releases the lock and wakes one waiting thread, if any.
   * @throws MemsError `ESTATE` when this handle does not hold the lock (nothing changes).
   */
  unlock(): void {
    const words = this.#words;
    if (Atomics.compareExchange(words, HOLDER, this.id, 0) !== this.id) {
      throw new MemsError('ESTATE', `SharedMutex.unlock(): handle ${this.id} does not hold the lock`);
    }
    releaseState(words);
  }

  /**
   * Releases the lock this handle took, without checking that it holds it: the fast path of a
   * caller that knows (it took the lock itself in this very call). The holder word is cleared
   * with a plain store, which the atomic release of the state word publishes; one atomic
   * operation in all when no thread waits. {@link SharedMutex.unlock} is the checked way.
   */
  unlockHeld(): void {
    const words = this.#words;
    words[HOLDER] = 0;
    releaseState(words);
  }

  /**
   * Frees the lock whoever holds it: the way out when a thread died holding it (a worker
   * terminated inside a locked section). Only for a supervisor that knows the holder is gone:
   * whatever the holder was changing may be half done.
   * @param expectedHolder the id the caller saw in {@link SharedMutex.holder}; the lock is freed
   *   only if that id still holds it.
   * @returns true when the lock was freed, false when `expectedHolder` no longer held it.
   * @throws MemsError `EINVAL` when `expectedHolder` is not a positive integer.
   */
  forceUnlock(expectedHolder: number): boolean {
    if (typeof expectedHolder !== 'number' || !Number.isSafeInteger(expectedHolder) || expectedHolder < 1) {
      throw new MemsError(
        'EINVAL',
        `SharedMutex.forceUnlock(${describeValue(expectedHolder)}): expectedHolder must be a positive integer id`,
      );
    }
    const words = this.#words;
    if (Atomics.compareExchange(words, HOLDER, expectedHolder, 0) !== expectedHolder) return false;
    Atomics.store(words, STATE, UNLOCKED);
    Atomics.notify(words, STATE, 1);
    return true;
  }
}

/**
 * Whether a value is a `SharedArrayBuffer` (also one from another realm). Never throws.
 * @param value anything.
 * @returns true for a SharedArrayBuffer.
 */
export function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return (
    typeof SharedArrayBuffer === 'function' &&
    Object.prototype.toString.call(value) === '[object SharedArrayBuffer]'
  );
}
