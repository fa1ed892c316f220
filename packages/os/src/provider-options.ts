import { describeValue, MemsError } from './errors.js';

/**
 * The preamble every provider factory shares: checks that its options are an object and reads
 * its `name` (the provider's name and the prefix of its error messages). Internal (not exported
 * from the package).
 * @param creator the factory's name for error messages, e.g. `createMockProvider`.
 * @param options the caller's options (anything: they are checked here).
 * @param defaultName the name when `options.name` is undefined.
 * @returns the provider's name: a non-empty string.
 * @throws MemsError `EINVAL` when `options` is not an object (`creator(value): options must be an
 *   object`) or `name` is not a non-empty string (`creator: name value must be a non-empty
 *   string`).
 */
export function readProviderName(creator: string, options: unknown, defaultName: string): string {
  checkProviderOptionsObject(creator, options);
  const name = (options as { name?: unknown }).name ?? defaultName;
  if (typeof name !== 'string' || name === '') {
    throw new MemsError('EINVAL', `${creator}: name ${describeValue(name)} must be a non-empty string`);
  }
  return name;
}

/**
 * Checks that a provider factory's options are an object.
 * @param creator the factory's name for error messages.
 * @param options the caller's options.
 * @throws MemsError `EINVAL` `creator(value): options must be an object` otherwise.
 */
export function checkProviderOptionsObject(creator: string, options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new MemsError('EINVAL', `${creator}(${describeValue(options)}): options must be an object`);
  }
}
