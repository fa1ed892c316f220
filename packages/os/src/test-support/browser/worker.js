// The Web Worker side of page.js: a worker may block in Atomics.wait.
import { bytesOfMapping, openSharedMemoryProvider, SharedMutex } from './index.js';

let mutex;
let counter;
self.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.step === 'adopt') {
      const provider = openSharedMemoryProvider(message.handle);
      const mapping = provider.mappingAt(message.address);
      const bytes = bytesOfMapping(mapping);
      mutex = new SharedMutex(message.lock);
      counter = new Int32Array(message.counter);
      self.postMessage({ opened: true, canWait: mutex.canWait, firstByte: bytes[0] });
      const started = performance.now();
      mutex.lock();
      const waitedMs = performance.now() - started;
      bytes.fill(0x6b, 4096);
      const extra = provider.map(4096);
      mutex.unlock();
      self.postMessage({ locked: true, waitedMs, extraOffset: extra.byteOffset });
    } else if (message.step === 'hold') {
      mutex.lock();
      self.postMessage({ holding: true });
      const until = performance.now() + message.ms;
      while (performance.now() < until) {
        // Hold the lock.
      }
      mutex.unlock();
      self.postMessage({ released: true });
    } else if (message.step === 'count') {
      for (let i = 0; i < message.rounds; i++) {
        mutex.lock();
        counter[0] = counter[0] + 1;
        mutex.unlock();
      }
      self.postMessage({ counted: message.rounds });
    }
  } catch (error) {
    self.postMessage({ error: String(error?.stack ?? error) });
  }
};
