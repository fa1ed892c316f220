/**
 * The differential fuzzer's commands: one record per `@mems/api` call, with arguments that are
 * either values or references resolved against the model when the command runs (`live#2` is
 * the third live block in address order, `interior#0+5` an interior address of the first, ...).
 * Each command prints as a short call (`realloc(live#1, 5000)`), so a shrunk counterexample reads
 * like a program.
 */

import {
  BAD_FRONT_CACHE_VALUES,
  BAD_SIZE_NUMBERS,
  type ModelPolicy,
  show,
  TOO_LARGE_SIZES,
  WRONG_TYPES,
} from '@mems/reference-model';
import fc from 'fast-check';

/** An address argument, resolved when the command runs. */
export type AddressArg =
  | { at: 'live'; pick: number }
  | { at: 'interior'; pick: number; offset: number }
  | { at: 'hole'; pick: number; offset: number }
  | { at: 'freed'; pick: number }
  | { at: 'beyond'; offset: number }
  | { at: 'below'; offset: number }
  | { at: 'value'; value: unknown };

/** The options of one `mems_init` (the provider is a fresh mock with at most `maxPages` pages). */
export interface InitOptions {
  pageSize: number;
  startAddress: number;
  alignment: number;
  policy: ModelPolicy;
  minNodePages: number;
  autoTrim: boolean;
  /** The mock's `maxBytes` in 4096-byte pages; null for no limit. */
  maxPages: number | null;
  /** The front cache: left out (the policy's default: on for tlsf and best-fit), off, on, or settings. */
  frontCache?: boolean | { maxBlockSize: number; blocksPerClass: number; maxBytes: number };
  /** Slabs (issue 20's fast path): left out (off), on, or a smaller largest class. */
  slabs?: boolean | { maxBlockSize: number };
}

export type Command =
  | { op: 'init'; options: InitOptions }
  | { op: 'initBad'; option: string; value: unknown }
  | { op: 'finish' }
  | { op: 'restart'; options: InitOptions }
  | { op: 'malloc'; size: unknown }
  | { op: 'calloc'; count: unknown; size: unknown }
  | { op: 'free'; at: AddressArg }
  | { op: 'get'; at: AddressArg }
  | { op: 'realloc'; at: AddressArg; size: unknown }
  | { op: 'view'; at: AddressArg; length: unknown }
  | { op: 'write'; at: AddressArg; seed: number }
  | { op: 'usableSize'; at: AddressArg }
  | { op: 'trim' }
  | { op: 'fault'; target: 'map' | 'unmap'; nth: number; kind: 'error' | 'short-buffer' };

/** A sequence: commands run in order from a fresh process-wide state (nothing initialised). */
export type Sequence = readonly Command[];

export function showAddress(a: AddressArg): string {
  switch (a.at) {
    case 'live':
      return `live#${a.pick}`;
    case 'interior':
      return `interior#${a.pick}+${a.offset}`;
    case 'hole':
      return `hole#${a.pick}+${a.offset}`;
    case 'freed':
      return `freed#${a.pick}`;
    case 'beyond':
      return `end+${a.offset}`;
    case 'below':
      return `start-${a.offset + 1}`;
    case 'value':
      return show(a.value);
  }
}

/** A command as a short call, e.g. `realloc(live#1, 5000)`. */
export function showCommand(c: Command): string {
  switch (c.op) {
    case 'init': {
      const o = c.options;
      const limit = o.maxPages === null ? '' : `, maxPages: ${o.maxPages}`;
      const cache = o.frontCache === undefined ? '' : `, frontCache: ${JSON.stringify(o.frontCache)}`;
      const slabs = o.slabs === undefined ? '' : `, slabs: ${JSON.stringify(o.slabs)}`;
      return `init({ pageSize: ${o.pageSize}, startAddress: ${o.startAddress}, alignment: ${o.alignment}, policy: '${o.policy}', minNodePages: ${o.minNodePages}, autoTrim: ${o.autoTrim}${cache}${slabs}${limit} })`;
    }
    case 'restart':
      return `restart: finish(), then ${showCommand({ op: 'init', options: c.options })}`;
    case 'initBad':
      return `init({ ${c.option}: ${show(c.value)} })`;
    case 'finish':
      return 'finish()';
    case 'malloc':
      return `malloc(${show(c.size)})`;
    case 'calloc':
      return `calloc(${show(c.count)}, ${show(c.size)})`;
    case 'free':
    case 'get':
    case 'usableSize':
      return `${c.op}(${showAddress(c.at)})`;
    case 'realloc':
      return `realloc(${showAddress(c.at)}, ${show(c.size)})`;
    case 'view':
      return `view(${showAddress(c.at)}${c.length === undefined ? '' : `, ${show(c.length)}`})`;
    case 'write':
      return `write(${showAddress(c.at)}, pattern ${c.seed})`;
    case 'trim':
      return 'trim()';
    case 'fault':
      return `fault(${c.target} #${c.nth}${c.kind === 'error' ? '' : `, ${c.kind}`})`;
  }
}

/** Gives a generated command its readable name in fast-check's reports. */
function named(c: Command): Command {
  const copy = { ...c } as Command;
  Object.defineProperty(copy, fc.toStringMethod, { value: () => showCommand(copy), enumerable: false });
  return copy;
}

const validSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 64 }) },
  { weight: 5, arbitrary: fc.integer({ min: 65, max: 2000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 2001, max: 20000 }) },
  { weight: 2, arbitrary: fc.constantFrom(4095, 4096, 4097, 8191, 8192, 8193, 16) },
  // Past every mock limit the fuzzer sets, and large enough to need many pages otherwise.
  { weight: 1, arbitrary: fc.constant(64 * 8192 + 1) },
);

const badSize = fc.constantFrom<unknown>(...BAD_SIZE_NUMBERS, ...WRONG_TYPES, ...TOO_LARGE_SIZES);

/** A size: mostly valid, sometimes not. */
export const sizeArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: validSize },
  { weight: 1, arbitrary: badSize },
);

const pick = fc.nat({ max: 40 });
const offset = fc.nat({ max: 20000 });

/** An address: mostly a live block, sometimes an interior, hole, freed, unknown or bad one. */
export const addressArg: fc.Arbitrary<AddressArg> = fc.oneof(
  { weight: 16, arbitrary: fc.record({ at: fc.constant('live' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ at: fc.constant('interior' as const), pick, offset }) },
  { weight: 1, arbitrary: fc.record({ at: fc.constant('hole' as const), pick, offset }) },
  { weight: 2, arbitrary: fc.record({ at: fc.constant('freed' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ at: fc.constant('beyond' as const), offset }) },
  { weight: 1, arbitrary: fc.record({ at: fc.constant('below' as const), offset: fc.nat({ max: 999 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.constant('value' as const),
      value: fc.constantFrom<unknown>(...BAD_SIZE_NUMBERS.filter((v) => v !== 0), ...WRONG_TYPES),
    }),
  },
);

/** An address inside a block, for `get` and views (where interior addresses are fine). */
const insideArg: fc.Arbitrary<AddressArg> = fc.oneof(
  { weight: 3, arbitrary: addressArg },
  { weight: 2, arbitrary: fc.record({ at: fc.constant('interior' as const), pick, offset }) },
);

/** The front cache under tlsf and best-fit: the default (on), off, on, or small classes and budgets. */
const frontCacheArg = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(false, true) },
  {
    weight: 2,
    arbitrary: fc.record({
      maxBlockSize: fc.constantFrom(16, 64, 256, 1024),
      blocksPerClass: fc.constantFrom(1, 4, 64),
      maxBytes: fc.constantFrom(0, 512, 262144),
    }),
  },
);

/** Slabs: off (left out) mostly, on, or classes up to 64, 512 or 8192 bytes (multi-page slabs). */
const slabsArg = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.record({ maxBlockSize: fc.constantFrom(64, 512, 8192) }) },
);

export const initOptions: fc.Arbitrary<InitOptions> = fc
  .record({
    pageSize: fc.constantFrom(4096, 8192, 2048),
    startAddress: fc.constantFrom(1000, 0),
    alignment: fc.constantFrom(1, 8, 16),
    policy: fc.constantFrom<ModelPolicy>('first-fit', 'next-fit', 'best-fit', 'tlsf'),
    minNodePages: fc.constantFrom(1, 1, 1, 2, 3),
    autoTrim: fc.constantFrom(false, false, false, true),
    maxPages: fc.option(fc.integer({ min: 3, max: 16 }), { freq: 2 }),
    frontCache: frontCacheArg,
    slabs: slabsArg,
  })
  // First and next fit take no cache (asking for one is an init error, which initBad covers);
  // slabs need a page size that is a multiple of 4096.
  .map(({ frontCache, slabs, ...rest }): InitOptions => {
    const options: InitOptions =
      frontCache !== undefined && (rest.policy === 'tlsf' || rest.policy === 'best-fit')
        ? { ...rest, frontCache }
        : rest;
    return slabs !== undefined && rest.pageSize % 4096 === 0 ? { ...options, slabs } : options;
  });

/** `mems_init` options the documentation calls invalid: [option, value]. */
export const BAD_INIT_OPTIONS: readonly [string, unknown][] = [
  ['pageSize', 4097],
  ['pageSize', 0],
  ['pageSize', 1000],
  ['pageSize', null],
  ['pageSize', '4096'],
  ['startAddress', -1],
  ['startAddress', 1.5],
  ['alignment', 3],
  ['alignment', 8192],
  ['policy', 'worst-fit'],
  ['minNodePages', 0],
  ['autoTrim', 'yes'],
  ['pagesize', 4096],
  ...BAD_FRONT_CACHE_VALUES.map((value): [string, unknown] => ['frontCache', value]),
  ['slabs', 'yes'],
  ['slabs', { maxBlockSize: 8 }],
  ['slabs', { maxBlockSize: 100 }],
  ['slabs', { other: 1 }],
];

/** Commands that start or end a heap (a long sequence has none, so that its heap grows). */
const lifecycle = (weight: number): fc.WeightedArbitrary<Command>[] =>
  weight === 0
    ? []
    : [
        {
          weight: 4 * weight,
          arbitrary: fc.record({ op: fc.constant('init' as const), options: initOptions }),
        },
        {
          weight: 2 * weight,
          arbitrary: fc.record({ op: fc.constant('restart' as const), options: initOptions }),
        },
        {
          weight,
          arbitrary: fc
            .constantFrom(...BAD_INIT_OPTIONS)
            .map(([option, value]): Command => ({ op: 'initBad', option, value })),
        },
        { weight, arbitrary: fc.constant<Command>({ op: 'finish' }) },
      ];

const commandArb = (lifecycleWeight: number): fc.Arbitrary<Command> =>
  fc
    .oneof(
      ...lifecycle(lifecycleWeight),
      { weight: 28, arbitrary: fc.record({ op: fc.constant('malloc' as const), size: sizeArg }) },
      {
        weight: 4,
        arbitrary: fc.record({
          op: fc.constant('calloc' as const),
          count: fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) },
            { weight: 1, arbitrary: badSize },
          ),
          size: fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: 1, max: 200 }) },
            { weight: 1, arbitrary: badSize },
          ),
        }),
      },
      {
        // count × size past the largest block, or past 2^53.
        weight: 1,
        arbitrary: fc
          .constantFrom([2 ** 20, 2 ** 20], [2 ** 27, 2 ** 27], [3, 2 ** 31], [2 ** 31, 3])
          .map(([count, size]): Command => ({ op: 'calloc', count, size })),
      },
      { weight: 16, arbitrary: fc.record({ op: fc.constant('free' as const), at: addressArg }) },
      { weight: 6, arbitrary: fc.record({ op: fc.constant('get' as const), at: insideArg }) },
      {
        weight: 10,
        arbitrary: fc.record({ op: fc.constant('realloc' as const), at: addressArg, size: sizeArg }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          op: fc.constant('view' as const),
          at: insideArg,
          length: fc.oneof(
            { weight: 4, arbitrary: fc.constant(undefined) },
            { weight: 4, arbitrary: fc.nat({ max: 64 }) },
            { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 1.5, Number.NaN, '8', 1e6) },
          ),
        }),
      },
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant('write' as const),
          at: insideArg,
          seed: fc.nat({ max: 255 }),
        }),
      },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('usableSize' as const), at: addressArg }) },
      { weight: 3, arbitrary: fc.constant<Command>({ op: 'trim' }) },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.record({
            op: fc.constant('fault' as const),
            target: fc.constantFrom('map' as const, 'unmap' as const),
            nth: fc.integer({ min: 1, max: 3 }),
            kind: fc.constant('error' as const),
          }),
          fc.record({
            op: fc.constant('fault' as const),
            target: fc.constant('map' as const),
            nth: fc.integer({ min: 1, max: 3 }),
            kind: fc.constant('short-buffer' as const),
          }),
        ),
      },
    )
    .map(named);

const command = commandArb(1);
const growingCommand = commandArb(0);

/**
 * A sequence: usually `init` first, then up to `maxLength` commands (some of which may finish
 * and initialise again, or call before init).
 * @param maxLength the most commands after the first init.
 */
export function sequenceArb(maxLength = 60): fc.Arbitrary<Command[]> {
  return fc
    .tuple(
      fc.option(
        initOptions.map((options) => named({ op: 'init', options })),
        { freq: 12 },
      ),
      fc.array(command, { maxLength, size: 'max' }),
    )
    .map(([init, rest]) => (init === null ? rest : [init, ...rest]));
}

/**
 * A long sequence on one growing heap: init without a page limit, then no finish, restart or
 * init until the end, so that it reaches hundreds of segments (the core's tables grow past 64).
 * @param maxLength the most commands after the init.
 */
export function growingSequenceArb(maxLength = 400): fc.Arbitrary<Command[]> {
  return fc
    .tuple(
      initOptions.map((options) => named({ op: 'init', options: { ...options, maxPages: null } })),
      // At least half the length, so that every run grows the heap well past the tables' first sizes.
      fc.array(growingCommand, { minLength: Math.floor(maxLength / 2), maxLength, size: 'max' }),
    )
    .map(([init, rest]) => [init, ...rest]);
}

/**
 * What the fuzzer runs: mostly short sequences (fast to shrink) and one in five long, growing one.
 * @param longLength the most commands of a long sequence.
 */
export function fuzzSequenceArb(longLength = 400): fc.Arbitrary<Command[]> {
  return fc.oneof(
    { weight: 4, arbitrary: sequenceArb(60) },
    { weight: 1, arbitrary: growingSequenceArb(longLength) },
  );
}
