// A worker that takes a SharedMutex once (with an optional timeout), reports when it got it or
// gave up, and releases it. workerData: { entry, buffer, timeoutMs }.
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { SharedMutex } = await import(workerData.entry);
  const mutex = new SharedMutex(workerData.buffer, 0);
  parentPort.postMessage({ waiting: mutex.id });
  const started = Date.now();
  const got = mutex.lock(workerData.timeoutMs ?? Number.POSITIVE_INFINITY);
  const waitedMs = Date.now() - started;
  if (got) mutex.unlock();
  parentPort.postMessage({ done: { got, waitedMs, canWait: mutex.canWait } });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.stack : String(error) });
}
