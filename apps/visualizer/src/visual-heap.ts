import { createHeap, type Heap, POLICIES, POLICY_NAMES, type PolicyName } from '@mems/core';
import { createMockProvider } from '@mems/os';

/** The `createMems` options the page lets a student set (the provider is always the mock one). */
export interface VisualOptions {
  /** Placement policy. */
  readonly policy: PolicyName;
  /** Heap page size in bytes. */
  readonly pageSize: number;
  /** The first MeMS virtual address. */
  readonly startAddress: number;
  /** Block alignment in bytes. */
  readonly alignment: number;
  /** The fewest pages a new node maps. */
  readonly minNodePages: number;
  /** Unmap a node as soon as its last block is freed. */
  readonly autoTrim: boolean;
}

/** The seed's defaults: first fit, 4096-byte pages, first address 1000, byte alignment. */
export const DEFAULT_OPTIONS: VisualOptions = {
  policy: 'first-fit',
  pageSize: 4096,
  startAddress: 1000,
  alignment: 1,
  minNodePages: 1,
  autoTrim: false,
};

/** The built-in policies, in the order the page lists them. */
export const POLICY_CHOICES: readonly PolicyName[] = POLICY_NAMES;

/** The names `createMems` gives its methods in error messages, so the page says exactly what the API says. */
const CALL_NAMES = {
  allocate: 'malloc',
  free: 'free',
  translate: 'get',
  view: 'view',
  viewAs: 'viewAs',
  calloc: 'calloc',
  realloc: 'realloc',
  usableSize: 'usableSize',
  trim: 'trim',
  snapshot: 'stats',
  counters: 'stats',
  validate: 'validate',
  destroy: 'finish',
} as const;

/** A heap of the real `@mems/core` on the mock provider, with the next-fit cursor made visible. */
export interface VisualHeap {
  /** The heap. */
  readonly heap: Heap;
  /**
   * Where the policy's last placement ended (`start + size` of the last block placed), which
   * is next fit's cursor; `null` before the first placement.
   */
  readonly cursor: () => number | null;
}

/**
 * Creates a heap with the page's options on a fresh mock provider (deterministic fake
 * physical addresses, so a replay of the same commands gives the same state). The policy is
 * the built-in one; the only addition is an observer of its `allocated(start, size)` call. The
 * front cache is off (as `createMems({ policy, frontCache: false })`).
 * @param options the page's options.
 * @returns the heap and its cursor.
 * @throws MemsError `EINVAL` for an invalid option (as `createMems` says it, with `createHeap` as the call name).
 */
export function createVisualHeap(options: VisualOptions): VisualHeap {
  if (typeof options !== 'object' || options === null || !Object.hasOwn(POLICIES, options.policy))
    throw new TypeError('createVisualHeap: options with a built-in policy are required');
  const base = POLICIES[options.policy];
  let cursor: number | null = null;
  const policy = {
    name: base.name,
    create: (...args: Parameters<typeof base.create>) => {
      const inner = base.create(...args);
      const allocated = inner.allocated.bind(inner);
      const clear = inner.clear.bind(inner);
      inner.allocated = (start: number, size: number) => {
        cursor = start + size;
        allocated(start, size);
      };
      inner.clear = () => {
        cursor = null;
        clear();
      };
      return inner;
    },
  };
  const heap = createHeap({
    provider: createMockProvider(),
    policy,
    pageSize: options.pageSize,
    startAddress: options.startAddress,
    alignment: options.alignment,
    minNodePages: options.minNodePages,
    autoTrim: options.autoTrim,
    // The page shows what each placement policy does, so never @mems/core's front cache (which
    // rounds small sizes to 16 bytes and hands freed blocks back whatever the policy would pick).
    frontCache: false,
    callNames: CALL_NAMES,
  });
  return { heap, cursor: () => cursor };
}
