/**
 * `@mems/os/mmap`: the Node-only page provider over real OS memory, and raw memory access.
 * Importing this module does not load koffi; `createMmapProvider()` and the raw accessors do.
 */
export {
  createMmapProvider,
  DEFAULT_REGION_BYTES,
  type MmapPageProvider,
  type MmapProviderOptions,
} from './mmap-provider.js';
export { readByteAt, readInt32At, writeByteAt, writeInt32At } from './raw-memory.js';
export {
  createSharedMmapProvider,
  openSharedMmapProvider,
  type SharedMmapPageProvider,
  type SharedMmapProviderHandle,
  type SharedMmapProviderOptions,
} from './shared-mmap-provider.js';
