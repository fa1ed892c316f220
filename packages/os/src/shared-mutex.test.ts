import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MUTEX_BYTES, SharedMutex } from './shared-mutex.js';
import { builtEntry, runWorkers, startWorker } from './test-support/workers.js';
import { expectMemsError } from './testing.js';

const packageDir = new URL('..', import.meta.url).pathname;
const counterScript = new URL('./test-support/workers/mutex-counter.mjs', import.meta.url);
const dieScript = new URL('./test-support/workers/mutex-hold-and-die.mjs', import.meta.url);
const lockOnceScript = new URL('./test-support/workers/mutex-lock-once.mjs', import.meta.url);

describe('SharedMutex in one thread', () => {
  it('is free in fresh shared memory, and lock/unlock record the holder', () => {
    const mutex = SharedMutex.create();
    expect(mutex.holder).toBe(0);
    expect(mutex.held).toBe(false);
    expect(mutex.lock()).toBe(true);
    expect(mutex.holder).toBe(mutex.id);
    expect(mutex.held).toBe(true);
    mutex.unlock();
    expect(mutex.holder).toBe(0);
    expect(mutex.canWait).toBe(true); // Node's threads may block in Atomics.wait
  });

  it('gives every handle over the same memory its own id', () => {
    const buffer = new SharedArrayBuffer(64);
    const a = new SharedMutex(buffer, 16);
    const b = new SharedMutex(buffer, 16);
    const c = new SharedMutex(buffer, 32);
    expect(a.id).toBe(1);
    expect(b.id).toBe(2);
    expect(c.id).toBe(1); // another lock
    expect(b.byteOffset).toBe(16);
    expect(b.buffer).toBe(buffer);
  });

  it('excludes a second handle: tryLock fails and lock times out until the holder unlocks', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const a = new SharedMutex(buffer);
    const b = new SharedMutex(buffer);
    expect(a.tryLock()).toBe(true);
    expect(b.tryLock()).toBe(false);
    expect(b.lock(5)).toBe(false);
    expect(b.lock(0)).toBe(false);
    expect(a.holder).toBe(a.id);
    a.unlock();
    expect(b.lock(0)).toBe(true);
    expect(a.tryLock()).toBe(false);
    b.unlock();
  });

  it('lockIfFree takes only a free lock and never throws, even when its own handle holds it', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const a = new SharedMutex(buffer);
    const b = new SharedMutex(buffer);
    expect(a.lockIfFree()).toBe(true);
    expect(a.holder).toBe(a.id);
    expect(a.lockIfFree()).toBe(false); // re-entry: false, where tryLock throws
    expect(() => a.tryLock()).toThrow(/already holds/);
    expect(b.lockIfFree()).toBe(false);
    a.unlock();
    expect(b.lockIfFree()).toBe(true);
    b.unlock();
  });

  it('unlockHeld releases the lock its handle took, and a waiter can take it', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const a = new SharedMutex(buffer);
    const b = new SharedMutex(buffer);
    expect(a.lock(0)).toBe(true);
    expect(b.tryLock()).toBe(false);
    a.unlockHeld();
    expect(a.holder).toBe(0);
    expect(a.held).toBe(false);
    expect(b.tryLock()).toBe(true);
    expect(b.holder).toBe(b.id);
    b.unlockHeld();
    expect(a.lock(0)).toBe(true);
    a.unlock();
  });

  it('a spinning handle also times out while another holds the lock', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const a = new SharedMutex(buffer);
    const spinner = new SharedMutex(buffer, 0, { spin: true });
    expect(spinner.canWait).toBe(false);
    a.lock();
    expect(spinner.lock(3)).toBe(false);
    a.unlock();
    expect(spinner.lock()).toBe(true);
    spinner.unlock();
  });

  it('refuses a re-entrant lock and an unlock by a non-holder with ESTATE, changing nothing', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const a = new SharedMutex(buffer);
    const b = new SharedMutex(buffer);
    expectMemsError(() => a.unlock(), 'ESTATE');
    a.lock();
    expectMemsError(() => a.lock(), 'ESTATE');
    expectMemsError(() => a.tryLock(), 'ESTATE');
    expectMemsError(() => b.unlock(), 'ESTATE');
    expect(a.holder).toBe(a.id);
    a.unlock();
    expect(b.tryLock()).toBe(true);
    b.unlock();
  });

  it('forceUnlock frees a lock whose holder is gone, only if that holder still holds it', () => {
    const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES);
    const dead = new SharedMutex(buffer);
    const supervisor = new SharedMutex(buffer);
    dead.lock();
    expect(supervisor.forceUnlock(dead.id + 5)).toBe(false);
    expect(supervisor.holder).toBe(dead.id);
    expect(supervisor.forceUnlock(dead.id)).toBe(true);
    expect(supervisor.holder).toBe(0);
    expect(supervisor.tryLock()).toBe(true);
    supervisor.unlock();
    for (const bad of [0, -1, 1.5, Number.NaN, '1', null]) {
      expectMemsError(() => supervisor.forceUnlock(bad as number), 'EINVAL');
    }
  });

  it('rejects bad arguments with EINVAL naming the value', () => {
    const buffer = new SharedArrayBuffer(32);
    for (const bad of [new ArrayBuffer(16), new Int32Array(new SharedArrayBuffer(16)), null, 16, {}]) {
      const error = expectMemsError(() => new SharedMutex(bad as SharedArrayBuffer), 'EINVAL');
      expect(error.message).toContain('SharedMutex(');
    }
    for (const bad of [-4, 2, 20, 1.5, Number.NaN, '0', 4n]) {
      const error = expectMemsError(() => new SharedMutex(buffer, bad as number), 'EINVAL');
      expect(error.message).toContain('byteOffset');
    }
    expectMemsError(() => new SharedMutex(buffer, 0, { spin: 'yes' as unknown as boolean }), 'EINVAL');
    const mutex = new SharedMutex(buffer);
    for (const bad of [-1, Number.NaN, '5', null]) {
      expectMemsError(() => mutex.lock(bad as number), 'EINVAL');
    }
    expect(mutex.holder).toBe(0);
  });
});

describe('SharedMutex across worker threads', () => {
  let entry = '';
  beforeAll(() => {
    entry = builtEntry(packageDir, 'index.js');
  });

  it.each([
    { workers: 2, iterations: 20_000, spin: false },
    { workers: 4, iterations: 10_000, spin: false },
    { workers: 8, iterations: 5_000, spin: false },
    { workers: 3, iterations: 5_000, spin: true },
  ])(
    '$workers workers × $iterations increments (spin: $spin) lose no update and never overlap',
    async ({ workers, iterations, spin }) => {
      const buffer = new SharedArrayBuffer(SHARED_MUTEX_BYTES + 16);
      const results = await runWorkers<{ id: number; overlaps: number; canWait: boolean }>(
        counterScript,
        Array.from({ length: workers }, () => ({ entry, buffer, iterations, workers, spin })),
      );
      const words = new Int32Array(buffer, SHARED_MUTEX_BYTES, 3);
      expect(words[0]).toBe(workers * iterations);
      expect(results.map((result) => result.overlaps)).toEqual(results.map(() => 0));
      expect(new Set(results.map((result) => result.id)).size).toBe(workers);
      expect(results.every((result) => result.canWait === !spin)).toBe(true);
      expect(new SharedMutex(buffer).holder).toBe(0);
    },
    60_000,
  );

  it('a worker sleeps in lock() until the main thread unlocks, then gets the lock', async () => {
    const mutex = SharedMutex.create();
    mutex.lock();
    let waiting!: () => void;
    const workerWaiting = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const { result } = startWorker<{ got: boolean; waitedMs: number }>(
      lockOnceScript,
      { entry, buffer: mutex.buffer },
      { onMessage: () => waiting() },
    );
    await workerWaiting;
    await new Promise((resolve) => setTimeout(resolve, 100));
    mutex.unlock();
    const { got, waitedMs } = await result;
    expect(got).toBe(true);
    expect(waitedMs).toBeGreaterThanOrEqual(50);
    expect(mutex.tryLock()).toBe(true);
    mutex.unlock();
  }, 30_000);

  it('a worker terminated while holding the lock leaves it held; forceUnlock recovers', async () => {
    const mutex = SharedMutex.create();
    let locked!: (id: number) => void;
    const holderId = new Promise<number>((resolve) => {
      locked = resolve;
    });
    const { worker, result } = startWorker(
      dieScript,
      { entry, buffer: mutex.buffer },
      {
        onMessage: (message) => locked((message as { locked: number }).locked),
      },
    );
    const id = await holderId;
    await worker.terminate();
    await expect(result).rejects.toThrow(/exited/);
    expect(mutex.holder).toBe(id);
    expect(mutex.lock(10)).toBe(false);
    expect(mutex.forceUnlock(id)).toBe(true);
    expect(mutex.lock(10)).toBe(true);
    mutex.unlock();
  }, 30_000);

  it('a worker gives up after its timeout while the main thread holds the lock', async () => {
    const mutex = SharedMutex.create();
    mutex.lock();
    const { result } = startWorker<{ got: boolean; waitedMs: number }>(lockOnceScript, {
      entry,
      buffer: mutex.buffer,
      timeoutMs: 30,
    });
    const { got, waitedMs } = await result;
    expect(got).toBe(false);
    expect(waitedMs).toBeGreaterThanOrEqual(25);
    expect(mutex.held).toBe(true);
    mutex.unlock();
  }, 30_000);
});
