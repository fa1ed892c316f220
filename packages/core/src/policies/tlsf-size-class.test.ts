import { isMemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tlsfList } from './tlsf.js';
import { SL_COUNT } from './tlsf-classes.js';
import { tlsfClass } from './tlsf-size-class.js';

describe('tlsfClass', () => {
  it.each([
    [1, 0, 1, 1, 1],
    [15, 0, 15, 15, 15],
    [16, 1, 0, 16, 16],
    [31, 1, 15, 31, 31],
    [32, 2, 0, 32, 33],
    [1000, 6, 15, 992, 1023],
    [4096, 9, 0, 4096, 4351],
    [2 ** 32 - 1, 28, 15, 2 ** 32 - 2 ** 27, 2 ** 32 - 1],
  ])('size %d is in fl %d, sl %d (%d to %d)', (size, fl, sl, from, to) => {
    expect(tlsfClass(size)).toEqual({ fl, sl, from, to });
  });

  it('is the list the policy files the size under, and the class holds the size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 - 1 }), (size) => {
        const c = tlsfClass(size);
        expect(c.fl * SL_COUNT + c.sl).toBe(tlsfList(size));
        expect(c.from <= size && size <= c.to).toBe(true);
        // The neighbours of the class are in other classes.
        if (c.from > 1) expect(tlsfList(c.from - 1)).not.toBe(tlsfList(size));
        if (c.to < 2 ** 32 - 1) expect(tlsfList(c.to + 1)).not.toBe(tlsfList(size));
      }),
    );
  });

  it.each([0, -1, 2 ** 32, 1.5, Number.NaN, '16', null])('refuses %s with EINVAL naming the call', (size) => {
    let error: unknown;
    try {
      tlsfClass(size as number);
    } catch (e) {
      error = e;
    }
    expect(isMemsError(error) && error.code === 'EINVAL').toBe(true);
    expect((error as Error).message).toMatch(/^tlsfClass\(/);
  });
});
