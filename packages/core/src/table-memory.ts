/**
 * Where a heap's tables get their bytes: a function that returns a fresh, zero-filled buffer
 * of `byteLength` bytes. Every table of a heap (segment records, node table, live-block hash,
 * policy indexes, counters) allocates its typed arrays through it, and keeps no JavaScript
 * object per record, so a heap whose tables live in SharedArrayBuffers only needs another
 * `TableMemory`.
 * @param byteLength bytes wanted (a multiple of 8).
 * @returns a zero-filled buffer of exactly that length.
 */
export type TableMemory = (byteLength: number) => ArrayBufferLike;

/** The default {@link TableMemory}: plain, private `ArrayBuffer`s. */
export const plainMemory: TableMemory = (byteLength) => new ArrayBuffer(byteLength);
