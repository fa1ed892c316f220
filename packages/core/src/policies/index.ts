import { bestFit } from './best-fit.js';
import { firstFit } from './first-fit.js';
import { nextFit } from './next-fit.js';
import type { PlacementPolicyFactory } from './placement-policy.js';
import { tlsf } from './tlsf.js';

/** The names of the built-in placement policies. */
export type PolicyName = 'first-fit' | 'next-fit' | 'best-fit' | 'tlsf';

/** The built-in policies by name. */
export const POLICIES: Readonly<Record<PolicyName, PlacementPolicyFactory>> = {
  'first-fit': firstFit,
  'next-fit': nextFit,
  'best-fit': bestFit,
  tlsf,
};

/** The built-in policy names, in a fixed order. */
export const POLICY_NAMES: readonly PolicyName[] = ['first-fit', 'next-fit', 'best-fit', 'tlsf'];
