import { createRequire } from 'node:module';
import type { Allocator, Slots } from './allocator.js';

type KoffiModule = typeof import('koffi');

/**
 * libc `malloc`/`free`/`realloc` called through koffi 3.3.4, as a Node FFI user would:
 * `koffi.load('libc.so.6')` and `void *malloc(size_t)`, `void free(void *)`; pointers come back
 * as `bigint`. Addresses are real, so there is nothing to translate.
 * @param id contender id.
 * @returns the allocator.
 * @throws Error when koffi or libc.so.6 cannot be loaded.
 */
export function libcKoffiAllocator(id: string): Allocator<bigint> {
  const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  const libc = koffi.load('libc.so.6');
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
    memory: () => ({ mappedBytes: null, metadataBytes: null }),
    fragmentation: () => null,
    destroy: (slots, count) => {
      for (let i = 0; i < count; i++) free(slots[i]!);
    },
  };
}
