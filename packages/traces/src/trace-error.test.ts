import { describe, expect, it } from 'vitest';
import { TraceError } from './trace-error';

describe('TraceError', () => {
  it('carries the line and the reason, and says both', () => {
    const error = new TraceError(12, 'block "x" is not allocated');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TraceError');
    expect(error.line).toBe(12);
    expect(error.reason).toBe('block "x" is not allocated');
    expect(error.message).toBe('line 12: block "x" is not allocated');
  });
});
