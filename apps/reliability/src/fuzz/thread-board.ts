/**
 * The control words the threads of a `pnpm fuzz --shared N` run coordinate through (one small
 * SharedArrayBuffer): a barrier that ends each round's concurrent phase, a turn counter that
 * then lets one thread at a time act on a quiet heap (each worker, then the main thread's
 * checkpoint), a flag that keeps the main thread's calls of the concurrent phase out of the
 * quiet turns, the main thread's stop flag, a failure flag that releases every waiting thread,
 * and each worker's phase (so that a hang names the worker that did not arrive).
 */

/** A worker's phase, as {@link ThreadBoard.setPhase} records it. */
export const WorkerPhase = {
  starting: 0,
  /** Random operations, concurrently with the others. */
  operating: 1,
  /** Waiting at the round's barrier. */
  atBarrier: 2,
  /** Waiting for its turn, or for the main thread's checkpoint to release the round. */
  waitingForTurn: 3,
  /** Acting alone on the heap (its turn). */
  inTurn: 4,
  /** Freeing everything at the end. */
  finishing: 5,
  done: 6,
  failed: 7,
} as const;

const PHASE_NAMES = Object.keys(WorkerPhase) as (keyof typeof WorkerPhase)[];

const W_ARRIVED = 0;
const W_GENERATION = 1;
const W_TURN = 2;
const W_STOP = 3;
const W_FAILED = 4;
const W_MAIN_BUSY = 5;
const W_PHASES = 8;

/** How long one wait sleeps before it looks at the failure flag again. */
const WAIT_SLICE_MS = 50;

/** Another thread failed: this one stops where it is (its own state is not the failure). */
export class RunAborted extends Error {
  override readonly name = 'RunAborted';
}

/** One thread's view of the control words of a run with `workers` worker threads. */
export class ThreadBoard {
  private readonly words: Int32Array;

  /**
   * @param buffer from {@link ThreadBoard.allocate} (the same one in every thread).
   * @param workers how many worker threads the run has.
   */
  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly workers: number,
  ) {
    this.words = new Int32Array(buffer);
  }

  /** A zeroed buffer for a run of `workers` worker threads. */
  static allocate(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer((W_PHASES + workers) * 4);
  }

  /**
   * Waits until every worker arrived (the barrier that ends a round's concurrent phase).
   * @throws RunAborted when another thread failed meanwhile.
   */
  arriveAndWait(): void {
    const w = this.words;
    const generation = Atomics.load(w, W_GENERATION);
    if (Atomics.add(w, W_ARRIVED, 1) + 1 === this.workers) {
      Atomics.store(w, W_ARRIVED, 0);
      Atomics.add(w, W_GENERATION, 1);
      Atomics.notify(w, W_GENERATION);
      return;
    }
    while (Atomics.load(w, W_GENERATION) === generation) {
      this.throwIfFailed();
      Atomics.wait(w, W_GENERATION, generation, WAIT_SLICE_MS);
    }
  }

  /**
   * The main thread's call on the heap during round `round`'s concurrent phase starts: returns
   * false (and the call must not happen) when that round's barrier has passed, so that it cannot
   * fall into a worker's quiet turn. End it with {@link endMainCall}. Both flags are sequentially
   * consistent atomics: either this sees the barrier passed, or the worker sees the call.
   */
  beginMainCall(round: number): boolean {
    Atomics.store(this.words, W_MAIN_BUSY, 1);
    // The start barrier is generation 1; round r's barrier makes it r + 2.
    if (Atomics.load(this.words, W_GENERATION) < round + 2) return true;
    this.endMainCall();
    return false;
  }

  /** Ends the call {@link beginMainCall} allowed. */
  endMainCall(): void {
    Atomics.store(this.words, W_MAIN_BUSY, 0);
    Atomics.notify(this.words, W_MAIN_BUSY);
  }

  /**
   * Waits (worker threads, after the barrier) until the main thread's concurrent-phase call,
   * if one is running, has returned.
   * @throws RunAborted when another thread failed meanwhile.
   */
  waitForMainCall(): void {
    while (Atomics.load(this.words, W_MAIN_BUSY) !== 0) {
      this.throwIfFailed();
      Atomics.wait(this.words, W_MAIN_BUSY, 1, WAIT_SLICE_MS);
    }
  }

  /** The turn counter: the turn of position p in round r is `r × (workers + 1) + p`. */
  get turn(): number {
    return Atomics.load(this.words, W_TURN);
  }

  /** The turn of position `position` (a worker's index, or `workers` for the main thread) in `round`. */
  turnOf(round: number, position: number): number {
    return round * (this.workers + 1) + position;
  }

  /**
   * Waits (blocking: worker threads only) until the turn counter reaches `turn`.
   * @throws RunAborted when another thread failed meanwhile.
   */
  waitForTurn(turn: number): void {
    const w = this.words;
    for (let now = Atomics.load(w, W_TURN); now < turn; now = Atomics.load(w, W_TURN)) {
      this.throwIfFailed();
      Atomics.wait(w, W_TURN, now, WAIT_SLICE_MS);
    }
  }

  /** Ends the current turn: the next position may act. */
  passTurn(): void {
    Atomics.add(this.words, W_TURN, 1);
    Atomics.notify(this.words, W_TURN);
  }

  /** Whether the main thread asked the workers to stop after this round. */
  get stopRequested(): boolean {
    return Atomics.load(this.words, W_STOP) !== 0;
  }

  /** Asks the workers to stop after this round (main thread, during its checkpoint). */
  requestStop(): void {
    Atomics.store(this.words, W_STOP, 1);
  }

  /** Whether some thread failed. */
  get failed(): boolean {
    return Atomics.load(this.words, W_FAILED) !== 0;
  }

  /** Marks the run failed and wakes every waiting thread (which then throws {@link RunAborted}). */
  fail(): void {
    Atomics.store(this.words, W_FAILED, 1);
    Atomics.notify(this.words, W_GENERATION);
    Atomics.notify(this.words, W_TURN);
  }

  /** @throws RunAborted when some thread failed. */
  throwIfFailed(): void {
    if (this.failed) throw new RunAborted('another thread of the run failed');
  }

  /** Records worker `index`'s phase. */
  setPhase(index: number, phase: (typeof WorkerPhase)[keyof typeof WorkerPhase]): void {
    Atomics.store(this.words, W_PHASES + index, phase);
  }

  /** Worker `index`'s phase, by name. */
  phaseOf(index: number): string {
    return PHASE_NAMES[Atomics.load(this.words, W_PHASES + index)] ?? 'unknown';
  }
}
