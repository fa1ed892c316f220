// A worker that increments a plain (non-atomic) counter under a SharedMutex, and checks that no
// other handle is inside the critical section at the same time. workerData: { entry, buffer,
// iterations, workers, spin }.
import { parentPort, workerData } from 'node:worker_threads';

try {
  const os = await import(workerData.entry);
  const { SharedMutex } = os;
  const mutex = new SharedMutex(workerData.buffer, 0, { spin: workerData.spin === true });
  // Words after the lock: [counter, inside (id of the handle in the section, 0 when empty), -, ready]
  const words = new Int32Array(workerData.buffer, 16, 4);
  // A start barrier (word 3 counts the workers ready), so that every worker runs at once.
  Atomics.add(words, 3, 1);
  while (Atomics.load(words, 3) < workerData.workers) Atomics.wait(words, 3, Atomics.load(words, 3), 1);
  let overlaps = 0;
  for (let i = 0; i < workerData.iterations; i++) {
    mutex.lock();
    if (words[1] !== 0) overlaps++;
    words[1] = mutex.id;
    const value = words[0];
    // Some work between the read and the write, so that a lost update would show.
    let spin = 0;
    for (let j = 0; j < 16 + (i & 15); j++) spin += j;
    words[0] = value + 1 + (spin & 0);
    if (words[1] !== mutex.id) overlaps++;
    words[1] = 0;
    mutex.unlock();
  }
  parentPort.postMessage({ done: { id: mutex.id, overlaps, canWait: mutex.canWait } });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.stack : String(error) });
}
