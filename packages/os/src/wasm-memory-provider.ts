import { describeValue, errorMessage, MemsError } from './errors.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { type Region, RegionTable } from './page-regions.js';
import { describeMapping } from './provider-mapping.js';
import { readProviderName } from './provider-options.js';
import { isPowerOfTwo, MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

/** The size of a WebAssembly page: `memory.grow` counts in these. */
export const WASM_PAGE_BYTES = 65536;

/** The most bytes a 32-bit WebAssembly memory can address: 4 GiB. */
export const MAX_WASM_MEMORY_BYTES: number = 2 ** 32;

/** Options of {@link createWasmMemoryProvider}. */
export interface WasmMemoryProviderOptions {
  /**
   * Where the range MeMS manages starts in the memory, in bytes: a positive multiple of
   * `pageSize` (so that no block sits at Wasm's null pointer). Default: the memory's current
   * length rounded up to `pageSize` (everything the module has now stays its own).
   */
  byteOffset?: number;
  /**
   * The length of the range: a positive multiple of `pageSize` with `byteOffset + maxBytes` at
   * most 2^32. The memory grows into it as pages are mapped. Default: up to 4 GiB.
   */
  maxBytes?: number;
  /** The mapping granularity: a power of two from 1 to 65536. Default 4096. */
  pageSize?: number;
  /** The provider's `name` (also the prefix of its error messages). Default `'wasm-memory'`. */
  name?: string;
}

/** A {@link PageProvider} over a range of a `WebAssembly.Memory` (see {@link createWasmMemoryProvider}). */
export interface WasmMemoryPageProvider extends PageProvider {
  /** Always true: fresh and returned pages are zero. */
  readonly zeroed: true;
  /** The memory whose range this provider manages. */
  readonly memory: WebAssembly.Memory;
  /** Where the managed range starts in the memory (and the address of its first page). */
  readonly byteOffset: number;
  /** The length of the managed range. */
  readonly maxBytes: number;
}

/**
 * One mapping of a Wasm memory provider. Its `buffer` is read from `memory.buffer` on every
 * access: growing a non-shared memory detaches the old ArrayBuffer and makes a new one, so
 * keeping the buffer (or a view) across a growth would leave it empty.
 */
class WasmMapping implements Mapping {
  readonly address: bigint;
  readonly byteLength: number;
  readonly byteOffset: number;
  readonly provider: string;
  readonly #memory: WebAssembly.Memory;
  #live = true;

  constructor(provider: string, memory: WebAssembly.Memory, byteOffset: number, byteLength: number) {
    this.provider = provider;
    this.#memory = memory;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
    this.address = BigInt(byteOffset);
  }

  /** True until the mapping is unmapped; then false for ever. */
  get live(): boolean {
    return this.#live;
  }

  /**
   * The memory's current buffer (`memory.buffer`), holding these pages at `byteOffset`.
   * The same object on every read until the memory grows. Re-read it after any call that may
   * map pages; never keep it.
   * @throws MemsError `EFAULT` once the mapping has been unmapped.
   */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    if (!this.#live) {
      throw new MemsError(
        'EFAULT',
        `${this.provider} mapping 0x${this.address.toString(16)} (${this.byteLength} bytes): buffer used after unmap`,
      );
    }
    return this.#memory.buffer;
  }

  /** Whether `value` is really one of these objects (not a copy or an object inheriting from one). */
  static is(value: object): value is WasmMapping {
    return #memory in value;
  }

  /** Marks a mapping unmapped (for its provider). */
  static retire(mapping: WasmMapping): void {
    mapping.#live = false;
  }
}

/**
 * Creates a page provider over a range of a WebAssembly module's linear memory, so that
 * JavaScript allocates blocks (through `@mems/core` or `@mems/api`) that Wasm code reads and
 * writes at the same offsets: a mapping's `address` is its byte offset in the memory, so the
 * physical address MeMS reports for a block (`mems_get`, `mems.get`) is the Wasm pointer to it.
 * Pages are carved first fit from `[byteOffset, byteOffset + maxBytes)`, lowest first, and the
 * memory is grown with `memory.grow` (in 64 KiB Wasm pages) when a mapping ends past its current
 * length; the memory never shrinks, and returned pages are zeroed and reused. Bytes of the range
 * that exist when the provider is made are zeroed then. The module must leave the range alone
 * except through the blocks it is given.
 *
 * Growing a non-shared memory replaces `memory.buffer` (the old ArrayBuffer is detached): every
 * mapping's `buffer` reads `memory.buffer` again, and MeMS derives its views from it on every
 * call, so nothing in MeMS goes stale; a view you keep across a call that maps pages (a `malloc`
 * that makes a node) reads as empty. Re-make it after such a call (the module's own views too).
 * Runs wherever `WebAssembly` does (browsers included); a shared memory works the same way.
 *
 * @param memory the module's memory (imported by the module, or its export).
 * @param options `byteOffset`, `maxBytes`, `pageSize`, `name`; see {@link WasmMemoryProviderOptions}.
 * @returns a new provider with nothing mapped.
 * @throws MemsError `EINVAL` when `memory` is not a `WebAssembly.Memory` or an option is bad.
 *
 * @example
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const provider = createWasmMemoryProvider(memory); // the range starts at 64 KiB
 * const mapping = provider.map(provider.pageSize); // grows the memory to 128 KiB
 * new Uint8Array(memory.buffer, Number(mapping.address), 4).set([1, 2, 3, 4]); // Wasm sees them there
 */
export function createWasmMemoryProvider(
  memory: WebAssembly.Memory,
  options: WasmMemoryProviderOptions = {},
): WasmMemoryPageProvider {
  const creator = 'createWasmMemoryProvider';
  if (typeof WebAssembly !== 'object' || !(memory instanceof WebAssembly.Memory)) {
    throw new MemsError(
      'EINVAL',
      `${creator}(${describeValue(memory)}): memory must be a WebAssembly.Memory`,
    );
  }
  const name = readProviderName(creator, options, 'wasm-memory');
  const pageSize = options.pageSize ?? 4096;
  if (!isPowerOfTwo(pageSize) || pageSize > WASM_PAGE_BYTES) {
    throw new MemsError(
      'EINVAL',
      `${creator}: pageSize ${describeValue(pageSize)} must be a power of two from 1 to ${WASM_PAGE_BYTES}`,
    );
  }
  const current = memory.buffer.byteLength;
  const byteOffset = options.byteOffset ?? Math.max(pageSize, Math.ceil(current / pageSize) * pageSize);
  if (
    typeof byteOffset !== 'number' ||
    !Number.isSafeInteger(byteOffset) ||
    byteOffset <= 0 ||
    byteOffset % pageSize !== 0 ||
    byteOffset >= MAX_WASM_MEMORY_BYTES
  ) {
    throw new MemsError(
      'EINVAL',
      `${creator}: byteOffset ${describeValue(byteOffset)} must be a positive multiple of the page size ${pageSize} below 2^32`,
    );
  }
  const room = Math.floor((MAX_WASM_MEMORY_BYTES - byteOffset) / pageSize) * pageSize;
  const maxBytes = options.maxBytes ?? room;
  if (
    typeof maxBytes !== 'number' ||
    !Number.isSafeInteger(maxBytes) ||
    maxBytes <= 0 ||
    maxBytes % pageSize !== 0 ||
    maxBytes > room
  ) {
    throw new MemsError(
      'EINVAL',
      `${creator}: maxBytes ${describeValue(maxBytes)} must be a positive multiple of the page size ${pageSize}, at most ${room} (byteOffset ${byteOffset} + maxBytes <= 2^32)`,
    );
  }
  const maxMappingBytes = Math.min(maxBytes, MAX_MAPPING_BYTES);
  // The part of the range that exists already may hold the module's bytes: zero it once.
  if (current > byteOffset)
    new Uint8Array(memory.buffer, byteOffset, Math.min(current, byteOffset + maxBytes) - byteOffset).fill(0);

  // One region, the whole range; the table drops it with its last mapping, so it is made again then.
  const regions = new RegionTable();
  const freshRange = (): Region => {
    const region = RegionTable.create(BigInt(byteOffset), maxBytes, false);
    regions.add(region);
    return region;
  };
  let range = freshRange();
  const created = new WeakSet<object>();
  let mappedBytes = 0;
  let mappingCount = 0;

  return {
    name,
    pageSize,
    maxMappingBytes,
    zeroed: true,
    memory,
    byteOffset,
    maxBytes,
    get mappedBytes() {
      return mappedBytes;
    },
    get mappingCount() {
      return mappingCount;
    },

    map(byteLength: number): Mapping {
      const call = `${name}.map`;
      const length = validateByteLength(call, byteLength, pageSize, maxMappingBytes);
      const space = regions.find(length);
      if (space === null) {
        throw new MemsError(
          'ENOMEM',
          `${call}(${length}): ${mappedBytes} of the range's ${maxBytes} bytes are mapped; no free run of ${length} bytes is left`,
        );
      }
      const start = byteOffset + space.region.freeStart[space.extent]!;
      const end = start + length;
      const have = memory.buffer.byteLength;
      if (end > have) {
        const pages = Math.ceil((end - have) / WASM_PAGE_BYTES);
        try {
          memory.grow(pages);
        } catch (cause) {
          throw new MemsError(
            'ENOMEM',
            `${call}(${length}): memory.grow(${pages}) from ${have} bytes failed: ${errorMessage(cause)}`,
            { cause },
          );
        }
      }
      regions.take(space, length);
      const mapping = new WasmMapping(name, memory, start, length);
      created.add(mapping);
      mappedBytes += length;
      mappingCount += 1;
      return mapping;
    },

    unmap(mapping: Mapping): void {
      const call = `${name}.unmap`;
      if (typeof mapping !== 'object' || mapping === null) {
        throw new MemsError('EINVAL', `${call}(${describeValue(mapping)}): the argument must be a Mapping`);
      }
      if (!WasmMapping.is(mapping) || !created.has(mapping)) {
        throw new MemsError(
          'EFAULT',
          `${call}(${describeMapping(mapping)}): not a mapping made by this provider`,
        );
      }
      if (!mapping.live)
        throw new MemsError('EFAULT', `${call}(${describeMapping(mapping)}): already unmapped`);
      // Zero the pages now, so that map never has to (pages grown into the memory are zero).
      new Uint8Array(memory.buffer, mapping.byteOffset, mapping.byteLength).fill(0);
      WasmMapping.retire(mapping);
      if (regions.give(range, mapping.byteOffset - byteOffset, mapping.byteLength)) range = freshRange();
      mappedBytes -= mapping.byteLength;
      mappingCount -= 1;
    },
  };
}
