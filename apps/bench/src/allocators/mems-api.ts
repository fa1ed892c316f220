import { createMockProvider, type PageProvider } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';
import type { SharedHeapForWorkers } from '../workloads/shared-churn.js';
import { type Allocator, viewToucher } from './allocator.js';
import { snapshotFragmentation } from './mems-core.js';

/** What this benchmark needs of an independent heap from `@mems/api`'s `createMems()`. */
interface MemsInstance {
  malloc(size: number): number;
  free(address: number): void;
  get(address: number): bigint;
  realloc?(address: number, size: number): number;
  finish?(): void;
  destroy?(): void;
  stats?(): unknown;
  view(address: number, byteLength?: number): Uint8Array;
}

// A variable specifier: @mems/api is being written while this benchmark is, so it is loaded at
// run time and its absence is reported rather than failing the build.
const API_MODULE = '@mems/api';
let createMems: ((options?: { provider?: PageProvider }) => MemsInstance) | undefined;

/** Imports `@mems/api`: its exports, or why it cannot be loaded. */
async function importApi(): Promise<Record<string, unknown> | string> {
  try {
    return (await import(API_MODULE)) as Record<string, unknown>;
  } catch (error) {
    return `@mems/api cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/**
 * Loads `@mems/api` once.
 * @returns null when `createMems` is there, else why it is not.
 */
export async function loadMemsApi(): Promise<string | null> {
  const api = await importApi();
  if (typeof api === 'string') return api;
  if (typeof api.createMems !== 'function') return '@mems/api does not export createMems yet';
  createMems = api.createMems as typeof createMems & {};
  const probe = createMems!({ provider: createMockProvider() });
  for (const name of ['malloc', 'free', 'get', 'view'] as const) {
    if (typeof probe[name] !== 'function') return `@mems/api createMems() has no ${name}()`;
  }
  if (typeof probe.finish === 'function') probe.finish();
  else if (typeof probe.destroy === 'function') probe.destroy();
  return null;
}

/**
 * MeMS through `@mems/api`: `createMems({ provider })` with an mmap provider (what the default
 * provider is on Node; passed explicitly so its mapped bytes can be read) and every other
 * option at its default (first fit), driven through `malloc`, `free`, `get` and `realloc`.
 * The api does not expose the heap's metadata bytes, so none are reported.
 * @param id contender id.
 * @returns the allocator.
 * @throws Error when {@link loadMemsApi} has not succeeded.
 */
export function memsApiAllocator(id: string): Allocator<number> {
  if (createMems === undefined) throw new Error('call loadMemsApi() first');
  const provider = createMmapProvider();
  const mems = createMems({ provider });
  const realloc = mems.realloc;
  const stats = mems.stats;
  return {
    id,
    malloc: (size) => mems.malloc(size),
    free: (address) => mems.free(address),
    realloc: typeof realloc === 'function' ? (address, size) => realloc.call(mems, address, size) : null,
    translate: (address) => mems.get(address),
    interior: (address, offset) => address + offset,
    newSlots: (count) => new Float64Array(count),
    touch: viewToucher((address: number, size: number) => ({ bytes: mems.view(address, size), offset: 0 })),
    memory: () => ({ mappedBytes: provider.mappedBytes, metadataBytes: null }),
    fragmentation: () =>
      typeof stats === 'function'
        ? snapshotFragmentation(stats.call(mems) as Parameters<typeof snapshotFragmentation>[0])
        : null,
    destroy: () => {
      if (typeof mems.finish === 'function') mems.finish();
      else if (typeof mems.destroy === 'function') mems.destroy();
    },
  };
}

/** What this benchmark needs of a heap from `@mems/api`'s `createSharedMems()`. */
interface SharedMemsInstance {
  readonly handle: unknown;
  validate(): void;
  stats(): { readonly counters: { readonly liveBlocks: number; readonly bytesInUse: number } };
  finish(): void;
}
let createSharedMems:
  | ((options?: { policy?: string; threadCache?: boolean }) => SharedMemsInstance)
  | undefined;

/**
 * Loads `@mems/api`'s shared heap (`createSharedMems` and `attachMems`) once.
 * @returns null when both are there, else why not.
 */
export async function loadSharedMemsApi(): Promise<string | null> {
  const api = await importApi();
  if (typeof api === 'string') return api;
  if (typeof api.createSharedMems !== 'function' || typeof api.attachMems !== 'function')
    return '@mems/api does not export createSharedMems and attachMems';
  createSharedMems = api.createSharedMems as typeof createSharedMems & {};
  return null;
}

/**
 * A shared MeMS heap for the shared-churn workload's workers: `createSharedMems({ policy })`
 * with its default provider (shared mmap pages on Node), every other option at its default.
 * @param policy the placement policy.
 * @param threadCache give it per-thread caches (`threadCache: true`).
 * @returns the workers' allocator spec (the heap's handle), and the final check: every block
 *   freed, `validate()` passes, then `finish()`.
 * @throws Error when {@link loadSharedMemsApi} has not succeeded.
 */
export function sharedMemsForWorkers(policy: string, threadCache = false): SharedHeapForWorkers {
  if (createSharedMems === undefined) throw new Error('call loadSharedMemsApi() first');
  const mems = createSharedMems({ policy, threadCache });
  return {
    allocator: { kind: 'mems-shared', handle: mems.handle },
    checkAndFinish: () => {
      try {
        mems.validate();
        const { liveBlocks, bytesInUse } = mems.stats().counters;
        if (liveBlocks !== 0 || bytesInUse !== 0)
          throw new Error(
            `the shared heap holds ${liveBlocks} blocks (${bytesInUse} bytes) after every worker freed its own`,
          );
      } finally {
        mems.finish();
      }
    },
  };
}
