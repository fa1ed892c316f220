import { createWasmMemoryProvider } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';

// A WebAssembly module written out byte by byte (no toolchain): it imports its memory as
// env.memory and exports sum(ptr, count), the sum of `count` int32 values from `ptr`:
//
//   (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
//     block loop
//       local.get $n  i32.eqz  br_if 1
//       local.get $s  local.get $p  i32.load  i32.add  local.set $s
//       local.get $p  i32.const 4  i32.add  local.set $p
//       local.get $n  i32.const 1  i32.sub  local.set $n
//       br 0
//     end end
//     local.get $s)

/** A section: its id, its length (LEB128; all of ours are under 128 bytes), its bytes. */
function section(id: number, bytes: number[]): number[] {
  return [id, bytes.length, ...bytes];
}

const ascii = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

// biome-ignore format: one instruction a line
const body = [
  0x01, 0x01, 0x7f, // one local: an i32 ($s, index 2)
  0x02, 0x40, // block
  0x03, 0x40, // loop
  0x20, 0x01, 0x45, 0x0d, 0x01, // local.get $n, i32.eqz, br_if 1
  0x20, 0x02, 0x20, 0x00, 0x28, 0x02, 0x00, 0x6a, 0x21, 0x02, // $s += i32.load align=4 ($p)
  0x20, 0x00, 0x41, 0x04, 0x6a, 0x21, 0x00, // $p += 4
  0x20, 0x01, 0x41, 0x01, 0x6b, 0x21, 0x01, // $n -= 1
  0x0c, 0x00, // br 0
  0x0b, 0x0b, // end loop, end block
  0x20, 0x02, // local.get $s
  0x0b, // end
];

// biome-ignore format: one section a line
const SUM_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // type 0: (i32, i32) -> i32
  ...section(2, [0x01, ...ascii('env'), ...ascii('memory'), 0x02, 0x00, 0x01]), // import memory, min 1 page
  ...section(3, [0x01, 0x00]), // function 0 has type 0
  ...section(7, [0x01, ...ascii('sum'), 0x00, 0x00]), // export "sum" = function 0
  ...section(10, [0x01, body.length, ...body]), // its code
]);

async function sumModule(memory: WebAssembly.Memory): Promise<(ptr: number, count: number) => number> {
  const { instance } = await WebAssembly.instantiate(SUM_MODULE, { env: { memory } });
  return instance.exports.sum as (ptr: number, count: number) => number;
}

describe('a heap over a WebAssembly memory (createWasmMemoryProvider)', () => {
  it('Wasm code sums a block that JavaScript filled: mems.get(ptr) is the Wasm pointer', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
    const sum = await sumModule(memory);
    const mems = createMems({ provider: createWasmMemoryProvider(memory) });
    const count = 1000;
    const ptr = mems.malloc(count * 4);
    expect(ptr).toBe(1000); // the seed's virtual addresses
    const values = mems.viewAs(Int32Array, ptr, count);
    for (let i = 0; i < count; i++) values[i] = i * 3 - 7;
    const wasmPointer = mems.get(ptr);
    expect(wasmPointer).toBe(65536n); // the first page after the module's own
    expect(sum(Number(wasmPointer), count)).toBe((3 * count * (count - 1)) / 2 - 7 * count);
    mems.validate();
    mems.finish();
  });

  it('keeps every block right when the memory grows and its buffer is replaced', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
    const sum = await sumModule(memory);
    const mems = createMems({ provider: createWasmMemoryProvider(memory) });
    const first = mems.malloc(400);
    mems.viewAs(Int32Array, first, 100).fill(5);
    const before = memory.buffer;
    const stale = mems.viewAs(Int32Array, first, 100);
    const staleMemory = mems.memoryOf(first);
    // Enough nodes to grow the memory several times (each growth detaches the old buffer).
    const others = Array.from({ length: 40 }, (_, i) => {
      const ptr = mems.malloc(20_000);
      mems.viewAs(Int32Array, ptr, 5000).fill(i);
      return ptr;
    });
    expect(memory.buffer).not.toBe(before);
    expect(before.byteLength).toBe(0);
    expect(stale.length).toBe(0); // a view kept across the growth is detached: re-make it
    expect(staleMemory.u8.length).toBe(0); // so is a memoryOf object: memoryOf makes a new one
    const memory2 = mems.memoryOf(first);
    expect(memory2 === staleMemory).toBe(false); // (not toBe: its diff would read the detached views)
    expect(memory2.i32[(first - memory2.base) >> 2]).toBe(5);
    expect(Array.from(mems.viewAs(Int32Array, first, 100)).every((v) => v === 5)).toBe(true);
    expect(sum(Number(mems.get(first)), 100)).toBe(500);
    others.forEach((ptr, i) => {
      expect(sum(Number(mems.get(ptr)), 5000)).toBe(5000 * i);
    });
    // realloc copies across a growth too (the new node is mapped before the bytes move).
    const moved = mems.realloc(first, 300_000);
    expect(sum(Number(mems.get(moved)), 100)).toBe(500);
    const zeroed = mems.calloc(1000, 4);
    expect(sum(Number(mems.get(zeroed)), 1000)).toBe(0);
    mems.validate();
    mems.finish();
  });
});
