import { describe, expect, it } from 'vitest';
import { isMemsError, MemsError } from './errors.js';

describe('isMemsError', () => {
  it('recognises a MemsError, with or without a code', () => {
    const error = new MemsError('EFAULT', 'free(1): no');
    expect(isMemsError(error)).toBe(true);
    expect(isMemsError(error, 'EFAULT')).toBe(true);
    expect(isMemsError(error, 'EINVAL')).toBe(false);
  });

  it('never throws: revoked proxies and throwing getters are simply not MemsErrors', () => {
    const { proxy, revoke } = Proxy.revocable(new MemsError('EINVAL', 'x'), {});
    revoke();
    const throwingName = Object.defineProperty(new Error('x'), 'name', {
      get() {
        throw new Error('no name');
      },
    });
    const throwingCode = Object.defineProperty(new MemsError('EINVAL', 'x'), 'code', {
      get() {
        throw new Error('no code');
      },
    });
    const trappedPrototype = new Proxy(new MemsError('EINVAL', 'x'), {
      getPrototypeOf() {
        throw new Error('no prototype');
      },
    });
    for (const value of [proxy, throwingName, throwingCode, trappedPrototype]) {
      expect(() => isMemsError(value)).not.toThrow();
      expect(isMemsError(value)).toBe(false);
      expect(isMemsError(value, 'EINVAL')).toBe(false);
    }
  });
});
