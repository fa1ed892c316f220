/// <reference types="node" />
import { createMmapProvider, readByteAt, readInt32At, writeByteAt, writeInt32At } from '@mems/os/mmap';
import { afterEach, describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import {
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_stats,
  mems_view,
  mems_view_as,
} from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

afterEach(() => finishIfLive(mems_finish));

// Real pages: Linux has mmap and koffi ships a binary for it (the CI machines are Linux).
describe.runIf(process.platform === 'linux')('mems_get on the real mmap provider', () => {
  it('gives the real address: an int written there through koffi is read back through mems_view', () => {
    const provider = createMmapProvider();
    mems_init({ provider });
    expect(mems_stats().provider).toBe('mmap');
    const blocks = Array.from({ length: 10 }, () => mems_malloc(1000));
    const first = blocks[0]!;

    // The seed's example: 200 written at element 1's physical address...
    writeInt32At(mems_get(first + 4), 200);
    // ...is int element 1 both through element 0's physical address and through a view.
    expect(readInt32At(mems_get(first) + 4n)).toBe(200);
    expect(mems_view_as(Int32Array, first)[1]).toBe(200);
    expect(Array.from(mems_view(first + 4, 4))).toEqual(
      Array.from(new Uint8Array(new Int32Array([200]).buffer)),
    );

    // The other way round, in a block of another node (other physical pages).
    const late = blocks[9]!;
    mems_view(late).fill(0x5a);
    mems_view(late + 999, 1)[0] = 0x7e;
    expect(readByteAt(mems_get(late))).toBe(0x5a);
    expect(readByteAt(mems_get(late + 999))).toBe(0x7e);
    writeByteAt(mems_get(late + 500), 0x11);
    expect(mems_view(late)[500]).toBe(0x11);

    // Physical addresses inside one node are contiguous; nodes are wherever mmap put them.
    expect(mems_get(blocks[1]!) - mems_get(first)).toBe(1000n);
    expect(BigInt(mems_stats().nodes[0]!.physicalAddress)).toBe(mems_get(first));
    mems_free(first);
    expect(() => mems_get(first)).toThrow(/^mems_get\(1000\): 1000 is inside a free hole/);
    mems_finish();
    expect(provider.mappedBytes).toBe(0);
  });

  it('gives each createMems heap its own real pages', () => {
    const a = createMems({ provider: createMmapProvider() });
    const b = createMems({ provider: createMmapProvider() });
    const pa = a.malloc(64);
    const pb = b.malloc(64);
    expect(pa).toBe(pb);
    expect(a.get(pa)).not.toBe(b.get(pb));
    writeInt32At(a.get(pa), -7);
    writeInt32At(b.get(pb), 7);
    expect(a.viewAs(Int32Array, pa)[0]).toBe(-7);
    expect(b.viewAs(Int32Array, pb)[0]).toBe(7);
    a.finish();
    b.finish();
  });
});
