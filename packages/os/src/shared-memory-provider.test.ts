import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOfMapping } from './mapping-bytes.js';
import {
  createSharedMemoryProvider,
  openSharedMemoryProvider,
  type SharedMemoryProviderHandle,
} from './shared-memory-provider.js';
import { builtEntry, runWorkers, startWorker } from './test-support/workers.js';
import { describeProviderContract, expectMemsError } from './testing.js';

const packageDir = new URL('..', import.meta.url).pathname;
const script = new URL('./test-support/workers/shared-provider.mjs', import.meta.url);
const PAGE = 4096;

describeProviderContract('shared memory', () => createSharedMemoryProvider({ maxBytes: 1024 * PAGE }));
describeProviderContract(
  'shared memory, 1-byte pages',
  () => createSharedMemoryProvider({ maxBytes: 4096, pageSize: 1 }),
  { maxPages: 16 },
);
describeProviderContract(
  'shared memory, 64 KiB pages',
  () => createSharedMemoryProvider({ maxBytes: 512 * 65536, pageSize: 65536 }),
  { maxPages: 8, churnSteps: 100 },
);
describeProviderContract('shared memory, opened from a cloned handle', () =>
  openSharedMemoryProvider(structuredClone(createSharedMemoryProvider({ maxBytes: 1024 * PAGE }).handle)),
);

describe('createSharedMemoryProvider', () => {
  it('starts with an empty buffer and grows it only as far as mappings need', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 64 * PAGE });
    expect(provider.name).toBe('shared-memory');
    expect(provider.pageSize).toBe(PAGE);
    expect(provider.maxBytes).toBe(64 * PAGE);
    expect(provider.maxMappingBytes).toBe(64 * PAGE);
    expect(provider.zeroed).toBe(true);
    expect(provider.capacityBytes).toBe(0);
    const a = provider.map(3 * PAGE);
    expect(provider.capacityBytes).toBe(3 * PAGE);
    expect(a.address).toBe(0x1_0000_0000n);
    expect(a.byteOffset).toBe(0);
    const b = provider.map(PAGE);
    expect(b.byteOffset).toBe(3 * PAGE);
    expect(b.address).toBe(0x1_0000_0000n + BigInt(3 * PAGE));
    expect(b.buffer).toBe(a.buffer);
    expect(provider.capacityBytes).toBe(4 * PAGE);
  });

  it('reuses freed pages first fit, merging neighbours, and grows a free run at the end', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 64 * PAGE });
    const [a, b, c, d] = [1, 1, 1, 2].map((pages) => provider.map(pages * PAGE));
    provider.unmap(a!);
    provider.unmap(b!);
    // a and b merged: two pages at offset 0, no growth.
    const ab = provider.map(2 * PAGE);
    expect(ab.byteOffset).toBe(0);
    expect(provider.capacityBytes).toBe(5 * PAGE);
    provider.unmap(d!);
    // The free run at the end (2 pages) grows by one page for a 3-page mapping.
    const e = provider.map(3 * PAGE);
    expect(e.byteOffset).toBe(3 * PAGE);
    expect(provider.capacityBytes).toBe(6 * PAGE);
    provider.unmap(c!);
    provider.unmap(ab);
    provider.unmap(e);
    // Everything merged back into one run: a mapping of all six pages needs no growth.
    const all = provider.map(6 * PAGE);
    expect(all.byteOffset).toBe(0);
    expect(provider.capacityBytes).toBe(6 * PAGE);
  });

  it('refuses to go past maxBytes with ENOMEM and changes nothing; freed pages fit again', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 8 * PAGE });
    const a = provider.map(6 * PAGE);
    bytesOfMapping(a).fill(7);
    const error = expectMemsError(() => provider.map(3 * PAGE), 'ENOMEM');
    expect(error.message).toContain('shared-memory.map(12288)');
    expect(provider.mappedBytes).toBe(6 * PAGE);
    expect(provider.mappingCount).toBe(1);
    expect(provider.capacityBytes).toBe(6 * PAGE);
    const b = provider.map(2 * PAGE);
    provider.unmap(a);
    const c = provider.map(3 * PAGE);
    expect(c.byteOffset).toBe(0);
    expect(bytesOfMapping(c).every((byte) => byte === 0)).toBe(true);
    expect(b.live).toBe(true);
  });

  it('rejects bad options with EINVAL naming the value', () => {
    const bad: unknown[] = [
      undefined,
      null,
      4096,
      {},
      { maxBytes: 0 },
      { maxBytes: -PAGE },
      { maxBytes: PAGE + 1 },
      { maxBytes: 1.5 * PAGE },
      { maxBytes: Number.NaN },
      { maxBytes: Number.POSITIVE_INFINITY },
      { maxBytes: '4096' },
      { maxBytes: 2 ** 32 + PAGE },
      { maxBytes: 2 ** 23, pageSize: 1 },
      { maxBytes: PAGE, pageSize: 3 },
      { maxBytes: PAGE, pageSize: 0 },
      { maxBytes: 2 ** 31, pageSize: 2 ** 31 },
      { maxBytes: PAGE, name: '' },
      { maxBytes: PAGE, name: 5 },
    ];
    for (const options of bad) {
      const error = expectMemsError(() => createSharedMemoryProvider(options as never), 'EINVAL');
      expect(error.message).toContain('createSharedMemoryProvider(');
    }
  });

  it('takes the largest size: 4 GiB of address space, reserved, not committed', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 2 ** 32 });
    expect(provider.maxMappingBytes).toBe(2 ** 32);
    const mapping = provider.map(PAGE);
    expect(provider.capacityBytes).toBe(PAGE);
    provider.unmap(mapping);
  });
});

describe('openSharedMemoryProvider', () => {
  it('opens the same pages, page table and accounting from a cloned handle', () => {
    const first = createSharedMemoryProvider({ maxBytes: 32 * PAGE, name: 'pool' });
    const second = openSharedMemoryProvider(structuredClone(first.handle));
    expect(second.name).toBe('pool');
    const a = first.map(2 * PAGE);
    bytesOfMapping(a).fill(0x41);
    expect(second.mappedBytes).toBe(2 * PAGE);
    expect(second.mappingCount).toBe(1);
    const b = second.map(PAGE);
    expect(b.byteOffset).toBe(2 * PAGE);
    const seen = second.mappingAt(a.address);
    expect(second.mappingAt(a.address)).toBe(seen);
    expect(seen.byteLength).toBe(2 * PAGE);
    expect(bytesOfMapping(seen).every((byte) => byte === 0x41)).toBe(true);
    // The first provider cannot unmap the second's object, only its own one.
    expectMemsError(() => first.unmap(seen), 'EFAULT');
    expectMemsError(() => first.unmap(b), 'EFAULT');
    second.unmap(seen);
    expect(a.live).toBe(false);
    expectMemsError(() => a.buffer, 'EFAULT');
    expectMemsError(() => first.unmap(a), 'EFAULT');
    expect(first.mappedBytes).toBe(PAGE);
    // A new mapping at a's address is another mapping: a stays dead.
    const c = first.map(2 * PAGE);
    expect(c.address).toBe(a.address);
    expect(a.live).toBe(false);
    expect(second.mappingAt(c.address)).not.toBe(seen);
  });

  it('mappingAt refuses a non-bigint with EINVAL and an address where no mapping starts with EFAULT', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 32 * PAGE });
    const a = provider.map(2 * PAGE);
    for (const bad of [Number(a.address), '4294967296', null, undefined] as unknown[]) {
      expectMemsError(() => provider.mappingAt(bad as bigint), 'EINVAL');
    }
    for (const address of [
      a.address + 1n,
      a.address + BigInt(PAGE),
      a.address + BigInt(2 * PAGE),
      0n,
      -1n,
      1n << 70n,
    ]) {
      const error = expectMemsError(() => provider.mappingAt(address), 'EFAULT');
      expect(error.message).toContain('mappingAt');
    }
    expect(provider.mappingAt(a.address)).toBe(a);
  });

  it('rejects anything but a handle with EINVAL', () => {
    const { handle } = createSharedMemoryProvider({ maxBytes: 8 * PAGE });
    const other = createSharedMemoryProvider({ maxBytes: 16 * PAGE }).handle;
    const scribbled = createSharedMemoryProvider({ maxBytes: 8 * PAGE }).handle;
    new Int32Array(scribbled.state)[0] = 0;
    const bad: unknown[] = [
      undefined,
      null,
      'handle',
      42,
      {},
      { ...handle, kind: 'something' },
      { ...handle, name: '' },
      { ...handle, state: new ArrayBuffer(64) },
      { ...handle, data: new SharedArrayBuffer(8 * PAGE) },
      { ...handle, state: new SharedArrayBuffer(16) },
      { ...handle, data: other.data },
      { ...handle, state: other.state },
      scribbled,
      new Proxy(
        {},
        {
          get() {
            throw new Error('boom');
          },
        },
      ),
    ];
    for (const value of bad) {
      const error = expectMemsError(
        () => openSharedMemoryProvider(value as SharedMemoryProviderHandle),
        'EINVAL',
      );
      expect(error.message).toContain('openSharedMemoryProvider(');
    }
  });
});

describe('shared-memory provider across worker threads', () => {
  let entry = '';
  beforeAll(() => {
    entry = builtEntry(packageDir, 'index.js');
  });

  it('4 workers and the main thread map and unmap at once: no overlap, zeroed pages, exact accounting', async () => {
    const provider = createSharedMemoryProvider({ maxBytes: 256 * PAGE });
    const steps = 3000;
    const results = await runWorkers<{ maps: number; unmaps: number; refused: number }>(
      script,
      [1, 2, 3, 4].map((seed) => ({
        entry,
        handle: provider.handle,
        task: 'churn',
        steps,
        seed,
        maxPages: 6,
      })),
    );
    for (const { maps, unmaps } of results) {
      expect(maps).toBe(unmaps);
      expect(maps).toBeGreaterThan(steps / 4);
    }
    expect(provider.mappedBytes).toBe(0);
    expect(provider.mappingCount).toBe(0);
    // Everything freed merged back into one run: all the capacity fits one mapping.
    const all = provider.map(provider.capacityBytes);
    expect(all.byteOffset).toBe(0);
    expect(bytesOfMapping(all).every((byte) => byte === 0)).toBe(true);
  }, 60_000);

  it('workers grow the buffer up to maxBytes and get ENOMEM past it, never corrupting a mapping', async () => {
    const provider = createSharedMemoryProvider({ maxBytes: 24 * PAGE });
    const results = await runWorkers<{ maps: number; unmaps: number; refused: number }>(
      script,
      [5, 6, 7].map((seed) => ({
        entry,
        handle: provider.handle,
        task: 'churn',
        steps: 2000,
        seed,
        maxPages: 4,
      })),
    );
    expect(results.reduce((sum, result) => sum + result.refused, 0)).toBeGreaterThan(0);
    expect(provider.capacityBytes).toBeLessThanOrEqual(24 * PAGE);
    expect(provider.mappedBytes).toBe(0);
  }, 60_000);

  it('a worker reads and writes a mapping the main thread made, and another worker unmaps it', async () => {
    const provider = createSharedMemoryProvider({ maxBytes: 32 * PAGE });
    const keep = provider.map(PAGE);
    const mapping = provider.map(3 * PAGE);
    bytesOfMapping(mapping).fill(0x11);
    const adopted = await startWorker<{ bad: number; byteLength: number }>(script, {
      entry,
      handle: provider.handle,
      task: 'adopt',
      address: mapping.address,
      expect: 0x11,
      fill: 0x22,
    }).result;
    expect(adopted).toEqual({ bad: -1, byteLength: 3 * PAGE, live: true });
    expect(bytesOfMapping(mapping).every((byte) => byte === 0x22)).toBe(true);
    const unmapped = await startWorker<{ bad: number; live: boolean }>(script, {
      entry,
      handle: provider.handle,
      task: 'adopt-unmap',
      address: mapping.address,
      expect: 0x22,
    }).result;
    expect(unmapped).toEqual({ bad: -1, byteLength: 3 * PAGE, live: false });
    expect(mapping.live).toBe(false);
    expect(provider.mappedBytes).toBe(PAGE);
    expect(provider.mappingCount).toBe(1);
    expectMemsError(() => provider.unmap(mapping), 'EFAULT');
    // The pages came back zeroed.
    const again = provider.map(3 * PAGE);
    expect(again.address).toBe(mapping.address);
    expect(bytesOfMapping(again).every((byte) => byte === 0)).toBe(true);
    expect(keep.live).toBe(true);
  }, 30_000);
});
