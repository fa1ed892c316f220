import { describe, expect, it } from 'vitest';
import { chromiumPath, DEFAULT_CHROMIUM_PATH } from './browser.js';

describe('chromiumPath', () => {
  it('is CHROMIUM_PATH when it is set, as the root README says', () => {
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chromium/chrome' })).toBe('/opt/chromium/chrome');
  });

  it("is Debian's Chromium when CHROMIUM_PATH is unset or empty", () => {
    expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM_PATH);
    expect(chromiumPath({ CHROMIUM_PATH: '' })).toBe('/usr/bin/chromium');
  });
});
