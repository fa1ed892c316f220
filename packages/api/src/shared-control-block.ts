import { type HeapOptions, POLICY_NAMES, type PolicyName, type ResolvedHeapOptions } from '@mems/core';
import { HEAP_OPTION_TABLE } from '@mems/core/internal';

/*
 * A shared heap's control block: one fixed SharedArrayBuffer of CONTROL_BYTES, read as int32
 * words and (over the same bytes) float64 slots. It holds the heap's lock, its state, and the
 * resolved options every thread's heap object must be built with. The words and the floats do
 * not overlap: words end at byte 64 (W_* = 0..15), floats start there (F_* = 8, 9), and the
 * options follow from float 16 (byte 128) in @mems/core's option table order, each in the
 * slots its declaration's codec says: an option added to that table travels here untouched.
 */

/** The handle's `kind`. */
export const HANDLE_KIND = 'mems-shared-heap';
/** The handle's and the control block's layout version. */
export const VERSION = 3;
/** The control block's size in bytes. */
export const CONTROL_BYTES = 256;
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
const W_REGIONS = 14;
const F_LOCK_TIMEOUT = 9;
/** The first float slot of the options. */
const F_OPTIONS = 16;

/** Where each shared option's slots start, in @mems/core's option table order. */
const OPTION_SLOTS: ReadonlyMap<keyof HeapOptions, number> = (() => {
  const at = new Map<keyof HeapOptions, number>();
  let next = F_OPTIONS;
  for (const d of HEAP_OPTION_TABLE) {
    if (d.shared === null) continue;
    at.set(d.name, next);
    next += d.shared.slots;
  }
  return at;
})();

/** The float slots the options take after {@link F_OPTIONS}: the block must hold them. */
export const OPTION_SLOT_END = F_OPTIONS + HEAP_OPTION_TABLE.reduce((n, d) => n + (d.shared?.slots ?? 0), 0);

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
  for (const d of HEAP_OPTION_TABLE)
    if (d.shared !== null) d.shared.encode(resolved[d.name], floats, OPTION_SLOTS.get(d.name)!);
  words[W_OWNS_PROVIDER] = extras.ownsProvider ? 1 : 0;
  words[W_REGIONS] = extras.regionCount;
  floats[F_LOCK_TIMEOUT] = extras.lockTimeoutMs;
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
  const index = new Float64Array(control, 0, CONTROL_BYTES / 8)[OPTION_SLOTS.get('policy')!]!;
  return POLICY_NAMES[index];
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
  const floats = new Float64Array(control, 0, CONTROL_BYTES / 8);
  const options: Record<string, unknown> = {};
  for (const d of HEAP_OPTION_TABLE)
    if (d.shared !== null) options[d.name] = d.shared.decode(floats, OPTION_SLOTS.get(d.name)!);
  return { ...options, policy } as Omit<HeapOptions, 'provider'>;
}

/** How many arena regions the creator's tables took. */
export function regionCountOf(control: SharedArrayBuffer): number {
  return controlWords(control)[W_REGIONS]!;
}
