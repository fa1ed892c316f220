// Every heap option, declared once: its default and meaning as the docs' option table writes
// them (a test compares the README with this table), the check that resolves it, and how a
// shared heap's control block carries it to other threads. The resolver (resolve-options.ts),
// HEAP_OPTION_NAMES and @mems/api's control block all read this table, so an option is added
// here, with its type in heap-options.ts and its tests.

import { createDefaultProvider, errorMessage, isPowerOfTwo, MemsError } from '@mems/os';
import { checkPolicyFactory } from '../policies/create-policy.js';
import { POLICY_NAMES, type PolicyName } from '../policies/index.js';
import type { PlacementPolicyFactory } from '../policies/placement-policy.js';
import { checkFrontCache } from './check-front-cache.js';
import { checkProvider } from './check-provider.js';
import { checkSlabs } from './check-slabs.js';
import type {
  FrontCacheSettings,
  HeapOperation,
  HeapOptions,
  ProviderFacts,
  ResolvedHeapOptions,
} from './heap-options.js';

/** What an option's check knows: the call, the provider's facts, the options resolved before it. */
export interface ResolveContext {
  /** The creating call, for messages. */
  readonly call: string;
  /** The provider's facts (set by the `provider` option, which comes first). */
  facts: ProviderFacts;
  /** The options resolved so far, in table order. */
  readonly resolved: Partial<Record<keyof HeapOptions, unknown>>;
  /** The `EINVAL` for option `name` = `value` breaking `rule`. */
  bad(name: string, value: unknown, rule: string): MemsError;
}

/**
 * How a shared heap's control block carries an option's resolved value to the threads that
 * attach: in `slots` float64 slots, read back as an option value the resolver accepts.
 */
export interface SharedOptionCodec {
  /** How many float64 slots the value takes. */
  readonly slots: number;
  /** Writes the resolved value at `out[at ..]`. */
  encode(value: unknown, out: Float64Array, at: number): void;
  /** Reads it back from `input[at ..]` as an option value (what the attaching heap is built with). */
  decode(input: Float64Array, at: number): unknown;
}

/** One heap option. */
export interface HeapOptionDeclaration {
  /** Its name in {@link HeapOptions}. */
  readonly name: keyof HeapOptions;
  /** Its default, as the docs' option table writes it. */
  readonly defaultText: string;
  /** What it does, as the docs' option table writes it. */
  readonly meaning: string;
  /**
   * Checks the caller's value (undefined when left out) and resolves it.
   * @throws MemsError `EINVAL` naming the option and the value.
   */
  resolve(value: unknown, context: ResolveContext): unknown;
  /**
   * How a shared heap carries it, or null: each thread has its own provider, and each layer
   * sets its own call names.
   */
  readonly shared: SharedOptionCodec | null;
}

/** An integer or a non-negative address, in one slot. */
const NUMBER: SharedOptionCodec = {
  slots: 1,
  encode: (value, out, at) => {
    out[at] = value as number;
  },
  decode: (input, at) => input[at],
};

const BOOLEAN: SharedOptionCodec = {
  slots: 1,
  encode: (value, out, at) => {
    out[at] = value ? 1 : 0;
  },
  decode: (input, at) => input[at] === 1,
};

/** A built-in policy by its index in POLICY_NAMES (a shared heap refuses any other). */
const POLICY: SharedOptionCodec = {
  slots: 1,
  encode: (value, out, at) => {
    out[at] = POLICY_NAMES.indexOf((value as PlacementPolicyFactory).name as PolicyName);
  },
  decode: (input, at) => POLICY_NAMES[input[at]!],
};

/** Off (0) or on (1) with its three settings. */
const FRONT_CACHE: SharedOptionCodec = {
  slots: 4,
  encode: (value, out, at) => {
    const cache = value as FrontCacheSettings | null;
    out[at] = cache === null ? 0 : 1;
    out[at + 1] = cache?.maxBlockSize ?? 0;
    out[at + 2] = cache?.blocksPerClass ?? 0;
    out[at + 3] = cache?.maxBytes ?? 0;
  },
  decode: (input, at) =>
    input[at] === 1
      ? { maxBlockSize: input[at + 1]!, blocksPerClass: input[at + 2]!, maxBytes: input[at + 3]! }
      : false,
};

/** The operations whose names a heap's error messages use (the `callNames` keys). */
export const HEAP_OPERATIONS: readonly HeapOperation[] = [
  'allocate',
  'free',
  'translate',
  'view',
  'viewAs',
  'memoryOf',
  'calloc',
  'realloc',
  'usableSize',
  'trim',
  'snapshot',
  'validate',
  'destroy',
  'counters',
];

const isSafeInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Every heap option, in documentation order (which is also the order they are checked in). */
export const HEAP_OPTION_TABLE: readonly HeapOptionDeclaration[] = [
  {
    name: 'provider',
    defaultText: '`createDefaultProvider()`',
    meaning: 'where pages come from (mmap on Node, mock elsewhere; or shared memory)',
    resolve(value, c) {
      const provider = value ?? createDefaultProvider();
      c.facts = checkProvider(provider, c.call);
      return provider;
    },
    shared: null,
  },
  {
    name: 'pageSize',
    defaultText: '4096',
    meaning: "heap page: a multiple or a divisor of the provider's page size",
    resolve(value, c) {
      // A heap page may also be smaller than the OS page (4096 on a 16 KiB-page Mac): a node
      // then maps whole OS pages and uses the first pages × pageSize bytes of them.
      const pageSize = value ?? 4096;
      const os = c.facts.pageSize;
      if (!isSafeInteger(pageSize) || pageSize <= 0 || (pageSize % os !== 0 && os % pageSize !== 0))
        throw c.bad(
          'pageSize',
          pageSize,
          `must be a positive multiple or divisor of the provider's page size ${os}`,
        );
      if (pageSize > c.facts.maxMappingBytes)
        throw c.bad(
          'pageSize',
          pageSize,
          `must be at most the provider's largest mapping ${c.facts.maxMappingBytes}`,
        );
      return pageSize;
    },
    shared: NUMBER,
  },
  {
    name: 'startAddress',
    defaultText: '1000',
    meaning: 'the first MeMS virtual address',
    resolve(value, c) {
      const startAddress = value ?? 1000;
      if (!isSafeInteger(startAddress) || startAddress < 0)
        throw c.bad('startAddress', startAddress, 'must be a non-negative safe integer');
      return startAddress;
    },
    shared: NUMBER,
  },
  {
    name: 'policy',
    defaultText: "`'first-fit'`",
    meaning: "`'first-fit'`, `'next-fit'`, `'best-fit'`, `'tlsf'` or your own factory",
    resolve: (value, c) => checkPolicyFactory(value ?? 'first-fit', c.bad),
    shared: POLICY,
  },
  {
    name: 'alignment',
    defaultText: '1',
    meaning:
      'power of two ≤ the provider page size; sizes round up to it, so every block is aligned in physical memory',
    resolve(value, c) {
      const alignment = value ?? 1;
      const pageSize = c.resolved.pageSize as number;
      const maxAlignment = Math.min(c.facts.pageSize, pageSize & -pageSize);
      if (typeof alignment !== 'number' || !isPowerOfTwo(alignment) || alignment > maxAlignment)
        throw c.bad('alignment', alignment, `must be a power of two from 1 to ${maxAlignment}`);
      return alignment;
    },
    shared: NUMBER,
  },
  {
    name: 'minNodePages',
    defaultText: '1',
    meaning: 'growth: the fewest pages a new node maps',
    resolve(value, c) {
      const minNodePages = value ?? 1;
      if (!isSafeInteger(minNodePages) || minNodePages <= 0)
        throw c.bad('minNodePages', minNodePages, 'must be a positive integer');
      if (minNodePages * (c.resolved.pageSize as number) > c.facts.maxMappingBytes)
        throw c.bad(
          'minNodePages',
          minNodePages,
          `times the page size must be at most ${c.facts.maxMappingBytes} bytes`,
        );
      return minNodePages;
    },
    shared: NUMBER,
  },
  {
    name: 'autoTrim',
    defaultText: 'false',
    meaning: 'unmap a node as soon as its last block is freed',
    resolve(value, c) {
      const autoTrim = value ?? false;
      if (typeof autoTrim !== 'boolean') throw c.bad('autoTrim', autoTrim, 'must be a boolean');
      return autoTrim;
    },
    shared: BOOLEAN,
  },
  {
    name: 'frontCache',
    defaultText: 'on for `tlsf` and `best-fit`, off otherwise',
    meaning:
      '`true`, `false` or `{ maxBlockSize?, blocksPerClass?, maxBytes? }`: the front cache below (`tlsf` and `best-fit` only)',
    resolve: (value, c) => checkFrontCache(value, c.resolved.policy as PlacementPolicyFactory, c.call, c.bad),
    shared: FRONT_CACHE,
  },
  {
    name: 'slabs',
    defaultText: 'false',
    meaning:
      '`true`, `false` or `{ maxBlockSize? }`: small blocks from per-size-class slabs (below); needs a `pageSize` that is a multiple of 4096',
    resolve: (value, c) => checkSlabs(value, c.resolved.pageSize as number, c.call, c.bad),
    // A heap that threads share refuses slabs (tables/heap-tables.ts), so there is nothing to carry.
    shared: null,
  },
  {
    name: 'callNames',
    defaultText: 'the method names',
    meaning: 'names used in error messages (the API layer passes `mems_malloc`, ...)',
    resolve(value, c) {
      const given = value ?? {};
      if (typeof given !== 'object' || given === null) throw c.bad('callNames', given, 'must be an object');
      const callNames = {} as Record<HeapOperation, string>;
      for (const op of HEAP_OPERATIONS) {
        let name: unknown;
        try {
          name = (given as Record<string, unknown>)[op] ?? op;
        } catch (cause) {
          throw new MemsError(
            'EINVAL',
            `${c.call}: option callNames.${op} could not be read: ${errorMessage(cause)}`,
            { cause },
          );
        }
        if (typeof name !== 'string') throw c.bad(`callNames.${op}`, name, 'must be a string');
        callNames[op] = name;
      }
      return callNames;
    },
    shared: null,
  },
];

/** Every option name {@link HeapOptions} accepts, in documentation order. */
export const HEAP_OPTION_NAMES: readonly (keyof HeapOptions)[] = HEAP_OPTION_TABLE.map((d) => d.name);

/**
 * Resolves every option in table order.
 * @param given the caller's options, read once (each key: its value or undefined).
 * @param call the creating call, for messages.
 * @param bad how an `EINVAL` for an option is made.
 * @returns the resolved options and the provider's facts.
 * @throws MemsError `EINVAL` from the first option whose check fails.
 */
export function resolveOptionTable(
  given: Partial<Record<keyof HeapOptions, unknown>>,
  call: string,
  bad: ResolveContext['bad'],
): { options: ResolvedHeapOptions; provider: ProviderFacts } {
  const context: ResolveContext = { call, facts: undefined as unknown as ProviderFacts, resolved: {}, bad };
  for (const declaration of HEAP_OPTION_TABLE)
    context.resolved[declaration.name] = declaration.resolve(given[declaration.name], context);
  return { options: context.resolved as unknown as ResolvedHeapOptions, provider: context.facts };
}
