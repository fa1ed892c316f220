// Checking a placement-policy factory (built-in or custom) and creating its policy for a heap's
// tables: a factory that is not one, or a create() that throws or returns something that is not
// a policy, is EINVAL naming the call.

import { describeValue, errorMessage, MemsError } from '@mems/os';
import type { TableMemory } from '../memory/table-memory.js';
import type { HoleRecords } from './hole-records.js';
import { POLICIES, POLICY_NAMES, type PolicyName } from './index.js';
import type { PlacementPolicy, PlacementPolicyFactory } from './placement-policy.js';

/** Checks the `policy` option: a built-in name, or a factory with a `name` and a `create`. */
export function checkPolicyFactory(
  p: unknown,
  bad: (name: string, value: unknown, rule: string) => MemsError,
): PlacementPolicyFactory {
  const rule = `must be one of ${POLICY_NAMES.join(', ')} or a policy factory`;
  if (typeof p === 'string') {
    if (!Object.hasOwn(POLICIES, p)) throw bad('policy', p, rule);
    return POLICIES[p as PolicyName];
  }
  if (typeof p !== 'object' || p === null) throw bad('policy', p, rule);
  let name: unknown;
  let create: unknown;
  try {
    name = (p as PlacementPolicyFactory).name;
    create = (p as PlacementPolicyFactory).create;
  } catch (cause) {
    const error = bad('policy', p, `its members could not be read: ${errorMessage(cause)}`);
    throw new MemsError(error.code, error.message, { cause });
  }
  if (typeof create !== 'function' || typeof name !== 'string') throw bad('policy', p, rule);
  return p as PlacementPolicyFactory;
}

/** The methods every {@link PlacementPolicy} must have. */
const POLICY_METHODS = [
  'addHole',
  'removeHole',
  'holeResized',
  'findHole',
  'allocated',
  'clear',
  'check',
] as const;

/**
 * Calls a policy factory's `create` and checks what it returns.
 * @param factory the checked factory.
 * @param segments the heap's segment table.
 * @param call the creator's name for messages.
 * @returns the policy.
 * @throws MemsError `EINVAL` when `create` throws (its error as `cause`) or returns something
 *   that is not a placement policy (naming the missing member).
 */
export function createPolicy(
  factory: PlacementPolicyFactory,
  holes: HoleRecords,
  memory: TableMemory,
  call: string,
): PlacementPolicy {
  const bad = (rule: string, cause?: unknown): MemsError =>
    new MemsError(
      'EINVAL',
      `${call}: option policy = ${describeValue(factory)}: ${rule}`,
      cause === undefined ? undefined : { cause },
    );
  let policy: unknown;
  try {
    policy = factory.create(holes, memory);
  } catch (cause) {
    throw bad(`its create() threw: ${errorMessage(cause)}`, cause);
  }
  if (typeof policy !== 'object' || policy === null)
    throw bad(`its create() returned ${describeValue(policy)}, not a PlacementPolicy`);
  try {
    for (const key of POLICY_METHODS)
      if (typeof (policy as Record<string, unknown>)[key] !== 'function')
        throw bad(`its create() returned a policy whose ${key} is not a function`);
    const name = (policy as PlacementPolicy).name;
    if (typeof name !== 'string')
      throw bad(`its create() returned a policy whose name ${describeValue(name)} is not a string`);
  } catch (error) {
    if (error instanceof MemsError) throw error;
    throw bad(`its create() returned a policy that could not be read: ${errorMessage(error)}`, error);
  }
  return policy as PlacementPolicy;
}
