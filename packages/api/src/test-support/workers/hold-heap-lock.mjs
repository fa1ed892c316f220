// A worker that attaches to a shared heap, takes the heap's lock through the handle's control
// block (as a call in progress holds it), says so, and never lets go: the test terminates it,
// as a thread that dies inside a call.
// workerData: { entry, osEntry, handle }
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { attachMems } = await import(workerData.entry);
  const { SharedMutex } = await import(workerData.osEntry);
  const mems = attachMems(workerData.handle);
  mems.malloc(100); // a block of its own, left behind
  const lock = new SharedMutex(workerData.handle.control, 8);
  lock.lock();
  parentPort.postMessage('locked');
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
