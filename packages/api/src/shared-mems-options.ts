import { type HeapOptions, POLICIES, POLICY_NAMES } from '@mems/core';
import type { ThreadCacheSettings } from '@mems/core/internal';
import {
  describeValue,
  errorMessage,
  MemsError,
  SHARED_PROVIDER_KINDS,
  type SharedPagesProvider,
} from '@mems/os';
import { MEMS_OPTION_NAMES, type MemsOptions } from './mems-options.js';
import { heapCallNames, INSTANCE_CALL_NAMES } from './operations.js';

/** Options of `createSharedMems`: those of `createMems`, plus three of a shared heap's own. */
export interface SharedMemsOptions extends MemsOptions {
  /**
   * Bytes of address space the default provider reserves (the most bytes mapped at once): a
   * positive multiple of the OS page size, at most 2^22 pages. Default 4 GiB. Only when no
   * `provider` is given.
   */
  maxBytes?: number;
  /**
   * The most milliseconds a call waits for the heap's lock before it fails with `ESTATE` (a
   * thread that died inside a call holds it for ever; see `SharedMems.recover`): a
   * non-negative number or `Infinity`. Default `Infinity`. Every thread uses the creator's value.
   */
  lockTimeoutMs?: number;
  /**
   * The most bytes of metadata (segment records, node table, hash, policy index) the heap may
   * grow to: a positive multiple of 8, at most 2^32. Reserved, committed only as it grows.
   * Default 1 GiB.
   */
  maxMetadataBytes?: number;
  /**
   * A cache of freed small blocks in each thread (tcmalloc's thread cache): `true` for the
   * defaults or `{ maxBlockSize?, blocksPerClass?, maxBytes?, maxThreads? }`. A thread's malloc
   * of a cached size and its free of such a block then take no lock that another thread holds;
   * a miss or an overflow moves a batch under the heap's lock. Blocks up to `maxBlockSize`
   * (a multiple of 16 from 16 to 16384, default 1024) round up to a multiple of 16 (or of the
   * alignment); each thread keeps at most `blocksPerClass` (1 to 1024, default 64) per size and
   * `maxBytes` (0 to 2^30, default 1048576) in all; `maxThreads` (1 to 256, default 16) threads
   * get a cache, later ones call the heap directly. Every view flushes the caches first, so
   * stats, snapshots and `validate` show cached blocks as free. Replaces the heap's front cache
   * (leave `frontCache` out or false). Default false: one thread gets exactly `createMems`'s
   * addresses.
   */
  threadCache?: boolean | ThreadCacheOptions;
}

/** The `threadCache` option's settings, each optional. */
export interface ThreadCacheOptions {
  /** The largest cached block size: a multiple of 16 from 16 to 16384. Default 1024. */
  maxBlockSize?: number;
  /** The most blocks one size class of one thread keeps: 1 to 1024. Default 64. */
  blocksPerClass?: number;
  /** The most bytes one thread keeps in all its classes: 0 to 2^30. Default 1048576 (1 MiB). */
  maxBytes?: number;
  /** How many threads get a cache (a thread attached beyond them calls the heap directly): 1 to 256. Default 16. */
  maxThreads?: number;
}

/** The `threadCache` settings when the option is `true`. */
export const THREAD_CACHE_DEFAULTS: ThreadCacheSettings = Object.freeze({
  maxBlockSize: 1024,
  blocksPerClass: 64,
  maxBytes: 1024 * 1024,
  maxThreads: 16,
});

/** Each `threadCache` setting's rule. */
const THREAD_CACHE_RULES: Readonly<Record<keyof ThreadCacheOptions, [string, (v: number) => boolean]>> = {
  maxBlockSize: ['must be a multiple of 16 from 16 to 16384', (v) => v >= 16 && v <= 16384 && v % 16 === 0],
  blocksPerClass: ['must be an integer from 1 to 1024', (v) => v >= 1 && v <= 1024],
  maxBytes: ['must be an integer from 0 to 2^30', (v) => v >= 0 && v <= 2 ** 30],
  maxThreads: ['must be an integer from 1 to 256', (v) => v >= 1 && v <= 256],
};

/** A shared heap's options after the checks of {@link readSharedOptions}. */
export interface CheckedSharedOptions {
  /** The heap's own options (the policy by name), without the shared heap's three. */
  readonly heapOptions: Record<string, unknown>;
  /** The caller's provider, checked to be shareable, or undefined for the default. */
  readonly provider: SharedPagesProvider | undefined;
  readonly maxBytes: number;
  readonly lockTimeoutMs: number;
  readonly maxMetadataBytes: number;
  /** The per-thread caches' settings, or null for none. */
  readonly threadCache: ThreadCacheSettings | null;
}

const DEFAULT_MAX_BYTES = 4 * 2 ** 30;
const DEFAULT_MAX_METADATA_BYTES = 2 ** 30;
const EXTRA_OPTION_NAMES = ['maxBytes', 'lockTimeoutMs', 'maxMetadataBytes', 'threadCache'] as const;
const CREATE = 'createSharedMems';

/**
 * The option surface the heap checks a shared heap's options with.
 * @param call `createSharedMems` or `attachMems`, the name in option errors.
 */
export function sharedHeapSurface(call: string) {
  return {
    optionNames: [...MEMS_OPTION_NAMES, ...EXTRA_OPTION_NAMES] as unknown as readonly (keyof HeapOptions)[],
    nullHint: 'leave it out (or undefined) for the default',
    callNames: heapCallNames({ ...INSTANCE_CALL_NAMES, init: call }),
  };
}

/**
 * Reads and checks the options of `createSharedMems` (the heap's own options are checked
 * later, by the heap): the three shared-heap options, a built-in policy, a shareable provider.
 * @param options the caller's options (anything).
 * @returns the checked options.
 * @throws MemsError `EINVAL` naming `createSharedMems`, the option and its value.
 */
export function readSharedOptions(options: unknown): CheckedSharedOptions {
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
  const threadCache = readThreadCache(o.threadCache);
  if (threadCache !== null) {
    if (o.frontCache !== undefined && o.frontCache !== false)
      throw badOption(
        'frontCache',
        o.frontCache,
        'a heap with threadCache has no front cache of its own (each thread’s cache is its front cache): leave frontCache out or false',
      );
    o.frontCache = false;
  }
  for (const key of EXTRA_OPTION_NAMES) delete o[key];
  o.policy = policyName(o.policy);
  const provider = o.provider === undefined ? undefined : checkSharedProvider(o.provider);
  return { heapOptions: o, provider, maxBytes, lockTimeoutMs, maxMetadataBytes, threadCache };
}

/** Checks the `threadCache` option: a boolean or a settings object. */
function readThreadCache(value: unknown): ThreadCacheSettings | null {
  if (value === undefined || value === false) return null;
  if (value === true) return THREAD_CACHE_DEFAULTS;
  const shape = 'must be true, false or an object { maxBlockSize?, blocksPerClass?, maxBytes?, maxThreads? }';
  if (typeof value !== 'object' || value === null) throw badOption('threadCache', value, shape);
  const given: Record<string, unknown> = {};
  let keys: string[];
  try {
    if (Array.isArray(value)) throw badOption('threadCache', value, shape);
    keys = Object.keys(value);
    for (const key of keys) given[key] = (value as Record<string, unknown>)[key];
  } catch (cause) {
    if (cause instanceof MemsError) throw cause;
    throw new MemsError('EINVAL', `${CREATE}: option threadCache could not be read: ${errorMessage(cause)}`, {
      cause,
    });
  }
  const settings: Record<string, number> = { ...THREAD_CACHE_DEFAULTS };
  for (const key of keys) {
    if (!Object.hasOwn(THREAD_CACHE_RULES, key))
      throw badOption('threadCache', value, `unknown setting ${JSON.stringify(key)}; ${shape}`);
    const rule = THREAD_CACHE_RULES[key as keyof ThreadCacheOptions];
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || !rule[1](v))
      throw badOption('threadCache', value, `its ${key} ${describeValue(v)} ${rule[0]}`);
    settings[key] = v;
  }
  return settings as unknown as ThreadCacheSettings;
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
      `${CREATE}(${describeValue(options)}): the options could not be read: ${errorMessage(cause)}`,
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
