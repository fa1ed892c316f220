import { createMems, type Mems } from '@mems/api';
import { createMockProvider, isMemsError } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interiorAddressMessage, notABlockMessage } from './misuse-messages.js';

/** What createMems itself says: its message, or null when it accepts the call. */
function refusal(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (!isMemsError(error)) throw error;
    expect(error.code).toBe('EFAULT');
    return error.message;
  }
}

const heapOptions = fc.record({
  policy: fc.constantFrom('first-fit' as const, 'next-fit' as const, 'best-fit' as const, 'tlsf' as const),
  alignment: fc.constantFrom(1, 8, 16),
  pageSize: fc.constantFrom(2048, 4096),
  startAddress: fc.constantFrom(0, 1000, 3333),
  cache: fc.boolean(),
});

describe('the misuse messages the thread fuzzer expects', () => {
  it('are exactly createMems’s refusals, for every address of heaps after random mallocs and frees (front cache on and off)', () => {
    fc.assert(
      fc.property(
        heapOptions,
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()), { minLength: 1, maxLength: 25 }),
        ({ cache, ...o }, plan) => {
          const cached = o.policy === 'tlsf' || o.policy === 'best-fit';
          const mems: Mems = createMems({
            ...o,
            ...(cached ? { frontCache: cache } : {}),
            provider: createMockProvider({ pageSize: 2048, maxBytes: 512 * 4096 }),
          });
          const blocks = plan.map(([size]) => mems.malloc(size));
          plan.forEach(([, free], i) => {
            if (free) mems.free(blocks[i]!);
          });
          const snapshot = mems.stats();
          const end = snapshot.nodes.at(-1)!.lastAddress;
          const addresses = new Set<number>([0, 1, o.startAddress - 1, end, end + 1, end + 5000, 2 ** 50]);
          for (const b of blocks) for (const d of [0, 1, 7, 100, 999]) addresses.add(b + d);
          for (const x of addresses) {
            if (x < 0) continue;
            // usableSize and get change nothing: compare acceptance too.
            expect(refusal(() => mems.usableSize(x))).toBe(
              notABlockMessage('usableSize', `${x}`, x, snapshot),
            );
            expect(refusal(() => mems.get(x))).toBe(notABlockMessage('get', `${x}`, x, snapshot, true));
            // free and realloc only where they must refuse (a refused call changes nothing).
            const free = notABlockMessage('free', `${x}`, x, snapshot);
            if (free !== null) expect(refusal(() => mems.free(x))).toBe(free);
            const realloc = notABlockMessage('realloc', `${x}, 8`, x, snapshot);
            if (realloc !== null) expect(refusal(() => mems.realloc(x, 8))).toBe(realloc);
          }
          expect(JSON.stringify(mems.stats())).toBe(JSON.stringify(snapshot));
          mems.finish();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('words an interior address as createMems does', () => {
    const mems = createMems();
    const p = mems.malloc(100);
    expect(refusal(() => mems.free(p + 3))).toBe(interiorAddressMessage('free', `${p + 3}`, p + 3, p));
    expect(refusal(() => mems.realloc(p + 99, 4))).toBe(
      interiorAddressMessage('realloc', `${p + 99}, 4`, p + 99, p),
    );
    mems.finish();
  });
});
