import type { PolicyName } from '@mems/core';

/** Colours of the policies in the comparison (Okabe–Ito, readable with every common colour-vision deficiency). */
export const POLICY_COLOURS: Readonly<Record<PolicyName, string>> = {
  'first-fit': '#0072B2',
  'next-fit': '#E69F00',
  'best-fit': '#009E73',
  tlsf: '#CC79A7',
};
