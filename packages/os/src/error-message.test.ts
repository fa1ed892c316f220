import { describe, expect, it } from 'vitest';
import { errorMessage, MemsError } from './errors.js';

describe('errorMessage', () => {
  it('gives the message of an Error, a MemsError included', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(new RangeError('too far'))).toBe('too far');
    expect(errorMessage(new MemsError('ENOMEM', 'mmap.map(4096): refused'))).toBe('mmap.map(4096): refused');
  });

  it('gives String(value) for anything else that was thrown', () => {
    expect(errorMessage('a string')).toBe('a string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage({ toString: () => 'custom' })).toBe('custom');
  });

  it('never throws, even for a value that cannot be turned into a string', () => {
    expect(errorMessage(Object.create(null))).toBe('an unreadable value');
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    expect(errorMessage(hostile)).toBe('an unreadable value');
  });
});
