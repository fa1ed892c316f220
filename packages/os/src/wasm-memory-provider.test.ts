import { describe, expect, it } from 'vitest';
import { describeProviderContract, expectMemsError } from './testing.js';
import { createWasmMemoryProvider, WASM_PAGE_BYTES } from './wasm-memory-provider.js';

describeProviderContract('wasm memory', () =>
  createWasmMemoryProvider(new WebAssembly.Memory({ initial: 1 })),
);
describeProviderContract(
  'wasm memory (64 KiB pages, a range inside the memory)',
  () =>
    createWasmMemoryProvider(new WebAssembly.Memory({ initial: 2, maximum: 512 }), {
      byteOffset: WASM_PAGE_BYTES,
      maxBytes: 400 * WASM_PAGE_BYTES,
      pageSize: WASM_PAGE_BYTES,
    }),
  { maxPages: 8 },
);
describeProviderContract('wasm memory (shared)', () =>
  createWasmMemoryProvider(new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true })),
);

describe('createWasmMemoryProvider', () => {
  it('hands out pages at their offsets in the memory, growing it, and refuses past maxBytes', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    const provider = createWasmMemoryProvider(memory, { maxBytes: 16 * 4096 });
    expect(provider.byteOffset).toBe(WASM_PAGE_BYTES);
    const old = memory.buffer;
    const a = provider.map(4096);
    expect(a.address).toBe(BigInt(WASM_PAGE_BYTES));
    expect(a.byteOffset).toBe(WASM_PAGE_BYTES);
    expect(memory.buffer.byteLength).toBe(2 * WASM_PAGE_BYTES);
    expect(old.byteLength).toBe(0); // detached by the growth
    expect(a.buffer).toBe(memory.buffer);
    const b = provider.map(15 * 4096);
    expect(b.address).toBe(BigInt(WASM_PAGE_BYTES + 4096));
    expectMemsError(() => provider.map(4096), 'ENOMEM');
    expect(provider.mappedBytes).toBe(16 * 4096);
    provider.unmap(a);
    expect(provider.map(4096).address).toBe(a.address); // reused, lowest first
  });

  it('reports a refused memory.grow as ENOMEM and changes nothing', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const provider = createWasmMemoryProvider(memory, { maxBytes: 4 * WASM_PAGE_BYTES });
    provider.map(WASM_PAGE_BYTES);
    const error = expectMemsError(() => provider.map(WASM_PAGE_BYTES), 'ENOMEM');
    expect(error.message).toMatch(/^wasm-memory\.map\(65536\): memory\.grow\(1\) from 131072 bytes failed/);
    expect(provider.mappingCount).toBe(1);
    expect(memory.buffer.byteLength).toBe(2 * WASM_PAGE_BYTES);
  });

  it('zeroes the part of the range the memory has already', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    new Uint8Array(memory.buffer).fill(7);
    const provider = createWasmMemoryProvider(memory, { byteOffset: 4096 });
    const mapping = provider.map(4096);
    expect(new Uint8Array(mapping.buffer, mapping.byteOffset, 4096).every((byte) => byte === 0)).toBe(true);
    expect(new Uint8Array(memory.buffer)[4095]).toBe(7); // below the range: the module's
  });

  it('refuses a memory that is not a WebAssembly.Memory and bad options with EINVAL, naming them', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const cases: [unknown, unknown, RegExp][] = [
      [new ArrayBuffer(8), {}, /^createWasmMemoryProvider\(an object \(ArrayBuffer\)\): memory must be/],
      [memory, null, /^createWasmMemoryProvider\(null\): options must be an object/],
      [memory, { byteOffset: 0 }, /byteOffset 0 must be a positive multiple/],
      [memory, { byteOffset: 100 }, /byteOffset 100 must be/],
      [memory, { maxBytes: 2 ** 32 }, /maxBytes 4294967296 must be/],
      [memory, { pageSize: 3 }, /pageSize 3 must be a power of two/],
      [memory, { pageSize: 2 ** 17 }, /pageSize 131072 must be/],
      [memory, { name: '' }, /name "" must be a non-empty string/],
    ];
    for (const [value, options, message] of cases) {
      const error = expectMemsError(
        () => createWasmMemoryProvider(value as never, options as never),
        'EINVAL',
      );
      expect(error.message).toMatch(message);
    }
  });
});
