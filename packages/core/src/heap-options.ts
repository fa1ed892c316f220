import { createDefaultProvider, describeValue, MemsError, type PageProvider } from '@mems/os';
import { POLICIES, POLICY_NAMES, type PolicyName } from './policies/index.js';
import type { PlacementPolicyFactory } from './policies/placement-policy.js';

/** The operations of a heap whose names appear in error messages. */
export type HeapOperation =
  | 'allocate'
  | 'free'
  | 'translate'
  | 'view'
  | 'viewAs'
  | 'calloc'
  | 'realloc'
  | 'usableSize'
  | 'trim'
  | 'snapshot'
  | 'validate'
  | 'destroy'
  | 'counters';

/** Options of {@link createHeap}. Every one has a default that keeps the seed's behaviour. */
export interface HeapOptions {
  /** Where pages come from. Default: `createDefaultProvider()` (mmap on Node, mock elsewhere). */
  provider?: PageProvider;
  /** Heap page size in bytes: a multiple or a divisor of the provider's page size. Default 4096. */
  pageSize?: number;
  /** The first MeMS virtual address: a non-negative safe integer. Default 1000. */
  startAddress?: number;
  /** Placement policy: a built-in name or a factory of your own. Default `'first-fit'`. */
  policy?: PolicyName | PlacementPolicyFactory;
  /** Block alignment: a power of two up to the provider's page size; sizes are rounded up to it. Default 1 (the seed's byte-exact addresses). */
  alignment?: number;
  /** The fewest pages a new node maps (growth): a positive integer. Default 1, the seed's ceil(size / pageSize). */
  minNodePages?: number;
  /** Return a node to the provider as soon as its last block is freed. Default false (the seed keeps nodes). */
  autoTrim?: boolean;
  /** Names used for operations in error messages, for layers that present other names. */
  callNames?: Partial<Record<HeapOperation, string>>;
}

/** The options after validation, with defaults applied. */
export interface ResolvedHeapOptions {
  /** The page provider. */
  readonly provider: PageProvider;
  /** Heap page size in bytes. */
  readonly pageSize: number;
  /** The first virtual address. */
  readonly startAddress: number;
  /** The policy factory. */
  readonly policy: PlacementPolicyFactory;
  /** The block alignment. */
  readonly alignment: number;
  /** The fewest pages per new node. */
  readonly minNodePages: number;
  /** Whether empty nodes are unmapped at once. */
  readonly autoTrim: boolean;
  /** Names of operations for error messages. */
  readonly callNames: Readonly<Record<HeapOperation, string>>;
}

/** Every option name {@link HeapOptions} accepts, in documentation order. */
export const HEAP_OPTION_NAMES: readonly (keyof HeapOptions)[] = [
  'provider',
  'pageSize',
  'startAddress',
  'policy',
  'alignment',
  'minNodePages',
  'autoTrim',
  'callNames',
];

const OPERATIONS: readonly HeapOperation[] = [
  'allocate',
  'free',
  'translate',
  'view',
  'viewAs',
  'calloc',
  'realloc',
  'usableSize',
  'trim',
  'snapshot',
  'validate',
  'destroy',
  'counters',
];

const isPowerOfTwo = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;

/**
 * Checks heap options and fills in defaults.
 * @param options the caller's options (may be undefined).
 * @param call the call name for error messages, e.g. `createHeap`.
 * @returns the resolved options.
 * @throws MemsError `EINVAL` naming the option and its value when one is invalid.
 */
export function resolveHeapOptions(
  options: HeapOptions | undefined,
  call = 'createHeap',
): ResolvedHeapOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options)))
    throw new MemsError('EINVAL', `${call}(${describeValue(options)}): options must be an object`);
  const o = options ?? {};
  for (const [key, value] of Object.entries(o)) {
    if (!HEAP_OPTION_NAMES.includes(key as keyof HeapOptions))
      throw new MemsError(
        'EINVAL',
        `${call}: unknown option ${JSON.stringify(key)}; the options are ${HEAP_OPTION_NAMES.join(', ')}`,
      );
    if (value === null)
      throw new MemsError('EINVAL', `${call}: option ${key} = null: leave it out for the default`);
  }
  const bad = (name: string, value: unknown, rule: string): MemsError =>
    new MemsError('EINVAL', `${call}: option ${name} = ${describeValue(value)}: ${rule}`);

  const provider = o.provider ?? createDefaultProvider();
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.map !== 'function' ||
    typeof provider.unmap !== 'function' ||
    !isPowerOfTwo(provider.pageSize)
  )
    throw bad('provider', provider, 'must be a PageProvider (name, pageSize, map, unmap)');

  // A heap page may also be smaller than the OS page (4096 on a 16 KiB-page Mac): a node then
  // maps whole OS pages and uses the first pages × pageSize bytes of them.
  const pageSize = o.pageSize ?? 4096;
  if (
    typeof pageSize !== 'number' ||
    !Number.isSafeInteger(pageSize) ||
    pageSize <= 0 ||
    (pageSize % provider.pageSize !== 0 && provider.pageSize % pageSize !== 0)
  )
    throw bad(
      'pageSize',
      pageSize,
      `must be a positive multiple or divisor of the provider's page size ${provider.pageSize}`,
    );
  if (pageSize > provider.maxMappingBytes)
    throw bad(
      'pageSize',
      pageSize,
      `must be at most the provider's largest mapping ${provider.maxMappingBytes}`,
    );

  const startAddress = o.startAddress ?? 1000;
  if (typeof startAddress !== 'number' || !Number.isSafeInteger(startAddress) || startAddress < 0)
    throw bad('startAddress', startAddress, 'must be a non-negative safe integer');

  let policy: PlacementPolicyFactory;
  const p = o.policy ?? 'first-fit';
  if (typeof p === 'string') {
    if (!Object.hasOwn(POLICIES, p))
      throw bad('policy', p, `must be one of ${POLICY_NAMES.join(', ')} or a policy factory`);
    policy = POLICIES[p as PolicyName];
  } else if (
    typeof p === 'object' &&
    p !== null &&
    typeof p.create === 'function' &&
    typeof p.name === 'string'
  ) {
    policy = p;
  } else {
    throw bad('policy', p, `must be one of ${POLICY_NAMES.join(', ')} or a policy factory`);
  }

  const alignment = o.alignment ?? 1;
  const maxAlignment = Math.min(provider.pageSize, pageSize & -pageSize);
  if (typeof alignment !== 'number' || !isPowerOfTwo(alignment) || alignment > maxAlignment)
    throw bad('alignment', alignment, `must be a power of two from 1 to ${maxAlignment}`);

  const minNodePages = o.minNodePages ?? 1;
  if (typeof minNodePages !== 'number' || !Number.isSafeInteger(minNodePages) || minNodePages <= 0)
    throw bad('minNodePages', minNodePages, 'must be a positive integer');
  if (minNodePages * pageSize > provider.maxMappingBytes)
    throw bad(
      'minNodePages',
      minNodePages,
      `times the page size must be at most ${provider.maxMappingBytes} bytes`,
    );

  const autoTrim = o.autoTrim ?? false;
  if (typeof autoTrim !== 'boolean') throw bad('autoTrim', autoTrim, 'must be a boolean');

  const callNames = {} as Record<HeapOperation, string>;
  const given = o.callNames ?? {};
  if (typeof given !== 'object' || given === null) throw bad('callNames', given, 'must be an object');
  for (const op of OPERATIONS) {
    const name = (given as Record<string, unknown>)[op] ?? op;
    if (typeof name !== 'string') throw bad(`callNames.${op}`, name, 'must be a string');
    callNames[op] = name;
  }

  return { provider, pageSize, startAddress, policy, alignment, minNodePages, autoTrim, callNames };
}
