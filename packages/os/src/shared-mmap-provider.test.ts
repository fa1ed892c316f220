import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOfMapping } from './mapping-bytes.js';
import { bindNativePages } from './native-pages.js';
import { readByteAt } from './raw-memory.js';
import {
  createSharedMmapProvider,
  createSharedNativeProvider,
  openSharedMmapProvider,
  type SharedMmapProviderHandle,
} from './shared-mmap-provider.js';
import { FakeOs, type FakePlatform } from './test-support/fake-koffi.js';
import { kernelMappingsMeeting } from './test-support/proc-maps.js';
import { builtEntry, runWorkers, startWorker } from './test-support/workers.js';
import { describeProviderContract, expectMemsError } from './testing.js';

const packageDir = new URL('..', import.meta.url).pathname;
const script = new URL('./test-support/workers/shared-provider.mjs', import.meta.url);
const linux = process.platform === 'linux';

// Each platform's page calls, bound to a fake koffi (macOS and Windows run only this way).
for (const platform of ['linux', 'darwin', 'win32'] as const satisfies readonly FakePlatform[]) {
  const os = new FakeOs(platform);
  describeProviderContract(
    `shared mmap over a fake ${platform}`,
    () => createSharedNativeProvider(() => bindNativePages(os.koffi, platform), { maxBytes: 1024 * 4096 }),
    { readRawByte: os.readByte },
  );
}

describe.runIf(linux)('shared mmap provider', () => {
  const page = createSharedMmapProvider({ maxBytes: 4096 * 4 }).pageSize;

  describeProviderContract('shared mmap', () => createSharedMmapProvider({ maxBytes: 1024 * page }), {
    readRawByte: readByteAt,
  });

  it('maps real pages inside one reservation, at addresses every thread agrees on', () => {
    const provider = createSharedMmapProvider({ maxBytes: 64 * page, name: 'pool' });
    expect(provider.name).toBe('pool');
    expect(provider.api).toBe('mmap');
    expect(provider.zeroed).toBe(true);
    const a = provider.map(2 * page);
    const b = provider.map(page);
    expect(a.address).toBe(provider.baseAddress);
    expect(b.address).toBe(provider.baseAddress + BigInt(2 * page));
    expect(a.byteOffset).toBeUndefined();
    bytesOfMapping(b)[5] = 99;
    expect(readByteAt(b.address + 5n)).toBe(99);
    const other = openSharedMmapProvider(structuredClone(provider.handle));
    const seen = other.mappingAt(b.address);
    expect(bytesOfMapping(seen)[5]).toBe(99);
    other.unmap(seen);
    expect(b.live).toBe(false);
    expect(provider.mappedBytes).toBe(2 * page);
    // The pages came back zeroed (MADV_DONTNEED) at the same address.
    const c = provider.map(page);
    expect(c.address).toBe(b.address);
    expect(bytesOfMapping(c)[5]).toBe(0);
  });

  it('refuses past maxBytes with ENOMEM, changing nothing', () => {
    const provider = createSharedMmapProvider({ maxBytes: 4 * page });
    const a = provider.map(3 * page);
    expectMemsError(() => provider.map(2 * page), 'ENOMEM');
    expect(provider.mappedBytes).toBe(3 * page);
    provider.unmap(a);
    provider.map(4 * page);
  });

  it('destroy returns the reservation once nothing is mapped; then every thread gets ESTATE', () => {
    const provider = createSharedMmapProvider({ maxBytes: 16 * page });
    const other = openSharedMmapProvider(provider.handle);
    const a = provider.map(page);
    expect(kernelMappingsMeeting(provider.baseAddress, 16 * page)).toBe(2); // read-write pages, then PROT_NONE
    expectMemsError(() => provider.destroy(), 'ESTATE');
    provider.unmap(a);
    provider.destroy();
    expect(other.destroyed).toBe(true);
    expect(kernelMappingsMeeting(provider.baseAddress, 16 * page)).toBe(0);
    expectMemsError(() => other.map(page), 'ESTATE');
    expectMemsError(() => provider.destroy(), 'ESTATE');
    expectMemsError(() => other.mappingAt(provider.baseAddress), 'EFAULT');
  });

  it('rejects bad options and bad handles with EINVAL', () => {
    for (const options of [
      undefined,
      null,
      {},
      { maxBytes: 0 },
      { maxBytes: page + 1 },
      { maxBytes: -page },
      { maxBytes: '4096' },
      { maxBytes: 2 ** 23 * page },
      { maxBytes: page, name: '' },
    ]) {
      expectMemsError(() => createSharedMmapProvider(options as never), 'EINVAL');
    }
    const { handle } = createSharedMmapProvider({ maxBytes: 4 * page });
    const { handle: memoryHandle } = { handle: { ...handle, kind: 'mems-shared-memory-provider' } };
    for (const bad of [
      null,
      'x',
      {},
      memoryHandle,
      { ...handle, state: new SharedArrayBuffer(64) },
      { ...handle, name: 3 },
    ]) {
      const error = expectMemsError(() => openSharedMmapProvider(bad as SharedMmapProviderHandle), 'EINVAL');
      expect(error.message).toContain('openSharedMmapProvider(');
    }
  });

  describe('across worker threads', () => {
    let entry = '';
    beforeAll(() => {
      entry = builtEntry(packageDir, 'mmap.js');
    });

    it('4 workers map, fill, check and unmap real pages of one reservation at once', async () => {
      const provider = createSharedMmapProvider({ maxBytes: 256 * page });
      const results = await runWorkers<{ maps: number; unmaps: number }>(
        script,
        [1, 2, 3, 4].map((seed) => ({
          entry,
          open: 'openSharedMmapProvider',
          handle: provider.handle,
          task: 'churn',
          steps: 2000,
          seed,
          maxPages: 6,
        })),
      );
      for (const { maps, unmaps } of results) expect(maps).toBe(unmaps);
      expect(provider.mappedBytes).toBe(0);
      expect(provider.mappingCount).toBe(0);
      // One reservation: at most two kernel mappings (read-write pages, then PROT_NONE ones).
      expect(kernelMappingsMeeting(provider.baseAddress, 256 * page)).toBeLessThanOrEqual(2);
      provider.destroy();
    }, 60_000);

    it('a worker writes a mapping the main thread made, through its own view of the same address', async () => {
      const provider = createSharedMmapProvider({ maxBytes: 16 * page });
      const mapping = provider.map(2 * page);
      bytesOfMapping(mapping).fill(0x33);
      const adopted = await startWorker<{ bad: number }>(script, {
        entry,
        open: 'openSharedMmapProvider',
        handle: provider.handle,
        task: 'adopt',
        address: mapping.address,
        expect: 0x33,
        fill: 0x44,
      }).result;
      expect(adopted).toEqual({ bad: -1, byteLength: 2 * page, live: true });
      expect(readByteAt(mapping.address + BigInt(page))).toBe(0x44);
      provider.unmap(mapping);
      provider.destroy();
    }, 30_000);
  });
});
