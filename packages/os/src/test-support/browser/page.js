// Runs on a cross-origin-isolated page's main thread, where Atomics.wait is not allowed: the
// SharedMutex must spin. It shares a shared-memory provider and a lock with a Web Worker.
import { bytesOfMapping, createSharedMemoryProvider, SharedMutex } from './index.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run() {
  const result = { crossOriginIsolated: globalThis.crossOriginIsolated };
  const provider = createSharedMemoryProvider({ maxBytes: 64 * 4096 });
  const mapping = provider.map(2 * 4096);
  bytesOfMapping(mapping).fill(0x5a);
  const mutex = SharedMutex.create();
  result.mainCanWait = mutex.canWait;
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker('./worker.js', { type: 'module' });
  const messages = [];
  const next = () =>
    new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
    });
  // 1. The main thread holds the lock; the worker sleeps in Atomics.wait until it is released.
  mutex.lock();
  let reply = next();
  worker.postMessage({
    step: 'adopt',
    handle: provider.handle,
    address: mapping.address,
    lock: mutex.buffer,
    counter: counter.buffer,
  });
  messages.push(await reply); // the worker has opened everything and is about to lock
  await sleep(50);
  reply = next();
  mutex.unlock();
  messages.push(await reply);
  // 2. The worker holds the lock for 50 ms; the main thread spins in lock() until it is free.
  reply = next();
  worker.postMessage({ step: 'hold', ms: 50 });
  messages.push(await reply); // holding
  const started = performance.now();
  mutex.lock();
  result.mainSpunMs = performance.now() - started;
  mutex.unlock();
  messages.push(await next());
  // 3. Both increment a plain counter under the lock at once.
  reply = next();
  worker.postMessage({ step: 'count', rounds: 20000 });
  for (let i = 0; i < 20000; i++) {
    mutex.lock();
    counter[0] = counter[0] + 1;
    mutex.unlock();
  }
  messages.push(await reply);
  result.counter = counter[0];
  result.messages = messages;
  result.bytesAfterWorker = bytesOfMapping(mapping)[4096];
  result.mappedBytes = provider.mappedBytes;
  worker.terminate();
  return result;
}

run().then(
  (result) => {
    globalThis.__result = result;
  },
  (error) => {
    globalThis.__result = { error: String(error?.stack ?? error) };
  },
);
