/**
 * The calls a `pnpm fuzz --shared N` worker makes on its heap: the subset of `SharedMems` it
 * drives, so that the fuzzer's own tests can put a deliberately broken wrapper in between.
 */
import type { SharedMems } from '@mems/api';

/** What a worker calls: a `SharedMems` from `attachMems`, or a wrapper around one. */
export type FuzzedHeap = Pick<
  SharedMems,
  | 'malloc'
  | 'calloc'
  | 'realloc'
  | 'free'
  | 'get'
  | 'view'
  | 'usableSize'
  | 'stats'
  | 'validate'
  | 'printStats'
  | 'trim'
  | 'detach'
>;

/** Raw reads and writes at physical addresses (`@mems/os/mmap`), on real pages only. */
export interface RawMemory {
  readByteAt(address: bigint): number;
  writeByteAt(address: bigint, value: number): void;
}
