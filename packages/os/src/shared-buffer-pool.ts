/*
 * SharedArrayBuffers that MeMS no longer uses, kept for the next heap of the same shape.
 *
 * JavaScript cannot free a SharedArrayBuffer: only the garbage collector can, and V8 does not
 * collect for the address space buffers reserve. A growable buffer reserves its whole
 * `maxByteLength` at once (1 GiB for a shared heap's tables by default), a fixed one its length,
 * and measured on Node 20 a loop that makes and drops 300 growable buffers of 1 GiB grows
 * `VmSize` by 300 GiB with no collection in between. So a shared heap that `finish`es (or whose
 * creation fails) hands its buffers here, and the next one of the same shape takes them instead
 * of reserving new ones: a process that makes heaps one after another holds the reservations of
 * the heaps alive at once, plus at most {@link MAX_POOLED_BUFFERS} spares.
 *
 * A buffer may be recycled only when no thread will touch it again through its old owner (a
 * finished heap's tables, a destroyed provider's page table), and only once: the owners make
 * sure of both with a word in shared memory.
 */

/** The most buffers kept for reuse (the oldest is dropped for the garbage collector beyond it). */
export const MAX_POOLED_BUFFERS = 4;

/**
 * What a pooled buffer was, so that it goes back only to the same use: a shared heap's tables
 * (any bytes), a shared-memory provider's pages (all zeros), a shared page table (any bytes,
 * zeroed when taken).
 */
export type PooledBufferUse = 'arena' | 'pages' | 'page-table';

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable?: boolean;
  readonly maxByteLength?: number;
}

const pool: { buffer: SharedArrayBuffer; use: PooledBufferUse }[] = [];

/**
 * Takes a pooled growable buffer of exactly this `maxByteLength`, last used for `use`. Its
 * `byteLength` may be more than 0 (it never shrinks) and its bytes are what its last owner left.
 * @param use what the buffer is for.
 * @param maxByteLength the reservation wanted.
 * @returns the buffer, or undefined when none is pooled.
 */
export function takeGrowableBuffer(
  use: PooledBufferUse,
  maxByteLength: number,
): SharedArrayBuffer | undefined {
  return take(use, (buffer) => buffer.growable === true && buffer.maxByteLength === maxByteLength);
}

/**
 * Takes a pooled fixed-length buffer of exactly this length, last used for `use`, with the bytes
 * its last owner left.
 * @param use what the buffer is for.
 * @param byteLength the length wanted.
 * @returns the buffer, or undefined when none is pooled.
 */
export function takeFixedBuffer(use: PooledBufferUse, byteLength: number): SharedArrayBuffer | undefined {
  return take(use, (buffer) => buffer.growable !== true && buffer.byteLength === byteLength);
}

/**
 * Keeps a buffer for reuse. Call it once per buffer, when its owner is done with it for good.
 * @param use what the buffer was (and may be again).
 * @param buffer a SharedArrayBuffer no thread will use through its old owner again.
 */
export function recycleBuffer(use: PooledBufferUse, buffer: SharedArrayBuffer): void {
  if (pool.some((entry) => entry.buffer === buffer)) return;
  pool.push({ buffer, use });
  if (pool.length > MAX_POOLED_BUFFERS) pool.shift();
}

/** How many buffers are pooled now (for tests). */
export function pooledBufferCount(): number {
  return pool.length;
}

function take(
  use: PooledBufferUse,
  fits: (buffer: GrowableSharedArrayBuffer) => boolean,
): SharedArrayBuffer | undefined {
  const index = pool.findIndex(
    (entry) => entry.use === use && fits(entry.buffer as GrowableSharedArrayBuffer),
  );
  return index < 0 ? undefined : pool.splice(index, 1)[0]!.buffer;
}
