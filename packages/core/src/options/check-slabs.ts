// The slabs option's check: a boolean or `{ maxBlockSize }`, and a page size slabs tile.

import { describeValue, errorMessage, MemsError } from '@mems/os';
import { SLAB_BYTES, SLAB_MAX_BLOCK } from '../memory/slab-layout.js';
import { SLAB_DEFAULTS, type SlabSettings } from './heap-options.js';

const SHAPE = 'must be true, false or an object { maxBlockSize? }';

/**
 * Checks the `slabs` option.
 * @param value the caller's value (undefined when left out).
 * @param pageSize the resolved page size.
 * @param call the creating call, for messages.
 * @param bad how an `EINVAL` for an option is made.
 * @returns the settings, or null for no slabs.
 * @throws MemsError `EINVAL` for a value that is not a boolean or a settings object, an unknown
 *   or bad setting, a settings object that cannot be read, or a page size that is not a
 *   multiple of 4096.
 */
export function checkSlabs(
  value: unknown,
  pageSize: number,
  call: string,
  bad: (name: string, value: unknown, rule: string) => MemsError,
): SlabSettings | null {
  if (value === undefined || value === false) return null;
  if (value !== true && (typeof value !== 'object' || value === null)) throw bad('slabs', value, SHAPE);
  let maxBlockSize = SLAB_DEFAULTS.maxBlockSize;
  if (value !== true) {
    let keys: string[];
    let given: unknown;
    let isArray: boolean;
    try {
      isArray = Array.isArray(value); // throws for a revoked proxy
      keys = Object.keys(value);
      given = (value as Record<string, unknown>).maxBlockSize;
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option slabs could not be read: ${errorMessage(cause)}`, {
        cause,
      });
    }
    if (isArray) throw bad('slabs', value, SHAPE);
    const unknown = keys.find((key) => key !== 'maxBlockSize');
    if (unknown !== undefined)
      throw bad('slabs', value, `unknown setting ${JSON.stringify(unknown)}; ${SHAPE}`);
    if (given !== undefined) {
      if (
        typeof given !== 'number' ||
        !Number.isSafeInteger(given) ||
        given < 16 ||
        given > SLAB_MAX_BLOCK ||
        given % 16 !== 0
      )
        throw bad(
          'slabs',
          value,
          `its maxBlockSize ${describeValue(given)} must be a multiple of 16 from 16 to ${SLAB_MAX_BLOCK}`,
        );
      maxBlockSize = given;
    }
  }
  if (pageSize % SLAB_BYTES !== 0)
    throw bad('slabs', value, `needs a pageSize that is a multiple of ${SLAB_BYTES}, not ${pageSize}`);
  return { maxBlockSize };
}
