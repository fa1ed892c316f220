import type { PolicyName } from '@mems/core';
import { describeValue, MemsError } from '@mems/os';

/**
 * The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2002): eight colours that stay
 * distinguishable with every common colour-vision deficiency. Hex strings, `#RRGGBB`.
 */
export const OKABE_ITO = Object.freeze({
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const);

/**
 * One colour per placement policy, from {@link OKABE_ITO}: the colour of that policy in every
 * MeMS picture (the visualiser, `mems-demo compare --svg`, the benchmark chart).
 */
export const POLICY_COLORS: Readonly<Record<PolicyName, string>> = Object.freeze({
  'first-fit': OKABE_ITO.blue,
  'next-fit': OKABE_ITO.orange,
  'best-fit': OKABE_ITO.bluishGreen,
  tlsf: OKABE_ITO.reddishPurple,
});

/**
 * One dash pattern per placement policy, as an SVG `stroke-dasharray` value (`''` is a solid
 * line), so that one line per policy also reads without colour (in grey, or printed).
 */
export const POLICY_DASHES: Readonly<Record<PolicyName, string>> = Object.freeze({
  'first-fit': '',
  'next-fit': '8 4',
  'best-fit': '2 3',
  tlsf: '10 3 2 3',
});

/** How a policy's line is drawn: its colour and its dash pattern. */
export interface PolicyStyle {
  /** The colour, `#RRGGBB` (see {@link POLICY_COLORS}). */
  readonly color: string;
  /** The SVG `stroke-dasharray` value, `''` for solid (see {@link POLICY_DASHES}). */
  readonly dash: string;
}

function requirePolicy(fn: string, name: unknown): asserts name is PolicyName {
  if (typeof name !== 'string' || !Object.hasOwn(POLICY_COLORS, name))
    throw new MemsError(
      'EINVAL',
      `${fn}(name): expected one of ${Object.keys(POLICY_COLORS).join(', ')}, got ${describeValue(name)}`,
    );
}

/**
 * The colour of a placement policy in every MeMS picture.
 * @param name `'first-fit'`, `'next-fit'`, `'best-fit'` or `'tlsf'`.
 * @returns its colour from {@link POLICY_COLORS}, `#RRGGBB`.
 * @throws {MemsError} `EINVAL` when `name` is not one of the four policies.
 */
export function policyColor(name: PolicyName): string {
  requirePolicy('policyColor', name);
  return POLICY_COLORS[name];
}

/**
 * The colour and dash pattern of a placement policy's line.
 * @param name `'first-fit'`, `'next-fit'`, `'best-fit'` or `'tlsf'`.
 * @returns its {@link PolicyStyle}: colour and `stroke-dasharray` (`''` for solid).
 * @throws {MemsError} `EINVAL` when `name` is not one of the four policies.
 */
export function policyStyle(name: PolicyName): PolicyStyle {
  requirePolicy('policyStyle', name);
  return { color: POLICY_COLORS[name], dash: POLICY_DASHES[name] };
}
