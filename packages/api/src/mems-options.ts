import {
  createHeap,
  HEAP_OPTION_NAMES,
  type Heap,
  type HeapOperation,
  type HeapOptions,
  resolveHeapOptions,
} from '@mems/core';
import { createDefaultProvider, describeValue, MemsError } from '@mems/os';

/**
 * Options of `mems_init` and `createMems`: the heap options of `@mems/core` (provider,
 * pageSize, startAddress, policy, alignment, minNodePages, autoTrim) but the error-message
 * names, which the API sets itself. Every default keeps the seed's behaviour, so the seed's
 * example prints exactly its expected output.
 */
export type MemsOptions = Omit<HeapOptions, 'callNames'>;

/** The option names {@link MemsOptions} accepts, in documentation order. */
export const MEMS_OPTION_NAMES: readonly (keyof MemsOptions)[] = HEAP_OPTION_NAMES.filter(
  (name): name is keyof MemsOptions => name !== 'callNames',
);

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
