/*
 * The helpers of the provider contract suite (`testing.ts`): page counts and bad lengths to try,
 * accounting and overlap checks, byte patterns, a seeded PRNG. Only the suite imports them.
 */
import { expect } from 'vitest';
import type { Mapping, PageProvider } from './page-provider.js';

/** Page counts that cover 1, small odd sizes and the largest, within `maxPages`. */
export function pageCounts(maxPages: number): number[] {
  return [...new Set([1, 2, 3, 7, maxPages].filter((pages) => pages >= 1 && pages <= maxPages))];
}

export function badByteLengths(provider: PageProvider): unknown[] {
  const { pageSize, maxMappingBytes } = provider;
  const values: unknown[] = [
    0,
    -0,
    -pageSize,
    -1,
    pageSize + 0.5,
    pageSize * 2.25,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 1,
    maxMappingBytes + pageSize,
    String(pageSize),
    BigInt(pageSize),
    null,
    undefined,
    true,
    {},
    [pageSize],
    () => pageSize,
  ];
  if (pageSize > 1) values.push(1, pageSize - 1, pageSize + 1, pageSize * 3 - 1);
  return values;
}

export function accounting(provider: PageProvider): { mappedBytes: number; mappingCount: number } {
  return { mappedBytes: provider.mappedBytes, mappingCount: provider.mappingCount };
}

export function expectDisjoint(mappings: readonly Mapping[]): void {
  const sharing = mappings
    .filter((mapping) => mapping.byteOffset !== undefined)
    .sort((a, b) => a.byteOffset! - b.byteOffset!);
  for (let i = 1; i < sharing.length; i++) {
    const previous = sharing[i - 1]!;
    const current = sharing[i]!;
    if (
      previous.buffer === current.buffer &&
      previous.byteOffset! + previous.byteLength > current.byteOffset!
    ) {
      expect.fail(
        `mapping at byte ${previous.byteOffset} (${previous.byteLength} bytes) overlaps byte ${current.byteOffset}`,
      );
    }
  }
  const sorted = [...mappings].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (previous.address + BigInt(previous.byteLength) > current.address) {
      expect.fail(
        `mapping 0x${previous.address.toString(16)} (${previous.byteLength} bytes) overlaps 0x${current.address.toString(16)}`,
      );
    }
  }
}

/**
 * Checks where a mapping's pages are: an `ArrayBuffer` of exactly `byteLength` bytes (no
 * `byteOffset`), or a buffer (a `SharedArrayBuffer`, or a WebAssembly memory's `ArrayBuffer`)
 * holding them at a page-aligned `byteOffset`.
 */
export function expectPagesInBuffer(mapping: Mapping, pageSize: number): void {
  const { buffer, byteOffset, byteLength } = mapping;
  const kind = Object.prototype.toString.call(buffer);
  if (kind === '[object ArrayBuffer]' && byteOffset === undefined) {
    // A buffer of its own: exactly the pages (mmap, mock).
    expect(buffer.byteLength).toBe(byteLength);
  } else {
    // Pages carved from one buffer (a SharedArrayBuffer, or a WebAssembly memory's ArrayBuffer).
    expect(['[object ArrayBuffer]', '[object SharedArrayBuffer]']).toContain(kind);
    expect(Number.isSafeInteger(byteOffset)).toBe(true);
    expect(byteOffset! % pageSize).toBe(0);
    expect(byteOffset! + byteLength).toBeLessThanOrEqual(buffer.byteLength);
  }
}

/** A fixed-length view over exactly a mapping's pages. */
export function pagesOf(mapping: Mapping): Uint8Array {
  return new Uint8Array(mapping.buffer, mapping.byteOffset ?? 0, mapping.byteLength);
}

export function patternByte(tag: number, offset: number): number {
  return (tag * 31 + offset * 7 + (offset >>> 8)) & 0xff;
}

export function fillPattern(mapping: Mapping, tag: number): void {
  const bytes = pagesOf(mapping);
  for (let offset = 0; offset < bytes.length; offset++) bytes[offset] = patternByte(tag, offset);
}

/** The first offset whose byte breaks the pattern, or -1. */
export function checkPattern(mapping: Mapping, tag: number): number {
  const bytes = pagesOf(mapping);
  for (let offset = 0; offset < bytes.length; offset++)
    if (bytes[offset] !== patternByte(tag, offset)) return offset;
  return -1;
}

export function firstNonZero(bytes: Uint8Array): number {
  return firstDifferent(bytes, 0);
}

export function firstDifferent(bytes: Uint8Array, value: number): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== value) return i;
  return -1;
}

/** A small deterministic PRNG (mulberry32): returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
