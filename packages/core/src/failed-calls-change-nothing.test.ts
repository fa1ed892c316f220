import { createMockProvider, isMemsError, type MemsErrorCode } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';

/** Everything observable about a heap: its snapshot and the bytes of every live block. */
function fingerprint(heap: Heap): string {
  const snapshot = heap.snapshot();
  const bytes = snapshot.nodes.flatMap((n) =>
    n.segments.filter((s) => s.kind === 'PROCESS').map((s) => Array.from(heap.view(s.start)).join(',')),
  );
  return JSON.stringify({ snapshot, bytes });
}

function populated(): Heap {
  const heap = createHeap({ provider: createMockProvider({ maxBytes: 4 * 4096 }) });
  for (const size of [1000, 1000, 1000, 1000, 1000]) heap.view(heap.allocate(size)).fill(size & 0xff);
  heap.free(2000);
  return heap;
}

const cases: [string, MemsErrorCode, (heap: Heap) => unknown][] = [
  ['allocate(0)', 'EINVAL', (h) => h.allocate(0)],
  ['allocate(-1)', 'EINVAL', (h) => h.allocate(-1)],
  ['allocate(1.5)', 'EINVAL', (h) => h.allocate(1.5)],
  ['allocate(NaN)', 'EINVAL', (h) => h.allocate(Number.NaN)],
  ['allocate(Infinity)', 'EINVAL', (h) => h.allocate(Number.POSITIVE_INFINITY)],
  ['allocate("8")', 'EINVAL', (h) => h.allocate('8' as unknown as number)],
  ['allocate(8n)', 'EINVAL', (h) => h.allocate(8n as unknown as number)],
  ['allocate(2^53)', 'EINVAL', (h) => h.allocate(2 ** 53)],
  ['allocate(5 GiB)', 'EINVAL', (h) => h.allocate(5 * 2 ** 30)],
  ['allocate beyond maxBytes', 'ENOMEM', (h) => h.allocate(3 * 4096)],
  ['free(2000): double free', 'EFAULT', (h) => h.free(2000)],
  ['free(1001): interior', 'EFAULT', (h) => h.free(1001)],
  ['free(999999): unknown', 'EFAULT', (h) => h.free(999999)],
  ['free(-1)', 'EINVAL', (h) => h.free(-1)],
  ['free(null)', 'EINVAL', (h) => h.free(null as unknown as number)],
  ['translate(2500): hole', 'EFAULT', (h) => h.translate(2500)],
  ['translate(50): below every node', 'EFAULT', (h) => h.translate(50)],
  ['translate(1e9): past every node', 'EFAULT', (h) => h.translate(1e9)],
  ['translate(1.5)', 'EINVAL', (h) => h.translate(1.5)],
  ['view(2000): hole', 'EFAULT', (h) => h.view(2000)],
  ['view(1000, 1001): past the block', 'EINVAL', (h) => h.view(1000, 1001)],
  ['view(1000, -1)', 'EINVAL', (h) => h.view(1000, -1)],
  ['view(1000, null)', 'EINVAL', (h) => h.view(1000, null as unknown as number)],
  ['viewAs(Int32Array, 1000, null)', 'EINVAL', (h) => h.viewAs(Int32Array, 1000, null as unknown as number)],
  [
    'allocate(a revoked proxy)',
    'EINVAL',
    (h) => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return h.allocate(proxy as unknown as number);
    },
  ],
  ['viewAs(Int32Array, 1001): misaligned', 'EINVAL', (h) => h.viewAs(Int32Array, 1001)],
  ['viewAs(Array, 1000)', 'EINVAL', (h) => h.viewAs(Array as unknown as Int8ArrayConstructor, 1000)],
  ['viewAs(Int32Array, 1000, 251)', 'EINVAL', (h) => h.viewAs(Int32Array, 1000, 251)],
  ['calloc(0, 8)', 'EINVAL', (h) => h.calloc(0, 8)],
  ['calloc(2^30, 2^30)', 'EINVAL', (h) => h.calloc(2 ** 30, 2 ** 30)],
  ['calloc beyond maxBytes', 'ENOMEM', (h) => h.calloc(3, 4096)],
  ['realloc(2000, 10): freed', 'EFAULT', (h) => h.realloc(2000, 10)],
  ['realloc(1000, 0)', 'EINVAL', (h) => h.realloc(1000, 0)],
  ['realloc(1000, NaN)', 'EINVAL', (h) => h.realloc(1000, Number.NaN)],
  ['realloc(5000, 9000): needs pages the provider refuses', 'ENOMEM', (h) => h.realloc(5096, 9000)],
  ['usableSize(1500)', 'EFAULT', (h) => h.usableSize(1500)],
];

describe('a call that throws changes nothing', () => {
  it.each(cases)('%s throws %s and leaves chains, counters and bytes as they were', (_name, code, call) => {
    const heap = populated();
    const before = fingerprint(heap);
    let thrown: unknown;
    try {
      call(heap);
    } catch (error) {
      thrown = error;
    }
    expect(isMemsError(thrown, code), String(thrown)).toBe(true);
    expect(fingerprint(heap)).toBe(before);
    heap.validate();
    heap.destroy();
  });

  it('names the call and the value in the message, with the names a layer asks for', () => {
    const heap = createHeap({ provider: createMockProvider(), callNames: { free: 'mems_free' } });
    expect(() => heap.free(1234)).toThrow(/^mems_free\(1234\): 1234 is not inside any mapped node/);
    expect(() => heap.allocate(-3)).toThrow(/^allocate\(-3\): size must be a positive safe integer/);
    heap.destroy();
  });

  it('answers every call after destroy with ESTATE, and a second destroy does nothing', () => {
    const heap = populated();
    heap.destroy();
    heap.destroy();
    for (const call of [
      () => heap.allocate(8),
      () => heap.free(1000),
      () => heap.translate(1000),
      () => heap.view(1000),
      () => heap.snapshot(),
      () => heap.trim(),
      () => heap.validate(),
      () => heap.realloc(1000, 8),
      () => heap.calloc(1, 8),
      () => heap.usableSize(1000),
    ]) {
      expect(
        isMemsError(
          (() => {
            try {
              call();
            } catch (e) {
              return e;
            }
          })(),
          'ESTATE',
        ),
      ).toBe(true);
    }
  });

  it('refuses a node that would run past 2^53 - 1 with ENOMEM, leaving the heap as it was', () => {
    const heap = createHeap({ provider: createMockProvider(), startAddress: Number.MAX_SAFE_INTEGER - 4095 });
    expect(heap.allocate(4096)).toBe(Number.MAX_SAFE_INTEGER - 4095);
    const before = fingerprint(heap);
    expect(() => heap.allocate(1)).toThrow(/^allocate\(1\): the virtual address space is exhausted/);
    expect(fingerprint(heap)).toBe(before);
    heap.validate();
  });

  it('names the typed-array type and the counters call in its messages', () => {
    const heap = populated();
    expect(() => heap.viewAs(Int32Array, 1001)).toThrow(
      /^viewAs\(Int32Array, 1001\): the address is not aligned/,
    );
    heap.destroy();
    expect(() => heap.counters()).toThrow(/^counters\(\): the heap has been destroyed/);
    expect(() => heap.viewAs(Int32Array, 1000)).toThrow(
      /^viewAs\(Int32Array, 1000\): the heap has been destroyed/,
    );
  });

  it('rejects bad options with EINVAL naming the option', () => {
    const provider = createMockProvider();
    for (const options of [
      { pageSize: 1000 },
      { pageSize: 0 },
      { startAddress: -1 },
      { startAddress: 1.5 },
      { policy: 'worst-fit' },
      { alignment: 3 },
      { alignment: 8192 },
      { minNodePages: 0 },
      { autoTrim: 'yes' },
      { pageSize: null },
      { pageSiz: 4096 },
    ]) {
      expect(() => createHeap({ provider, ...(options as object) })).toThrow(
        new RegExp(`option ${Object.keys(options)[0]} =|unknown option "${Object.keys(options)[0]}"`),
      );
    }
    expect(provider.mappingCount).toBe(0);
  });

  it('refuses a mapping whose buffer is shorter than asked, and unmaps it', () => {
    const provider = createMockProvider({ shortBuffer: true });
    const heap = createHeap({ provider });
    expect(() => heap.allocate(10)).toThrow(/buffer of 0 bytes for 4096 bytes; refused/);
    expect(provider.mappedBytes).toBe(0);
    expect(heap.counters().nodes).toBe(0);
  });
});
