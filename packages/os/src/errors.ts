/**
 * The four kinds of failure every MeMS layer reports.
 * - `EINVAL`: a bad argument (wrong type, NaN, Infinity, negative, zero, fractional, too large).
 * - `EFAULT`: an address that is not allocated (unknown, interior pointer to free, double free,
 *   translation of a hole or of an unmapped address, a mapping this provider did not create).
 * - `ENOMEM`: the page provider refused to map pages.
 * - `ESTATE`: a call in the wrong state (before init, after finish, on a destroyed heap).
 */
export type MemsErrorCode = 'EINVAL' | 'EFAULT' | 'ENOMEM' | 'ESTATE';

/** Every error code, in a fixed order (handy for tests and documentation). */
export const MEMS_ERROR_CODES: readonly MemsErrorCode[] = ['EINVAL', 'EFAULT', 'ENOMEM', 'ESTATE'];

/**
 * The one error class of MeMS. A call that throws it has changed nothing: heaps, providers,
 * counters and the bytes of every live block are exactly as they were before the call.
 */
export class MemsError extends Error {
  /** Which kind of failure this is. */
  readonly code: MemsErrorCode;

  /**
   * @param code the kind of failure.
   * @param message what went wrong; by convention it names the call and the offending value,
   *   for example `mems_free(1234): not the start of an allocated block`.
   * @param options standard error options (`cause`).
   */
  constructor(code: MemsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemsError';
    this.code = code;
  }
}

/**
 * Whether a value is a {@link MemsError}, optionally of one code. Works across bundle copies
 * (ESM and CJS builds) by checking the name and code rather than the prototype only. Never
 * throws: a revoked proxy or an object whose getters throw is simply not a MemsError.
 * @param value anything.
 * @param code when given, the code the error must have.
 * @returns true when `value` is a MemsError (with that code).
 */
export function isMemsError(value: unknown, code?: MemsErrorCode): value is MemsError {
  try {
    if (!(value instanceof Error) || value.name !== 'MemsError') return false;
    const actual = (value as { code?: unknown }).code;
    if (typeof actual !== 'string' || !MEMS_ERROR_CODES.includes(actual as MemsErrorCode)) return false;
    return code === undefined || actual === code;
  } catch {
    return false;
  }
}

/**
 * Describes a value for an error message: strings quoted, bigints with `n`, objects by their
 * type, so that messages name the offending value without dumping large structures.
 * @param value anything.
 * @returns a short printable description.
 */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === 'string')
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
    if (value === null || value === undefined || typeof value === 'boolean') return String(value);
    if (typeof value === 'symbol') return String(value);
    if (typeof value === 'function')
      return typeof value.name === 'string' && value.name !== ''
        ? `a function (${value.name})`
        : 'a function';
    if (Array.isArray(value)) return 'an array';
    return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  } catch {
    // A revoked Proxy, or one whose traps throw, cannot even be looked at.
    return 'an unreadable object';
  }
}

/**
 * The message of something caught, for an error message of our own: `error.message` for an
 * `Error` (a `MemsError`, a koffi fault, a `RangeError`), `String(error)` for anything else that
 * was thrown (a string, a number, `undefined`). Never throws: a value whose `message` getter or
 * `toString` throws is described as `'an unreadable value'`.
 * @param error anything a `catch` clause received.
 * @returns a printable reason.
 */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable value';
  }
}
