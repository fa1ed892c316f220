import { type HeapOptions, POLICY_NAMES, type PolicyName, type ResolvedHeapOptions } from '@mems/core';

/*
 * A shared heap's control block: one fixed SharedArrayBuffer of CONTROL_BYTES, read as int32
 * words and (over the same bytes) float64 slots. It holds the heap's lock, its state, and the
 * resolved options every thread's heap object must be built with. The words and the floats do
 * not overlap: floats start at byte 64 (F_* = 8..12), words end at byte 64 (W_* = 0..15).
 */

/** The handle's `kind`. */
export const HANDLE_KIND = 'mems-shared-heap';
/** The handle's and the control block's layout version. */
export const VERSION = 1;
/** The control block's size in bytes. */
export const CONTROL_BYTES = 128;
/** Bytes 8–23 (words 2–5): the heap's SharedMutex. */
export const MUTEX_BYTE_OFFSET = 8;
/** The state word (Atomics): {@link LIVE} or {@link FINISHED}. */
export const W_STATE = 6;
/** How many threads are attached (informational). */
export const W_ATTACHED = 7;
/** 1 when the creator made the provider (the default) and `finish` destroys it. */
export const W_OWNS_PROVIDER = 13;
/** `W_STATE` of a live heap. */
export const LIVE = 1;
/** `W_STATE` once `finish` ran. */
export const FINISHED = 2;

const MAGIC = 0x4d534850; // 'MSHP'
const W_MAGIC = 0;
const W_VERSION = 1;
const W_POLICY = 8;
const W_PAGE_SIZE = 9;
const W_ALIGNMENT = 10;
const W_MIN_NODE_PAGES = 11;
const W_AUTO_TRIM = 12;
const W_REGIONS = 14;
/** 1 when the heap has a front cache (its settings in the F_CACHE_* floats), 0 when not. */
const W_FRONT_CACHE = 15;
const F_START_ADDRESS = 8;
const F_LOCK_TIMEOUT = 9;
const F_CACHE_MAX_BLOCK_SIZE = 10;
const F_CACHE_BLOCKS_PER_CLASS = 11;
const F_CACHE_MAX_BYTES = 12;

/** The control block's int32 words (Atomics work on them). */
export function controlWords(control: SharedArrayBuffer): Int32Array {
  return new Int32Array(control, 0, CONTROL_BYTES / 4);
}

/** The lock timeout every thread uses: the creator's `lockTimeoutMs`. */
export function lockTimeoutOf(control: SharedArrayBuffer): number {
  return new Float64Array(control, 0, CONTROL_BYTES / 8)[F_LOCK_TIMEOUT]!;
}

/** What the creator writes into a new control block besides the heap's resolved options. */
export interface ControlBlockExtras {
  /** The creator's `lockTimeoutMs`. */
  readonly lockTimeoutMs: number;
  /** Whether `finish` destroys the provider (the creator made it). */
  readonly ownsProvider: boolean;
  /** How many arena regions the creator's tables took (an attach must build the same). */
  readonly regionCount: number;
}

/**
 * Writes a new heap's control block and publishes it (the magic word last, with Atomics): the
 * resolved options, the extras, one attached thread, the state LIVE.
 * @param control a zeroed SharedArrayBuffer of {@link CONTROL_BYTES}.
 * @param resolved the creator's heap's resolved options.
 * @param extras the rest of the block.
 */
export function writeControlBlock(
  control: SharedArrayBuffer,
  resolved: ResolvedHeapOptions,
  extras: ControlBlockExtras,
): void {
  const words = controlWords(control);
  const floats = new Float64Array(control, 0, CONTROL_BYTES / 8);
  words[W_VERSION] = VERSION;
  words[W_POLICY] = POLICY_NAMES.indexOf(resolved.policy.name as PolicyName);
  words[W_PAGE_SIZE] = resolved.pageSize;
  words[W_ALIGNMENT] = resolved.alignment;
  words[W_MIN_NODE_PAGES] = resolved.minNodePages;
  words[W_AUTO_TRIM] = resolved.autoTrim ? 1 : 0;
  words[W_OWNS_PROVIDER] = extras.ownsProvider ? 1 : 0;
  words[W_REGIONS] = extras.regionCount;
  floats[F_START_ADDRESS] = resolved.startAddress;
  floats[F_LOCK_TIMEOUT] = extras.lockTimeoutMs;
  // Every thread's tables must resolve the same front cache (its regions come in creation order).
  const cache = resolved.frontCache;
  words[W_FRONT_CACHE] = cache === null ? 0 : 1;
  if (cache !== null) {
    floats[F_CACHE_MAX_BLOCK_SIZE] = cache.maxBlockSize;
    floats[F_CACHE_BLOCKS_PER_CLASS] = cache.blocksPerClass;
    floats[F_CACHE_MAX_BYTES] = cache.maxBytes;
  }
  words[W_ATTACHED] = 1;
  words[W_STATE] = LIVE;
  Atomics.store(words, W_MAGIC, MAGIC);
}

/**
 * Whether a SharedArrayBuffer's contents describe a shared heap of this layout version.
 * @param control a SharedArrayBuffer of {@link CONTROL_BYTES}.
 */
export function isControlBlock(control: SharedArrayBuffer): boolean {
  const words = controlWords(control);
  return Atomics.load(words, W_MAGIC) === MAGIC && words[W_VERSION] === VERSION;
}

/**
 * The policy a control block names, or undefined when it names no built-in policy.
 * @param control a control block ({@link isControlBlock}).
 */
export function policyOf(control: SharedArrayBuffer): PolicyName | undefined {
  return POLICY_NAMES[controlWords(control)[W_POLICY]!];
}

/**
 * The heap options the creator's heap resolved, for another thread's heap object over the
 * same tables (read under the lock).
 * @param control a control block ({@link isControlBlock}).
 * @param policy its policy ({@link policyOf}).
 * @returns every option but the provider.
 */
export function readHeapOptions(
  control: SharedArrayBuffer,
  policy: PolicyName,
): Omit<HeapOptions, 'provider'> {
  const words = controlWords(control);
  const floats = new Float64Array(control, 0, CONTROL_BYTES / 8);
  return {
    policy,
    pageSize: words[W_PAGE_SIZE]!,
    alignment: words[W_ALIGNMENT]!,
    minNodePages: words[W_MIN_NODE_PAGES]!,
    autoTrim: words[W_AUTO_TRIM] === 1,
    startAddress: floats[F_START_ADDRESS]!,
    frontCache:
      words[W_FRONT_CACHE] === 1
        ? {
            maxBlockSize: floats[F_CACHE_MAX_BLOCK_SIZE]!,
            blocksPerClass: floats[F_CACHE_BLOCKS_PER_CLASS]!,
            maxBytes: floats[F_CACHE_MAX_BYTES]!,
          }
        : false,
  };
}

/** How many arena regions the creator's tables took. */
export function regionCountOf(control: SharedArrayBuffer): number {
  return controlWords(control)[W_REGIONS]!;
}
