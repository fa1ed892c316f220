import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMemsError } from './errors.js';
import { isPowerOfTwo, MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

describe('isPowerOfTwo', () => {
  it('accepts exactly 2^0 … 2^52', () => {
    for (let k = 0; k <= 52; k++) expect(isPowerOfTwo(2 ** k)).toBe(true);
  });

  it.each([
    0,
    -1,
    -4096,
    3,
    6,
    4095,
    4097,
    0.5,
    1.5,
    2 ** 53,
    2 ** 53 + 2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '4096',
    4096n,
    null,
  ])('rejects %s', (value) => {
    expect(isPowerOfTwo(value)).toBe(false);
  });

  it('agrees with a bit count on every safe integer (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        const bits = value > 0 ? BigInt(value).toString(2).replace(/0/g, '').length : 0;
        expect(isPowerOfTwo(value)).toBe(bits === 1);
      }),
    );
  });
});

describe('validateByteLength', () => {
  it('returns every positive page multiple up to the limit', () => {
    expect(validateByteLength('p.map', 4096, 4096, MAX_MAPPING_BYTES)).toBe(4096);
    expect(validateByteLength('p.map', 2 ** 32, 4096, MAX_MAPPING_BYTES)).toBe(2 ** 32);
    expect(validateByteLength('p.map', 3, 1, 10)).toBe(3);
  });

  it.each<[unknown, string]>([
    [0, 'p.map(0)'],
    [-0, 'p.map(-0)'],
    [-4096, 'p.map(-4096)'],
    [4096.5, 'p.map(4096.5)'],
    [4097, 'p.map(4097)'],
    [Number.NaN, 'p.map(NaN)'],
    [Number.POSITIVE_INFINITY, 'p.map(Infinity)'],
    ['4096', 'p.map("4096")'],
    [4096n, 'p.map(4096n)'],
    [undefined, 'p.map(undefined)'],
    [{}, 'p.map(an object (Object))'],
  ])('rejects %s with EINVAL naming the call and value', (value, prefix) => {
    try {
      validateByteLength('p.map', value, 4096, MAX_MAPPING_BYTES);
      expect.unreachable();
    } catch (error) {
      expect(isMemsError(error, 'EINVAL')).toBe(true);
      expect((error as Error).message).toBe(
        `${prefix}: byteLength must be a positive multiple of the page size 4096`,
      );
    }
  });

  it('rejects a page multiple over the limit with its own message', () => {
    expect(() => validateByteLength('p.map', 8192, 4096, 4096)).toThrow(
      'p.map(8192): byteLength is larger than the largest mapping this provider accepts (4096 bytes)',
    );
  });

  it('accepts exactly the positive multiples within the limit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.oneof(fc.integer(), fc.double()), (shift, value) => {
        const pageSize = 2 ** shift;
        const limit = 1 << 20;
        const ok = Number.isInteger(value) && value > 0 && value % pageSize === 0 && value <= limit;
        let accepted: boolean;
        try {
          accepted = validateByteLength('p.map', value, pageSize, limit) === value;
        } catch (error) {
          expect(isMemsError(error, 'EINVAL')).toBe(true);
          accepted = false;
        }
        expect(accepted).toBe(ok);
      }),
    );
  });
});
