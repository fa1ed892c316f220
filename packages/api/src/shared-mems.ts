import {
  describeArgument,
  Heap,
  type HeapOptions,
  type HeapSnapshot,
  POLICIES,
  POLICY_NAMES,
  type PolicyName,
  SharedTableMemory,
} from '@mems/core';
import {
  createDefaultSharedProvider,
  describeValue,
  isMemsError,
  isSharedArrayBuffer,
  MemsError,
  openSharedProvider,
  SHARED_PROVIDER_KINDS,
  SharedArena,
  type SharedArenaHandle,
  SharedMutex,
  type SharedPagesHandle,
  type SharedPagesProvider,
} from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import { heapCallNames, INSTANCE_CALL_NAMES } from './call-names.js';
import type { Mems } from './mems.js';
import { MEMS_OPTION_NAMES, type MemsOptions } from './mems-options.js';
import { writeToStdout } from './write-to-stdout.js';

/** Options of {@link createSharedMems}: those of `createMems`, plus three of a shared heap's own. */
export interface SharedMemsOptions extends MemsOptions {
  /**
   * Bytes of address space the default provider reserves (the most bytes mapped at once): a
   * positive multiple of the OS page size, at most 2^22 pages. Default 4 GiB. Only when no
   * `provider` is given.
   */
  maxBytes?: number;
  /**
   * The most milliseconds a call waits for the heap's lock before it fails with `ESTATE` (a
   * thread that died inside a call holds it for ever; see {@link SharedMems.recover}): a
   * non-negative number or `Infinity`. Default `Infinity`. Every thread uses the creator's value.
   */
  lockTimeoutMs?: number;
  /**
   * The most bytes of metadata (segment records, node table, hash, policy index) the heap may
   * grow to: a positive multiple of 8, at most 2^32. Reserved, committed only as it grows.
   * Default 1 GiB.
   */
  maxMetadataBytes?: number;
}

/**
 * What {@link SharedMems.handle} is: a structured-cloneable value (SharedArrayBuffers and
 * strings) to post to a worker (`workerData`, `postMessage`), which opens the same heap with
 * {@link attachMems}.
 */
export interface SharedMemsHandle {
  /** Always `'mems-shared-heap'`. */
  readonly kind: 'mems-shared-heap';
  /** The handle's layout version (1). */
  readonly version: 1;
  /** The heap's control block: its lock, state, options (a fixed SharedArrayBuffer). */
  readonly control: SharedArrayBuffer;
  /** The heap's tables (a growable SharedArrayBuffer and its directory). */
  readonly arena: SharedArenaHandle;
  /** The page provider's handle. */
  readonly provider: SharedPagesHandle;
}

/**
 * A heap that every worker thread of a process can use: every method of {@link Mems}, each one
 * atomic (one lock per call), plus the {@link SharedMems.handle} to post to other threads,
 * {@link SharedMems.detach} and {@link SharedMems.recover}. Error messages name the methods as
 * `createMems`'s do.
 */
export interface SharedMems extends Mems {
  /** The value to post to another thread, which opens the same heap with {@link attachMems}. */
  readonly handle: SharedMemsHandle;
  /** True once this thread called {@link SharedMems.detach}. */
  readonly isDetached: boolean;
  /**
   * Ends this thread's use of the heap (the heap and other threads are unaffected): later calls
   * through this object are `ESTATE`. Views made in this thread stay valid while their blocks
   * live. Does not free blocks: free them first, or let another thread do it.
   * @throws MemsError `ESTATE` when this object already detached.
   */
  detach(): void;
  /**
   * Frees the heap's lock when the thread holding it died inside a call (a worker terminated),
   * then checks the heap with `validate()`. Call it only when you know the holder is gone: it
   * takes the lock away from whoever holds it. The dead thread's call may have been half done:
   * when validation fails, the heap is lost; `finish()` it (it still unmaps every node it
   * knows) and make a new one.
   * @returns true when a lock was freed, false when nobody held it.
   * @throws MemsError `ESTATE` when called from inside a call on this heap, after `detach` or
   *   after `finish`; HeapInvariantError when the heap does not validate.
   */
  recover(): boolean;
}

const HANDLE_KIND = 'mems-shared-heap';
const VERSION = 1;
const MAGIC = 0x4d534850; // 'MSHP'
// The control block: int32 words, then float64 slots.
const W_MAGIC = 0;
const W_VERSION = 1;
/** Words 2–5: the heap's SharedMutex. */
const MUTEX_BYTE_OFFSET = 8;
const W_STATE = 6;
const W_ATTACHED = 7;
const W_POLICY = 8;
const W_PAGE_SIZE = 9;
const W_ALIGNMENT = 10;
const W_MIN_NODE_PAGES = 11;
const W_AUTO_TRIM = 12;
const W_OWNS_PROVIDER = 13;
const W_REGIONS = 14;
/** 1 when the heap has a front cache (its settings in the F_CACHE_* floats), 0 when not. */
const W_FRONT_CACHE = 15;
const F_START_ADDRESS = 8;
const F_LOCK_TIMEOUT = 9;
const F_CACHE_MAX_BLOCK_SIZE = 10;
const F_CACHE_BLOCKS_PER_CLASS = 11;
const F_CACHE_MAX_BYTES = 12;
const CONTROL_BYTES = 128;
const LIVE = 1;
const FINISHED = 2;
/** Arena slots: the tables take about 25 regions (first fit's B+-tree is the largest set). */
const ARENA_SLOTS = 64;

const DEFAULT_MAX_BYTES = 4 * 2 ** 30;
const DEFAULT_MAX_METADATA_BYTES = 2 ** 30;
const EXTRA_OPTION_NAMES = ['maxBytes', 'lockTimeoutMs', 'maxMetadataBytes'] as const;
const CREATE = 'createSharedMems';
const ATTACH = 'attachMems';
const NAMES = INSTANCE_CALL_NAMES;

/** The option surface the heap checks a shared heap's options with. */
function surface(call: string) {
  return {
    optionNames: [...MEMS_OPTION_NAMES, ...EXTRA_OPTION_NAMES] as unknown as readonly (keyof HeapOptions)[],
    nullHint: 'leave it out (or undefined) for the default',
    callNames: heapCallNames({ ...NAMES, init: call }),
  };
}

/** Reads the caller's options once into a plain object (a throwing getter becomes EINVAL). */
function readOptions(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new MemsError('EINVAL', `${CREATE}(${describeValue(options)}): options must be an object`);
  const copy: Record<string, unknown> = {};
  try {
    for (const key of Object.keys(options)) copy[key] = (options as Record<string, unknown>)[key];
  } catch (cause) {
    throw new MemsError(
      'EINVAL',
      `${CREATE}(${describeValue(options)}): the options could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return copy;
}

function badOption(name: string, value: unknown, rule: string): MemsError {
  return new MemsError('EINVAL', `${CREATE}: option ${name} = ${describeValue(value)}: ${rule}`);
}

/** A built-in policy's name for the `policy` option (a name, or a built-in factory). */
function policyName(policy: unknown): unknown {
  if (policy === undefined) return 'first-fit';
  if (typeof policy === 'string') return policy; // the heap checks the name
  const name = POLICY_NAMES.find((candidate) => POLICIES[candidate] === policy);
  if (name !== undefined) return name;
  throw badOption(
    'policy',
    policy,
    `a shared heap takes a built-in policy (${POLICY_NAMES.join(', ')}): a custom policy factory keeps state that other threads cannot see`,
  );
}

/** Whether a provider can be shared: a known shared provider kind with `mappingAt`. */
function checkSharedProvider(provider: unknown): SharedPagesProvider {
  let kind: unknown;
  let mappingAt: unknown;
  try {
    if (typeof provider === 'object' && provider !== null) {
      kind = (provider as SharedPagesProvider).handle?.kind;
      mappingAt = (provider as SharedPagesProvider).mappingAt;
    }
  } catch {
    kind = undefined;
  }
  if (typeof kind !== 'string' || !SHARED_PROVIDER_KINDS.includes(kind) || typeof mappingAt !== 'function')
    throw badOption(
      'provider',
      provider,
      'a shared heap needs a provider that other threads can open: createSharedMemoryProvider() (in @mems/os), or createSharedMmapProvider() (in @mems/os/mmap), or leave it out for the default',
    );
  return provider as SharedPagesProvider;
}

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
  const o = readOptions(options);
  for (const key of Object.keys(o))
    if (o[key] === undefined && (EXTRA_OPTION_NAMES as readonly string[]).includes(key)) delete o[key];
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw badOption('maxBytes', maxBytes, 'must be a positive integer (a multiple of the page size)');
  if (o.maxBytes !== undefined && o.provider !== undefined)
    throw badOption(
      'maxBytes',
      maxBytes,
      'sizes the default provider only: leave it out when you pass a provider',
    );
  const lockTimeoutMs = o.lockTimeoutMs ?? Number.POSITIVE_INFINITY;
  if (typeof lockTimeoutMs !== 'number' || !(lockTimeoutMs >= 0))
    throw badOption('lockTimeoutMs', lockTimeoutMs, 'must be a non-negative number or Infinity');
  const maxMetadataBytes = o.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
  if (
    typeof maxMetadataBytes !== 'number' ||
    !Number.isSafeInteger(maxMetadataBytes) ||
    maxMetadataBytes <= 0 ||
    maxMetadataBytes % 8 !== 0 ||
    maxMetadataBytes > 2 ** 32
  )
    throw badOption('maxMetadataBytes', maxMetadataBytes, 'must be a positive multiple of 8, at most 2^32');
  for (const key of EXTRA_OPTION_NAMES) delete o[key];
  o.policy = policyName(o.policy);
  const given = o.provider;
  if (given !== undefined) checkSharedProvider(given);

  const arena = SharedArena.create({ slots: ARENA_SLOTS, maxBytes: maxMetadataBytes });
  let provider: SharedPagesProvider;
  try {
    provider = given === undefined ? createDefaultSharedProvider(maxBytes) : (given as SharedPagesProvider);
  } catch (error) {
    arena.retire(); // its reservation goes to the next heap (JavaScript cannot free a SharedArrayBuffer)
    throw error;
  }
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const words = new Int32Array(control, 0, CONTROL_BYTES / 4);
  const floats = new Float64Array(control, 0, CONTROL_BYTES / 8);
  const memory = new SharedTableMemory(arena, false);
  let heap: Heap;
  try {
    heap = new Heap({ ...o, provider } as HeapOptions, CREATE, surface(CREATE), {
      memory,
      mappingAt: (address) => provider.mappingAt(address),
    });
  } catch (error) {
    if (given === undefined) destroyProvider(provider);
    arena.retire();
    throw error;
  }
  heap.publishSharedState();
  const resolved = heap.options;
  words[W_VERSION] = VERSION;
  words[W_POLICY] = POLICY_NAMES.indexOf(resolved.policy.name as PolicyName);
  words[W_PAGE_SIZE] = resolved.pageSize;
  words[W_ALIGNMENT] = resolved.alignment;
  words[W_MIN_NODE_PAGES] = resolved.minNodePages;
  words[W_AUTO_TRIM] = resolved.autoTrim ? 1 : 0;
  words[W_OWNS_PROVIDER] = given === undefined ? 1 : 0;
  words[W_REGIONS] = memory.regionCount;
  floats[F_START_ADDRESS] = resolved.startAddress;
  floats[F_LOCK_TIMEOUT] = lockTimeoutMs;
  // Every thread's tables must resolve the same front cache (its regions come in creation order).
  const cache = resolved.frontCache;
  words[W_FRONT_CACHE] = cache === null ? 0 : 1;
  if (cache !== null) {
    floats[F_CACHE_MAX_BLOCK_SIZE] = cache.maxBlockSize;
    floats[F_CACHE_BLOCKS_PER_CLASS] = cache.blocksPerClass;
    floats[F_CACHE_MAX_BYTES] = cache.maxBytes;
  }
  words[W_ATTACHED] = 1;
  words[W_STATE] = LIVE;
  Atomics.store(words, W_MAGIC, MAGIC);
  const handle: SharedMemsHandle = Object.freeze({
    kind: HANDLE_KIND,
    version: VERSION,
    control,
    arena: arena.handle,
    provider: provider.handle,
  });
  return new SharedSession(handle, heap, provider, new SharedMutex(control, MUTEX_BYTE_OFFSET)).mems;
}

/** Returns a default provider's reservation (shared mmap); a shared-memory provider needs nothing. */
function destroyProvider(provider: SharedPagesProvider): void {
  const destroy = (provider as { destroy?: () => void }).destroy;
  if (typeof destroy === 'function') destroy.call(provider);
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
  let fields: { kind: unknown; version: unknown; control: unknown; arena: unknown; provider: unknown };
  try {
    const { kind, version, control, arena, provider } = handle;
    fields = { kind, version, control, arena, provider };
  } catch (cause) {
    throw bad('its properties cannot be read', cause);
  }
  if (fields.kind !== HANDLE_KIND) throw bad(`kind is ${describeValue(fields.kind)}`);
  if (fields.version !== VERSION) throw bad(`version is ${describeValue(fields.version)}`);
  const control = fields.control;
  if (!isSharedArrayBuffer(control) || control.byteLength !== CONTROL_BYTES)
    throw bad('control must be the heap’s control SharedArrayBuffer');
  const words = new Int32Array(control, 0, CONTROL_BYTES / 4);
  const floats = new Float64Array(control, 0, CONTROL_BYTES / 8);
  if (Atomics.load(words, W_MAGIC) !== MAGIC || words[W_VERSION] !== VERSION)
    throw bad('its control block does not describe a shared heap');
  const policy = POLICY_NAMES[words[W_POLICY]!];
  if (policy === undefined) throw bad('its control block names no built-in policy');
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
  const timeout = floats[F_LOCK_TIMEOUT]!;
  // Building the tables reads the arena's directory: under the lock, so no region moves meanwhile.
  if (!mutex.lock(timeout)) throw lockTimeout(`${ATTACH}(${described()})`, timeout, mutex.holder);
  let heap: Heap;
  try {
    if (Atomics.load(words, W_STATE) !== LIVE)
      throw new MemsError('ESTATE', `${ATTACH}(${described()}): this heap is finished (finish was called)`);
    const memory = new SharedTableMemory(arena, true);
    const options: HeapOptions = {
      provider,
      policy,
      pageSize: words[W_PAGE_SIZE]!,
      alignment: words[W_ALIGNMENT]!,
      minNodePages: words[W_MIN_NODE_PAGES]!,
      autoTrim: words[W_AUTO_TRIM] === 1,
      startAddress: floats[F_START_ADDRESS]!,
      frontCache:
        words[W_FRONT_CACHE] === 1
          ? {
              maxBlockSize: floats[F_CACHE_MAX_BLOCK_SIZE]!,
              blocksPerClass: floats[F_CACHE_BLOCKS_PER_CLASS]!,
              maxBytes: floats[F_CACHE_MAX_BYTES]!,
            }
          : false,
    };
    heap = new Heap(options, ATTACH, surface(ATTACH), {
      memory,
      mappingAt: (address) => provider.mappingAt(address),
    });
    if (memory.regionCount !== words[W_REGIONS])
      throw bad('its tables do not match this build of @mems/core');
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
  });
  return new SharedSession(own, heap, provider, mutex).mems;
}

function lockTimeout(what: string, timeoutMs: number, holder: number): MemsError {
  return new MemsError(
    'ESTATE',
    `${what}: the heap's lock was not released within ${timeoutMs} ms (lock handle ${holder} holds it); if the thread holding it died inside a call, call recover()`,
  );
}

/** One thread's use of a shared heap: its heap object, lock handle and provider. */
class SharedSession {
  readonly mems: SharedMems;
  private heap: Heap | null;
  private readonly words: Int32Array;
  private readonly timeout: number;
  private finishedHere = false;

  constructor(
    readonly handle: SharedMemsHandle,
    heap: Heap,
    private readonly provider: SharedPagesProvider,
    private readonly mutex: SharedMutex,
  ) {
    this.heap = heap;
    this.words = new Int32Array(handle.control, 0, CONTROL_BYTES / 4);
    this.timeout = new Float64Array(handle.control, 0, CONTROL_BYTES / 8)[F_LOCK_TIMEOUT]!;
    this.mems = this.operations();
  }

  private get finished(): boolean {
    return this.finishedHere || Atomics.load(this.words, W_STATE) !== LIVE;
  }

  /**
   * Takes the lock and starts a call; returns the heap. Throws ESTATE (lock untouched) when it
   * cannot. The call's arguments come one by one (`count` of them), so that a successful call
   * builds no array and no text.
   */
  private enter(call: string, count: number, a?: unknown, b?: unknown, c?: unknown): Heap {
    const heap = this.heap;
    const mutex = this.mutex;
    // The uncontended case first: one compare-and-swap, nothing that can throw.
    let locked = heap !== null && mutex.lockIfFree();
    if (!locked) {
      try {
        locked = heap !== null && mutex.lock(this.timeout);
      } catch {
        // Re-entry (this object already holds the lock): refused below in this surface's words.
      }
    }
    if (!locked) this.refuse(call, [a, b, c].slice(0, count));
    // A plain read under the lock: finish writes the state word under the lock too.
    if (this.words[W_STATE] !== LIVE) {
      mutex.unlock();
      this.refuse(call, [a, b, c].slice(0, count));
    }
    try {
      heap!.beginSharedCall();
    } catch (error) {
      mutex.unlock();
      throw error;
    }
    return heap!;
  }

  /** The ESTATE of a call that cannot start: detached, re-entered, lock timed out, or finished. */
  private refuse(call: string, args: readonly unknown[]): never {
    const what = `${call}(${args.map(describeArgument).join(', ')})`;
    if (this.heap === null)
      throw new MemsError('ESTATE', `${what}: this thread detached from the heap (detach was called)`);
    if (this.mutex.held)
      throw new MemsError(
        'ESTATE',
        `${what}: called from inside a call on the same heap (its page provider must not call back into it)`,
      );
    if (Atomics.load(this.words, W_STATE) !== LIVE)
      throw new MemsError('ESTATE', `${what}: this heap is finished (finish was called)`);
    throw lockTimeout(what, this.timeout, this.mutex.holder);
  }

  private leave(heap: Heap): void {
    try {
      heap.endSharedCall();
    } finally {
      this.mutex.unlockHeld(); // taken by this very call, in enter
    }
  }

  private run<T>(call: string, args: readonly unknown[], body: (heap: Heap) => T): T {
    const heap = this.enter(call, args.length, args[0], args[1], args[2]);
    try {
      return body(heap);
    } finally {
      this.leave(heap);
    }
  }

  private finish(): void {
    const heap = this.enter(NAMES.finish, 0);
    let failure: unknown;
    try {
      try {
        heap.destroy();
      } catch (error) {
        failure = error; // the heap is destroyed all the same (see Heap.destroy)
      }
      Atomics.store(this.words, W_STATE, FINISHED);
      this.finishedHere = true;
      if (this.words[W_OWNS_PROVIDER] === 1 && failure === undefined) destroyProvider(this.provider);
      SharedArena.open(this.handle.arena).retire(); // no thread touches the tables after FINISHED
    } finally {
      this.leave(heap);
    }
    if (failure !== undefined) throw failure;
  }

  private recover(): boolean {
    const call = 'recover';
    if (this.heap === null)
      throw new MemsError('ESTATE', `${call}(): this thread detached from the heap (detach was called)`);
    const holder = this.mutex.holder;
    if (holder === this.mutex.id)
      throw new MemsError('ESTATE', `${call}(): called from inside a call on the same heap`);
    const freed = holder !== 0 && this.mutex.forceUnlock(holder);
    this.run(call, [], (heap) => heap.validate());
    return freed;
  }

  private operations(): SharedMems {
    const session = this;
    const n = NAMES;
    return {
      handle: this.handle,
      get isFinished() {
        return session.finished;
      },
      get isDetached() {
        return session.heap === null;
      },
      detach: () => {
        if (this.heap === null)
          throw new MemsError('ESTATE', 'detach(): this thread already detached from the heap');
        this.heap = null;
        Atomics.sub(this.words, W_ATTACHED, 1);
      },
      recover: () => this.recover(),
      malloc: (size) => {
        const heap = this.enter(n.malloc, 1, size);
        try {
          return heap.allocate(size);
        } finally {
          this.leave(heap);
        }
      },
      free: (ptr) => {
        const heap = this.enter(n.free, 1, ptr);
        try {
          heap.free(ptr);
        } finally {
          this.leave(heap);
        }
      },
      get: (ptr) => this.run(n.get, [ptr], (heap) => heap.translate(ptr)),
      printStats: (write) => {
        const snapshot: HeapSnapshot = this.run(n.printStats, write === undefined ? [] : [write], (heap) =>
          heap.snapshot(),
        );
        if (write !== undefined && typeof write !== 'function')
          throw new MemsError('EINVAL', `${n.printStats}(${describeValue(write)}): write must be a function`);
        // Formatted and written outside the lock: `write` may take its time (or use the heap).
        const text = formatSeedStats(snapshot);
        if (write === undefined) writeToStdout(text);
        else write(text);
      },
      finish: () => this.finish(),
      calloc: (count, size) => this.run(n.calloc, [count, size], (heap) => heap.calloc(count, size)),
      realloc: (ptr, size) => this.run(n.realloc, [ptr, size], (heap) => heap.realloc(ptr, size)),
      view: (ptr, byteLength) =>
        this.run(n.view, byteLength === undefined ? [ptr] : [ptr, byteLength], (heap) =>
          heap.view(ptr, byteLength),
        ),
      viewAs(type, ptr, count) {
        return session.run(n.viewAs, count === undefined ? [type, ptr] : [type, ptr, count], (heap) =>
          heap.viewAs(type, ptr, count),
        );
      },
      usableSize: (ptr) => this.run(n.usableSize, [ptr], (heap) => heap.usableSize(ptr)),
      trim: () => this.run(n.trim, [], (heap) => heap.trim()),
      stats: () => this.run(n.stats, [], (heap) => heap.snapshot()),
      validate: () => this.run(n.validate, [], (heap) => heap.validate()),
    };
  }
}
