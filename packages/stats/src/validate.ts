import type { HeapSnapshot, NodeSnapshot } from '@mems/core';
import { describeValue, MemsError } from '@mems/os';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function fail(fn: string, argument: string, value: unknown, problem: string): never {
  throw new MemsError('EINVAL', `${fn}(${argument}): ${problem}, got ${describeValue(value)}`);
}

const COUNTER_NAMES = ['pagesMapped', 'bytesMapped', 'bytesInUse', 'bytesFree'] as const;
const NODE_NUMBERS = ['start', 'lastAddress', 'size', 'pages'] as const;
const SEGMENT_NUMBERS = ['start', 'lastAddress', 'size'] as const;

/**
 * Checks one main-chain node just enough for the formatters to walk it safely: an object with
 * finite non-negative `start`, `lastAddress`, `size`, `pages` and a `segments` array of objects
 * whose `kind` is `'PROCESS'` or `'HOLE'` and whose `start`, `lastAddress`, `size` are numbers.
 * It does not check that segments tile the node (that is core's heap-walk's job).
 * @param fn the name of the calling function, for the error message.
 * @param value the node to check.
 * @param where how the caller names the node, for example `nodes[3]`.
 * @throws {MemsError} `EINVAL` naming `fn`, the place and the offending value.
 */
export function assertNode(fn: string, value: unknown, where = 'node'): asserts value is NodeSnapshot {
  if (!isObject(value)) fail(fn, where, value, 'expected a NodeSnapshot object');
  for (const key of NODE_NUMBERS) {
    if (!isCount(value[key])) fail(fn, where, value[key], `${where}.${key} must be a finite number >= 0`);
  }
  const segments = value.segments;
  if (!Array.isArray(segments)) fail(fn, where, segments, `${where}.segments must be an array`);
  for (let i = 0; i < segments.length; i++) {
    const segment: unknown = segments[i];
    const at = `${where}.segments[${i}]`;
    if (!isObject(segment)) fail(fn, where, segment, `${at} must be a SegmentSnapshot object`);
    if (segment.kind !== 'PROCESS' && segment.kind !== 'HOLE') {
      fail(fn, where, segment.kind, `${at}.kind must be 'PROCESS' or 'HOLE'`);
    }
    for (const key of SEGMENT_NUMBERS) {
      if (!isCount(segment[key])) fail(fn, where, segment[key], `${at}.${key} must be a finite number >= 0`);
    }
  }
}

/**
 * Checks that a value looks like a {@link HeapSnapshot}: an object with a `counters` object
 * (whose `pagesMapped`, `bytesMapped`, `bytesInUse` and `bytesFree` are finite numbers >= 0)
 * and a `nodes` array of nodes that pass {@link assertNode}. Every exported formatter calls it
 * first, so bad input fails with a clear error instead of a TypeError deep inside.
 * @param fn the name of the calling function, for the error message.
 * @param value the value to check.
 * @throws {MemsError} `EINVAL` naming `fn` and the offending value.
 */
export function assertSnapshot(fn: string, value: unknown): asserts value is HeapSnapshot {
  if (!isObject(value)) fail(fn, 'snapshot', value, 'expected a HeapSnapshot object');
  const counters = value.counters;
  if (!isObject(counters)) fail(fn, 'snapshot', counters, 'snapshot.counters must be an object');
  for (const key of COUNTER_NAMES) {
    if (!isCount(counters[key])) {
      fail(fn, 'snapshot', counters[key], `snapshot.counters.${key} must be a finite number >= 0`);
    }
  }
  const nodes = value.nodes;
  if (!Array.isArray(nodes)) fail(fn, 'snapshot', nodes, 'snapshot.nodes must be an array');
  for (let i = 0; i < nodes.length; i++) assertNode(fn, nodes[i], `nodes[${i}]`);
}

/**
 * Checks that an options argument is either omitted or a plain object.
 * @param fn the name of the calling function, for the error message.
 * @param value the options argument.
 * @throws {MemsError} `EINVAL` when it is neither `undefined` nor an object.
 */
export function assertOptions(fn: string, value: unknown): void {
  if (value !== undefined && !isObject(value)) fail(fn, 'options', value, 'options must be an object');
}

/**
 * Checks an optional integer option.
 * @param fn the name of the calling function, for the error message.
 * @param name the option's name.
 * @param value the option's value (`undefined` means "use the default").
 * @param min the smallest allowed value.
 * @param max the largest allowed value.
 * @throws {MemsError} `EINVAL` when it is not an integer in `[min, max]`.
 */
export function assertIntegerOption(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(fn, 'options', value, `options.${name} must be an integer from ${min} to ${max}`);
  }
}

/**
 * Checks an optional boolean option.
 * @param fn the name of the calling function, for the error message.
 * @param name the option's name.
 * @param value the option's value (`undefined` means "use the default").
 * @throws {MemsError} `EINVAL` when it is not a boolean.
 */
export function assertBooleanOption(fn: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    fail(fn, 'options', value, `options.${name} must be a boolean`);
  }
}

/**
 * Checks an optional string option.
 * @param fn the name of the calling function, for the error message.
 * @param name the option's name.
 * @param value the option's value (`undefined` means "use the default").
 * @param allowed when given, the only strings allowed; otherwise any string is.
 * @throws {MemsError} `EINVAL` when it is not a string (or not one of `allowed`).
 */
export function assertStringOption(
  fn: string,
  name: string,
  value: unknown,
  allowed?: readonly string[],
): void {
  if (value === undefined) return;
  if (typeof value === 'string' && (allowed === undefined || allowed.includes(value))) return;
  const what = allowed === undefined ? 'a string' : `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  fail(fn, 'options', value, `options.${name} must be ${what}`);
}
