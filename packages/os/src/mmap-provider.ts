import { describeValue, MemsError } from './errors.js';
import { loadNativePages } from './native-pages.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { checkUnmapTarget, describeMapping, ProviderMapping } from './provider-mapping.js';
import { MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

/** Options of {@link createMmapProvider}. */
export interface MmapProviderOptions {
  /** The provider's `name` (also the prefix of its error messages). Default `'mmap'`. */
  name?: string;
  /**
   * The largest single mapping: a positive integer of at least one page and at most 2^32
   * (4 GiB; a larger koffi view aborts the process). Default 2^32.
   */
  maxMappingBytes?: number;
}

/** A {@link PageProvider} over real OS pages (see {@link createMmapProvider}). */
export interface MmapPageProvider extends PageProvider {
  /** Which OS interface backs it: `'mmap'` (Linux, macOS) or `'VirtualAlloc'` (Windows). */
  readonly api: 'mmap' | 'VirtualAlloc';
}

/**
 * Creates a page provider over real memory: anonymous private `mmap`/`munmap` on Linux and
 * macOS, `VirtualAlloc`/`VirtualFree` on Windows, called through koffi (loaded now, on the
 * first call, never at import time). Each mapping's `buffer` is a zero-copy koffi view over the
 * pages, and its `address` is the real address, so native code can use it.
 *
 * The provider only unmaps mappings it made, once: a second unmap, a copy or a fake mapping is
 * refused with `EFAULT` before any OS call. It cannot protect views you keep: **touching
 * `mapping.buffer` (or any typed array over it) after `unmap` crashes the process**, because
 * Node 20 cannot detach a koffi view. Reading `mapping.buffer` itself after unmap throws `EFAULT`.
 *
 * @param options name and mapping size limit; see {@link MmapProviderOptions}.
 * @returns a new provider with nothing mapped; its `pageSize` is the OS page size.
 * @throws MemsError `ENOMEM` when koffi cannot be loaded or this platform has no known page
 *   calls (the original error is the `cause`); `EINVAL` for a bad option.
 *
 * @example
 * const provider = createMmapProvider();
 * const mapping = provider.map(provider.pageSize);
 * new Uint8Array(mapping.buffer)[0] = 42; // the byte at mapping.address
 * provider.unmap(mapping); // from here on, never touch that buffer again
 */
export function createMmapProvider(options: MmapProviderOptions = {}): MmapPageProvider {
  if (typeof options !== 'object' || options === null) {
    throw new MemsError('EINVAL', `createMmapProvider(${describeValue(options)}): options must be an object`);
  }
  const name = options.name ?? 'mmap';
  if (typeof name !== 'string' || name === '') {
    throw new MemsError(
      'EINVAL',
      `createMmapProvider: name ${describeValue(name)} must be a non-empty string`,
    );
  }
  const native = loadNativePages();
  const pageSize = native.pageSize;
  const maxMappingBytes = options.maxMappingBytes ?? MAX_MAPPING_BYTES;
  if (
    typeof maxMappingBytes !== 'number' ||
    !Number.isSafeInteger(maxMappingBytes) ||
    maxMappingBytes < pageSize ||
    maxMappingBytes > MAX_MAPPING_BYTES
  ) {
    throw new MemsError(
      'EINVAL',
      `createMmapProvider: maxMappingBytes ${describeValue(maxMappingBytes)} must be an integer from one page (${pageSize}) to ${MAX_MAPPING_BYTES}`,
    );
  }

  let mappedBytes = 0;
  let mappingCount = 0;
  const created = new WeakSet<object>();

  return {
    name,
    api: native.api,
    pageSize,
    maxMappingBytes,
    get mappedBytes() {
      return mappedBytes;
    },
    get mappingCount() {
      return mappingCount;
    },

    map(byteLength: number): Mapping {
      const call = `${name}.map`;
      const length = validateByteLength(call, byteLength, pageSize, maxMappingBytes);
      const address = native.map(`${call}(${length})`, length);
      let buffer: ArrayBuffer;
      try {
        buffer = native.view(address, length);
        if (buffer.byteLength !== length) throw new Error(`the view has ${buffer.byteLength} bytes`);
      } catch (cause) {
        // No view, no mapping: give the pages back so that nothing changes.
        native.unmap(`${call}(${length})`, address, length);
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new MemsError('ENOMEM', `${call}(${length}): cannot view the mapped memory: ${reason}`, {
          cause,
        });
      }
      const mapping = new ProviderMapping(name, address, length, buffer);
      created.add(mapping);
      mappedBytes += length;
      mappingCount += 1;
      return mapping;
    },

    unmap(mapping: Mapping): void {
      const call = `${name}.unmap`;
      const target = checkUnmapTarget(call, mapping, created);
      native.unmap(`${call}(${describeMapping(target)})`, target.address, target.byteLength);
      ProviderMapping.retire(target);
      mappedBytes -= target.byteLength;
      mappingCount -= 1;
    },
  };
}
