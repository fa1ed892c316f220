import { createMockProvider, isMemsError, MemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHeap } from '../heap.js';

describe('memoryOf: long-lived typed arrays over a block’s node', () => {
  it('writes through memoryOf land in the block, seen by view, at address - base', () => {
    const heap = createHeap({ provider: createMockProvider(), alignment: 8 });
    const a = heap.allocate(64);
    const m = heap.memoryOf(a);
    m.f64[(a + 8 - m.base) >> 3] = 1.5;
    m.u8[a - m.base] = 7;
    m.i32[(a + 16 - m.base) >> 2] = -2;
    expect(heap.viewAs(Float64Array, a + 8, 1)[0]).toBe(1.5);
    expect(heap.view(a, 1)[0]).toBe(7);
    expect(heap.viewAs(Int32Array, a + 16, 1)[0]).toBe(-2);
    expect(m.u32[(a + 16 - m.base) >> 2]).toBe(0xfffffffe);
    expect(m.dataView.getInt32(a + 16 - m.base, true)).toBe(-2);
  });

  it('returns the same object for every address of one node, and another for another node', () => {
    const heap = createHeap({ provider: createMockProvider() });
    const a = heap.allocate(100);
    const b = heap.allocate(100);
    const big = heap.allocate(10_000); // does not fit the first node's page: a new node
    expect(heap.memoryOf(a)).toBe(heap.memoryOf(b + 99));
    expect(heap.memoryOf(big)).not.toBe(heap.memoryOf(a));
    expect(heap.memoryOf(big + 9_999)).toBe(heap.memoryOf(big));
    expect(Object.isFrozen(heap.memoryOf(a))).toBe(true);
  });

  it('refuses addresses outside live blocks with EFAULT, non-addresses with EINVAL, and after destroy with ESTATE', () => {
    const heap = createHeap({ provider: createMockProvider() });
    const a = heap.allocate(100);
    heap.allocate(100);
    heap.free(a);
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        if (isMemsError(e)) return e.code;
        throw e;
      }
      return 'no error';
    };
    expect(code(() => heap.memoryOf(a))).toBe('EFAULT'); // freed
    expect(code(() => heap.memoryOf(999))).toBe('EFAULT'); // below the heap
    expect(code(() => heap.memoryOf(-1))).toBe('EINVAL');
    expect(code(() => heap.memoryOf(1.5))).toBe('EINVAL');
    expect(code(() => heap.memoryOf('1000' as unknown as number))).toBe('EINVAL');
    expect(() => heap.memoryOf(a)).toThrow(MemsError);
    expect(() => heap.memoryOf(a)).toThrow(/memoryOf\(/);
    heap.destroy();
    expect(code(() => heap.memoryOf(a + 100))).toBe('ESTATE');
  });

  it('builds a new object when a node is unmapped and its id mapped again', () => {
    const heap = createHeap({ provider: createMockProvider() });
    const a = heap.allocate(100);
    const old = heap.memoryOf(a);
    heap.free(a);
    heap.trim();
    const b = heap.allocate(100);
    const fresh = heap.memoryOf(b);
    expect(fresh === old).toBe(false); // (the mock detached the old buffer: no printing of it)
    fresh.u8[b - fresh.base] = 42;
    expect(heap.view(b, 1)[0]).toBe(42);
  });

  it('agrees with view for every byte of every live block, whatever the sequence of calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constant(-1)), { maxLength: 40 }),
        (steps) => {
          const heap = createHeap({ provider: createMockProvider(), policy: 'tlsf' });
          const live: number[] = [];
          for (const s of steps) {
            if (s === -1 && live.length > 0) heap.free(live.splice(0, 1)[0]!);
            else if (s > 0) live.push(heap.allocate(s));
          }
          let tag = 1;
          for (const p of live) {
            const m = heap.memoryOf(p);
            m.u8[p - m.base] = tag;
            expect(heap.view(p, 1)[0]).toBe(tag);
            tag = (tag + 1) & 0xff;
          }
          heap.destroy();
        },
      ),
      { numRuns: 60 },
    );
  });
});
