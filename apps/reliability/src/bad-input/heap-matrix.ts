/**
 * The bad-input matrix of a heap surface: the same cases for `@mems/api`'s process-wide
 * functions, a `createMems()` instance and a `@mems/core` `Heap`, each under its own names.
 * The fixture ({@link buildFixture}) holds live blocks, holes, a freed block and an unmapped
 * node at fixed addresses, so every case's arguments are known when the tests are collected.
 */
import type { HeapSnapshot } from '@mems/core';
import { isMemsError, type MockPageProvider } from '@mems/os';
import { BAD_ADDRESSES, BAD_SIZES, TOO_LARGE_SIZES } from '@mems/reference-model';
import { patternByte } from '../integrity/block-patterns.js';
import { type BadCase, badCase } from './harness.js';

/** A heap's operations, loosely typed so that any value can be passed. */
export interface HeapCalls {
  malloc(size: unknown): unknown;
  free(ptr: unknown): unknown;
  get(ptr: unknown): unknown;
  realloc(ptr: unknown, size: unknown): unknown;
  calloc(count: unknown, size: unknown): unknown;
  view(ptr: unknown, length?: unknown): unknown;
  viewAs(type: unknown, ptr: unknown, count?: unknown): unknown;
  usableSize(ptr: unknown): unknown;
  trim(): unknown;
  stats(): unknown;
  validate(): unknown;
  finish(): unknown;
  printStats?(write?: unknown): unknown;
}

/** The name each operation goes by on a surface (what its error messages start with). */
export type HeapCallNames = Record<keyof HeapCalls, string>;

/**
 * The fixture's layout on a mock provider with 4096-byte pages from address 1000:
 * node [1000:5095] holds A [1000:1099], a hole [1100:1299] where B was freed, C [1300:1599]
 * and a hole [1600:5095]; node [5096:13287] holds D [5096:10095] and a hole [10096:13287];
 * E was [13288:22287] in a third node that `trim` unmapped.
 */
export const LAYOUT = {
  a: 1000,
  b: 1100,
  c: 1300,
  d: 5096,
  e: 13288,
  sizes: { a: 100, c: 300, d: 5000 },
} as const;

/**
 * Builds the fixture through `calls` and fills A, C and D with their patterns.
 * @throws Error when the heap does not produce the documented layout.
 */
export function buildFixture(calls: HeapCalls): void {
  const got = [calls.malloc(100), calls.malloc(200), calls.malloc(300), calls.malloc(5000)];
  const e = calls.malloc(9000);
  calls.free(LAYOUT.b);
  calls.free(e);
  const released = calls.trim();
  const want = [LAYOUT.a, LAYOUT.b, LAYOUT.c, LAYOUT.d, LAYOUT.e, 12288];
  if ([...got, e, released].join() !== want.join())
    throw new Error(`fixture layout: got ${[...got, e, released].join()}, want ${want.join()}`);
  for (const [id, address] of [
    [1, LAYOUT.a],
    [3, LAYOUT.c],
    [4, LAYOUT.d],
  ] as const) {
    const bytes = calls.view(address) as Uint8Array;
    for (let i = 0; i < bytes.length; i++) bytes[i] = patternByte(id, address + i);
  }
}

/**
 * Everything observable about the fixture: the snapshot, the seed's text when the surface
 * prints it, the provider's accounting and every byte of every live block.
 */
export function observeHeap(calls: HeapCalls, provider: MockPageProvider, seedText: () => string): string {
  const snapshot = calls.stats() as HeapSnapshot;
  const bytes = snapshot.nodes
    .flatMap((n) => n.segments)
    .filter((s) => s.kind === 'PROCESS')
    .map((s) => `${s.start}: ${blockBytes(calls, s.start)}`);
  return [
    seedText(),
    JSON.stringify(snapshot),
    `provider: ${provider.mappedBytes} bytes, ${provider.mappingCount} mappings, ${provider.mapCalls} maps, ${provider.unmapCalls} unmaps, ${provider.pendingFaults} faults`,
    ...bytes,
  ].join('\n');
}

/** A block's bytes in hex, or `unreachable` when its node's buffer is detached (EFAULT). */
function blockBytes(calls: HeapCalls, start: number): string {
  try {
    return Buffer.from(calls.view(start) as Uint8Array).toString('hex');
  } catch (error) {
    if (isMemsError(error, 'EFAULT')) return 'unreachable';
    throw error;
  }
}

/**
 * Detaches the first node's ArrayBuffer (as `postMessage(view, [view.buffer])` would), for
 * {@link detachedNodeCases}.
 */
export function detachFirstNode(calls: HeapCalls): void {
  const view = calls.view(LAYOUT.a) as Uint8Array;
  structuredClone(view, { transfer: [view.buffer] });
}

/**
 * Calls that would touch the bytes of the fixture's first node once its buffer is detached:
 * each is EFAULT naming the node and changes nothing.
 * @param n the surface's call names.
 * @param calls the surface.
 */
export function detachedNodeCases(n: HeapCallNames, calls: () => HeapCalls): BadCase[] {
  const plan: [keyof HeapCalls, unknown[], string][] = [
    ['calloc', [10, 10], 'its hole [1100:1299] is in the detached node'],
    ['calloc', [1, 3000], 'its hole [1600:5095] is in the detached node'],
    ['realloc', [LAYOUT.a, 8000], 'a move reads the detached node'],
    ['realloc', [LAYOUT.c, 4000], 'a move reads the detached node'],
    ['view', [LAYOUT.a], 'detached node'],
    ['view', [LAYOUT.c + 10, 4], 'detached node'],
    ['viewAs', [Int32Array, LAYOUT.c], 'detached node'],
    ['viewAs', [Float64Array, LAYOUT.a, 2], 'detached node'],
  ];
  return plan.map(([call, args, note]) => {
    const c = badCase(
      n[call],
      'EFAULT',
      args.filter((a) => typeof a !== 'function'),
      [],
      () => (calls()[call] as (...a: unknown[]) => unknown)(...args),
      note,
    );
    c.mentions.push('node [1000:5095]', 'detached');
    return c;
  });
}

const UNKNOWN: readonly [number, string][] = [
  [0, 'below the start address'],
  [999, 'below the start address'],
  [13288, 'the end of the last node'],
  [LAYOUT.e + 500, 'in a node that trim unmapped'],
  [2 ** 52, 'never mapped'],
];
const INTERIOR: readonly [number, string][] = [
  [1001, 'interior'],
  [1099, 'last byte of a block'],
  [5097, 'interior'],
];
const IN_HOLES: readonly [number, string][] = [
  [LAYOUT.b, 'freed block'],
  [1150, 'inside a hole'],
  [1600, 'a hole at the end of a node'],
  [10096, 'a hole at the end of a node'],
];

const TYPES_THAT_ARE_NOT_TYPED_ARRAYS: readonly unknown[] = [
  'Int32Array',
  null,
  undefined,
  Array,
  DataView,
  ArrayBuffer,
  Object,
  function notATypedArray() {},
  {},
];

/**
 * The matrix for one surface.
 * @param n the surface's call names.
 * @param calls the surface (read when a case runs).
 * @param options whether `printStats` takes a `write` function (createMems does).
 * @returns the cases.
 */
export function heapBadInputs(
  n: HeapCallNames,
  calls: () => HeapCalls,
  options: { printStatsTakesWrite: boolean },
): BadCase[] {
  const cases: BadCase[] = [];
  const add = (
    call: keyof HeapCalls,
    code: 'EINVAL' | 'EFAULT',
    args: unknown[],
    offending: unknown[],
    note?: string,
  ) =>
    cases.push(
      badCase(
        n[call],
        code,
        args,
        offending,
        () => (calls()[call] as (...a: unknown[]) => unknown)(...args),
        note,
      ),
    );

  for (const size of [...BAD_SIZES, ...TOO_LARGE_SIZES]) add('malloc', 'EINVAL', [size], [size]);
  for (const bad of [...BAD_SIZES, ...TOO_LARGE_SIZES]) {
    add('calloc', 'EINVAL', [bad, 4], [bad], 'count');
    add('calloc', 'EINVAL', [4, bad], [bad], 'size');
  }
  for (const [count, size] of [
    [2 ** 20, 2 ** 20],
    [2 ** 27, 2 ** 27],
    [3, 2 ** 31],
    [Number.MAX_SAFE_INTEGER, 2],
  ])
    add('calloc', 'EINVAL', [count, size], [count, size], 'count × size too large');

  for (const call of ['free', 'get', 'usableSize'] as const)
    for (const ptr of BAD_ADDRESSES) add(call, 'EINVAL', [ptr], [ptr]);
  for (const call of ['free', 'get', 'usableSize'] as const) {
    for (const [ptr, note] of [...UNKNOWN, ...IN_HOLES]) add(call, 'EFAULT', [ptr], [ptr], note);
    if (call !== 'get') for (const [ptr, note] of INTERIOR) add(call, 'EFAULT', [ptr], [ptr], note);
  }

  for (const ptr of BAD_ADDRESSES) add('realloc', 'EINVAL', [ptr, 10], [ptr], 'address');
  for (const size of [...BAD_SIZES, ...TOO_LARGE_SIZES])
    add('realloc', 'EINVAL', [LAYOUT.a, size], [size], 'size');
  for (const [ptr, note] of [...UNKNOWN, ...IN_HOLES, ...INTERIOR])
    add('realloc', 'EFAULT', [ptr, 10], [ptr], note);

  for (const ptr of BAD_ADDRESSES.filter((v) => v !== undefined))
    add('view', 'EINVAL', [ptr], [ptr], 'address');
  for (const [ptr, note] of [...UNKNOWN, ...IN_HOLES]) add('view', 'EFAULT', [ptr], [ptr], note);
  for (const length of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 101, 2 ** 53, '4', 4n, true, {}, null])
    add('view', 'EINVAL', [LAYOUT.a, length], [length], 'byteLength');
  add('view', 'EINVAL', [1050, 51], [51], 'past the end of the block');

  for (const type of TYPES_THAT_ARE_NOT_TYPED_ARRAYS) {
    add('viewAs', 'EINVAL', [type, LAYOUT.a], [type], 'type');
    // A constructor is named by its name (`Array`), not as "a function".
    if (typeof type === 'function') cases[cases.length - 1]!.mentions = [type.name];
  }
  for (const ptr of BAD_ADDRESSES.filter((v) => v !== undefined))
    add('viewAs', 'EINVAL', [Int32Array, ptr], [ptr], 'address');
  for (const [ptr, note] of [...UNKNOWN, ...IN_HOLES])
    add('viewAs', 'EFAULT', [Int32Array, ptr], [ptr], note);
  add('viewAs', 'EINVAL', [Int32Array, 1001], [1001], 'misaligned');
  add('viewAs', 'EINVAL', [Float64Array, 1004], [1004], 'misaligned');
  for (const count of [-1, 1.5, Number.NaN, 26, '2', 2n, null])
    add('viewAs', 'EINVAL', [Int32Array, LAYOUT.a, count], [count], 'count');

  if (options.printStatsTakesWrite)
    for (const write of [5, 'stdout', {}, null, true])
      cases.push(
        badCase(n.printStats, 'EINVAL', [write], [write], () => calls().printStats?.(write), 'write'),
      );
  return cases;
}

/**
 * Every operation with plausible arguments, for a surface that is not live (before init,
 * after finish or destroy): each must be `ESTATE` and name its arguments.
 * @param n the surface's call names (an empty name leaves the operation out).
 * @param calls the surface.
 * @param skip operations to leave out.
 */
export function notLiveCases(
  n: HeapCallNames,
  calls: () => HeapCalls,
  skip: readonly (keyof HeapCalls)[] = [],
): BadCase[] {
  const plan: [keyof HeapCalls, unknown[]][] = [
    ['malloc', [100]],
    ['malloc', [Number.NaN]],
    ['free', [1000]],
    ['free', [-1]],
    ['get', [1000]],
    ['realloc', [1000, 10]],
    ['calloc', [2, 3]],
    ['view', [1000]],
    ['view', [1000, 4]],
    ['viewAs', [Int32Array, 1000]],
    ['usableSize', [1000]],
    ['trim', []],
    ['stats', []],
    ['validate', []],
    ['printStats', []],
    ['finish', []],
  ];
  return plan
    .filter(([call]) => !skip.includes(call))
    .map(([call, args]) =>
      badCase(
        n[call],
        'ESTATE',
        args,
        // The typed-array type is left out: surfaces write it differently (see the README).
        args.filter((a) => typeof a !== 'function'),
        () => (calls()[call] as (...a: unknown[]) => unknown)(...args),
      ),
    );
}
