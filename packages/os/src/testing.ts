/**
 * `@mems/os/testing`: the contract every {@link PageProvider} must meet, as a vitest suite.
 * A contributor who writes a provider checks it with one call:
 *
 * ```ts
 * import { describeProviderContract } from '@mems/os/testing';
 * describeProviderContract('my provider', () => createMyProvider());
 * ```
 *
 * This module imports `vitest` (an optional peer dependency of `@mems/os`), so load it only
 * from test files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { describeValue } from './errors.js';
import { expectMemsError } from './expect-mems-error.js';
import type { Mapping, PageProvider } from './page-provider.js';
import {
  accounting,
  badByteLengths,
  checkPattern,
  expectDisjoint,
  expectPagesInBuffer,
  fillPattern,
  firstDifferent,
  firstNonZero,
  mulberry32,
  pageCounts,
  pagesOf,
  patternByte,
} from './provider-contract-helpers.js';

export { expectMemsError } from './expect-mems-error.js';

/** Options of {@link describeProviderContract}. */
export interface ProviderContractOptions {
  /**
   * Reads the byte at a raw address (for a provider of real memory, `readByteAt` from
   * `@mems/os/mmap`). When given, the suite also checks that a byte written through
   * `mapping.buffer` is found at `mapping.address + offset`.
   */
  readRawByte?: (address: bigint) => number;
  /** The largest mapping the suite makes, in pages. Default 16. */
  maxPages?: number;
  /** The number of random map/unmap steps of the churn test. Default 300. */
  churnSteps?: number;
  /** The seed of the churn test's pseudo-random sequence. Default 0x5eed. */
  seed?: number;
}

/**
 * Registers a vitest `describe` block that checks a page provider against the contract of
 * {@link PageProvider} and {@link Mapping}: a power-of-two page size; page-aligned, live,
 * non-overlapping mappings of exactly the requested length with a stable zero-copy buffer;
 * `zeroed` absent or a boolean, and when it is true, zero-filled pages in every mapping, also
 * where the provider reuses ranges that were unmapped between live mappings; bytes that stay put across other maps and unmaps; exact live
 * accounting; `EINVAL` for every bad length (0, negative, fractional, NaN, ±Infinity, wrong
 * type, not a page multiple, over `maxMappingBytes`) and for a non-object passed to `unmap`;
 * `EFAULT` for a double unmap, for a mapping the provider did not make (a copy, a fake, another
 * instance's) and for reading `buffer` after unmap; and every failed call changes nothing. Each
 * test unmaps what it mapped.
 *
 * @param name the name shown in the test report.
 * @param makeProvider returns a fresh provider with nothing mapped; called once per test (and
 *   twice by the test that needs a second instance).
 * @param options optional raw-memory check and sizes; see {@link ProviderContractOptions}.
 * @returns nothing; it registers tests, so call it at the top level of a test file (or inside
 *   a `describe`).
 * @throws nothing itself; the registered tests fail when the provider breaks the contract.
 */
export function describeProviderContract(
  name: string,
  makeProvider: () => PageProvider,
  options: ProviderContractOptions = {},
): void {
  const { readRawByte, maxPages = 16, churnSteps = 300, seed = 0x5eed } = options;

  describe(`PageProvider contract: ${name}`, () => {
    const made: Array<{ provider: PageProvider; mapping: Mapping }> = [];

    /** Maps through the provider and remembers the mapping for the cleanup after each test. */
    const map = (provider: PageProvider, byteLength: number): Mapping => {
      const mapping = provider.map(byteLength);
      made.push({ provider, mapping });
      return mapping;
    };

    afterEach(() => {
      for (const { provider, mapping } of made.splice(0)) {
        if (mapping.live) provider.unmap(mapping);
      }
    });

    it('has a non-empty name and a power-of-two page size', () => {
      const provider = makeProvider();
      expect(typeof provider.name).toBe('string');
      expect(provider.name.length).toBeGreaterThan(0);
      expect(Number.isSafeInteger(provider.pageSize)).toBe(true);
      expect(provider.pageSize).toBeGreaterThan(0);
      expect(Number.isInteger(Math.log2(provider.pageSize))).toBe(true);
      expect(Number.isSafeInteger(provider.maxMappingBytes)).toBe(true);
      expect(provider.maxMappingBytes).toBeGreaterThanOrEqual(provider.pageSize);
    });

    it('starts with nothing mapped', () => {
      const provider = makeProvider();
      expect(provider.mappedBytes).toBe(0);
      expect(provider.mappingCount).toBe(0);
    });

    it('maps page-aligned, live mappings of exactly the requested length', () => {
      const provider = makeProvider();
      const { pageSize } = provider;
      for (const pages of pageCounts(maxPages)) {
        const mapping = map(provider, pages * pageSize);
        expect(typeof mapping.address).toBe('bigint');
        expect(mapping.address).toBeGreaterThan(0n);
        expect(mapping.address % BigInt(pageSize)).toBe(0n);
        expect(mapping.address + BigInt(mapping.byteLength)).toBeLessThanOrEqual(1n << 64n);
        expect(mapping.byteLength).toBe(pages * pageSize);
        expectPagesInBuffer(mapping, pageSize);
        expect(mapping.buffer).toBe(mapping.buffer);
        expect(mapping.live).toBe(true);
        expect(mapping.provider).toBe(provider.name);
      }
    });

    it('declares whether its mappings are zero-filled: zeroed is absent or a boolean', () => {
      const provider = makeProvider();
      expect(provider.zeroed === undefined || typeof provider.zeroed === 'boolean').toBe(true);
    });

    it('hands out zero-filled pages when zeroed, also where pages were just unmapped', (context) => {
      const provider = makeProvider();
      if (provider.zeroed !== true) context.skip('the provider does not promise zero-filled pages');
      const byteLength = Math.min(4, maxPages) * provider.pageSize;
      for (let round = 0; round < 3; round++) {
        const mapping = map(provider, byteLength);
        const bytes = pagesOf(mapping);
        expect(firstNonZero(bytes)).toBe(-1);
        bytes.fill(0xa5);
        provider.unmap(mapping);
      }
    });

    it('hands out zero-filled pages when zeroed, where mappings between live ones were unmapped', (context) => {
      const provider = makeProvider();
      if (provider.zeroed !== true) context.skip('the provider does not promise zero-filled pages');
      const { pageSize } = provider;
      const sizes = pageCounts(maxPages).map((pages) => pages * pageSize);
      const live = [...sizes, ...sizes].map((byteLength) => map(provider, byteLength));
      for (const mapping of live) pagesOf(mapping).fill(0x5a);
      // Unmap every other mapping, so that what is returned lies between mappings still live.
      for (let i = 0; i < live.length; i += 2) provider.unmap(live[i]!);
      for (const byteLength of [...sizes].reverse()) {
        const mapping = map(provider, byteLength);
        expect(firstNonZero(pagesOf(mapping))).toBe(-1);
        pagesOf(mapping).fill(0x6b);
      }
      for (let i = 1; i < live.length; i += 2) expect(firstDifferent(pagesOf(live[i]!), 0x5a)).toBe(-1);
    });

    it('never overlaps live mappings', () => {
      const provider = makeProvider();
      const live: Mapping[] = [];
      for (const pages of [...pageCounts(maxPages), ...pageCounts(maxPages)]) {
        live.push(map(provider, pages * provider.pageSize));
      }
      provider.unmap(live.splice(2, 1)[0]!);
      provider.unmap(live.splice(4, 1)[0]!);
      live.push(map(provider, provider.pageSize), map(provider, Math.min(3, maxPages) * provider.pageSize));
      expectDisjoint(live);
    });

    it('keeps bytes written through a buffer across other maps and unmaps', () => {
      const provider = makeProvider();
      const { pageSize } = provider;
      const a = map(provider, Math.min(2, maxPages) * pageSize);
      const b = map(provider, pageSize);
      const c = map(provider, Math.min(3, maxPages) * pageSize);
      fillPattern(a, 1);
      fillPattern(b, 2);
      fillPattern(c, 3);
      provider.unmap(b);
      const d = map(provider, pageSize);
      fillPattern(d, 4);
      const e = map(provider, Math.min(5, maxPages) * pageSize);
      provider.unmap(e);
      expect(checkPattern(a, 1)).toBe(-1);
      expect(checkPattern(c, 3)).toBe(-1);
      expect(checkPattern(d, 4)).toBe(-1);
      expect(pagesOf(a)[0]).toBe(patternByte(1, 0));
    });

    it('accounts for live mappings exactly and returns to zero', () => {
      const provider = makeProvider();
      const { pageSize } = provider;
      const live: Mapping[] = [];
      let bytes = 0;
      for (const pages of pageCounts(maxPages)) {
        live.push(map(provider, pages * pageSize));
        bytes += pages * pageSize;
        expect(provider.mappedBytes).toBe(bytes);
        expect(provider.mappingCount).toBe(live.length);
      }
      while (live.length > 0) {
        const mapping = live.splice(live.length >> 1, 1)[0]!;
        provider.unmap(mapping);
        bytes -= mapping.byteLength;
        expect(mapping.live).toBe(false);
        expect(provider.mappedBytes).toBe(bytes);
        expect(provider.mappingCount).toBe(live.length);
      }
      expect(provider.mappedBytes).toBe(0);
      expect(provider.mappingCount).toBe(0);
    });

    it('keeps a mapping’s address and length after unmap, and refuses its buffer with EFAULT', () => {
      const provider = makeProvider();
      const mapping = map(provider, provider.pageSize);
      const { address, byteLength } = mapping;
      provider.unmap(mapping);
      expect(mapping.live).toBe(false);
      expect(mapping.address).toBe(address);
      expect(mapping.byteLength).toBe(byteLength);
      expect(mapping.provider).toBe(provider.name);
      expectMemsError(() => mapping.buffer, 'EFAULT');
    });

    it('rejects every bad byteLength with EINVAL, naming the call and the value, and changes nothing', () => {
      const provider = makeProvider();
      const keep = map(provider, provider.pageSize);
      fillPattern(keep, 7);
      const before = accounting(provider);
      for (const value of badByteLengths(provider)) {
        const error = expectMemsError(() => provider.map(value as number), 'EINVAL');
        expect(error.message).toContain('map');
        expect(error.message).toContain(describeValue(value));
        expect(accounting(provider)).toEqual(before);
      }
      expect(keep.live).toBe(true);
      expect(checkPattern(keep, 7)).toBe(-1);
    });

    it('rejects a non-object passed to unmap with EINVAL and changes nothing', () => {
      const provider = makeProvider();
      const keep = map(provider, provider.pageSize);
      const before = accounting(provider);
      for (const value of [null, undefined, 0, provider.pageSize, 'mapping', keep.address, true]) {
        expectMemsError(() => provider.unmap(value as unknown as Mapping), 'EINVAL');
        expect(accounting(provider)).toEqual(before);
      }
      expect(keep.live).toBe(true);
    });

    it('rejects a second unmap of the same mapping with EFAULT and changes nothing', () => {
      const provider = makeProvider();
      const gone = map(provider, provider.pageSize);
      const keep = map(provider, provider.pageSize);
      fillPattern(keep, 9);
      provider.unmap(gone);
      const before = accounting(provider);
      expectMemsError(() => provider.unmap(gone), 'EFAULT');
      expectMemsError(() => provider.unmap(gone), 'EFAULT');
      expect(accounting(provider)).toEqual(before);
      expect(keep.live).toBe(true);
      expect(checkPattern(keep, 9)).toBe(-1);
    });

    it('rejects mappings it did not make with EFAULT and changes nothing', () => {
      const provider = makeProvider();
      const other = makeProvider();
      const keep = map(provider, provider.pageSize);
      const theirs = map(other, other.pageSize);
      const before = accounting(provider);
      const otherBefore = accounting(other);
      const fake: Mapping = {
        address: keep.address,
        byteLength: keep.byteLength,
        buffer: new ArrayBuffer(keep.byteLength),
        live: true,
        provider: provider.name,
      };
      const copy: Mapping = {
        address: keep.address,
        byteLength: keep.byteLength,
        buffer: keep.buffer,
        live: keep.live,
        provider: keep.provider,
      };
      const inheriting = Object.create(keep) as Mapping;
      for (const foreign of [fake, copy, inheriting, theirs, {}]) {
        expectMemsError(() => provider.unmap(foreign as Mapping), 'EFAULT');
        expect(accounting(provider)).toEqual(before);
      }
      expect(keep.live).toBe(true);
      expect(theirs.live).toBe(true);
      expect(accounting(other)).toEqual(otherBefore);
    });

    if (readRawByte !== undefined) {
      it('puts the bytes of mapping.buffer at mapping.address', () => {
        const provider = makeProvider();
        const { pageSize } = provider;
        for (const pages of [1, Math.min(3, maxPages)]) {
          const mapping = map(provider, pages * pageSize);
          const bytes = pagesOf(mapping);
          const offsets = [0, 1, pageSize - 1, mapping.byteLength >> 1, mapping.byteLength - 1];
          offsets.forEach((offset, i) => {
            bytes[offset] = 0x40 + i;
          });
          for (const offset of offsets) {
            expect(readRawByte(mapping.address + BigInt(offset))).toBe(bytes[offset]);
          }
        }
      });
    }

    it(`survives ${churnSteps} random maps and unmaps with exact accounting and intact bytes`, () => {
      const provider = makeProvider();
      const { pageSize } = provider;
      const random = mulberry32(seed);
      const live: Array<{ mapping: Mapping; tag: number }> = [];
      let bytes = 0;
      for (let step = 0; step < churnSteps; step++) {
        if (live.length === 0 || (live.length < 24 && random() < 0.55)) {
          const mapping = map(provider, (1 + Math.floor(random() * maxPages)) * pageSize);
          const bytesOfMapping = pagesOf(mapping);
          if (provider.zeroed === true) expect(firstNonZero(bytesOfMapping)).toBe(-1);
          const tag = step & 0xff;
          bytesOfMapping.fill(tag);
          live.push({ mapping, tag });
          bytes += mapping.byteLength;
          expectDisjoint(live.map((entry) => entry.mapping));
        } else {
          const [entry] = live.splice(Math.floor(random() * live.length), 1);
          const { mapping, tag } = entry!;
          expect(firstDifferent(pagesOf(mapping), tag)).toBe(-1);
          provider.unmap(mapping);
          bytes -= mapping.byteLength;
        }
        expect(provider.mappedBytes).toBe(bytes);
        expect(provider.mappingCount).toBe(live.length);
      }
      for (const { mapping, tag } of live) expect(firstDifferent(pagesOf(mapping), tag)).toBe(-1);
    });
  });
}
