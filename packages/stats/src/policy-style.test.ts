import { POLICY_NAMES } from '@mems/core';
import { isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { OKABE_ITO, POLICY_COLORS, POLICY_DASHES, policyColor, policyStyle } from './index';

describe('policy colours and dashes', () => {
  it('gives each of the four policies its own Okabe–Ito colour and its own dash pattern', () => {
    expect(Object.keys(POLICY_COLORS).sort()).toEqual([...POLICY_NAMES].sort());
    const palette = new Set<string>(Object.values(OKABE_ITO));
    const colours = POLICY_NAMES.map((p) => policyColor(p));
    for (const colour of colours) expect(palette.has(colour)).toBe(true);
    expect(new Set(colours).size).toBe(POLICY_NAMES.length);
    const dashes = POLICY_NAMES.map((p) => policyStyle(p).dash);
    expect(new Set(dashes).size).toBe(POLICY_NAMES.length);
    for (const dash of dashes) expect(dash).toMatch(/^(\d+( \d+)*)?$/);
    expect(policyStyle('tlsf')).toEqual({ color: POLICY_COLORS.tlsf, dash: POLICY_DASHES.tlsf });
  });

  it('keeps the colours the pictures have used (first fit blue, next fit orange, best fit green, TLSF purple)', () => {
    expect(POLICY_COLORS).toEqual({
      'first-fit': '#0072B2',
      'next-fit': '#E69F00',
      'best-fit': '#009E73',
      tlsf: '#CC79A7',
    });
    // Yellow is left out: it is unreadable as a thin line on white.
    expect(Object.values(POLICY_COLORS)).not.toContain(OKABE_ITO.yellow);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(POLICY_COLORS)).toBe(true);
    expect(Object.isFrozen(POLICY_DASHES)).toBe(true);
    expect(Object.isFrozen(OKABE_ITO)).toBe(true);
  });

  it('refuses a name that is not a policy with EINVAL naming the call and the value', () => {
    for (const [call, fn] of [
      ['policyColor', policyColor],
      ['policyStyle', policyStyle],
    ] as const) {
      for (const bad of ['worst-fit', 'toString', 7, undefined]) {
        let error: unknown;
        try {
          fn(bad as never);
        } catch (e) {
          error = e;
        }
        expect(isMemsError(error)).toBe(true);
        expect((error as Error & { code: string }).code).toBe('EINVAL');
        expect((error as Error).message).toMatch(
          new RegExp(`^${call}\\(name\\): expected one of first-fit, next-fit, best-fit, tlsf, got `),
        );
      }
    }
  });
});
