// Reading and checking a heap's options (and its provider's facts) once, at creation: every
// option is read exactly once, so a getter cannot answer one thing to the check and another to
// the heap; a bad one is EINVAL naming the call, the option and the value.

import {
  createDefaultProvider,
  describeValue,
  errorMessage,
  isPowerOfTwo,
  MemsError,
  type PageProvider,
} from '@mems/os';
import { checkPolicyFactory } from '../policies/create-policy.js';
import { POLICIES } from '../policies/index.js';
import type { PlacementPolicyFactory } from '../policies/placement-policy.js';
import {
  FRONT_CACHE_DEFAULTS,
  type FrontCacheOptions,
  type FrontCacheSettings,
  HEAP_OPTION_NAMES,
  type HeapOperation,
  type HeapOptionSurface,
  type HeapOptions,
  type ProviderFacts,
  type ResolvedHeapOptions,
} from './heap-options.js';

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
      `${call}(${describeValue(options)}): the options could not be read: ${errorMessage(cause)}`,
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
      throw new MemsError('EINVAL', `${call}: option ${key} could not be read: ${errorMessage(cause)}`, {
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
      throw bad(`its ${key} could not be read: ${errorMessage(cause)}`, cause);
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
      throw new MemsError(
        'EINVAL',
        `${call}: option callNames.${op} could not be read: ${errorMessage(cause)}`,
        {
          cause,
        },
      );
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
      throw new MemsError('EINVAL', `${call}: option frontCache could not be read: ${errorMessage(cause)}`, {
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
