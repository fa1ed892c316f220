import type { SharedHeapForWorkers } from '../workloads/shared-churn.js';

/** Bytes of each buffer: the most its pointers can address (20 bits of byte offset). */
const BUFFER_BYTES = 2 ** 20;

/**
 * A heap of [@daneren2005/shared-memory-objects](https://www.npmjs.com/package/@daneren2005/shared-memory-objects)
 * 0.0.4 for the thread workloads (shared-churn, larson, xmalloc): a `MemoryHeap` made here, whose SharedArrayBuffers every
 * worker wraps in its own `MemoryHeap({ buffers })`; blocks are `allocUI32(⌈size / 4⌉)` and are
 * freed with `heap.buffers[position].free(byteOffset)`, the library's way to free a block
 * allocated in another thread.
 *
 * The library adds a buffer in the thread that runs out and tells other threads by an
 * asynchronous callback, which a thread busy in a synchronous loop never receives, so a block
 * in such a buffer could not be freed elsewhere. The heap is therefore made with every buffer
 * the run can need (room for the most bytes the run holds at once, and half again).
 * @param bytesAtMost the most bytes of blocks the run holds at once (every block at the largest size).
 * @returns the workers' spec (the buffers) and the final check: every buffer back to what it
 *   held before the workers started.
 */
export async function sharedMemoryObjectsForWorkers(bytesAtMost: number): Promise<SharedHeapForWorkers> {
  const { MemoryHeap } = await import('./smo-loader.js');
  const bytes = bytesAtMost * 1.5;
  const heap = new MemoryHeap({
    bufferSize: BUFFER_BYTES,
    initialBuffers: Math.ceil(bytes / BUFFER_BYTES) + 1,
  });
  const usedBefore = heap.currentUsed;
  const buffers = heap.getSharedMemory().buffers;
  return {
    allocator: { kind: 'smo', buffers },
    checkAndFinish: () => {
      if (heap.buffers.length !== buffers.length)
        throw new Error(
          `shared-memory-objects added buffers during the run (${buffers.length} → ${heap.buffers.length})`,
        );
      if (heap.currentUsed !== usedBefore)
        throw new Error(
          `shared-memory-objects holds ${heap.currentUsed - usedBefore} bytes after every worker freed its blocks`,
        );
    },
  };
}
