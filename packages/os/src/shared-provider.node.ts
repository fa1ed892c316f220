import { errorMessage } from './errors.js';
import { createSharedMmapProvider, openSharedMmapProvider } from './shared-mmap-provider.js';
import type { SharedPagesProvider } from './shared-page-table.js';
import {
  createDefaultSharedProvider as createSharedMemoryDefault,
  handleKind,
  openSharedProvider as openSharedMemoryOnly,
} from './shared-provider.js';

/**
 * The provider a heap shared by worker threads uses when the caller names none, in Node: a
 * shared mmap provider (real pages, one address-space reservation of `maxBytes`) where koffi
 * loads, else a shared-memory provider (with a `process.emitWarning`, code
 * `MEMS_SHARED_MEMORY_FALLBACK`).
 * @param maxBytes the most bytes mapped at once (a positive multiple of the OS page size, at
 *   most 2^22 pages).
 * @returns a new provider with nothing mapped; other threads open its `handle` with
 *   {@link openSharedProvider}.
 * @throws MemsError `EINVAL` for a bad `maxBytes`.
 */
export function createDefaultSharedProvider(maxBytes: number): SharedPagesProvider {
  try {
    return createSharedMmapProvider({ maxBytes });
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'EINVAL') throw error;
    const reason = errorMessage(error);
    const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
    try {
      proc?.emitWarning?.(
        `@mems/os: a shared heap's default provider is the shared-memory provider (a SharedArrayBuffer with fake physical addresses, not real pages) because the shared mmap provider cannot be created: ${reason.split('\n', 1)[0]}`,
        { type: 'MemsWarning', code: 'MEMS_SHARED_MEMORY_FALLBACK' },
      );
    } catch {
      // A warning must never break the call that chose the provider.
    }
    return createSharedMemoryDefault(maxBytes);
  }
}

/**
 * Opens, in this thread, the shared provider a handle describes: a shared-memory provider or a
 * shared mmap provider (loading koffi in this thread).
 * @param handle a shared provider's `handle`.
 * @returns this thread's provider over the same pages.
 * @throws MemsError `EINVAL` when `handle` is not a shared provider handle; `ENOMEM` when koffi
 *   cannot be loaded for a shared mmap provider.
 */
export function openSharedProvider(handle: unknown): SharedPagesProvider {
  if (handleKind(handle) === 'mems-shared-mmap-provider') return openSharedMmapProvider(handle as never);
  return openSharedMemoryOnly(handle);
}
