import { createRequire } from 'node:module';
import type { Allocator, Slots } from './allocator.js';

type KoffiModule = typeof import('koffi');

function loadLibc(): { koffi: KoffiModule; libc: ReturnType<KoffiModule['load']> } {
  const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  return { koffi, libc: koffi.load('libc.so.6') };
}

/**
 * libc `malloc`/`free`/`realloc` called through koffi 3.3.4 the way a speed-minded Node FFI
 * user would: declared `uintptr_t malloc(size_t)`, `void free(uintptr_t)` and
 * `uintptr_t realloc(uintptr_t, size_t)`, so pointers come back as plain Numbers (exact: user
 * space addresses are below 2^47) and live in a Float64Array, with no allocation per call.
 * Memory is touched with `koffi.encode`/`koffi.decode` on those Numbers. Addresses are real,
 * so there is nothing to translate.
 * @param id contender id.
 * @returns the allocator.
 * @throws Error when koffi or libc.so.6 cannot be loaded.
 */
export function libcKoffiAllocator(id: string): Allocator<number> {
  const { koffi, libc } = loadLibc();
  const malloc = libc.func('uintptr_t malloc(size_t)') as (size: number) => number;
  const free = libc.func('void free(uintptr_t)') as (pointer: number) => void;
  const realloc = libc.func('uintptr_t realloc(uintptr_t, size_t)') as (
    pointer: number,
    size: number,
  ) => number;
  return {
    id,
    malloc: (size) => {
      const pointer = malloc(size);
      if (pointer === 0) throw new Error(`libc malloc(${size}) returned NULL`);
      return pointer;
    },
    free: (pointer) => free(pointer),
    realloc: (pointer, size) => {
      const moved = realloc(pointer, size);
      if (moved === 0) throw new Error(`libc realloc(${pointer}, ${size}) returned NULL`);
      return moved;
    },
    translate: null,
    interior: (pointer, offset) => pointer + offset,
    newSlots: (count) => new Float64Array(count),
    touch: {
      write: (pointer, size, stamp) => {
        koffi.encode(pointer, 'double', stamp);
        koffi.encode(pointer + size - 8, 'double', stamp);
      },
      read: (pointer, size, stamp) =>
        koffi.decode(pointer, 'double') === stamp && koffi.decode(pointer + size - 8, 'double') === stamp,
    },
    memory: () => ({ mappedBytes: null, metadataBytes: null }),
    fragmentation: () => null,
    destroy: (slots, count) => {
      for (let i = 0; i < count; i++) free(slots[i]!);
    },
  };
}

/**
 * The same libc calls declared with `void *`, as koffi's documentation shows them: every
 * pointer comes back as a `bigint` (a heap object per call) and is kept in a plain array.
 * Kept to show what the pointer representation costs; memory is touched with
 * `koffi.encode`/`koffi.decode` on the BigInts.
 * @param id contender id.
 * @returns the allocator.
 * @throws Error when koffi or libc.so.6 cannot be loaded.
 */
export function libcKoffiBigIntAllocator(id: string): Allocator<bigint> {
  const { koffi, libc } = loadLibc();
  const malloc = libc.func('void *malloc(size_t)') as (size: number) => bigint | null;
  const free = libc.func('void free(void *)') as (pointer: bigint) => void;
  const realloc = libc.func('void *realloc(void *, size_t)') as (
    pointer: bigint,
    size: number,
  ) => bigint | null;
  return {
    id,
    malloc: (size) => {
      const pointer = malloc(size);
      if (pointer === null || pointer === 0n) throw new Error(`libc malloc(${size}) returned NULL`);
      return pointer;
    },
    free: (pointer) => free(pointer),
    realloc: (pointer, size) => {
      const moved = realloc(pointer, size);
      if (moved === null || moved === 0n) throw new Error(`libc realloc(${pointer}, ${size}) returned NULL`);
      return moved;
    },
    translate: null,
    interior: (pointer, offset) => pointer + BigInt(offset),
    // BigInts are heap objects either way; a plain array avoids re-boxing on every read.
    newSlots: (count) => new Array<bigint>(count).fill(0n) as Slots<bigint>,
    touch: {
      write: (pointer, size, stamp) => {
        koffi.encode(pointer, 'double', stamp);
        koffi.encode(pointer, size - 8, 'double', stamp);
      },
      read: (pointer, size, stamp) =>
        koffi.decode(pointer, 'double') === stamp && koffi.decode(pointer, size - 8, 'double') === stamp,
    },
    memory: () => ({ mappedBytes: null, metadataBytes: null }),
    fragmentation: () => null,
    destroy: (slots, count) => {
      for (let i = 0; i < count; i++) free(slots[i]!);
    },
  };
}
