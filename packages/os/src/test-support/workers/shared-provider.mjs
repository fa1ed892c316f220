// Worker tasks over a shared-memory provider opened from its handle.
// workerData: { entry, open (the opening function's name, default openSharedMemoryProvider), handle, task, ... }
//   churn: { steps, seed, maxPages } random maps and unmaps, every mapping filled with its own
//          byte and checked before it is unmapped; reports counts.
//   adopt: { address, expect, fill } takes the mapping another thread made at `address`, checks
//          that every byte is `expect`, fills it with `fill` and leaves it mapped.
//   adopt-unmap: { address, expect } as adopt, then unmaps it.
import { parentPort, workerData } from 'node:worker_threads';

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function firstDifferent(bytes, value) {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== value) return i;
  return -1;
}

try {
  const entry = await import(workerData.entry);
  const provider = entry[workerData.open ?? 'openSharedMemoryProvider'](workerData.handle);
  const bytesOfMapping = (mapping) =>
    new Uint8Array(mapping.buffer, mapping.byteOffset ?? 0, mapping.byteLength);
  if (workerData.task === 'churn') {
    const random = mulberry32(workerData.seed);
    const live = [];
    let maps = 0;
    let unmaps = 0;
    let refused = 0;
    for (let step = 0; step < workerData.steps; step++) {
      if (live.length === 0 || (live.length < 12 && random() < 0.55)) {
        const pages = 1 + Math.floor(random() * workerData.maxPages);
        let mapping;
        try {
          mapping = provider.map(pages * provider.pageSize);
        } catch (error) {
          if (error.code !== 'ENOMEM') throw error;
          refused++;
          continue;
        }
        const bytes = bytesOfMapping(mapping);
        const dirty = firstDifferent(bytes, 0);
        if (dirty !== -1) throw new Error(`map: byte ${dirty} of a new mapping is ${bytes[dirty]}, not 0`);
        const tag = 1 + ((workerData.seed * 31 + step) % 255);
        bytes.fill(tag);
        live.push({ mapping, tag });
        maps++;
      } else {
        const [{ mapping, tag }] = live.splice(Math.floor(random() * live.length), 1);
        const bad = firstDifferent(bytesOfMapping(mapping), tag);
        if (bad !== -1) throw new Error(`byte ${bad} of mapping 0x${mapping.address.toString(16)} changed`);
        provider.unmap(mapping);
        unmaps++;
      }
    }
    for (const { mapping, tag } of live) {
      const bad = firstDifferent(bytesOfMapping(mapping), tag);
      if (bad !== -1) throw new Error(`byte ${bad} of mapping 0x${mapping.address.toString(16)} changed`);
      provider.unmap(mapping);
      unmaps++;
    }
    parentPort.postMessage({ done: { maps, unmaps, refused } });
  } else {
    const mapping = provider.mappingAt(workerData.address);
    const bytes = bytesOfMapping(mapping);
    const bad = firstDifferent(bytes, workerData.expect);
    if (workerData.task === 'adopt') bytes.fill(workerData.fill);
    else provider.unmap(mapping);
    parentPort.postMessage({ done: { bad, byteLength: mapping.byteLength, live: mapping.live } });
  }
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.stack : String(error) });
}
