import { HEAP_OPTION_NAMES, Heap, type HeapOperation, type HeapOptions } from '@mems/core';
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
 *   invalid value (the message names `call`, the option and the value), when the options
 *   cannot be read (revoked proxy, throwing getter: the error is the `cause`), when the
 *   provider lacks a member the heap relies on, or when a policy factory fails.
 */
export function createHeapFromOptions(
  options: unknown,
  call: string,
  callNames: Readonly<Record<HeapOperation, string>>,
): Heap {
  const picked = readMemsOptions(options, call);
  return new Heap(
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
}

/**
 * Reads the caller's options once into a plain object, refusing unknown keys and nulls. A
 * revoked proxy or a throwing getter is `EINVAL`, with the original error as `cause`.
 */
function readMemsOptions(options: unknown, call: string): MemsOptions {
  if (options === undefined) return {};
  const reason = (error: unknown): string => {
    try {
      return error instanceof Error ? error.message : String(error);
    } catch {
      return 'an unreadable error';
    }
  };
  let keys: string[];
  try {
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      throw new MemsError('EINVAL', `${call}(${describeValue(options)}): options must be an object`);
    keys = Object.keys(options);
  } catch (cause) {
    if (cause instanceof MemsError) throw cause;
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(options)}): the options could not be read: ${reason(cause)}`,
      { cause },
    );
  }
  const picked: Record<string, unknown> = {};
  const read = (key: string): unknown => {
    try {
      return (options as Record<string, unknown>)[key];
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option ${key} could not be read: ${reason(cause)}`, { cause });
    }
  };
  for (const key of keys) {
    if (!(MEMS_OPTION_NAMES as readonly string[]).includes(key))
      throw new MemsError(
        'EINVAL',
        `${call}: unknown option ${JSON.stringify(key)}; the options are ${MEMS_OPTION_NAMES.join(', ')}`,
      );
    const value = read(key);
    // The heap would read null as "use the default"; a C-like API says what it got instead.
    if (value === null)
      throw new MemsError(
        'EINVAL',
        `${call}: option ${key} = null: leave it out (or undefined) for the default`,
      );
    picked[key] = value;
  }
  for (const key of MEMS_OPTION_NAMES) if (!(key in picked)) picked[key] = read(key);
  return picked as MemsOptions;
}
