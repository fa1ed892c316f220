/**
 * One reservation of address space, and the mappings carved from it. Offsets are bytes from
 * `address`; a region is at most 2^32 bytes, so they are exact in a double.
 */
export interface Region {
  /** The reservation's first byte. */
  readonly address: bigint;
  /** The reservation's length in bytes. */
  readonly byteLength: number;
  /** True for a reservation made for one mapping larger than a shared region. */
  readonly dedicated: boolean;
  /** Number of live mappings carved from it. */
  carvings: number;
  /** Free extents, sorted by offset: starts. */
  readonly freeStart: number[];
  /** Free extents: lengths, parallel to `freeStart`. */
  readonly freeLength: number[];
  /** The longest free extent (0 when full). */
  largestFree: number;
  /**
   * Number of its mappings' buffers that were handed out and may still be reachable from
   * JavaScript (the mmap provider counts them down as a FinalizationRegistry reports them
   * collected). While it is above 0 the reservation is never released, only decommitted.
   */
  buffersOut: number;
}

/** Where a mapping of some length fits: a region and the index of its free extent. */
export interface RegionSpace {
  /** The region. */
  readonly region: Region;
  /** The index of the free extent whose front the mapping takes. */
  readonly extent: number;
}

/**
 * The bookkeeping of the mmap provider's regions, with no OS calls: which address ranges of
 * which reservation are free. A mapping takes the front of the lowest free extent that fits
 * (first fit in address order), so on Linux and macOS the committed part of a region is always
 * one prefix of it and the region is at most two kernel mappings (the read-write prefix and the
 * `PROT_NONE` rest). Returned ranges merge with free neighbours. Lookups are O(regions) to
 * skip full ones plus O(extents) of the first region that has room.
 */
export class RegionTable {
  /** The shared (not dedicated) regions, oldest first. */
  private readonly shared: Region[] = [];
  private dedicatedCount = 0;
  private dedicatedBytes = 0;

  /** Number of reservations held (shared regions and dedicated ones). */
  get count(): number {
    return this.shared.length + this.dedicatedCount;
  }

  /** Bytes of address space reserved (shared regions and dedicated ones). */
  get reservedBytes(): number {
    let bytes = this.dedicatedBytes;
    for (const region of this.shared) bytes += region.byteLength;
    return bytes;
  }

  /**
   * Finds room for `byteLength` bytes in a shared region, changing nothing.
   * @param byteLength a positive length.
   * @returns the first fit, or null when no region has room.
   */
  find(byteLength: number): RegionSpace | null {
    for (const region of this.shared) {
      if (region.largestFree < byteLength) continue;
      const lengths = region.freeLength;
      for (let extent = 0; extent < lengths.length; extent++) {
        if (lengths[extent]! >= byteLength) return { region, extent };
      }
    }
    return null;
  }

  /**
   * A new region record, not yet held (see {@link RegionTable.add}).
   * @param address the reservation's first byte.
   * @param byteLength its length.
   * @param dedicated whether it is made for one mapping of exactly `byteLength` bytes.
   * @returns the record, wholly free.
   */
  static create(address: bigint, byteLength: number, dedicated: boolean): Region {
    return {
      address,
      byteLength,
      dedicated,
      carvings: 0,
      freeStart: [0],
      freeLength: [byteLength],
      largestFree: byteLength,
      buffersOut: 0,
    };
  }

  /**
   * Starts holding a region made by {@link RegionTable.create}.
   * @param region the record.
   */
  add(region: Region): void {
    if (region.dedicated) {
      this.dedicatedCount++;
      this.dedicatedBytes += region.byteLength;
    } else {
      this.shared.push(region);
    }
  }

  /**
   * Takes `byteLength` bytes from the front of a free extent.
   * @param space where, as {@link RegionTable.find} returned it (or extent 0 of a new region).
   * @param byteLength at most the extent's length.
   * @returns the offset taken.
   */
  take(space: RegionSpace, byteLength: number): number {
    const { region, extent } = space;
    const offset = region.freeStart[extent]!;
    const length = region.freeLength[extent]!;
    if (length === byteLength) {
      region.freeStart.splice(extent, 1);
      region.freeLength.splice(extent, 1);
    } else {
      region.freeStart[extent] = offset + byteLength;
      region.freeLength[extent] = length - byteLength;
    }
    if (length === region.largestFree) region.largestFree = longest(region.freeLength);
    region.carvings++;
    return offset;
  }

  /**
   * Gives back a range taken by {@link RegionTable.take}; it merges with free neighbours.
   * When it was the region's last mapping, the region is no longer held.
   * @param region the region.
   * @param offset the range's offset.
   * @param byteLength its length.
   * @returns true when the region is now empty (and was dropped from the table).
   */
  give(region: Region, offset: number, byteLength: number): boolean {
    region.carvings--;
    if (region.carvings === 0) {
      this.drop(region);
      return true;
    }
    const starts = region.freeStart;
    const lengths = region.freeLength;
    // The index of the first extent after the range.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    let start = offset;
    let length = byteLength;
    let first = lo;
    let removed = 0;
    if (lo > 0 && starts[lo - 1]! + lengths[lo - 1]! === offset) {
      first = lo - 1;
      start = starts[first]!;
      length += lengths[first]!;
      removed++;
    }
    if (lo < starts.length && starts[lo]! === offset + byteLength) {
      length += lengths[lo]!;
      removed++;
    }
    starts.splice(first, removed, start);
    lengths.splice(first, removed, length);
    if (length > region.largestFree) region.largestFree = length;
    return false;
  }

  /**
   * Stops holding a region (its last mapping is gone, or a failed map leaves it unused).
   * @param region a held region.
   */
  drop(region: Region): void {
    if (region.dedicated) {
      this.dedicatedCount--;
      this.dedicatedBytes -= region.byteLength;
      return;
    }
    const index = this.shared.indexOf(region);
    if (index >= 0) this.shared.splice(index, 1);
  }
}

/** The longest of the lengths, or 0 for none. */
function longest(lengths: readonly number[]): number {
  let max = 0;
  for (const length of lengths) if (length > max) max = length;
  return max;
}
