import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHash, encodeHash, INITIAL_STATE, type PageState } from './url-state.js';
import { DEFAULT_OPTIONS, POLICY_CHOICES } from './visual-heap.js';

const stateArbitrary: fc.Arbitrary<PageState> = fc.record({
  scenario: fc.constantFrom('seed', 'empty', 'merge-cases', 'trace'),
  program: fc.option(
    fc.array(
      fc.string({ minLength: 1 }).filter((s) => !s.includes('\n')),
      { maxLength: 30 },
    ),
    { nil: null },
  ),
  traceName: fc.option(fc.string({ minLength: 1 }), { nil: null }),
  options: fc.record({
    policy: fc.constantFrom(...POLICY_CHOICES),
    pageSize: fc.nat(),
    startAddress: fc.nat(),
    alignment: fc.nat(),
    minNodePages: fc.nat(),
    autoTrim: fc.boolean(),
  }),
  step: fc.option(fc.nat(), { nil: null }),
  compare: fc.boolean(),
});

describe('URL hash state', () => {
  it('reads back every state it writes', () => {
    fc.assert(
      fc.property(stateArbitrary, (state) => {
        const { state: back, problems } = decodeHash(`#${encodeHash(state)}`);
        expect(problems).toEqual([]);
        expect(back).toEqual(state);
      }),
    );
  });

  it('writes only what differs from the defaults', () => {
    expect(encodeHash(INITIAL_STATE)).toBe('s=seed');
    expect(encodeHash({ ...INITIAL_STATE, options: { ...DEFAULT_OPTIONS, policy: 'tlsf' }, step: 3 })).toBe(
      's=seed&policy=tlsf&step=3',
    );
  });

  it('opens the seed example for an empty hash', () => {
    expect(decodeHash('')).toEqual({ state: INITIAL_STATE, problems: [] });
  });

  it('reports what it cannot read and keeps the default for it', () => {
    const { state, problems } = decodeHash('#s=seed&policy=worst-fit&page=big&step=-2&autotrim=yes&p=%%%');
    expect(state.options).toEqual(DEFAULT_OPTIONS);
    expect(state.step).toBeNull();
    expect(problems).toEqual([
      'URL: policy="worst-fit" is not one of first-fit, next-fit, best-fit, tlsf',
      'URL: the program (p=...) is damaged',
      'URL: autotrim="yes" must be 0 or 1',
      'URL: step="-2" is not a whole number; showing the last step',
      'URL: page="big" is not a whole number; using 4096',
    ]);
  });
});
