import { describeValue, errorMessage, MemsError } from './errors.js';
import { loadNativePages, type NativePages, pageCall } from './native-pages.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { type Region, type RegionSpace, RegionTable } from './page-regions.js';
import { checkUnmapTarget, describeMapping, ProviderMapping } from './provider-mapping.js';
import { checkProviderOptionsObject, readProviderName } from './provider-options.js';
import { MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

/** The default size of the address-space regions mappings are carved from: 64 MiB. */
export const DEFAULT_REGION_BYTES = 2 ** 26;

/** Options of {@link createMmapProvider}. */
export interface MmapProviderOptions {
  /** The provider's `name` (also the prefix of its error messages). Default `'mmap'`. */
  name?: string;
  /**
   * The largest single mapping: a positive integer of at least one page and at most 2^32
   * (4 GiB; a larger koffi view aborts the process). Default 2^32.
   */
  maxMappingBytes?: number;
  /**
   * The size of the address-space regions that mappings are carved from: a multiple of the
   * page size from one page to 2^32. A mapping longer than this gets a reservation of its own.
   * Default {@link DEFAULT_REGION_BYTES} (64 MiB).
   */
  regionBytes?: number;
}

/** A {@link PageProvider} over real OS pages (see {@link createMmapProvider}). */
export interface MmapPageProvider extends PageProvider {
  /** Which OS interface backs it: `'mmap'` (Linux, macOS) or `'VirtualAlloc'` (Windows). */
  readonly api: 'mmap' | 'VirtualAlloc';
  /** Always true: every mapping is zero-filled, reused address ranges included. */
  readonly zeroed: true;
  /** The size of the shared address-space regions, in bytes. */
  readonly regionBytes: number;
  /**
   * Number of address-space reservations held: shared regions plus one per mapping longer
   * than `regionBytes`. On Linux each is at most two kernel mappings (`/proc/self/maps` lines).
   */
  readonly regionCount: number;
  /** Bytes of address space reserved (committed or not). */
  readonly reservedBytes: number;
  /**
   * Of {@link MmapPageProvider.regionCount}, the reservations whose every mapping is unmapped
   * (their memory already given back) but that stay reserved until the buffers of retained
   * mappings ({@link PageProvider.retain}) are garbage-collected, so that a view kept past
   * `unmap` reads zeros instead of crashing the process. Each is released (`munmap`) when its
   * last buffer is collected.
   */
  readonly awaitingCollection: number;
}

/**
 * Creates a page provider over real memory, called through koffi (loaded now, on the first
 * call, never at import time). It reserves address space in large regions (64 MiB by default;
 * `mmap` with `PROT_NONE` on Linux and macOS, `VirtualAlloc(MEM_RESERVE)` on Windows) and carves
 * mappings from them, committing their pages (`mprotect` / `MEM_COMMIT`); a mapping longer than
 * a region gets a reservation of its own. `unmap` gives the pages' memory back to the OS without
 * splitting the OS's mapping (`madvise(MADV_DONTNEED)` on Linux, fresh `MAP_FIXED` pages on
 * macOS, `MEM_DECOMMIT` on Windows) and keeps the range reserved for later mappings; a region
 * is released whole (`munmap` / `MEM_RELEASE`) when its last mapping is unmapped and no buffer
 * handed out over it is still reachable. So the number of kernel mappings grows with the bytes
 * reserved, never with the number of mappings or unmaps, and `vm.max_map_count` is out of reach.
 * Every mapping, reused ranges included, is zero-filled.
 *
 * Each mapping's `buffer` is a zero-copy koffi view over the pages, and its `address` is the
 * real address, so native code can use it. The provider only unmaps mappings it made, once: a
 * second unmap, a copy or a fake mapping is refused with `EFAULT` before any OS call. Node 20
 * cannot detach a koffi view, so a view kept past `unmap` stays usable: **it reads zeros or,
 * once the range is reused, another mapping's bytes**; never rely on either. To keep such a
 * view from crashing the process, a region with a mapping that was retained
 * ({@link PageProvider.retain}: MeMS retains a node's mapping when it hands out a view of it)
 * is not released while that mapping's buffer is reachable: its memory goes back to the OS at
 * once, its address range when a FinalizationRegistry reports the last buffer collected
 * ({@link MmapPageProvider.awaitingCollection}). On Windows a decommitted page cannot be
 * touched at all, so there a kept view may still crash the process. Reading `mapping.buffer`
 * after unmap throws `EFAULT`.
 *
 * @param options name, mapping size limit and region size; see {@link MmapProviderOptions}.
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
  checkProviderOptionsObject('createMmapProvider', options);
  return createNativePageProvider(loadNativePages(), options);
}

/**
 * The mmap provider over given page calls: {@link createMmapProvider} passes the OS's, tests
 * pass bindings over a fake koffi. Not exported from the package.
 * @param native the page calls.
 * @param options as for {@link createMmapProvider}.
 * @returns a new provider with nothing mapped.
 * @throws MemsError `EINVAL` for a bad option.
 */
export function createNativePageProvider(
  native: NativePages,
  options: MmapProviderOptions = {},
): MmapPageProvider {
  const name = readProviderName('createMmapProvider', options, 'mmap');
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
  const regionBytes = options.regionBytes ?? Math.max(DEFAULT_REGION_BYTES, pageSize);
  if (
    typeof regionBytes !== 'number' ||
    !Number.isSafeInteger(regionBytes) ||
    regionBytes < pageSize ||
    regionBytes > MAX_MAPPING_BYTES ||
    regionBytes % pageSize !== 0
  ) {
    throw new MemsError(
      'EINVAL',
      `createMmapProvider: regionBytes ${describeValue(regionBytes)} must be a multiple of the page size ${pageSize} from one page to ${MAX_MAPPING_BYTES}`,
    );
  }

  let mappedBytes = 0;
  let mappingCount = 0;
  const regions = new RegionTable();
  /** Regions with no mapping left, reserved until their handed-out buffers are collected. */
  const awaiting = new Set<Region>();
  const unmapCall = `${name}.unmap`;
  /** Releases a region that waited for its buffers, now that the last one is collected. */
  const buffersCollected = new FinalizationRegistry<Region>((region) => {
    region.buffersOut--;
    if (region.buffersOut > 0 || !awaiting.has(region)) return;
    try {
      native.release(unmapCall, region.address, region.byteLength);
      awaiting.delete(region);
    } catch {
      // The range stays reserved, its pages decommitted: address space, not memory.
    }
  });
  /** The region of every live mapping this provider made. */
  const regionOf = new WeakMap<object, Region>();
  const created = new WeakSet<object>();

  /** Undoes what a failed map did, ignoring a failure: the map call reports its own error. */
  const undo = (step: () => void): void => {
    try {
      step();
    } catch {
      // The range stays reserved (or committed) and unused: address space, not memory.
    }
  };

  return {
    name,
    api: native.api,
    zeroed: true,
    pageSize,
    maxMappingBytes,
    regionBytes,
    get mappedBytes() {
      return mappedBytes;
    },
    get mappingCount() {
      return mappingCount;
    },
    get regionCount() {
      return regions.count + awaiting.size;
    },
    get reservedBytes() {
      let bytes = regions.reservedBytes;
      for (const region of awaiting) bytes += region.byteLength;
      return bytes;
    },
    get awaitingCollection() {
      return awaiting.size;
    },

    map(byteLength: number): Mapping {
      const call = `${name}.map`;
      const length = validateByteLength(call, byteLength, pageSize, maxMappingBytes);
      const label = `${call}(${length})`;
      // Plan first: a shared region with room, else a new reservation. Nothing changes yet.
      let space: RegionSpace | null = length > regionBytes ? null : regions.find(length);
      let fresh: Region | undefined;
      if (space === null) {
        const reserveBytes = Math.max(length, regionBytes);
        const address = pageCall(label, () => native.reserve(label, reserveBytes));
        fresh = RegionTable.create(address, reserveBytes, length > regionBytes);
        space = { region: fresh, extent: 0 };
      }
      const region = space.region;
      const address = region.address + BigInt(region.freeStart[space.extent]!);
      let committed = false;
      let buffer: ArrayBuffer;
      try {
        pageCall(label, () => native.commit(label, address, length));
        committed = true;
        buffer = native.view(address, length);
        if (buffer.byteLength !== length) throw new Error(`the view has ${buffer.byteLength} bytes`);
      } catch (cause) {
        // No view, no mapping: give back what this call took, so that nothing changes.
        if (fresh !== undefined) undo(() => native.release(label, fresh.address, fresh.byteLength));
        else if (committed) undo(() => native.decommit(label, address, length));
        if (!committed) throw cause;
        const reason = errorMessage(cause);
        throw new MemsError('ENOMEM', `${label}: cannot view the mapped memory: ${reason}`, { cause });
      }
      if (fresh !== undefined) regions.add(fresh);
      regions.take(space, length);
      // Once retained, objects over these pages may outlive the mapping: the region then stays
      // reserved until the buffer is collected (see unmap).
      const mapping = new ProviderMapping(name, address, length, buffer, (handedOut) => {
        region.buffersOut++;
        buffersCollected.register(handedOut, region);
      });
      created.add(mapping);
      regionOf.set(mapping, region);
      mappedBytes += length;
      mappingCount += 1;
      return mapping;
    },

    retain(mapping: Mapping): void {
      ProviderMapping.retain(mapping);
    },

    unmap(mapping: Mapping): void {
      const target = checkUnmapTarget(unmapCall, mapping, created);
      const region = regionOf.get(target)!;
      const label = `${unmapCall}(${describeMapping(target)})`;
      // The region's last mapping takes the whole reservation with it, unless a buffer handed
      // out over the region may still be reachable: touching a released range kills the
      // process, so the range then stays reserved, its memory given back, until the
      // FinalizationRegistry reports the last buffer collected. Any other mapping gives its
      // pages' memory back and leaves the address range reserved, the OS's mapping whole.
      const last = region.carvings === 1;
      if (last && region.buffersOut === 0)
        pageCall(label, () => native.release(label, region.address, region.byteLength));
      else pageCall(label, () => native.decommit(label, target.address, target.byteLength));
      ProviderMapping.retire(target);
      regionOf.delete(target);
      regions.give(region, Number(target.address - region.address), target.byteLength);
      if (last && region.buffersOut > 0) awaiting.add(region);
      mappedBytes -= target.byteLength;
      mappingCount -= 1;
    },
  };
}
