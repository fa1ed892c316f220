import type { AllocatorMemory } from '../allocators/allocator.js';

/** Anything that reports its memory. */
export interface ReportsMemory {
  memory(): AllocatorMemory;
}

/** Keeps the peak of an allocator's mapped bytes over the samples taken. */
export class MemorySampler {
  /** The peak mapped bytes seen, or null when the allocator does not report them. */
  peakMapped: number | null = null;

  /** @param allocator the allocator to sample. */
  constructor(private readonly allocator: ReportsMemory) {}

  /** Takes one sample (O(1); call outside timed regions). */
  sample(): void {
    const mapped = this.allocator.memory().mappedBytes;
    if (mapped !== null && (this.peakMapped === null || mapped > this.peakMapped)) this.peakMapped = mapped;
  }

  /**
   * Peak mapped ÷ peak live.
   * @param peakLive the peak bytes requested by live blocks.
   * @returns the ratio, or null when unknown.
   */
  ratio(peakLive: number): number | null {
    return this.peakMapped === null || peakLive <= 0 ? null : this.peakMapped / peakLive;
  }
}

/**
 * Metadata bytes per live block.
 * @param allocator the allocator.
 * @param liveBlocks blocks live now.
 * @returns the ratio, or null when the allocator reports no metadata.
 */
export function metadataPerBlock(allocator: ReportsMemory, liveBlocks: number): number | null {
  const bytes = allocator.memory().metadataBytes;
  return bytes === null || liveBlocks === 0 ? null : bytes / liveBlocks;
}
