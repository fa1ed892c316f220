import { describe, expect, it } from 'vitest';
import { colorsFor, wantsColor } from './colors.js';

describe('wantsColor', () => {
  it('colours terminals only, honouring NO_COLOR, FORCE_COLOR and TERM=dumb, and ignoring CI', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, { CI: 'true' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({}, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({}, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('gives identity functions for a pipe', () => {
    expect(colorsFor({ isTTY: false }).red('x')).toBe(
      process.env.FORCE_COLOR ? '\u001b[31mx\u001b[39m' : 'x',
    );
  });
});
