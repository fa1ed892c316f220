import { describeValue, MemsError } from './errors.js';
import { createSharedMemoryProvider, openSharedMemoryProvider } from './shared-memory-provider.js';
import type { SharedPagesProvider } from './shared-page-table.js';

/** The handle kinds of the providers a heap shared by threads can use. */
export const SHARED_PROVIDER_KINDS: readonly string[] = [
  'mems-shared-memory-provider',
  'mems-shared-mmap-provider',
];

/**
 * The provider a heap shared by worker threads uses when the caller names none. This is the
 * browser (and any non-Node) build: a shared-memory provider (pages carved from one growable
 * `SharedArrayBuffer`; needs cross-origin isolation in a browser). The Node build of
 * `@mems/os` returns a shared mmap provider (real pages) where koffi loads.
 * @param maxBytes the most bytes mapped at once (a positive multiple of 4096, at most 4 GiB here).
 * @returns a new provider with nothing mapped, whose `handle` other threads open with
 *   {@link openSharedProvider}.
 * @throws MemsError `EINVAL` for a bad `maxBytes`; `ENOMEM` when SharedArrayBuffer is unavailable.
 */
export function createDefaultSharedProvider(maxBytes: number): SharedPagesProvider {
  return createSharedMemoryProvider({ maxBytes: Math.min(maxBytes, 2 ** 32) });
}

/**
 * Opens, in this thread, the shared provider a handle describes, whichever kind it is. This
 * browser build opens shared-memory providers only; the Node build also opens shared mmap ones.
 * @param handle a shared provider's `handle` (posted to this thread or not).
 * @returns this thread's provider over the same pages.
 * @throws MemsError `EINVAL` when `handle` is not a handle of a shared provider this build can open.
 */
export function openSharedProvider(handle: unknown): SharedPagesProvider {
  const kind = handleKind(handle);
  if (kind === 'mems-shared-memory-provider') return openSharedMemoryProvider(handle as never);
  throw new MemsError(
    'EINVAL',
    `openSharedProvider(${describeValue(handle)}): not a shared provider handle this build can open (kind ${describeValue(kind)}; a shared mmap provider opens in Node only)`,
  );
}

/** A handle's `kind`, or undefined when it has none that can be read. */
export function handleKind(handle: unknown): unknown {
  try {
    return typeof handle === 'object' && handle !== null ? (handle as { kind?: unknown }).kind : undefined;
  } catch {
    return undefined;
  }
}
