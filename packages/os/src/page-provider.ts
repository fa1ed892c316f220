/**
 * One mapping made by a {@link PageProvider}: whole pages of memory at a physical address.
 */
export interface Mapping {
  /** The address of the first byte (the OS's address for mmap; a fake, page-aligned one for mock). */
  readonly address: bigint;
  /** The length in bytes: a positive multiple of the provider's `pageSize`. */
  readonly byteLength: number;
  /**
   * The memory of these pages, zero-copy; the same object on every read (until a Wasm memory
   * grows, see below). Either an `ArrayBuffer` over exactly these pages
   * (`buffer.byteLength === byteLength`, no {@link Mapping.byteOffset}: the mmap and mock
   * providers), or a buffer of which the pages are bytes `[byteOffset, byteOffset + byteLength)`:
   * a `SharedArrayBuffer` (the shared-memory provider, which carves every mapping from one buffer
   * that all threads hold) or a WebAssembly memory's `ArrayBuffer` (the Wasm memory provider;
   * growing the memory replaces that buffer, so read this property again after any call that may
   * map pages, and never keep it). So view it as
   * `new Uint8Array(buffer, byteOffset ?? 0, byteLength)` (or {@link bytesOfMapping}), never as
   * `new Uint8Array(buffer)`. Reading this property after `unmap` throws `MemsError` `EFAULT`
   * (the contract suite checks it). But a buffer (or typed array) obtained earlier stays
   * reachable: for the mmap provider, touching it after `unmap` crashes the process (Node cannot
   * detach a koffi view), so check {@link Mapping.live} first, as MeMS's own functions do.
   */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /**
   * Where the pages start in {@link Mapping.buffer}, in bytes: absent (meaning 0) when the
   * buffer holds exactly this mapping; a page-size multiple when the provider carves mappings
   * from one `SharedArrayBuffer`.
   */
  readonly byteOffset?: number;
  /** True until the mapping is unmapped; then false for ever. */
  readonly live: boolean;
  /** The name of the provider that made this mapping. */
  readonly provider: string;
}

/**
 * A source of whole pages of memory. `@mems/core` knows the OS only through this interface;
 * a contributor adds a backend by implementing it and passing the contract suite in
 * `@mems/os/testing`.
 */
export interface PageProvider {
  /** A short name that says which backend this is, for example `'mmap'` or `'mock'`. */
  readonly name: string;
  /** The mapping granularity in bytes (the OS page size): a power of two. */
  readonly pageSize: number;
  /** The largest byteLength a single `map` call accepts. */
  readonly maxMappingBytes: number;
  /** Bytes currently mapped and not yet unmapped (live accounting). */
  readonly mappedBytes: number;
  /** Number of live mappings. */
  readonly mappingCount: number;
  /**
   * True when every mapping `map` returns is zero-filled, including mappings over address
   * ranges the provider reuses after an `unmap`. `@mems/core` then skips zero-filling `calloc`
   * blocks that lie on pages mapped for them. Absent or false: the pages may hold any bytes
   * and MeMS fills them itself. The mmap and mock providers set it to true.
   */
  readonly zeroed?: boolean;
  /**
   * Maps pages (zero-filled when {@link PageProvider.zeroed} is true).
   * @param byteLength a positive integer multiple of `pageSize`, at most `maxMappingBytes`.
   * @returns the new live mapping.
   * @throws MemsError `EINVAL` for a bad byteLength; `ENOMEM` when the OS (or the mock's limit)
   *   refuses. Nothing changes when it throws.
   */
  map(byteLength: number): Mapping;
  /**
   * Optional. Says that objects over `mapping.buffer` (views) were handed to code that may keep
   * them past `unmap`, so the provider should make touching them after `unmap` harmless where it
   * can. MeMS calls it each time it hands out a view of a node (`view`, `viewAs`, and `memoryOf`
   * when it builds a node's object), so it must be cheap after the first call for a mapping
   * (the mmap provider's does nothing then). The mmap provider then keeps the mapping's address range reserved,
   * its memory given back to the OS at `unmap`, until a FinalizationRegistry reports the buffer
   * collected, because touching a released range kills the process. Providers over JavaScript
   * memory need nothing (a stale view reads a detached or reused buffer) and leave it out. Never
   * throws; a value that is not a live mapping of this provider is ignored.
   * @param mapping a mapping made by this provider.
   */
  retain?(mapping: Mapping): void;
  /**
   * Returns a mapping's pages to the provider. Afterwards `mapping.live` is false and the
   * memory belongs to the provider again: it may give it back to the OS by unmapping it
   * (`munmap`), or by discarding the pages' contents while keeping the address range reserved
   * (`madvise(MADV_DONTNEED)`, `MEM_DECOMMIT`; the mmap provider does this so that no sequence
   * of calls splits kernel mappings without bound), and a later `map` may hand out the same
   * addresses again. So a view of the mapping kept past `unmap` may crash the process (mmap,
   * released range), read zeros or another mapping's bytes (mmap, reserved or reused range) or
   * read as empty (mock, detached buffer): never touch one.
   * @param mapping a live mapping made by this provider.
   * @throws MemsError `EINVAL` when `mapping` is not an object; `EFAULT` for a mapping this
   *   provider did not make (a copy, a fake, another provider's) or one already unmapped;
   *   `ENOMEM`/`EINVAL` when the OS refuses. Nothing changes when it throws.
   */
  unmap(mapping: Mapping): void;
}
