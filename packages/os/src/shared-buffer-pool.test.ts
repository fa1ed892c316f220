import { describe, expect, it } from 'vitest';
import { SharedArena } from './shared-arena.js';
import { pooledBufferCount } from './shared-buffer-pool.js';
import { createSharedMemoryProvider, openSharedMemoryProvider } from './shared-memory-provider.js';
import { createSharedMmapProvider } from './shared-mmap-provider.js';
import { expectMemsError } from './testing.js';

// JavaScript cannot free a SharedArrayBuffer, so destroyed providers and retired arenas hand
// their buffers to the next one of the same shape (see shared-buffer-pool.ts).

describe('reusing the buffers of destroyed shared providers and retired arenas', () => {
  it('a destroyed shared-memory provider’s buffers serve the next one, zero-filled, in a new epoch', () => {
    const first = createSharedMemoryProvider({ maxBytes: 64 * 4096 });
    const mapping = first.map(4 * 4096);
    new Uint8Array(mapping.buffer, mapping.byteOffset, mapping.byteLength).fill(9);
    first.unmap(mapping);
    const { state, data } = first.handle;
    first.destroy();
    expect(first.destroyed).toBe(true);
    expectMemsError(() => first.destroy(), 'ESTATE');
    expectMemsError(() => first.map(4096), 'ESTATE');

    const second = createSharedMemoryProvider({ maxBytes: 64 * 4096 });
    expect(second.handle.state).toBe(state);
    expect(second.handle.data).toBe(data);
    expect(second.handle.epoch).toBe(first.handle.epoch + 1);
    expect(second.destroyed).toBe(false);
    const again = second.map(4 * 4096);
    expect(
      Array.from(new Uint8Array(again.buffer, again.byteOffset, again.byteLength)).every((b) => b === 0),
    ).toBe(true);
    expect(second.mappedBytes).toBe(4 * 4096);
    // The first provider, and its handle opened late, stay destroyed: another epoch.
    expect(first.destroyed).toBe(true);
    expect(mapping.live).toBe(false);
    const late = openSharedMemoryProvider(first.handle);
    expect(late.destroyed).toBe(true);
    expectMemsError(() => late.map(4096), 'ESTATE');
    expectMemsError(() => late.mappingAt(again.address), 'EFAULT');
    second.unmap(again);
    second.destroy();
  });

  it('refuses to destroy while mappings live, and then recycles nothing', () => {
    const provider = createSharedMemoryProvider({ maxBytes: 16 * 4096 });
    const mapping = provider.map(4096);
    const pooled = pooledBufferCount();
    expectMemsError(() => provider.destroy(), 'ESTATE');
    expect(pooledBufferCount()).toBe(pooled);
    expect(provider.map(4096).live).toBe(true);
    expect(mapping.live).toBe(true);
  });

  it('a destroyed shared mmap provider’s page table serves the next one; the old handle stays destroyed', () => {
    const first = createSharedMmapProvider({ maxBytes: 32 * 4096 });
    first.unmap(first.map(4096));
    first.destroy();
    const second = createSharedMmapProvider({ maxBytes: 32 * 4096 });
    expect(second.handle.state).toBe(first.handle.state);
    expect(second.handle.epoch).toBe(first.handle.epoch + 1);
    expect(first.destroyed).toBe(true);
    expect(second.destroyed).toBe(false);
    const mapping = second.map(2 * 4096);
    expect(second.mappingAt(mapping.address)).toBe(mapping);
    expectMemsError(() => first.map(4096), 'ESTATE');
    second.unmap(mapping);
    second.destroy();
  });

  it('a retired arena’s data buffer serves the next arena of the same size, once', () => {
    const first = SharedArena.create({ slots: 2, maxBytes: 2 ** 20 });
    first.resize(0, 1000);
    first.bytes(0).fill(7);
    expect(first.retire()).toBe(true);
    expect(first.retired).toBe(true);
    expect(SharedArena.open(first.handle).retire()).toBe(false); // any thread, once
    const second = SharedArena.create({ slots: 2, maxBytes: 2 ** 20 });
    expect(second.data).toBe(first.data);
    expect(second.retired).toBe(false);
    second.resize(1, 1000);
    expect(second.bytes(1).every((byte) => byte === 0)).toBe(true); // regions are zeroed when given
    expect(SharedArena.create({ slots: 2, maxBytes: 2 ** 20 }).data).not.toBe(first.data);
  });
});
