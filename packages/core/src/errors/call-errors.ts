// The messages of the heap's refused calls: how arguments are written, and the EINVAL and
// ESTATE errors that need nothing but the arguments. Built only on the failure path, never on
// the hot path. (Errors that need the heap's tables, such as why an address is not a block,
// are in read/lookup.ts and read/reachable-buffer.ts.)

import { describeValue, MemsError } from '@mems/os';

/** A typed-array constructor that `Heap.viewAs` accepts. */
export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Every typed-array constructor (what `viewAs` accepts). */
export const TYPED_ARRAYS: readonly unknown[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** Describes call arguments for an error message, leaving out trailing undefined ones. */
export function describeArgs(...values: unknown[]): string {
  while (values.length > 0 && values[values.length - 1] === undefined) values.pop();
  return values
    .map((value) => (TYPED_ARRAYS.includes(value) ? (value as Function).name : describeValue(value)))
    .join(', ');
}

/**
 * Describes a value for an error message as {@link describeValue} does, but a typed-array
 * constructor by its bare name (`Int32Array`), as a call to `viewAs` is written.
 * @param value anything.
 * @returns a short printable description.
 */
export function describeArgument(value: unknown): string {
  return describeArgs(value);
}

/**
 * The ESTATE of a call made after destroy or from inside a provider call.
 * @param call the call's name.
 * @param args its arguments, described.
 * @param inProvider the provider call the heap is inside, or null (then: destroyed).
 */
export function stateError(call: string, args: string, inProvider: string | null): MemsError {
  if (inProvider !== null)
    return new MemsError(
      'ESTATE',
      `${call}(${args}): the heap is inside its page provider's ${inProvider}(); a provider must not call back into the heap it serves`,
    );
  return new MemsError('ESTATE', `${call}(${args}): the heap has been destroyed`);
}

/**
 * The EINVAL for a size that is not a positive safe integer up to `maxBlockSize` (call it only
 * for such a size).
 */
export function sizeError(call: string, args: string, size: unknown, maxBlockSize: number): MemsError {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)
    return new MemsError('EINVAL', `${call}(${args}): size must be a positive safe integer`);
  return new MemsError(
    'EINVAL',
    `${call}(${args}): size is too large; the largest block is ${maxBlockSize} bytes`,
  );
}

/**
 * Checks that `address` is a non-negative safe integer.
 * @returns the address.
 * @throws MemsError `EINVAL` otherwise.
 */
export function checkAddress(call: string, address: unknown): number {
  if (typeof address !== 'number' || !Number.isSafeInteger(address) || address < 0)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(address)}): an address must be a non-negative safe integer`,
    );
  return address;
}

/**
 * Checks calloc's arguments.
 * @returns count × size.
 * @throws MemsError `EINVAL` for a count or size that is not a positive safe integer, or a
 *   product above `maxBlockSize`.
 */
export function checkCallocArgs(call: string, count: unknown, size: unknown, maxBlockSize: number): number {
  for (const [what, value] of [
    ['count', count],
    ['size', size],
  ] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
      throw new MemsError(
        'EINVAL',
        `${call}(${describeArgs(count, size)}): ${what} must be a positive safe integer`,
      );
  }
  const total = (count as number) * (size as number);
  if (!Number.isSafeInteger(total) || total > maxBlockSize)
    throw new MemsError(
      'EINVAL',
      `${call}(${describeArgs(count, size)}): ${count} × ${size} bytes is too large; the largest block is ${maxBlockSize} bytes`,
    );
  return total;
}
