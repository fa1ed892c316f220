/** Where a shared-memory-objects block lives: a buffer of the heap and a byte offset in it. */
export interface SmoBlock {
  readonly bufferPosition: number;
  readonly bufferByteOffset: number;
}

/** What the shared-churn workload uses of @daneren2005/shared-memory-objects' `MemoryHeap`. */
export declare class MemoryHeap {
  constructor(config: { bufferSize?: number; initialBuffers?: number } | { buffers: SharedArrayBuffer[] });
  readonly buffers: { free(byteOffset: number): void }[];
  readonly currentUsed: number;
  allocUI32(count: number): { getSharedMemory(): SmoBlock };
  getSharedMemory(): { buffers: SharedArrayBuffer[] };
}
