import {
  createHeap,
  type Heap,
  type HeapOperation,
  type PlacementPolicyFactory,
  type PolicyName,
  resolveHeapOptions,
} from '@mems/core';
import { createDefaultProvider, describeValue, MemsError, type PageProvider } from '@mems/os';

/**
 * Options of `mems_init` and `createMems`. Every default keeps the seed's behaviour, so the
 * seed's example prints exactly its expected output.
 */
export interface MemsOptions {
  /**
   * Where pages come from. Default: `createDefaultProvider()` from `@mems/os` (real `mmap`
   * pages through koffi in Node where koffi loads, else an in-memory mock provider).
   */
  provider?: PageProvider;
  /** The MeMS page size in bytes: a positive multiple of the provider's page size. Default 4096. */
  pageSize?: number;
  /** The first MeMS virtual address: a non-negative safe integer. Default 1000. */
  startAddress?: number;
  /**
   * The placement policy: `'first-fit'` (the seed's), `'next-fit'`, `'best-fit'`, `'tlsf'`, or a
   * factory of your own from `@mems/core`. Default `'first-fit'`.
   */
  policy?: PolicyName | PlacementPolicyFactory;
  /**
   * Block alignment in bytes: a power of two up to the provider's page size; sizes are rounded
   * up to it. Default 1 (the seed's byte-exact addresses).
   */
  alignment?: number;
  /**
   * Growth: the fewest pages a new main-chain node maps, a positive integer. Default 1 (the
   * seed's ceil(size / pageSize)).
   */
  minNodePages?: number;
  /**
   * Return a node's pages to the provider as soon as its last block is freed. Default false
   * (the seed keeps nodes until `mems_finish`).
   */
  autoTrim?: boolean;
}

/** The option names {@link MemsOptions} accepts, in documentation order. */
export const MEMS_OPTION_NAMES: readonly (keyof MemsOptions)[] = [
  'provider',
  'pageSize',
  'startAddress',
  'policy',
  'alignment',
  'minNodePages',
  'autoTrim',
];

/**
 * Checks options and creates the heap they describe. Everything is checked before the heap
 * exists, so a call that throws maps nothing and leaves nothing behind.
 * @param options the caller's options (anything: they are checked here).
 * @param call the function to name in error messages, e.g. `mems_init`.
 * @param callNames the names of the heap's operations in error messages.
 * @returns a new, empty heap.
 * @throws MemsError `EINVAL` when `options` is not an object, has an unknown key, or has an
 *   invalid value (the message names `call`, the option and the value).
 */
export function createHeapFromOptions(
  options: unknown,
  call: string,
  callNames: Readonly<Record<HeapOperation, string>>,
): Heap {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
    throw new MemsError('EINVAL', `${call}(${describeValue(options)}): options must be an object`);
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(MEMS_OPTION_NAMES as readonly string[]).includes(key))
      throw new MemsError(
        'EINVAL',
        `${call}: unknown option ${JSON.stringify(key)}; the options are ${MEMS_OPTION_NAMES.join(', ')}`,
      );
    // The heap would read null as "use the default"; a C-like API says what it got instead.
    if (given[key] === null)
      throw new MemsError(
        'EINVAL',
        `${call}: option ${key} = null: leave it out (or undefined) for the default`,
      );
  }
  const picked = given as MemsOptions;
  const resolved = resolveHeapOptions(
    {
      provider: picked.provider ?? createDefaultProvider(),
      pageSize: picked.pageSize,
      startAddress: picked.startAddress,
      policy: picked.policy,
      alignment: picked.alignment,
      minNodePages: picked.minNodePages,
      autoTrim: picked.autoTrim,
      callNames,
    },
    call,
  );
  return createHeap(resolved);
}
