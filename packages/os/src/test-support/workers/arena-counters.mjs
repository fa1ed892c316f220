// A worker that adds to counters kept in an arena slot that the workers keep moving: under a
// SharedMutex, it re-makes its view when the generation changed, adds 1 to every counter, and
// every `growEvery` rounds gives the slot a bigger region (which moves it and bumps the
// generation). A stale view would add to a freed region and lose the update.
// workerData: { entry, mutexBuffer, arenaHandle, barrier, workers, rounds, growEvery, maxCounters }
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { SharedArena, SharedMutex } = await import(workerData.entry);
  const mutex = new SharedMutex(workerData.mutexBuffer);
  const arena = SharedArena.open(workerData.arenaHandle);
  // A start barrier, so that the workers really run at once.
  const ready = new Int32Array(workerData.barrier);
  Atomics.add(ready, 0, 1);
  while (Atomics.load(ready, 0) < workerData.workers) Atomics.wait(ready, 0, Atomics.load(ready, 0), 1);
  let seen = -1;
  let counters;
  let rebinds = 0;
  let grows = 0;
  for (let round = 0; round < workerData.rounds; round++) {
    mutex.lock();
    try {
      if (arena.generation !== seen) {
        counters = arena.int32(0);
        seen = arena.generation;
        rebinds++;
      }
      for (let i = 0; i < counters.length; i++) counters[i]++;
      if (round % workerData.growEvery === 0 && counters.length < workerData.maxCounters) {
        arena.resize(1, (round % 7) * 8 + 8); // another slot moves too, to fragment the arena
        arena.resize(0, counters.length * 4 + 4 * 4);
        grows++;
        counters = arena.int32(0);
        seen = arena.generation;
      }
    } finally {
      mutex.unlock();
    }
  }
  parentPort.postMessage({ done: { rebinds, grows } });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.stack : String(error) });
}
