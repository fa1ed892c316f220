// Reading and checking a heap's options (and its provider's facts) once, at creation: every
// option is read exactly once, so a getter cannot answer one thing to the check and another to
// the heap; a bad one is EINVAL naming the call, the option and the value.

import { describeValue, errorMessage, MemsError } from '@mems/os';
import type { HeapOptionSurface, HeapOptions, ProviderFacts, ResolvedHeapOptions } from './heap-options.js';
import { HEAP_OPTION_NAMES, resolveOptionTable } from './option-table.js';

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
  return resolveOptionTable(o, call, bad);
}
