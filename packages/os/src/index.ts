/**
 * `@mems/os`: the `PageProvider` interface, the mock provider, the shared-memory provider, the
 * WebAssembly memory provider, the default provider, the shared mutex and the shared argument
 * checks. This entry runs anywhere: it imports no Node built-in and never loads koffi. The
 * real-memory provider lives in `@mems/os/mmap`; the contract suite in `@mems/os/testing`.
 */
export { createDefaultProvider } from './default-provider.js';
export {
  describeValue,
  errorMessage,
  isMemsError,
  MEMS_ERROR_CODES,
  MemsError,
  type MemsErrorCode,
} from './errors.js';
export { bytesOfMapping } from './mapping-bytes.js';
export {
  createMockProvider,
  DEFAULT_MOCK_PAGE_SIZE,
  MAX_MOCK_PAGE_SIZE,
  type MockFault,
  type MockPageProvider,
  type MockProviderOptions,
} from './mock-provider.js';
export type { Mapping, PageProvider } from './page-provider.js';
export { MAX_ARENA_BYTES, SharedArena, type SharedArenaHandle } from './shared-arena.js';
export {
  createSharedMemoryProvider,
  DEFAULT_SHARED_PAGE_SIZE,
  MAX_SHARED_MEMORY_BYTES,
  MAX_SHARED_MEMORY_PAGES,
  openSharedMemoryProvider,
  type SharedMemoryPageProvider,
  type SharedMemoryProviderHandle,
  type SharedMemoryProviderOptions,
} from './shared-memory-provider.js';
export { isSharedArrayBuffer, SHARED_MUTEX_BYTES, SharedMutex } from './shared-mutex.js';
export type { SharedPagesHandle, SharedPagesProvider } from './shared-page-table.js';
export {
  createDefaultSharedProvider,
  openSharedProvider,
  SHARED_PROVIDER_KINDS,
} from './shared-provider.js';
export { isPowerOfTwo, MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';
export {
  createWasmMemoryProvider,
  MAX_WASM_MEMORY_BYTES,
  WASM_PAGE_BYTES,
  type WasmMemoryPageProvider,
  type WasmMemoryProviderOptions,
} from './wasm-memory-provider.js';
