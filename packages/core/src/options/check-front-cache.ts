// The frontCache option's check: a boolean or a settings object, and a policy that a cache may
// serve.

import { describeValue, errorMessage, MemsError } from '@mems/os';
import { POLICIES } from '../policies/index.js';
import type { PlacementPolicyFactory } from '../policies/placement-policy.js';
import { FRONT_CACHE_DEFAULTS, type FrontCacheOptions, type FrontCacheSettings } from './heap-options.js';

/** The policies a front cache may serve: those whose placement is not bound to address order. */
const CACHEABLE_POLICIES: readonly PlacementPolicyFactory[] = [POLICIES.tlsf, POLICIES['best-fit']];

/** Each setting of the `frontCache` object: its rule and whether a value keeps it. */
const FRONT_CACHE_RULES: Readonly<Record<keyof FrontCacheOptions, [string, (v: number) => boolean]>> = {
  maxBlockSize: ['must be a multiple of 16 from 16 to 16384', (v) => v >= 16 && v <= 16384 && v % 16 === 0],
  blocksPerClass: ['must be an integer from 1 to 1024', (v) => v >= 1 && v <= 1024],
  maxBytes: ['must be an integer from 0 to 2^32', (v) => v >= 0 && v <= 2 ** 32],
};

/**
 * Checks the `frontCache` option against the chosen policy.
 * @returns the settings, or null for no cache.
 * @throws MemsError `EINVAL` for a value that is not a boolean or a settings object, an unknown
 *   or bad setting, a settings object that cannot be read, or a cache asked for with a policy
 *   that places by address order (first fit, next fit) or a policy of your own.
 */
export function checkFrontCache(
  value: unknown,
  policy: PlacementPolicyFactory,
  call: string,
  bad: (name: string, value: unknown, rule: string) => MemsError,
): FrontCacheSettings | null {
  const cacheable = CACHEABLE_POLICIES.includes(policy);
  if (value === undefined) return cacheable ? FRONT_CACHE_DEFAULTS : null;
  if (value === false) return null;
  const shape = 'must be true, false or an object { maxBlockSize?, blocksPerClass?, maxBytes? }';
  if (value !== true && (typeof value !== 'object' || value === null)) throw bad('frontCache', value, shape);
  const settings: Record<string, number> = { ...FRONT_CACHE_DEFAULTS };
  if (value !== true) {
    let keys: string[];
    const given: Record<string, unknown> = {};
    let isArray: boolean;
    try {
      isArray = Array.isArray(value); // throws for a revoked proxy
      keys = Object.keys(value);
      for (const key of keys) given[key] = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw new MemsError('EINVAL', `${call}: option frontCache could not be read: ${errorMessage(cause)}`, {
        cause,
      });
    }
    if (isArray) throw bad('frontCache', value, shape);
    for (const key of keys) {
      const rule = FRONT_CACHE_RULES[key as keyof FrontCacheOptions];
      if (rule === undefined || !Object.hasOwn(FRONT_CACHE_RULES, key))
        throw bad('frontCache', value, `unknown setting ${JSON.stringify(key)}; ${shape}`);
      const v = given[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || !rule[1](v))
        throw bad('frontCache', value, `its ${key} ${describeValue(v)} ${rule[0]}`);
      settings[key] = v;
    }
  }
  if (!cacheable) {
    const which = Object.entries(POLICIES).find(([, factory]) => factory === policy)?.[0];
    throw bad(
      'frontCache',
      value,
      `needs the policy "tlsf" or "best-fit", not ${which === undefined ? 'a policy of your own' : JSON.stringify(which)}: first fit and next fit place blocks by address order, which a cache would change (and the seed's output depends on)`,
    );
  }
  return settings as unknown as FrontCacheSettings;
}
