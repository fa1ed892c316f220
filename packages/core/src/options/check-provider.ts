// The provider option's check: every member the heap relies on, each read once.

import { describeValue, errorMessage, isPowerOfTwo, MemsError } from '@mems/os';
import type { ProviderFacts } from './heap-options.js';

/**
 * Checks that `provider` has every member the heap relies on, reading each once.
 * @returns what the heap keeps of it.
 * @throws MemsError `EINVAL` naming the missing or bad member (a throwing getter's error as
 *   `cause`).
 */
export function checkProvider(provider: unknown, call: string): ProviderFacts {
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
