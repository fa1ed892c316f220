/**
 * The heap options a `pnpm fuzz --shared N` run rotates through, one set per run: the policy,
 * the front cache, the shared provider (the default shared mmap provider of `createSharedMems`,
 * or `createSharedMemoryProvider` of `@mems/os`), alignment, page size, start address,
 * `minNodePages`, `autoTrim`, and `threadCache: true` when this build has that option. A set is
 * plain data, posted to the workers as it is.
 */
import { createSharedMems, type SharedMems } from '@mems/api';
import { createSharedMemoryProvider, isMemsError } from '@mems/os';

/** The four built-in policies, in rotation order. */
export const THREAD_POLICIES = ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const;

/** One run's heap options. */
export interface ThreadHeapOptions {
  readonly policy: (typeof THREAD_POLICIES)[number];
  /** Left out (the policy's default), on or off; only tlsf and best-fit take a cache. */
  readonly frontCache: boolean | undefined;
  /** `shared-mmap`: createSharedMems's default provider; `shared-memory`: createSharedMemoryProvider. */
  readonly provider: 'shared-mmap' | 'shared-memory';
  readonly alignment: 1 | 8 | 16;
  readonly pageSize: 2048 | 4096 | 8192;
  readonly startAddress: number;
  readonly minNodePages: number;
  readonly autoTrim: boolean;
  /** Whether `threadCache: true` is passed (only when the build has the option). */
  readonly threadCache: boolean;
}

/** Bytes of pages a run's heap may map (either provider). */
const HEAP_BYTES = 256 * 2 ** 20;
/** Bytes of metadata a run's heap may grow to. */
const METADATA_BYTES = 2 ** 26;
/**
 * How long a call waits for the heap's lock: a thread that dies inside a call makes every other
 * call fail with ESTATE after this, rather than block the main thread for ever.
 */
export const LOCK_TIMEOUT_MS = 20_000;

/**
 * The options of run `run`: the policy, provider and thread cache follow the run's number (so
 * that eight runs cover each policy on both providers, with and without the thread cache), the
 * rest come from `random`.
 * @param run the run's number from 0.
 * @param random a seeded generator of floats in [0, 1).
 * @param threadCacheSupported whether `threadCache` may be passed.
 */
export function pickThreadHeapOptions(
  run: number,
  random: () => number,
  threadCacheSupported: boolean,
): ThreadHeapOptions {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const policy = THREAD_POLICIES[run % 4]!;
  const cached = policy === 'tlsf' || policy === 'best-fit';
  return {
    policy,
    frontCache: cached ? pick([undefined, true, false]) : undefined,
    provider: Math.floor(run / 4) % 2 === 0 ? 'shared-mmap' : 'shared-memory',
    alignment: pick([1, 8, 16] as const),
    pageSize: pick([2048, 4096, 4096, 8192] as const),
    startAddress: pick([0, 1000, 1000, 1 + Math.floor(random() * 5000)]),
    minNodePages: pick([1, 1, 2, 3]),
    autoTrim: random() < 0.25,
    threadCache: threadCacheSupported && (run + (run >> 2)) % 2 === 0,
  };
}

/** One line naming a set: `tlsf, front cache off, shared-memory provider, alignment 8, ...`. */
export function describeThreadHeapOptions(o: ThreadHeapOptions): string {
  const cache =
    o.frontCache === undefined ? 'front cache default' : `front cache ${o.frontCache ? 'on' : 'off'}`;
  return [
    o.policy,
    cache,
    o.provider === 'shared-mmap' ? 'shared mmap (default provider)' : 'createSharedMemoryProvider',
    `alignment ${o.alignment}`,
    `pageSize ${o.pageSize}`,
    `startAddress ${o.startAddress}`,
    `minNodePages ${o.minNodePages}`,
    o.autoTrim ? 'autoTrim' : 'no autoTrim',
    o.threadCache ? 'threadCache' : 'no threadCache',
  ].join(', ');
}

/** The options `createMems` takes for the same heap (no provider, nothing a shared heap adds). */
export function plainHeapOptions(o: ThreadHeapOptions): Record<string, unknown> {
  const options: Record<string, unknown> = {
    policy: o.policy,
    alignment: o.alignment,
    pageSize: o.pageSize,
    startAddress: o.startAddress,
    minNodePages: o.minNodePages,
    autoTrim: o.autoTrim,
  };
  if (o.frontCache !== undefined) options.frontCache = o.frontCache;
  return options;
}

/** A run's shared heap and how to check that its provider gave everything back. */
export interface ThreadHeap {
  readonly mems: SharedMems;
  /** The options it was made with (threadCache dropped when the build refused it for this set). */
  readonly options: ThreadHeapOptions;
  /** Why threadCache was dropped, or null. */
  readonly threadCacheRefusal: string | null;
  /** Bytes the provider still maps (0 after finish), or null when the heap owns its provider. */
  providerBytes(): number | null;
}

/**
 * Makes the shared heap of a set of options.
 * @returns the heap; when the build refuses `threadCache: true` for this set (an `EINVAL` that
 *   names it), the heap without it, and the refusal.
 * @throws MemsError as `createSharedMems` for anything else.
 */
export function createThreadHeap(o: ThreadHeapOptions): ThreadHeap {
  const make = (threadCache: boolean): ThreadHeap => {
    const provider =
      o.provider === 'shared-memory' ? createSharedMemoryProvider({ maxBytes: HEAP_BYTES }) : undefined;
    const options: Record<string, unknown> = {
      ...plainHeapOptions(o),
      lockTimeoutMs: LOCK_TIMEOUT_MS,
      maxMetadataBytes: METADATA_BYTES,
      ...(provider === undefined ? { maxBytes: HEAP_BYTES } : { provider }),
      ...(threadCache ? { threadCache: true } : {}),
    };
    const mems = createSharedMems(options as Parameters<typeof createSharedMems>[0]);
    return {
      mems,
      options: { ...o, threadCache },
      threadCacheRefusal: null,
      providerBytes: () => (provider === undefined ? null : provider.mappedBytes),
    };
  };
  if (!o.threadCache) return make(false);
  try {
    return make(true);
  } catch (error) {
    if (!isMemsError(error) || error.code !== 'EINVAL' || !error.message.includes('threadCache')) throw error;
    return { ...make(false), threadCacheRefusal: error.message };
  }
}
