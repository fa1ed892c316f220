// The `slabs` option's checks: a value that is not true, false or `{ maxBlockSize? }`, a
// maxBlockSize that is not a multiple of 16 from 16 to 8192, an unknown setting, a settings
// object that cannot be read, or a pageSize that is not a multiple of 4096 is EINVAL naming
// option slabs; the accepted values make a heap; `slabs: false` and leaving it out make exactly
// the heap made without the option (the same addresses and snapshots for a fixed sequence).

import { createMockProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';
import type { HeapOptions } from './options/heap-options.js';
import { refusalOf } from './test-support/refusal.js';

/** The error creating a heap with `options` throws, as `CODE: message`. */
function creationError(options: HeapOptions): string {
  return refusalOf(() => createHeap({ provider: createMockProvider(), ...options }));
}

describe('the slabs option', () => {
  it.each([
    ['a string', 'yes', 'must be true, false or an object { maxBlockSize? }'],
    ['a number', 1, 'must be true, false or an object { maxBlockSize? }'],
    ['an array', [], 'must be true, false or an object { maxBlockSize? }'],
    ['null', null, ''],
    ['maxBlockSize 8', { maxBlockSize: 8 }, 'its maxBlockSize 8 must be a multiple of 16 from 16 to 8192'],
    ['maxBlockSize 0', { maxBlockSize: 0 }, 'its maxBlockSize 0 must be a multiple of 16 from 16 to 8192'],
    [
      'maxBlockSize 2049',
      { maxBlockSize: 2049 },
      'its maxBlockSize 2049 must be a multiple of 16 from 16 to 8192',
    ],
    [
      'maxBlockSize 8208',
      { maxBlockSize: 8208 },
      'its maxBlockSize 8208 must be a multiple of 16 from 16 to 8192',
    ],
    [
      'maxBlockSize 100',
      { maxBlockSize: 100 },
      'its maxBlockSize 100 must be a multiple of 16 from 16 to 8192',
    ],
    ['maxBlockSize 64.5', { maxBlockSize: 64.5 }, 'must be a multiple of 16 from 16 to 8192'],
    ['maxBlockSize "64"', { maxBlockSize: '64' }, 'must be a multiple of 16 from 16 to 8192'],
    ['maxBlockSize NaN', { maxBlockSize: Number.NaN }, 'must be a multiple of 16 from 16 to 8192'],
    ['an unknown setting', { other: 1 }, 'unknown setting "other"'],
    [
      'an unknown setting beside a good one',
      { maxBlockSize: 64, blocksPerClass: 2 },
      'unknown setting "blocksPerClass"',
    ],
  ])('refuses %s (EINVAL naming option slabs)', (_name, slabs, rule) => {
    const error = creationError({ slabs: slabs as HeapOptions['slabs'] });
    expect(error).toMatch(/^EINVAL: createHeap: option slabs\b/);
    expect(error).toContain(rule);
  });

  it('refuses a settings object that cannot be read', () => {
    const slabs = {
      get maxBlockSize(): number {
        throw new Error('no reading');
      },
    };
    const error = creationError({ slabs });
    expect(error).toMatch(/^EINVAL: createHeap: option slabs\b/);
    expect(error).toContain('no reading');
  });

  // Found at commit eb78358: checkSlabs called Array.isArray(value) outside its try, and
  // Array.isArray throws a TypeError for a revoked proxy, so createHeap({ slabs: revokedProxy })
  // threw that raw TypeError instead of EINVAL, unlike frontCache (check-front-cache.ts), and
  // unlike the Heap constructor's documented EINVAL for options that cannot be read.
  it('refuses a revoked proxy as EINVAL "option slabs could not be read", as frontCache does', () => {
    const revoked = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    expect(creationError({ frontCache: revoked() })).toMatch(
      /^EINVAL: createHeap: option frontCache could not be read: /,
    );
    expect(creationError({ slabs: revoked() })).toMatch(
      /^EINVAL: createHeap: option slabs could not be read: /,
    );
  });

  it.each([2048, 1024])('refuses pageSize %i with slabs (not a multiple of 4096)', (pageSize) => {
    for (const slabs of [true, { maxBlockSize: 64 }]) {
      const error = creationError({ pageSize, slabs });
      expect(error).toMatch(/^EINVAL: createHeap: option slabs\b/);
      expect(error).toContain(`needs a pageSize that is a multiple of 4096, not ${pageSize}`);
    }
    // The same page size without slabs is a good heap (when the provider's pages allow it).
    expect(creationError({ pageSize })).toBe('no error');
  });

  it.each([
    ['true', true],
    ['{}', {}],
    ['maxBlockSize 16', { maxBlockSize: 16 }],
    ['maxBlockSize 2048', { maxBlockSize: 2048 }],
    ['maxBlockSize 112', { maxBlockSize: 112 }],
  ])('accepts %s, with any policy and pageSize 4096 or a multiple', (_name, slabs) => {
    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const)
      for (const pageSize of [4096, 8192, 65536]) {
        expect(creationError({ slabs, policy, pageSize })).toBe('no error');
        const heap = createHeap({ provider: createMockProvider(), slabs, policy, pageSize });
        const p = heap.allocate(10);
        expect(heap.usableSize(p)).toBeGreaterThanOrEqual(10);
        heap.validate();
      }
  });

  /** A fixed sequence of calls; returns every address handed out and every snapshot. */
  function script(heap: Heap): unknown[] {
    const out: unknown[] = [];
    const live: number[] = [];
    let x = 7;
    for (let i = 0; i < 600; i++) {
      x = (x * 48271) % 2147483647;
      const size = x % 5 === 0 ? 1 + (x % 3000) : 1 + (x % 200);
      if (live.length > 0 && x % 3 === 0) heap.free(live.splice(x % live.length, 1)[0]!);
      else if (live.length > 0 && x % 7 === 0) {
        const at = x % live.length;
        live[at] = heap.realloc(live[at]!, size);
        out.push(live[at]);
      } else if (x % 11 === 0) {
        live.push(heap.calloc(1 + (x % 8), 1 + (x % 40)));
        out.push(live[live.length - 1]);
      } else {
        live.push(heap.allocate(size));
        out.push(live[live.length - 1]);
      }
      if (i % 100 === 99) out.push(heap.snapshot(), heap.counters());
    }
    for (const p of live) heap.free(p);
    out.push(heap.trim(), heap.snapshot());
    return out;
  }

  it.each([
    ['first-fit', {}],
    ['tlsf', { policy: 'tlsf' as const }],
    ['tlsf with the front cache', { policy: 'tlsf' as const, frontCache: true }],
    ['best-fit, alignment 16', { policy: 'best-fit' as const, alignment: 16 }],
  ])('slabs: false and leaving it out make the heap made without the option (%s)', (_name, options) => {
    const without = script(createHeap({ provider: createMockProvider(), ...options }));
    expect(script(createHeap({ provider: createMockProvider(), ...options, slabs: false }))).toEqual(without);
    expect(script(createHeap({ provider: createMockProvider(), ...options, slabs: undefined }))).toEqual(
      without,
    );
    // And slabs on does change where blocks go (the option is not ignored).
    expect(script(createHeap({ provider: createMockProvider(), ...options, slabs: true }))).not.toEqual(
      without,
    );
  });

  it('slabs: false takes any pageSize, as a heap without the option does', () => {
    expect(creationError({ pageSize: 2048, slabs: false })).toBe('no error');
    expect(creationError({ pageSize: 2048, slabs: undefined })).toBe('no error');
  });
});
