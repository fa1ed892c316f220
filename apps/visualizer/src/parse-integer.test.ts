import { describe, expect, it } from 'vitest';
import { parseInteger } from './parse-integer.js';

describe('parseInteger', () => {
  it.each([
    ['4096', 4096],
    [' -1 ', -1],
    ['+7', 7],
    ['0x1000', 4096],
    ['0XfF', 255],
  ])('reads %j as %d', (text, value) => {
    expect(parseInteger(text)).toBe(value);
  });

  it.each(['', 'x', '1.5', '1e3', '0x', '0xg', '--1', '12abc'])('refuses %j', (text) => {
    expect(parseInteger(text)).toBeNull();
  });
});
