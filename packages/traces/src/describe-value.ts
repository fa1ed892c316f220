/**
 * A short description of a value for an error message: strings quoted (and cut after 40
 * characters), byte arrays by their length, objects by their kind.
 * @param value anything.
 * @returns the description.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return JSON.stringify(cut);
  }
  if (value === null || value === undefined || typeof value !== 'object')
    return typeof value === 'bigint'
      ? `${value}n`
      : typeof value === 'function'
        ? 'a function'
        : String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of ${value.byteLength} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const kind = value.constructor?.name;
  return kind && kind !== 'Object' ? `a ${kind}` : 'an object';
}
