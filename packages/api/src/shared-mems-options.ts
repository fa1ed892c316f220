import { type HeapOptions, POLICIES, POLICY_NAMES } from '@mems/core';
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
}

/** A shared heap's options after the checks of {@link readSharedOptions}. */
export interface CheckedSharedOptions {
  /** The heap's own options (the policy by name), without the shared heap's three. */
  readonly heapOptions: Record<string, unknown>;
  /** The caller's provider, checked to be shareable, or undefined for the default. */
  readonly provider: SharedPagesProvider | undefined;
  readonly maxBytes: number;
  readonly lockTimeoutMs: number;
  readonly maxMetadataBytes: number;
}

const DEFAULT_MAX_BYTES = 4 * 2 ** 30;
const DEFAULT_MAX_METADATA_BYTES = 2 ** 30;
const EXTRA_OPTION_NAMES = ['maxBytes', 'lockTimeoutMs', 'maxMetadataBytes'] as const;
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
  for (const key of EXTRA_OPTION_NAMES) delete o[key];
  o.policy = policyName(o.policy);
  const provider = o.provider === undefined ? undefined : checkSharedProvider(o.provider);
  return { heapOptions: o, provider, maxBytes, lockTimeoutMs, maxMetadataBytes };
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
