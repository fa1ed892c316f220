// A worker that churns one shared heap: random malloc / calloc / realloc / free, a pattern
// written into every block it owns and checked before the block is freed, resized or handed
// on; some blocks are posted to the next worker (ring of MessagePorts), which checks and frees
// them. At the end it drains what the previous worker sent, frees everything it owns and
// detaches.
// workerData: { entry, handle, seed, ops, index, workers, barrier, send, receive }
import { parentPort, workerData } from 'node:worker_threads';

try {
  const { attachMems } = await import(workerData.entry);
  const mems = attachMems(workerData.handle);
  const { send, receive, index } = workerData;
  const ready = new Int32Array(workerData.barrier);
  Atomics.add(ready, 0, 1);
  while (Atomics.load(ready, 0) < workerData.workers) Atomics.wait(ready, 0, Atomics.load(ready, 0), 1);

  let seed = workerData.seed >>> 0 || 1;
  const rnd = (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const counts = { malloc: 0, calloc: 0, realloc: 0, free: 0, sent: 0, received: 0, checkedBytes: 0 };
  /** Blocks this worker owns: address, size, pattern byte. */
  const live = [];
  let nextTag = index * 37;
  const fill = (ptr, size, tag) => mems.view(ptr, size).fill(tag);
  const check = (ptr, size, tag, what) => {
    const bytes = mems.view(ptr, size);
    for (let i = 0; i < size; i++)
      if (bytes[i] !== tag)
        throw new Error(`${what}: block ${ptr} byte ${i} is ${bytes[i]}, expected ${tag} (worker ${index})`);
    counts.checkedBytes += size;
  };
  const take = (block, what) => {
    check(block.ptr, block.size, block.tag, what);
    mems.free(block.ptr);
    counts.free++;
  };
  // Blocks posted by the previous worker arrive as messages between turns of the event loop.
  const inbox = [];
  let ended = false;
  let wake = () => {};
  receive.on('message', (message) => {
    if (message.end) ended = true;
    else inbox.push(message);
    wake();
  });
  const receiveAll = () => {
    for (const block of inbox.splice(0)) {
      take(block, 'received');
      counts.received++;
    }
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  for (let op = 0; op < workerData.ops; op++) {
    const r = rnd(100);
    if (r < 40 || live.length === 0) {
      const size = 1 + rnd(rnd(8) === 0 ? 6000 : 512);
      const tag = nextTag++ & 0xff;
      const ptr = mems.malloc(size);
      fill(ptr, size, tag);
      live.push({ ptr, size, tag });
      counts.malloc++;
    } else if (r < 48) {
      const size = 1 + rnd(700);
      const ptr = mems.calloc(1, size);
      check(ptr, size, 0, 'calloc');
      const tag = nextTag++ & 0xff;
      fill(ptr, size, tag);
      live.push({ ptr, size, tag });
      counts.calloc++;
    } else if (r < 58) {
      const block = live[rnd(live.length)];
      const size = 1 + rnd(rnd(4) === 0 ? 5000 : 600);
      const ptr = mems.realloc(block.ptr, size);
      check(ptr, Math.min(size, block.size), block.tag, 'realloc kept');
      block.ptr = ptr;
      block.size = size;
      block.tag = nextTag++ & 0xff;
      fill(ptr, size, block.tag);
      counts.realloc++;
    } else if (r < 66) {
      const [block] = live.splice(rnd(live.length), 1);
      check(block.ptr, block.size, block.tag, 'send');
      send.postMessage(block);
      counts.sent++;
    } else {
      const [block] = live.splice(rnd(live.length), 1);
      take(block, 'free');
    }
    if (op % 32 === 0) {
      await turn();
      receiveAll();
    }
  }
  send.postMessage({ end: true });
  while (!ended)
    await new Promise((resolve) => {
      wake = resolve;
      if (ended) resolve();
    });
  receiveAll();
  receive.close();
  for (const block of live) take(block, 'final free');
  mems.detach();
  parentPort.postMessage({ done: counts });
} catch (error) {
  parentPort.postMessage({
    error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error),
  });
}
