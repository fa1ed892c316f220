import { describeValue, MemsError } from './errors.js';
import { takeFixedBuffer } from './shared-buffer-pool.js';
import { isSharedArrayBuffer } from './shared-mutex.js';
import { isPowerOfTwo } from './validate-byte-length.js';

/*
 * The layout of a shared page table's state buffer (the header words, the boundary tags and the
 * serials), and the functions that make, check and read one. The table's logic, which reads and
 * writes these words under the lock, is in `shared-page-table.ts`.
 */

/** The most pages a shared page table holds (it takes 8 bytes a page). */
export const MAX_SHARED_TABLE_PAGES: number = 2 ** 22;

/** What a shared page table's pages are: carved from a growable SharedArrayBuffer, or from reserved address space. */
export type SharedPagesKind = 'shared-memory' | 'mmap';

// The state buffer: a header of 18 int32 words, then the page table (one boundary tag per page),
// then one mapping serial per page. Every word is read and written with Atomics or under the lock.
const MAGIC = 0x4d454d53; // 'MEMS'
const VERSION = 2;
const W_MAGIC = 0;
const W_VERSION = 1;
/** Words 2–5: the table's SharedMutex (16 bytes at byte 8). */
export const MUTEX_BYTE_OFFSET = 8;
const W_PAGE_SIZE = 6;
const W_MAX_PAGES = 7;
/** Pages carved so far: runs tile [0, top). */
export const W_TOP = 8;
export const W_MAPPED_PAGES = 9;
export const W_MAPPING_COUNT = 10;
/** The last serial handed to a mapping (serials tell a live mapping from an earlier one at the same place). */
export const W_SERIAL = 11;
/** 1 shared memory, 2 mmap. */
const W_KIND = 12;
/** 1 once the provider's memory was released (`destroy`). */
export const W_RELEASED = 13;
/** The base address, as two uint32 halves (low, high). */
const W_BASE_LOW = 14;
const W_BASE_HIGH = 15;
/**
 * Which use of this buffer the table is: 0 when the buffer is new, one more each time a destroyed
 * provider's buffer is taken again from the pool (see shared-buffer-pool.ts). Handles and
 * provider objects carry the epoch they were made in: a different one means theirs was destroyed.
 */
export const W_EPOCH = 16;
export const HEADER_WORDS = 18;

const KIND_CODES: Record<SharedPagesKind, number> = { 'shared-memory': 1, mmap: 2 };

/**
 * A structured-cloneable description of a shared provider's memory: post it to a worker
 * (`postMessage`, `workerData`) and open it there with the matching `open…` function.
 */
export interface SharedPagesHandle {
  /** `'mems-shared-memory-provider'` or `'mems-shared-mmap-provider'`. */
  readonly kind: string;
  /** The provider's name. */
  readonly name: string;
  /** Which use of `state` this provider is (see {@link W_EPOCH}). */
  readonly epoch: number;
  /** The page table, counters and lock (a fixed-length SharedArrayBuffer). */
  readonly state: SharedArrayBuffer;
  /** The pages (a growable SharedArrayBuffer), for a shared-memory provider only. */
  readonly data?: SharedArrayBuffer;
}

/**
 * Makes the state buffer of a new shared page table: a destroyed provider's of the same length
 * when one is pooled (its epoch one more), else a new one (epoch 0).
 * @returns a zero-filled table with its header written.
 */
export function createPageTableState(
  kind: SharedPagesKind,
  pageSize: number,
  maxPages: number,
  base: bigint,
): SharedArrayBuffer {
  const byteLength = (HEADER_WORDS + 2 * maxPages) * 4;
  const reused = takeFixedBuffer('page-table', byteLength);
  const state = reused ?? new SharedArrayBuffer(byteLength);
  const words = new Int32Array(state, 0, HEADER_WORDS);
  const epoch = reused === undefined ? 0 : (words[W_EPOCH]! + 1) | 0;
  new Uint8Array(state).fill(0);
  words[W_EPOCH] = epoch;
  words[W_PAGE_SIZE] = pageSize;
  words[W_MAX_PAGES] = maxPages;
  words[W_VERSION] = VERSION;
  words[W_KIND] = KIND_CODES[kind];
  words[W_BASE_LOW] = Number(base & 0xffff_ffffn) | 0;
  words[W_BASE_HIGH] = Number(base >> 32n) | 0;
  Atomics.store(words, W_MAGIC, MAGIC);
  return state;
}

/**
 * Checks a handle's common shape and its state buffer.
 * @returns the handle's name, state, data and epoch.
 * @throws MemsError `EINVAL` naming `call` when it is not a handle of this kind.
 */
export function checkPagesHandle(
  call: string,
  handle: unknown,
  handleKind: string,
  kind: SharedPagesKind,
): { name: string; state: SharedArrayBuffer; data: unknown; epoch: number } {
  const bad = (why: string): MemsError =>
    new MemsError('EINVAL', `${call}(${describeValue(handle)}): not a ${handleKind} handle: ${why}`);
  if (typeof handle !== 'object' || handle === null) throw bad('not an object');
  let fields: { kind?: unknown; name?: unknown; state?: unknown; data?: unknown; epoch?: unknown };
  try {
    const { kind: k, name, state, data, epoch } = handle as SharedPagesHandle;
    fields = { kind: k, name, state, data, epoch };
  } catch (error) {
    throw new MemsError('EINVAL', `${call}(${describeValue(handle)}): its properties cannot be read`, {
      cause: error,
    });
  }
  const { name, state, data, epoch } = fields;
  if (fields.kind !== handleKind) throw bad(`kind is ${describeValue(fields.kind)}`);
  if (typeof name !== 'string' || name.length === 0) throw bad('name must be a non-empty string');
  if (typeof epoch !== 'number' || !Number.isInteger(epoch)) throw bad('epoch must be an integer');
  if (!isSharedArrayBuffer(state)) throw bad('state must be a SharedArrayBuffer');
  if (state.byteLength < HEADER_WORDS * 4) throw bad('state is too short');
  const words = new Int32Array(state, 0, HEADER_WORDS);
  const maxPages = words[W_MAX_PAGES]!;
  if (
    Atomics.load(words, W_MAGIC) !== MAGIC ||
    words[W_VERSION] !== VERSION ||
    words[W_KIND] !== KIND_CODES[kind] ||
    !isPowerOfTwo(words[W_PAGE_SIZE]) ||
    maxPages < 1 ||
    maxPages > MAX_SHARED_TABLE_PAGES ||
    state.byteLength !== (HEADER_WORDS + 2 * maxPages) * 4
  ) {
    throw bad('its state is not a page table of this kind');
  }
  return { name, state, data, epoch };
}

/** The page size, page count, base address and epoch a state buffer records. */
export function pageTableShape(state: SharedArrayBuffer): {
  pageSize: number;
  maxPages: number;
  base: bigint;
  epoch: number;
} {
  const words = new Int32Array(state, 0, HEADER_WORDS);
  const base = (BigInt(words[W_BASE_HIGH]! >>> 0) << 32n) | BigInt(words[W_BASE_LOW]! >>> 0);
  return {
    pageSize: words[W_PAGE_SIZE]!,
    maxPages: words[W_MAX_PAGES]!,
    base,
    epoch: Atomics.load(words, W_EPOCH),
  };
}
