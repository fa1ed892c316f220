import {
  createMems,
  type Mems,
  mems_finish,
  mems_free,
  mems_init,
  mems_malloc,
  mems_stats,
  mems_trim,
  mems_validate,
} from '@mems/api';
import {
  createMockProvider,
  isMemsError,
  type Mapping,
  type MemsError,
  type MockPageProvider,
  type PageProvider,
} from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { patternByte } from '../integrity/block-patterns.js';

/** Every fault injected by this file, for the README's count. */
let injected = 0;
function inject(provider: MockPageProvider, fault: Parameters<MockPageProvider['injectFault']>[0]): void {
  provider.injectFault(fault);
  injected++;
}

function thrown(action: () => unknown): MemsError {
  try {
    action();
  } catch (error) {
    if (isMemsError(error)) return error;
    throw error;
  }
  throw new Error('expected a MemsError');
}

/** Fills every live block with its pattern; returns a function that reads the whole heap's state. */
function snapshotOf(mems: Mems, provider: MockPageProvider) {
  return () => {
    let text = '';
    mems.printStats((t) => (text += t));
    const blocks = mems
      .stats()
      .nodes.flatMap((n) => n.segments)
      .filter((s) => s.kind === 'PROCESS')
      .map((s) => `${s.start}: ${Buffer.from(mems.view(s.start)).toString('hex')}`);
    return [text, `${provider.mappedBytes} bytes in ${provider.mappingCount}`, ...blocks].join('\n');
  };
}

function fill(mems: Mems, address: number): void {
  const bytes = mems.view(address);
  for (let i = 0; i < bytes.length; i++) bytes[i] = patternByte(address, address + i);
}

afterEach(() => {
  try {
    mems_finish();
  } catch {
    // not live
  }
});

describe('map fails at the nth call: ENOMEM, nothing changes, later calls succeed', () => {
  // Step k asks for 4096·k + 1 bytes, more than any hole so far: each step maps one new node.
  const step = (mems: Mems, k: number, live: number[]): number => {
    const size = 4096 * k + 1;
    if (k % 3 === 1) return mems.malloc(size);
    if (k % 3 === 2) return mems.calloc(size, 1);
    return mems.realloc(live[live.length - 1]!, size); // too big for the hole after it: moves
  };
  for (const nth of [1, 2, 3, 4, 5, 6]) {
    it(`map call #${nth} of a run of mallocs, callocs and moving reallocs fails`, () => {
      const provider = createMockProvider();
      const mems = createMems({ provider });
      const observe = snapshotOf(mems, provider);
      inject(provider, { op: 'map', nth });
      const live: number[] = [];
      for (let k = 1; k <= 6; k++) {
        if (k === nth) {
          const before = observe();
          const error = thrown(() => step(mems, k, live));
          expect(error.code).toBe('ENOMEM');
          expect(error.message).toMatch(/^(malloc|calloc|realloc)\(\d+(, \d+)?\): the provider refused/);
          expect(observe(), 'the failed call changed nothing').toBe(before);
          mems.validate();
        }
        const address = step(mems, k, live); // the fault is spent: the same call now succeeds
        if (k % 3 === 0) live.pop();
        fill(mems, address);
        live.push(address);
      }
      expect(provider.mapCalls).toBe(6);
      mems.validate();
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
    });
  }

  it('after ENOMEM from the page limit, calls succeed once trim has given pages back', () => {
    const provider = createMockProvider({ maxBytes: 4 * 4096 });
    const mems = createMems({ provider });
    const blocks = [mems.malloc(8000), mems.malloc(8000)]; // two 2-page nodes: the limit
    const observe = snapshotOf(mems, provider);
    const before = observe();
    expect(thrown(() => mems.malloc(100_000)).code).toBe('ENOMEM');
    expect(thrown(() => mems.malloc(5000)).code).toBe('ENOMEM');
    expect(observe()).toBe(before);
    mems.free(blocks[1]!);
    expect(mems.trim()).toBe(8192);
    expect(mems.malloc(5000)).toBe(9192); // the next node starts after the last live one
    mems.validate();
    mems.finish();
  });

  it('failMapAt counts map calls from the provider’s creation, through mems_malloc', () => {
    const provider = createMockProvider({ failMapAt: [2] });
    injected++;
    mems_init({ provider });
    expect(mems_malloc(4096)).toBe(1000);
    const before = JSON.stringify(mems_stats());
    const error = thrown(() => mems_malloc(10));
    expect(error.code).toBe('ENOMEM');
    expect(error.message).toMatch(/^mems_malloc\(10\): the provider refused 4096 bytes/);
    expect(JSON.stringify(mems_stats())).toBe(before);
    expect(mems_malloc(10)).toBe(5096);
  });
});

describe('unmap fails during trim: the rest is released, the failure reported, the node kept and usable', () => {
  for (const failing of [[1], [2], [4], [1, 3], [1, 2, 3, 4]]) {
    it(`unmap calls #${failing.join(', #')} of a trim of four empty nodes fail`, () => {
      const provider = createMockProvider();
      const mems = createMems({ provider });
      const keep = mems.malloc(100); // node [1000:5095] stays live
      const empty = [5000, 5000, 5000, 5000].map((size) => mems.malloc(size));
      for (const p of empty) mems.free(p);
      fill(mems, keep);
      const kept = Buffer.from(mems.view(keep)).toString('hex');
      for (const nth of failing) inject(provider, { op: 'unmap', nth });
      const error = thrown(() => mems.trim());
      expect(error.code).toBe('ENOMEM');
      expect(error.message).toMatch(new RegExp(`^trim\\(\\): ${failing.length} empty node`));
      expect(error.cause).toBeInstanceOf(AggregateError);
      expect((error.cause as AggregateError).errors).toHaveLength(failing.length);
      // Trim goes from the last node back: unmap #k is node 5 - k + 1.
      const stays = failing.map((k) => 5 - k + 1);
      expect(mems.stats().nodes.map((n) => n.start)).toEqual([
        1000,
        ...[2, 3, 4, 5].filter((n) => stays.includes(n)).map((n) => 1000 + (n - 1) * 8192 - 4096),
      ]);
      expect(provider.mappingCount).toBe(1 + failing.length);
      expect(Buffer.from(mems.view(keep)).toString('hex')).toBe(kept);
      mems.validate();
      // The kept empty nodes are whole and usable, and a later trim gives them back.
      const again = mems.malloc(5000);
      expect(mems.get(again)).toBeTypeOf('bigint');
      mems.free(again);
      expect(mems.trim()).toBe(failing.length * 8192);
      expect(provider.mappingCount).toBe(1);
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
    });
  }

  it('with autoTrim, a failed unmap leaves the node in place silently; a later trim releases it', () => {
    const provider = createMockProvider();
    const mems = createMems({ provider, autoTrim: true });
    mems.malloc(100);
    const p = mems.malloc(5000);
    inject(provider, { op: 'unmap', nth: 1 });
    expect(() => mems.free(p)).not.toThrow();
    expect(mems.stats().nodes).toHaveLength(2);
    mems.validate();
    expect(mems.trim()).toBe(8192);
    expect(mems.stats().nodes).toHaveLength(1);
    mems.finish();
  });
});

describe('unmap fails during finish: everything else is unmapped, the failure reported, MeMS finished', () => {
  for (const failing of [[1], [2], [3], [1, 3]]) {
    it(`unmap calls #${failing.join(', #')} of mems_finish with three nodes fail`, () => {
      const provider = createMockProvider();
      mems_init({ provider });
      for (const size of [3000, 5000, 9000]) mems_malloc(size);
      const mappings = provider.mappingCount;
      for (const nth of failing) inject(provider, { op: 'unmap', nth });
      const error = thrown(() => mems_finish());
      expect(error.code).toBe('ENOMEM');
      expect(error.message).toMatch(new RegExp(`^mems_finish\\(\\): ${failing.length} mapping`));
      expect((error.cause as AggregateError).errors).toHaveLength(failing.length);
      expect(thrown(() => mems_stats()).code).toBe('ESTATE'); // finished all the same
      expect(provider.mappingCount).toBe(failing.length); // only the failed ones are left
      expect(provider.unmapCalls).toBe(mappings - failing.length);
      mems_init({ provider: createMockProvider() }); // and MeMS starts again
      expect(mems_malloc(10)).toBe(1000);
    });
  }

  it('mems_trim reports through the process-wide functions too', () => {
    const provider = createMockProvider();
    mems_init({ provider });
    mems_malloc(10);
    mems_free(mems_malloc(5000));
    inject(provider, { op: 'unmap', nth: 1 });
    const error = thrown(() => mems_trim());
    expect(error.code).toBe('ENOMEM');
    expect(error.message).toMatch(/^mems_trim\(\): 1 empty node/);
    mems_validate();
    expect(mems_trim()).toBe(8192);
  });
});

describe('a provider that returns a too-small buffer is detected and refused', () => {
  for (const shortBy of [1, 4096, 8192]) {
    it(`a buffer ${shortBy} bytes short: ENOMEM, the mapping is given back, nothing changes`, () => {
      const provider = createMockProvider();
      const mems = createMems({ provider });
      fill(mems, mems.malloc(100));
      const observe = snapshotOf(mems, provider);
      const before = observe();
      inject(provider, { op: 'map', kind: 'short-buffer', shortBy });
      const error = thrown(() => mems.malloc(8000));
      expect(error.code).toBe('ENOMEM');
      expect(error.message).toMatch(
        /^malloc\(8000\): the provider returned a mapping of 8192 bytes with a buffer of \d+ bytes/,
      );
      expect(observe()).toBe(before);
      expect(provider.unmapCalls).toBe(1); // the short mapping went back
      expect(mems.malloc(8000)).toBe(5096);
      mems.finish();
      expect(provider.mappedBytes).toBe(0);
    });
  }

  it('a provider whose every buffer is short: every allocation is ENOMEM, nothing stays mapped', () => {
    const provider = createMockProvider({ shortBuffer: true });
    const mems = createMems({ provider });
    for (const size of [1, 4096, 5000]) expect(thrown(() => mems.malloc(size)).code).toBe('ENOMEM');
    expect(provider.mappedBytes).toBe(0);
    expect(mems.stats().nodes).toHaveLength(0);
    mems.finish();
  });

  /** A provider that lies about its mappings in one way. */
  function lyingProvider(lie: (mapping: Mapping) => Mapping | null): PageProvider & { gaveBack: number } {
    const inner = createMockProvider();
    const provider = {
      name: 'liar',
      pageSize: 4096,
      maxMappingBytes: 2 ** 32,
      gaveBack: 0,
      get mappedBytes() {
        return inner.mappedBytes;
      },
      get mappingCount() {
        return inner.mappingCount;
      },
      map: (n: number) => lie(inner.map(n)) as Mapping,
      unmap: () => {
        provider.gaveBack++;
      },
    };
    return provider;
  }
  const LIES: readonly [string, (m: Mapping) => Mapping | null][] = [
    ['a buffer shorter than byteLength', (m) => ({ ...m, live: true, buffer: new ArrayBuffer(100) })],
    ['a byteLength other than asked', (m) => ({ ...m, live: true, buffer: m.buffer, byteLength: 8192 })],
    [
      'a buffer that is not an ArrayBuffer',
      (m) => ({ ...m, live: true, buffer: new Uint8Array(4096) as never }),
    ],
    ['null instead of a mapping', () => null],
  ];
  for (const [label, lie] of LIES) {
    it(`a provider returning ${label}: ENOMEM, nothing changes`, () => {
      const provider = lyingProvider(lie);
      const mems = createMems({ provider });
      const error = thrown(() => mems.malloc(100));
      injected++;
      expect(error.code).toBe('ENOMEM');
      expect(error.message).toMatch(/^malloc\(100\): the provider returned/);
      expect(mems.stats().nodes).toHaveLength(0);
      mems.validate();
      mems.finish();
    });
  }

  it('counts the faults injected in this file (the README quotes the number)', () => {
    expect(injected).toBe(30);
  });
});
