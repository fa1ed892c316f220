// A worker that attaches to a shared heap with thread caches, frees blocks into its own cache
// (and keeps one block live), says what it holds, then sleeps in Atomics.wait for ever: the
// test reads the heap from the main thread (which must not wait for this thread), then
// terminates it, as a thread that dies holding a cache.
// workerData: { entry, handle }
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { attachMems } = await import(workerData.entry);
  const mems = attachMems(workerData.handle);
  const blocks = Array.from({ length: 40 }, (_, i) => mems.malloc(16 + (i % 8) * 16));
  for (const p of blocks.slice(1)) mems.free(p); // into this thread's cache
  parentPort.postMessage({ live: blocks[0], size: mems.usableSize(blocks[0]) });
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
