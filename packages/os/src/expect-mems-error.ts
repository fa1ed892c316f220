import { expect } from 'vitest';
import { describeValue, isMemsError, type MemsError, type MemsErrorCode } from './errors.js';

/**
 * Calls `fn` and checks that it throws a {@link MemsError} with `code`.
 * @param fn the call expected to throw.
 * @param code the expected code.
 * @returns the error, for further checks.
 * @throws an assertion error when `fn` returns or throws something else.
 */
export function expectMemsError(fn: () => unknown, code: MemsErrorCode): MemsError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (!isMemsError(thrown, code)) {
    const got =
      thrown === undefined
        ? 'no error'
        : thrown instanceof Error
          ? `${thrown.name}: ${thrown.message}`
          : thrown;
    expect.fail(`expected MemsError ${code}, got ${describeValue(got)}`);
  }
  return thrown;
}
