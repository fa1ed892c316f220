// A worker that takes a SharedMutex and never lets go: it reports its handle id, then spins
// until the parent terminates it. workerData: { entry, buffer }.
import { parentPort, workerData } from 'node:worker_threads';

const { SharedMutex } = await import(workerData.entry);
const mutex = new SharedMutex(workerData.buffer, 0);
mutex.lock();
parentPort.postMessage({ locked: mutex.id });
for (;;) {
  // Inside the locked section, for ever.
}
