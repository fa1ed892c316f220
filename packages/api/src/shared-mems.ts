import { Heap, type HeapOptions } from '@mems/core';
import {
  openThreadCache,
  publishSharedState,
  SharedTableMemory,
  type ThreadCache,
  ThreadCacheTable,
} from '@mems/core/internal';
import {
  createDefaultSharedProvider,
  describeValue,
  isMemsError,
  isSharedArrayBuffer,
  MemsError,
  openSharedProvider,
  SharedArena,
  type SharedArenaHandle,
  SharedMutex,
  type SharedPagesHandle,
  type SharedPagesProvider,
} from '@mems/os';
import {
  CONTROL_BYTES,
  controlWords,
  HANDLE_KIND,
  isControlBlock,
  LIVE,
  lockTimeoutOf,
  MUTEX_BYTE_OFFSET,
  policyOf,
  readHeapOptions,
  regionCountOf,
  VERSION,
  W_ATTACHED,
  W_STATE,
  writeControlBlock,
} from './shared-control-block.js';
import { readSharedOptions, type SharedMemsOptions, sharedHeapSurface } from './shared-mems-options.js';
import {
  destroyProvider,
  lockTimeout,
  type SharedMems,
  type SharedMemsHandle,
  SharedSession,
} from './shared-session.js';

export type { SharedMemsOptions } from './shared-mems-options.js';
export type { SharedMems, SharedMemsHandle } from './shared-session.js';

/** Arena slots: the tables take about 25 regions (first fit's B+-tree is the largest set). */
const ARENA_SLOTS = 64;
const CREATE = 'createSharedMems';
const ATTACH = 'attachMems';

/**
 * Creates a heap that every worker thread of this process can use: post `mems.handle` to a
 * worker and call {@link attachMems} there. Every call is atomic (it takes the heap's lock
 * once); used from one thread, the heap gives exactly the addresses and stats of `createMems`
 * with the same options. The heap's tables live in a growable `SharedArrayBuffer`, its pages
 * come from a shared provider: by default a shared mmap provider (real pages, `maxBytes` of
 * address space reserved) in Node where koffi loads, else a shared-memory provider.
 * @param options those of `createMems` (the policy by name only; the provider, when given, a
 *   shared-memory or shared mmap provider) plus `maxBytes`, `lockTimeoutMs`,
 *   `maxMetadataBytes`; see {@link SharedMemsOptions}.
 * @returns this thread's {@link SharedMems}.
 * @throws MemsError `EINVAL` for a bad or unknown option, a provider that cannot be shared, a
 *   custom policy factory; `ENOMEM` when SharedArrayBuffer (growable) is unavailable or the
 *   reservation fails. Nothing is left behind.
 *
 * @example
 * const mems = createSharedMems({ policy: 'tlsf' });
 * const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: mems.handle });
 */
export function createSharedMems(options?: SharedMemsOptions): SharedMems {
  const checked = readSharedOptions(options);
  const given = checked.provider;
  const arena = SharedArena.create({ slots: ARENA_SLOTS, maxBytes: checked.maxMetadataBytes });
  let provider: SharedPagesProvider;
  try {
    provider = given ?? createDefaultSharedProvider(checked.maxBytes);
  } catch (error) {
    arena.retire(); // its reservation goes to the next heap (JavaScript cannot free a SharedArrayBuffer)
    throw error;
  }
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const memory = new SharedTableMemory(arena, false);
  let heap: Heap;
  try {
    heap = new Heap({ ...checked.heapOptions, provider } as HeapOptions, CREATE, sharedHeapSurface(CREATE), {
      memory,
      mappingAt: (address) => provider.mappingAt(address),
    });
  } catch (error) {
    if (given === undefined) destroyProvider(provider);
    arena.retire();
    throw error;
  }
  const threads =
    checked.threadCache === null
      ? null
      : ThreadCacheTable.create(checked.threadCache, heap.options.alignment);
  publishSharedState(heap);
  writeControlBlock(control, heap.options, {
    lockTimeoutMs: checked.lockTimeoutMs,
    ownsProvider: given === undefined,
    regionCount: memory.regionCount,
  });
  const handle: SharedMemsHandle = Object.freeze({
    kind: HANDLE_KIND,
    version: VERSION,
    control,
    arena: arena.handle,
    provider: provider.handle,
    threads,
  });
  const caches = threads === null ? null : new ThreadCacheTable(threads, CREATE);
  const slot = caches === null ? -1 : caches.claim();
  const cache = caches === null ? null : openThreadCache(heap, caches, slot);
  return new SharedSession(
    handle,
    heap,
    provider,
    new SharedMutex(control, MUTEX_BYTE_OFFSET),
    true,
    caches,
    cache,
  ).mems;
}

/**
 * Opens, in this thread, the heap that {@link createSharedMems} made in another thread (or this
 * one): the same blocks, addresses, stats and lock.
 * @param handle the creator's `mems.handle`, posted to this thread.
 * @returns this thread's {@link SharedMems} over the same heap.
 * @throws MemsError `EINVAL` when `handle` is not a shared heap's handle; `ESTATE` when the heap
 *   is finished, or when its lock is not released within its `lockTimeoutMs`; `ENOMEM` when this
 *   thread cannot load what the provider needs (koffi for a shared mmap provider).
 *
 * @example
 * // in a worker, whose workerData (node:worker_threads) is the creator's mems.handle
 * const mems = attachMems(workerData);
 */
export function attachMems(handle: SharedMemsHandle): SharedMems {
  const described = (): string => describeValue(handle);
  const bad = (why: string, cause?: unknown): MemsError =>
    new MemsError(
      'EINVAL',
      `${ATTACH}(${described()}): not a shared heap handle (from createSharedMems): ${why}`,
      cause === undefined ? undefined : { cause },
    );
  if (typeof handle !== 'object' || handle === null) throw bad('not an object');
  let fields: {
    kind: unknown;
    version: unknown;
    control: unknown;
    arena: unknown;
    provider: unknown;
    threads: unknown;
  };
  try {
    const { kind, version, control, arena, provider, threads } = handle;
    fields = { kind, version, control, arena, provider, threads };
  } catch (cause) {
    throw bad('its properties cannot be read', cause);
  }
  if (fields.kind !== HANDLE_KIND) throw bad(`kind is ${describeValue(fields.kind)}`);
  if (fields.version !== VERSION) throw bad(`version is ${describeValue(fields.version)}`);
  const control = fields.control;
  if (!isSharedArrayBuffer(control) || control.byteLength !== CONTROL_BYTES)
    throw bad('control must be the heap’s control SharedArrayBuffer');
  if (!isControlBlock(control)) throw bad('its control block does not describe a shared heap');
  const policy = policyOf(control);
  if (policy === undefined) throw bad('its control block names no built-in policy');
  const words = controlWords(control);
  let caches: ThreadCacheTable | null = null;
  if (fields.threads !== null) {
    if (!isSharedArrayBuffer(fields.threads))
      throw bad('threads must be null or the heap’s thread-cache SharedArrayBuffer');
    try {
      caches = new ThreadCacheTable(fields.threads, ATTACH);
    } catch (error) {
      throw bad(isMemsError(error) ? error.message : String(error), error);
    }
  }
  let arena: SharedArena;
  let provider: SharedPagesProvider;
  try {
    arena = SharedArena.open(fields.arena as SharedArenaHandle);
    provider = openSharedProvider(fields.provider);
  } catch (error) {
    if (isMemsError(error) && error.code === 'EINVAL') throw bad(error.message, error);
    throw error;
  }
  if (Atomics.load(words, W_STATE) !== LIVE)
    throw new MemsError('ESTATE', `${ATTACH}(${described()}): this heap is finished (finish was called)`);
  const mutex = new SharedMutex(control, MUTEX_BYTE_OFFSET);
  const timeout = lockTimeoutOf(control);
  // Building the tables reads the arena's directory: under the lock, so no region moves meanwhile.
  if (!mutex.lock(timeout)) throw lockTimeout(`${ATTACH}(${described()})`, timeout, mutex.holder);
  let heap: Heap;
  let cache: ThreadCache | null = null;
  try {
    if (Atomics.load(words, W_STATE) !== LIVE)
      throw new MemsError('ESTATE', `${ATTACH}(${described()}): this heap is finished (finish was called)`);
    const memory = new SharedTableMemory(arena, true);
    heap = new Heap({ ...readHeapOptions(control, policy), provider }, ATTACH, sharedHeapSurface(ATTACH), {
      memory,
      mappingAt: (address) => provider.mappingAt(address),
    });
    if (memory.regionCount !== regionCountOf(control))
      throw bad('its tables do not match this build of @mems/core');
    if (caches !== null) {
      const slot = caches.claim();
      if (slot >= 0) cache = openThreadCache(heap, caches, slot);
    }
    Atomics.add(words, W_ATTACHED, 1);
  } finally {
    mutex.unlock();
  }
  const own: SharedMemsHandle = Object.freeze({
    kind: HANDLE_KIND,
    version: VERSION,
    control,
    arena: fields.arena as SharedArenaHandle,
    provider: fields.provider as SharedPagesHandle,
    threads: caches === null ? null : (fields.threads as SharedArrayBuffer),
  });
  return new SharedSession(own, heap, provider, mutex, false, caches, cache).mems;
}
