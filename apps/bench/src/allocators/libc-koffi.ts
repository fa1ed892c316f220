import { createRequire } from 'node:module';
import type { Allocator, Slots } from './allocator.js';

type KoffiModule = typeof import('koffi');

/** glibc's malloc, free and realloc on Number pointers, as koffi binds them. */
export interface NumberBindings {
  readonly koffi: KoffiModule;
  readonly malloc: (size: number) => number;
  readonly free: (pointer: number) => void;
  readonly realloc: (pointer: number, size: number) => number;
}

/** The same on `void *` pointers, which koffi returns as BigInts. */
interface BigIntBindings {
  readonly koffi: KoffiModule;
  readonly malloc: (size: number) => bigint | null;
  readonly free: (pointer: bigint) => void;
  readonly realloc: (pointer: bigint, size: number) => bigint | null;
}

let numberBindings: NumberBindings | null = null;
let bigIntBindings: BigIntBindings | null = null;

function loadLibc(): { koffi: KoffiModule; libc: ReturnType<KoffiModule['load']> } {
  const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  return { koffi, libc: koffi.load('libc.so.6') };
}

/**
 * The Number-pointer functions, bound once per process (per thread). Binding them again for
 * every allocator (every point of a job) made the harness's call sites see several koffi
 * functions for one C function: V8 then stops calling the binding directly, and at 10k live
 * blocks a free+malloc pair took about 1.6× as long as in a process that binds them once.
 * @returns koffi and the three functions, the same objects on every call.
 * @throws Error when koffi or libc.so.6 cannot be loaded.
 */
export function numberLibc(): NumberBindings {
  if (numberBindings === null) {
    const { koffi, libc } = loadLibc();
    numberBindings = {
      koffi,
      malloc: libc.func('uintptr_t malloc(size_t)') as NumberBindings['malloc'],
      free: libc.func('void free(uintptr_t)') as NumberBindings['free'],
      realloc: libc.func('uintptr_t realloc(uintptr_t, size_t)') as NumberBindings['realloc'],
    };
  }
  return numberBindings;
}

/** The BigInt-pointer functions, bound once per process (per thread), as {@link numberLibc}. */
function bigIntLibc(): BigIntBindings {
  if (bigIntBindings === null) {
    const { koffi, libc } = loadLibc();
    bigIntBindings = {
      koffi,
      malloc: libc.func('void *malloc(size_t)') as BigIntBindings['malloc'],
      free: libc.func('void free(void *)') as BigIntBindings['free'],
      realloc: libc.func('void *realloc(void *, size_t)') as BigIntBindings['realloc'],
    };
  }
  return bigIntBindings;
}

/**
 * libc `malloc`/`free`/`realloc` called through koffi 3.3.4 the way a speed-minded Node FFI
 * user would: declared `uintptr_t malloc(size_t)`, `void free(uintptr_t)` and
 * `uintptr_t realloc(uintptr_t, size_t)`, so pointers come back as plain Numbers (exact: user
 * space addresses are below 2^47) and live in a Float64Array, with no allocation per call.
 * Memory is touched with `koffi.encode`/`koffi.decode` on those Numbers. Addresses are real,
 * so there is nothing to translate. The koffi functions are bound once per process and shared
 * by every allocator this returns.
 * @param id contender id.
 * @returns the allocator.
 * @throws Error when koffi or libc.so.6 cannot be loaded.
 */
export function libcKoffiAllocator(id: string): Allocator<number> {
  const { koffi, malloc, free, realloc } = numberLibc();
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
  const { koffi, malloc, free, realloc } = bigIntLibc();
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
