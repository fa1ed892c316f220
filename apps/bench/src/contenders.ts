import type { PolicyName } from '@mems/core';
import { errorMessage } from '@mems/os';
import {
  koffiAccessTarget,
  type MemsAccessPath,
  memsAccessTarget,
  typedArrayAccessTarget,
} from './allocators/access-targets.js';
import type { Allocator } from './allocators/allocator.js';
import { baselineAllocator } from './allocators/baseline.js';
import { libcKoffiAllocator, libcKoffiBigIntAllocator } from './allocators/libc-koffi.js';
import { loadMemsApi, loadSharedMemsApi, memsApiAllocator } from './allocators/mems-api.js';
import { type MemsTouchPath, memsCoreAllocator, type ProviderKind } from './allocators/mems-core.js';
import { thingMallocAllocator } from './allocators/thing-malloc.js';
import { koffiMinimalUnavailable, runKoffiMinimalChurn } from './koffi-minimal.js';
import type { TrialPlan } from './measure.js';
import { type MemsCoreVariant, VARIANT_LABELS, VARIANT_OPTIONS } from './mems-core-variants.js';
import type { ContenderInfo, PointResult } from './results.js';
import type { ChurnSequence } from './sequence.js';
import type { AccessTarget } from './workloads/access.js';

/** The workloads a benchmark process can run (seed and realloc each report two). */
export type JobWorkload =
  | 'churn'
  | 'churn-touch'
  | 'access'
  | 'glibc-simple'
  | 'seed'
  | 'realloc'
  | 'translate'
  | 'traces'
  | 'shared-churn'
  | 'larson'
  | 'xmalloc';

/** Every job workload, in report order. */
export const JOB_WORKLOADS: readonly JobWorkload[] = [
  'churn',
  'churn-touch',
  'access',
  'glibc-simple',
  'seed',
  'realloc',
  'translate',
  'traces',
  'shared-churn',
  'larson',
  'xmalloc',
];

/** The workloads whose workers are threads of one process (issues 12 and 21): thread-capable contenders only. */
export const THREAD_WORKLOADS: readonly JobWorkload[] = ['shared-churn', 'larson', 'xmalloc'];

/** A contender: how to make it and what it runs. */
export interface ContenderSpec extends ContenderInfo {
  /** The workloads it runs. */
  readonly workloads: readonly JobWorkload[];
  /** The largest point (live blocks, or blocks grown side by side) it is run at, per workload; larger points are skipped. */
  readonly maxPoint?: Partial<Record<JobWorkload, number>>;
  /** Why larger points are skipped. */
  readonly maxPointReason?: string;
  /** The same in the quick run (`--quick`), where it is smaller. */
  readonly quickMaxPoint?: Partial<Record<JobWorkload, number>>;
  /** The C reference: run as its own program, not through {@link ContenderSpec.create}. */
  readonly native?: boolean;
  /**
   * A churn loop that is a program of its own (`koffi-libc-minimal`): runs the script in a
   * process that loads nothing of the harness, instead of {@link ContenderSpec.create}.
   */
  readonly program?: (seq: ChurnSequence, plan: TrialPlan) => PointResult;
  /**
   * The `access` workload's way of reaching the blocks (a contender of that workload has one).
   * @param live how many blocks it will allocate.
   * @returns a fresh target.
   */
  readonly access?: (live: number) => AccessTarget;
  /**
   * Loads what the contender needs, once per process.
   * @returns null when it is ready, or the reason it is not available.
   */
  prepare(): Promise<string | null>;
  /**
   * Makes a fresh allocator (after {@link ContenderSpec.prepare} said it is ready).
   * @param poolBytes how much memory the workload may hold at once (for fixed-size pools).
   * @returns the allocator.
   */
  create(poolBytes: number): Allocator<unknown>;
  /**
   * How the thread workloads' (shared-churn, larson, xmalloc) worker threads reach this contender: a heap the job
   * shares with them, one each makes for itself (then only one worker is run), or glibc.
   */
  readonly threads?: ThreadContender;
}

/** A contender's part in the thread workloads (shared-churn, larson, xmalloc). */
export interface ThreadContender {
  readonly kind: 'mems-shared' | 'mems-private' | 'koffi-libc' | 'smo';
  /** The policy of a MeMS heap (a private one: the api's default when left out). */
  readonly policy?: PolicyName;
  /** The most workers it is run with (a private heap serves one thread). */
  readonly maxWorkers: number;
  /** A shared MeMS heap with per-thread caches (`createSharedMems({ threadCache: true })`). */
  readonly threadCache?: boolean;
  /** Runs this fraction of the plan's pairs per round (1 unless each call is slow). */
  readonly pairsShare?: number;
}

const POLICIES: readonly PolicyName[] = ['first-fit', 'next-fit', 'best-fit', 'tlsf'];
/**
 * Every workload but the thread workloads, which need a contender that worker threads can reach,
 * and access, whose MeMS contenders are heaps of their own (alignment 8) with their own access paths.
 */
const ALL: readonly JobWorkload[] = JOB_WORKLOADS.filter(
  (w) => !THREAD_WORKLOADS.includes(w) && w !== 'access',
);
/** The mock provider's rows show what real pages cost; the new workloads need them only on mmap. */
const MOCK: readonly JobWorkload[] = ['churn', 'glibc-simple', 'seed', 'realloc', 'translate'];

function memsCore(
  policy: PolicyName,
  provider: ProviderKind,
  variant: MemsCoreVariant = 'plain',
  touch: MemsTouchPath = 'view',
): ContenderSpec {
  const base = variant === 'plain' ? `${policy}/${provider}` : `${policy}+${variant}/${provider}`;
  const suffix = VARIANT_LABELS[variant];
  // Another access path is another program on the same heap: churn-touch only.
  const other = touch !== 'view';
  const id = other ? `${base}/${touch}` : base;
  return {
    id,
    label: `MeMS ${policy} · ${provider}${suffix}${other ? ` · ${touch} per access` : ''}`,
    group: 'mems',
    // (Slabs to 8 KiB differ from the default slabs only past 1 KiB: the traces have such sizes.)
    workloads: other
      ? ['churn-touch']
      : variant === 'slabs8k'
        ? ['traces']
        : provider === 'mmap'
          ? ALL
          : MOCK,
    prepare: async () => null,
    create: () =>
      memsCoreAllocator(id, policy, provider, {
        ...VARIANT_OPTIONS[variant],
        touch,
      }) as Allocator<unknown>,
  };
}

/**
 * A MeMS contender of the `access` workload: tlsf with the front cache on mmap (and slabs when
 * `slabs`), `alignment: 8`, reaching its blocks through `path`.
 */
function memsAccess(path: MemsAccessPath, label: string, slabs = false): ContenderSpec {
  const id = `tlsf+${slabs ? 'slabs' : 'cache'}/mmap/a8/${path}`;
  return {
    id,
    label: `MeMS tlsf · mmap · ${slabs ? 'slabs + front cache' : 'front cache'} · alignment 8 · ${label}`,
    group: 'mems',
    workloads: ['access'],
    prepare: async () => null,
    create: () => {
      throw new Error(`${id} runs the access workload only`);
    },
    access: (live) => memsAccessTarget(id, path, live, slabs),
  };
}

function libcKoffi(
  id: string,
  label: string,
  make: (id: string) => Allocator<number> | Allocator<bigint>,
  workloads: readonly JobWorkload[],
): ContenderSpec {
  return {
    id,
    label,
    group: 'peer',
    workloads,
    prepare: async () => {
      try {
        make(id);
        return null;
      } catch (error) {
        return `koffi cannot bind libc.so.6: ${errorMessage(error)}`;
      }
    },
    create: () => make(id) as Allocator<unknown>,
  };
}

/**
 * A MeMS heap shared by worker threads (`createSharedMems({ policy })` in the job's main thread,
 * `attachMems(handle)` in each worker): the thread workloads only.
 */
function memsShared(policy: PolicyName, threadCache = false): ContenderSpec {
  const id = threadCache ? `${policy}/shared+threadCache` : `${policy}/shared`;
  return {
    id,
    label: threadCache
      ? `MeMS ${policy} · createSharedMems({ threadCache: true })`
      : `MeMS ${policy} · createSharedMems`,
    group: 'mems',
    workloads: THREAD_WORKLOADS,
    prepare: () => loadSharedMemsApi(),
    create: () => {
      throw new Error(`${id} runs only in worker threads (${THREAD_WORKLOADS.join(', ')})`);
    },
    threads: { kind: 'mems-shared', policy, threadCache, maxWorkers: Number.POSITIVE_INFINITY },
  };
}

/** Every contender, in report order. */
export const CONTENDERS: readonly ContenderSpec[] = [
  ...POLICIES.map((policy) => memsCore(policy, 'mmap')),
  // The front cache (issue 14), on by default for these two policies; the rows above turn it off.
  memsCore('tlsf', 'mmap', 'cache'),
  memsCore('best-fit', 'mmap', 'cache'),
  // Issue 20: small blocks from per-size-class slabs (the front cache still serves larger sizes).
  memsCore('tlsf', 'mmap', 'slabs'),
  // Issue 20: slabs for medium sizes too (`slabs: { maxBlockSize: 8192 }`), on the traces.
  memsCore('tlsf', 'mmap', 'slabs8k'),
  // Issue 20: the same heap as tlsf+cache/mmap, its blocks touched through heap.memoryOf.
  memsCore('tlsf', 'mmap', 'cache', 'memoryOf'),
  // Issue 20: random 8-byte reads and writes of live blocks, four ways through MeMS.
  memsAccess('viewAs', 'viewAs per access'),
  memsAccess('memoryOf', 'memoryOf per access'),
  memsAccess('memoryOf-interior', 'memoryOf of the interior address per access'),
  memsAccess('memoryOf-hoisted', 'memoryOf kept per block'),
  // The same through slabs, whose page map finds any address's block without a hash probe.
  memsCore('tlsf', 'mmap', 'slabs', 'memoryOf'),
  memsAccess('viewAs', 'viewAs per access', true),
  memsAccess('memoryOf', 'memoryOf per access', true),
  memsAccess('memoryOf-interior', 'memoryOf of the interior address per access', true),
  ...POLICIES.map((policy) => memsCore(policy, 'mock')),
  {
    id: 'api',
    label: 'MeMS @mems/api createMems()',
    group: 'mems',
    workloads: [...ALL.filter((w) => w !== 'traces'), ...THREAD_WORKLOADS],
    prepare: () => loadMemsApi(),
    create: () => memsApiAllocator('api') as Allocator<unknown>,
    threads: { kind: 'mems-private', maxWorkers: 1 },
  },
  {
    // Issue 21's single-threaded reference for the thread caches: the same policy, with the
    // front cache that a thread cache stands in for.
    id: 'api-tlsf',
    label: "MeMS @mems/api createMems({ policy: 'tlsf' })",
    group: 'mems',
    workloads: THREAD_WORKLOADS,
    prepare: () => loadMemsApi(),
    create: () => {
      throw new Error(`api-tlsf runs only in worker threads (${THREAD_WORKLOADS.join(', ')})`);
    },
    threads: { kind: 'mems-private', policy: 'tlsf', maxWorkers: 1 },
  },
  memsShared('tlsf'),
  memsShared('first-fit'),
  // Issue 21: per-thread caches in front of the shared heap.
  memsShared('tlsf', true),
  {
    id: 'thi.ng',
    label: '@thi.ng/malloc MemPool',
    group: 'peer',
    workloads: ['churn', 'churn-touch', 'glibc-simple', 'seed', 'realloc'],
    maxPoint: { churn: 10_000, 'churn-touch': 10_000, seed: 10_000, realloc: 100 },
    // Each of its 10k-block churn pairs takes hundreds of µs: the smoke test stops at 1k.
    quickMaxPoint: { churn: 1_000 },
    maxPointReason:
      'O(free blocks) per call: not run above 10k live blocks, nor 100 blocks growing side by side (the next size up would take minutes)',
    prepare: async () => null,
    create: (poolBytes) => thingMallocAllocator('thi.ng', poolBytes) as Allocator<unknown>,
  },
  {
    ...libcKoffi('koffi-libc', 'libc malloc via koffi', libcKoffiAllocator, [
      'churn',
      'churn-touch',
      'access',
      'glibc-simple',
      'seed',
      'realloc',
      'traces',
      ...THREAD_WORKLOADS,
    ]),
    threads: { kind: 'koffi-libc', maxWorkers: Number.POSITIVE_INFINITY },
    access: (live) => koffiAccessTarget('koffi-libc', live),
  },
  {
    // The control for koffi-libc: the same declarations in a twenty-line loop of its own process.
    id: 'koffi-libc-minimal',
    label: 'libc malloc via koffi, minimal loop in its own process',
    group: 'peer',
    workloads: ['churn'],
    prepare: async () => {
      const missing = koffiMinimalUnavailable();
      if (missing !== null) return missing;
      try {
        libcKoffiAllocator('koffi-libc-minimal');
        return null;
      } catch (error) {
        return `koffi cannot bind libc.so.6: ${errorMessage(error)}`;
      }
    },
    create: () => {
      throw new Error('koffi-libc-minimal runs as a program of its own');
    },
    program: runKoffiMinimalChurn,
  },
  libcKoffi('koffi-libc-bigint', 'libc malloc via koffi, BigInt pointers', libcKoffiBigIntAllocator, [
    'churn',
    'churn-touch',
  ]),
  {
    id: 'shared-memory-objects',
    label: '@daneren2005/shared-memory-objects MemoryHeap',
    group: 'peer',
    workloads: THREAD_WORKLOADS,
    prepare: async () => null,
    create: () => {
      throw new Error('shared-memory-objects runs only in worker threads (shared-churn, larson, xmalloc)');
    },
    // First fit over a free list per 1 MiB buffer, O(free blocks) per call: a hundredth of the pairs.
    threads: { kind: 'smo', maxWorkers: Number.POSITIVE_INFINITY, pairsShare: 0.01 },
  },
  {
    id: 'native-c',
    label: 'native C, glibc malloc',
    group: 'peer',
    workloads: ['churn', 'churn-touch', 'access', 'traces'],
    native: true,
    prepare: async () => null,
    create: () => {
      throw new Error('the native reference runs as its own program');
    },
  },
  {
    // The JavaScript floor of the access workload: a Float64Array per block, no allocator.
    id: 'typed-array',
    label: 'plain Float64Array per block, no allocator',
    group: 'baseline',
    workloads: ['access'],
    prepare: async () => null,
    create: () => {
      throw new Error('typed-array runs the access workload only');
    },
    access: (live) => typedArrayAccessTarget('typed-array', live),
  },
  {
    id: 'baseline',
    label: 'harness loop, no allocator',
    group: 'baseline',
    workloads: ['churn', 'glibc-simple', 'translate'],
    prepare: async () => null,
    create: () => baselineAllocator('baseline') as Allocator<unknown>,
  },
];

/**
 * Finds a contender by id.
 * @param id a contender id.
 * @returns the spec.
 * @throws Error for an unknown id.
 */
export function contenderById(id: string): ContenderSpec {
  const spec = CONTENDERS.find((c) => c.id === id);
  if (!spec) throw new Error(`unknown contender ${id}; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  return spec;
}
