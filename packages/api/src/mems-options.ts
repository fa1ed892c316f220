import { HEAP_OPTION_NAMES, Heap, type HeapOperation, type HeapOptions } from '@mems/core';

/**
 * Options of `mems_init` and `createMems`: the heap options of `@mems/core` (provider,
 * pageSize, startAddress, policy, alignment, minNodePages, autoTrim, frontCache, slabs) but the error-message
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
 *   invalid value (the message names `call`, the option and the value), when the options
 *   cannot be read (revoked proxy, throwing getter: the error is the `cause`), when the
 *   provider lacks a member the heap relies on, or when a policy factory fails.
 */
export function createHeapFromOptions(
  options: unknown,
  call: string,
  callNames: Readonly<Record<HeapOperation, string>>,
): Heap {
  // The heap reads, checks and resolves the options once, with this API's option names and
  // wording (callNames is the API's own, never the caller's).
  return new Heap(options as HeapOptions, call, {
    optionNames: MEMS_OPTION_NAMES,
    nullHint: 'leave it out (or undefined) for the default',
    callNames,
  });
}
