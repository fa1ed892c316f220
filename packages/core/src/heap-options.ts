import { createDefaultProvider, describeValue, isPowerOfTwo, MemsError, type PageProvider } from '@mems/os';
import type { FrontCacheSettings } from './front-cache.js';
import type { HoleRecords } from './policies/hole-records.js';
import { POLICIES, POLICY_NAMES, type PolicyName } from './policies/index.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './policies/placement-policy.js';
import type { TableMemory } from './table-memory.js';

/** The operations of a heap whose names appear in error messages. */
export type HeapOperation =
  | 'allocate'
  | 'free'
  | 'translate'
  | 'view'
  | 'viewAs'
  | 'memoryOf'
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
  /**
   * The front cache: freed small blocks wait in per-size LIFO classes and the next allocation
   * of their size takes them back without a policy call. `true` for the defaults, an object to
   * set some, `false` for none. Only for the `tlsf` and `best-fit` policies (first and next fit
   * place by address order, which the seed's output depends on). Default: on for `tlsf` and
   * `best-fit`, off for the others. Sizes up to `maxBlockSize` then round up to 16 bytes (or the
   * alignment when larger). Invisible in every view: a cached block is free memory.
   */
  frontCache?: boolean | FrontCacheOptions;
  /** Names used for operations in error messages, for layers that present other names. */
  callNames?: Partial<Record<HeapOperation, string>>;
}

/** The `frontCache` option's settings, each optional (defaults in {@link FRONT_CACHE_DEFAULTS}). */
export interface FrontCacheOptions {
  /** The largest block size the cache keeps: a multiple of 16 from 16 to 16384. Default 1024. */
  maxBlockSize?: number;
  /** The most blocks one size class keeps: an integer from 1 to 1024. Default 64. */
  blocksPerClass?: number;
  /** The most bytes all classes keep together: an integer from 0 to 2^32. Default 262144 (256 KiB). */
  maxBytes?: number;
}

/** The front cache's defaults: classes of 16 B up to 1024 B, 64 blocks each, 256 KiB in all. */
export const FRONT_CACHE_DEFAULTS: FrontCacheSettings = Object.freeze({
  maxBlockSize: 1024,
  blocksPerClass: 64,
  maxBytes: 256 * 1024,
});

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
  /** The front cache's settings, or null when it is off. */
  readonly frontCache: FrontCacheSettings | null;
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
  'frontCache',
  'callNames',
];

const OPERATIONS: readonly HeapOperation[] = [
  'allocate',
  'free',
  'translate',
  'view',
  'viewAs',
  'memoryOf',
  'calloc',
  'realloc',
  'usableSize',
  'trim',
  'snapshot',
  'validate',
  'destroy',
  'counters',
];

/** The message of anything thrown, for an error that wraps it. */
function reasonOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable error';
  }
}

/**
 * What the heap reads from its provider, read once at creation (a provider's members are
 * `readonly` by contract, so later reads would only give a getter the chance to throw).
 */
export interface ProviderFacts {
  /** The provider's `name`. */
  readonly name: string;
  /** The provider's `pageSize`: a power of two. */
  readonly pageSize: number;
  /** The provider's `maxMappingBytes`: a safe integer of at least `pageSize`. */
  readonly maxMappingBytes: number;
}

/**
 * How a layer above the heap presents the heap's options as its own (`@mems/api`'s `mems_init`
 * and `createMems`): which option names its callers may pass, how it words a `null` option, and
 * the operation names it sets itself. With a surface, the heap reads, checks and resolves the
 * caller's options once, for both layers.
 */
export interface HeapOptionSurface {
  /** The option names the caller may pass, in documentation order (a subset of {@link HEAP_OPTION_NAMES}). */
  readonly optionNames: readonly (keyof HeapOptions)[];
  /** What an `option x = null` error tells the caller to do instead. */
  readonly nullHint: string;
  /** The operation names for error messages (not read from the caller's options). */
  readonly callNames: Readonly<Record<HeapOperation, string>>;
}

/** The heap's own surface: every option, `callNames` included. */
const HEAP_SURFACE = { optionNames: HEAP_OPTION_NAMES, nullHint: 'leave it out for the default' };

/**
 * Reads the caller's options into a plain object, once: a revoked proxy, a throwing getter
 * or a throwing `ownKeys` trap becomes `EINVAL` (the original error as `cause`).
 */
function readOptions(
  options: unknown,
  call: string,
  surface: Pick<HeapOptionSurface, 'optionNames' | 'nullHint'>,
): Partial<Record<keyof HeapOptions, unknown>> {
  const names = surface.optionNames;
  if (options === undefined) return {};
  const unreadable = (cause: unknown): MemsError =>
    new MemsError(
      'EINVAL',
      `${call}(${describeValue(options)}): the options could not be read: ${reasonOf(cause)}`,
      { cause },
    );
  let keys: string[];
  try {
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      throw new MemsError('EINVAL', `${call}(${describeValue(options)}): options must be an object`);
    keys = Object.keys(options);
  } catch (error) {
    if (error instanceof MemsError) throw error;
    throw unreadable(error);
  }
  const o: Partial<Record<keyof HeapOptions, unknown>> = {};
  const read = (key: keyof HeapOptions): unknown => {
    try {
      return (options as Record<string, unknown>)[key];
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option ${key} could not be read: ${reasonOf(cause)}`, {
        cause,
      });
    }
  };
  for (const key of keys) {
    if (!names.includes(key as keyof HeapOptions))
      throw new MemsError(
        'EINVAL',
        `${call}: unknown option ${JSON.stringify(key)}; the options are ${names.join(', ')}`,
      );
    const value = read(key as keyof HeapOptions);
    if (value === null) throw new MemsError('EINVAL', `${call}: option ${key} = null: ${surface.nullHint}`);
    o[key as keyof HeapOptions] = value;
  }
  for (const key of names) if (!(key in o)) o[key] = read(key);
  return o;
}

/**
 * Checks that `provider` has every member the heap relies on, reading each once.
 * @returns what the heap keeps of it.
 * @throws MemsError `EINVAL` naming the missing or bad member (a throwing getter's error as
 *   `cause`).
 */
function checkProvider(provider: unknown, call: string): ProviderFacts {
  const bad = (rule: string, cause?: unknown): MemsError =>
    new MemsError(
      'EINVAL',
      `${call}: option provider = ${describeValue(provider)}: ${rule}`,
      cause === undefined ? undefined : { cause },
    );
  if (typeof provider !== 'object' || provider === null)
    throw bad('must be a PageProvider (name, pageSize, maxMappingBytes, map, unmap)');
  const member = (key: string): unknown => {
    try {
      return (provider as Record<string, unknown>)[key];
    } catch (cause) {
      throw bad(`its ${key} could not be read: ${reasonOf(cause)}`, cause);
    }
  };
  const name = member('name');
  if (typeof name !== 'string') throw bad(`its name ${describeValue(name)} must be a string`);
  const pageSize = member('pageSize');
  if (!isPowerOfTwo(pageSize)) throw bad(`its pageSize ${describeValue(pageSize)} must be a power of two`);
  const maxMappingBytes = member('maxMappingBytes');
  if (
    typeof maxMappingBytes !== 'number' ||
    !Number.isSafeInteger(maxMappingBytes) ||
    maxMappingBytes < pageSize
  )
    throw bad(
      `its maxMappingBytes ${describeValue(maxMappingBytes)} must be an integer of at least its pageSize (${pageSize})`,
    );
  for (const key of ['map', 'unmap']) {
    const method = member(key);
    if (typeof method !== 'function') throw bad(`its ${key} ${describeValue(method)} must be a function`);
  }
  return { name, pageSize, maxMappingBytes };
}

/**
 * Checks heap options and fills in defaults.
 * @param options the caller's options (may be undefined).
 * @param call the call name for error messages, e.g. `createHeap`.
 * @returns the resolved options.
 * @throws MemsError `EINVAL` naming the option and its value when one is invalid, and when the
 *   options (or the provider, or the policy factory) cannot be read: a revoked proxy or a
 *   throwing getter (its error is the `cause`).
 */
export function resolveHeapOptions(
  options: HeapOptions | undefined,
  call = 'createHeap',
): ResolvedHeapOptions {
  return resolveHeapOptionsAndProvider(options, call).options;
}

/**
 * {@link resolveHeapOptions}, also returning what the heap keeps of the provider (read once).
 * For the heap's constructor; `surface` as the heap's constructor takes it.
 * @internal
 */
export function resolveHeapOptionsAndProvider(
  options: unknown,
  call: string,
  surface?: HeapOptionSurface,
): { options: ResolvedHeapOptions; provider: ProviderFacts } {
  const o = readOptions(options, call, surface ?? HEAP_SURFACE);
  if (surface !== undefined) o.callNames = surface.callNames;
  const bad = (name: string, value: unknown, rule: string): MemsError =>
    new MemsError('EINVAL', `${call}: option ${name} = ${describeValue(value)}: ${rule}`);

  const provider = (o.provider ?? createDefaultProvider()) as PageProvider;
  const facts = checkProvider(provider, call);
  const osPage = facts.pageSize;
  const maxMappingBytes = facts.maxMappingBytes;

  // A heap page may also be smaller than the OS page (4096 on a 16 KiB-page Mac): a node then
  // maps whole OS pages and uses the first pages × pageSize bytes of them.
  const pageSize = o.pageSize ?? 4096;
  if (
    typeof pageSize !== 'number' ||
    !Number.isSafeInteger(pageSize) ||
    pageSize <= 0 ||
    (pageSize % osPage !== 0 && osPage % pageSize !== 0)
  )
    throw bad(
      'pageSize',
      pageSize,
      `must be a positive multiple or divisor of the provider's page size ${osPage}`,
    );
  if (pageSize > maxMappingBytes)
    throw bad('pageSize', pageSize, `must be at most the provider's largest mapping ${maxMappingBytes}`);

  const startAddress = o.startAddress ?? 1000;
  if (typeof startAddress !== 'number' || !Number.isSafeInteger(startAddress) || startAddress < 0)
    throw bad('startAddress', startAddress, 'must be a non-negative safe integer');

  const policy = checkPolicyFactory(o.policy ?? 'first-fit', bad);

  const alignment = o.alignment ?? 1;
  const maxAlignment = Math.min(osPage, pageSize & -pageSize);
  if (typeof alignment !== 'number' || !isPowerOfTwo(alignment) || alignment > maxAlignment)
    throw bad('alignment', alignment, `must be a power of two from 1 to ${maxAlignment}`);

  const minNodePages = o.minNodePages ?? 1;
  if (typeof minNodePages !== 'number' || !Number.isSafeInteger(minNodePages) || minNodePages <= 0)
    throw bad('minNodePages', minNodePages, 'must be a positive integer');
  if (minNodePages * pageSize > maxMappingBytes)
    throw bad('minNodePages', minNodePages, `times the page size must be at most ${maxMappingBytes} bytes`);

  const autoTrim = o.autoTrim ?? false;
  if (typeof autoTrim !== 'boolean') throw bad('autoTrim', autoTrim, 'must be a boolean');

  const frontCache = checkFrontCache(o.frontCache, policy, call, bad);

  const callNames = {} as Record<HeapOperation, string>;
  const given = o.callNames ?? {};
  if (typeof given !== 'object' || given === null) throw bad('callNames', given, 'must be an object');
  for (const op of OPERATIONS) {
    let name: unknown;
    try {
      name = (given as Record<string, unknown>)[op] ?? op;
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option callNames.${op} could not be read: ${reasonOf(cause)}`, {
        cause,
      });
    }
    if (typeof name !== 'string') throw bad(`callNames.${op}`, name, 'must be a string');
    callNames[op] = name;
  }

  return {
    options: {
      provider,
      pageSize,
      startAddress,
      policy,
      alignment,
      minNodePages,
      autoTrim,
      frontCache,
      callNames,
    },
    provider: facts,
  };
}

/** The policies a front cache may serve: those whose placement is not bound to address order. */
const CACHEABLE_POLICIES: readonly PlacementPolicyFactory[] = [POLICIES.tlsf, POLICIES['best-fit']];

/** Each setting of the `frontCache` object: its rule and whether a value keeps it. */
const FRONT_CACHE_RULES: Readonly<Record<keyof FrontCacheOptions, [string, (v: number) => boolean]>> = {
  maxBlockSize: ['must be a multiple of 16 from 16 to 16384', (v) => v >= 16 && v <= 16384 && v % 16 === 0],
  blocksPerClass: ['must be an integer from 1 to 1024', (v) => v >= 1 && v <= 1024],
  maxBytes: ['must be an integer from 0 to 2^32', (v) => v >= 0 && v <= 2 ** 32],
};

/**
 * Checks the `frontCache` option against the chosen policy.
 * @returns the settings, or null for no cache.
 * @throws MemsError `EINVAL` for a value that is not a boolean or a settings object, an unknown
 *   or bad setting, a settings object that cannot be read, or a cache asked for with a policy
 *   that places by address order (first fit, next fit) or a policy of your own.
 */
function checkFrontCache(
  value: unknown,
  policy: PlacementPolicyFactory,
  call: string,
  bad: (name: string, value: unknown, rule: string) => MemsError,
): FrontCacheSettings | null {
  const cacheable = CACHEABLE_POLICIES.includes(policy);
  if (value === undefined) return cacheable ? FRONT_CACHE_DEFAULTS : null;
  if (value === false) return null;
  const shape = 'must be true, false or an object { maxBlockSize?, blocksPerClass?, maxBytes? }';
  if (value !== true && (typeof value !== 'object' || value === null)) throw bad('frontCache', value, shape);
  const settings: Record<string, number> = { ...FRONT_CACHE_DEFAULTS };
  if (value !== true) {
    let keys: string[];
    const given: Record<string, unknown> = {};
    let isArray: boolean;
    try {
      isArray = Array.isArray(value); // throws for a revoked proxy
      keys = Object.keys(value);
      for (const key of keys) given[key] = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option frontCache could not be read: ${reasonOf(cause)}`, {
        cause,
      });
    }
    if (isArray) throw bad('frontCache', value, shape);
    for (const key of keys) {
      const rule = FRONT_CACHE_RULES[key as keyof FrontCacheOptions];
      if (rule === undefined || !Object.hasOwn(FRONT_CACHE_RULES, key))
        throw bad('frontCache', value, `unknown setting ${JSON.stringify(key)}; ${shape}`);
      const v = given[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || !rule[1](v))
        throw bad('frontCache', value, `its ${key} ${describeValue(v)} ${rule[0]}`);
      settings[key] = v;
    }
  }
  if (!cacheable) {
    const which = Object.entries(POLICIES).find(([, factory]) => factory === policy)?.[0];
    throw bad(
      'frontCache',
      value,
      `needs the policy "tlsf" or "best-fit", not ${which === undefined ? 'a policy of your own' : JSON.stringify(which)}: first fit and next fit place blocks by address order, which a cache would change (and the seed's output depends on)`,
    );
  }
  return settings as unknown as FrontCacheSettings;
}

/** Checks the `policy` option: a built-in name, or a factory with a `name` and a `create`. */
function checkPolicyFactory(
  p: unknown,
  bad: (name: string, value: unknown, rule: string) => MemsError,
): PlacementPolicyFactory {
  const rule = `must be one of ${POLICY_NAMES.join(', ')} or a policy factory`;
  if (typeof p === 'string') {
    if (!Object.hasOwn(POLICIES, p)) throw bad('policy', p, rule);
    return POLICIES[p as PolicyName];
  }
  if (typeof p !== 'object' || p === null) throw bad('policy', p, rule);
  let name: unknown;
  let create: unknown;
  try {
    name = (p as PlacementPolicyFactory).name;
    create = (p as PlacementPolicyFactory).create;
  } catch (cause) {
    const error = bad('policy', p, `its members could not be read: ${reasonOf(cause)}`);
    throw new MemsError(error.code, error.message, { cause });
  }
  if (typeof create !== 'function' || typeof name !== 'string') throw bad('policy', p, rule);
  return p as PlacementPolicyFactory;
}

/** The methods every {@link PlacementPolicy} must have. */
const POLICY_METHODS = [
  'addHole',
  'removeHole',
  'holeResized',
  'findHole',
  'allocated',
  'clear',
  'check',
] as const;

/**
 * Calls a policy factory's `create` and checks what it returns.
 * @param factory the checked factory.
 * @param segments the heap's segment table.
 * @param call the creator's name for messages.
 * @returns the policy.
 * @throws MemsError `EINVAL` when `create` throws (its error as `cause`) or returns something
 *   that is not a placement policy (naming the missing member).
 */
export function createPolicy(
  factory: PlacementPolicyFactory,
  holes: HoleRecords,
  memory: TableMemory,
  call: string,
): PlacementPolicy {
  const bad = (rule: string, cause?: unknown): MemsError =>
    new MemsError(
      'EINVAL',
      `${call}: option policy = ${describeValue(factory)}: ${rule}`,
      cause === undefined ? undefined : { cause },
    );
  let policy: unknown;
  try {
    policy = factory.create(holes, memory);
  } catch (cause) {
    throw bad(`its create() threw: ${reasonOf(cause)}`, cause);
  }
  if (typeof policy !== 'object' || policy === null)
    throw bad(`its create() returned ${describeValue(policy)}, not a PlacementPolicy`);
  try {
    for (const key of POLICY_METHODS)
      if (typeof (policy as Record<string, unknown>)[key] !== 'function')
        throw bad(`its create() returned a policy whose ${key} is not a function`);
    const name = (policy as PlacementPolicy).name;
    if (typeof name !== 'string')
      throw bad(`its create() returned a policy whose name ${describeValue(name)} is not a string`);
  } catch (error) {
    if (error instanceof MemsError) throw error;
    throw bad(`its create() returned a policy that could not be read: ${reasonOf(error)}`, error);
  }
  return policy as PlacementPolicy;
}
