import { describe, expect, it } from 'vitest';
import { BlockPatterns, IntegrityError, patternByte } from './block-patterns.js';

/** A fake memory: virtual address = offset into one array; physical = 0x10000 + a per-range shift. */
function fakeMemory(aliases: { from: number; to: number; length: number }[] = []) {
  const ram = new Uint8Array(1 << 16);
  const physicalOf = (address: number): number => {
    for (const a of aliases)
      if (address >= a.from && address < a.from + a.length) return a.to + (address - a.from);
    return address;
  };
  return {
    ram,
    memory: {
      bytes(address: number, length: number): Uint8Array {
        // Physical bytes back the view, so aliases (two virtual ranges on one physical) really share bytes.
        return ram.subarray(physicalOf(address), physicalOf(address) + length);
      },
      physical: (address: number): bigint => 0x10000n + BigInt(physicalOf(address)),
    },
  };
}

function errorOf(action: () => void): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(IntegrityError);
    return (error as Error).message;
  }
  throw new Error('expected an IntegrityError');
}

describe('the block pattern checker', () => {
  it('passes blocks that keep their bytes', () => {
    const { memory } = fakeMemory();
    const patterns = new BlockPatterns(memory);
    for (const [address, size] of [
      [0, 100],
      [100, 1],
      [101, 4000],
    ] as const)
      patterns.fill(patterns.add(address, size));
    expect(() => patterns.verifyAll()).not.toThrow();
    expect(patterns.bytesVerified).toBe(4101);
  });

  it('gives different blocks, and neighbouring bytes, different patterns', () => {
    const same = (a: number, b: number) =>
      Array.from({ length: 256 }, (_, i) => patternByte(a, 1000 + i) === patternByte(b, 1000 + i)).filter(
        Boolean,
      ).length;
    expect(same(1, 2)).toBeLessThan(8);
    expect(new Set(Array.from({ length: 256 }, (_, i) => patternByte(1, 1000 + i))).size).toBeGreaterThan(
      100,
    );
  });

  it('names both blocks when a broken allocator hands out overlapping blocks', () => {
    const { memory } = fakeMemory();
    const patterns = new BlockPatterns(memory);
    const a = patterns.add(0, 100);
    patterns.fill(a);
    const b = patterns.add(84, 100); // the fake allocator's bug: 16 bytes of overlap
    patterns.fill(b);
    const message = errorOf(() => patterns.verify(a));
    expect(message).toContain('block #1 [0:99]');
    expect(message).toContain('byte 84 (offset 84)');
    expect(message).toContain('block #2 [84:183]');
    expect(message).toContain('overlap in virtual memory');
    expect(errorOf(() => patterns.checkDisjoint())).toMatch(
      /block #1 \[0:99\].*block #2 \[84:183\].*overlap/,
    );
  });

  it('names both blocks when two virtual blocks share physical bytes', () => {
    // Virtual [1000:1099] is (wrongly) translated onto the physical bytes of [50:149].
    const { memory } = fakeMemory([{ from: 1000, to: 50, length: 100 }]);
    const patterns = new BlockPatterns(memory);
    const a = patterns.add(0, 100);
    patterns.fill(a);
    const b = patterns.add(1000, 100);
    patterns.fill(b);
    const message = errorOf(() => patterns.verify(a));
    expect(message).toMatch(/block #1 \[0:99\].*block #2 \[1000:1099\].*overlap in physical memory/s);
    expect(errorOf(() => patterns.checkDisjoint())).toContain('overlap in physical memory');
  });

  it('reports a stray write that no block explains', () => {
    const { memory, ram } = fakeMemory();
    const patterns = new BlockPatterns(memory);
    const a = patterns.add(200, 50);
    patterns.fill(a);
    ram[210] = (ram[210]! ^ 0xff) & 0xff;
    const message = errorOf(() => patterns.verifyAll());
    expect(message).toMatch(/^block #1 \[200:249\] \(physical 0x100c8\): byte 210 \(offset 10\)/);
    expect(message).toContain('1 bad bytes');
    expect(message).toContain('stray write');
  });

  it('names a freed block whose stale view wrote over the block now at its address', () => {
    const { memory } = fakeMemory();
    const patterns = new BlockPatterns(memory);
    const old = patterns.add(0, 64);
    patterns.fill(old);
    const staleView = memory.bytes(0, 64);
    patterns.remove(old); // freed
    const fresh = patterns.add(0, 64); // the allocator reuses the address
    patterns.fill(fresh);
    for (let i = 0; i < 64; i++) staleView[i] = patternByte(old.id, i); // the old owner writes again
    expect(errorOf(() => patterns.verify(fresh))).toMatch(/block #2 \[0:63\].*freed block #1 \[0:63\]/s);
  });

  it('checks the kept prefix of a moved block', () => {
    const { memory, ram } = fakeMemory();
    const patterns = new BlockPatterns(memory);
    const a = patterns.add(0, 100);
    patterns.fill(a);
    ram.copyWithin(500, 0, 100); // a correct realloc copies the old bytes
    patterns.resized(a, 500, 300);
    expect(() => patterns.verify(a)).not.toThrow();
    patterns.fill(a);
    patterns.resized(a, 2000, 300); // a broken realloc that forgets to copy
    expect(errorOf(() => patterns.verify(a))).toMatch(/^block #1 \[2000:2299\] .*: byte 2000 \(offset 0\)/);
  });
});
