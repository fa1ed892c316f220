/**
 * How an error message should mention a value: the convention of `@mems/os` (numbers as
 * written, `-0` kept, strings quoted, bigints with `n`, objects by kind). Only the part a reader
 * needs is checked, so the test does not copy the library's function.
 * @param value anything passed to a MeMS call.
 * @returns a substring the error message must contain.
 */
export function mentionOf(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'function';
  if (typeof value === 'symbol') return 'Symbol';
  try {
    if (Array.isArray(value)) return 'array';
  } catch {
    return 'unreadable'; // a revoked proxy
  }
  return 'object';
}

/**
 * A value written like code, for transcripts and command names: `NaN`, `-0`, `"12"`, `12n`,
 * `{}`, `[]`, `() => 1`.
 * @param value anything.
 * @returns a short readable rendering.
 */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return value.name || 'function';
  if (value === undefined) return 'undefined';
  try {
    if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`);
      return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
    }
  } catch {
    return '<unreadable object>'; // a revoked proxy or a throwing getter
  }
  return String(value);
}
