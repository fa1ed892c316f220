// Through the API, for any sequence of calls, a heap with the front cache on (the default for
// tlsf and best-fit) prints the stats text that the seed's rules make of its live blocks alone
// (every gap between blocks one HOLE), keeps every live block's bytes, and refuses a freed
// address with EFAULT from get, view, usableSize and free.

import { createMockProvider, isMemsError } from '@mems/os';
import { formatSeedStats } from '@mems/stats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';

type Step = { op: 'malloc'; size: number } | { op: 'free'; pick: number } | { op: 'refree'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('malloc' as const), size: fc.integer({ min: 1, max: 1500 }) }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('refree' as const), pick: fc.nat() }) },
);

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'no error';
  } catch (error) {
    return isMemsError(error) ? error.code : String(error);
  }
}

describe.each(['tlsf', 'best-fit'] as const)(
  'a createMems heap under %s (front cache on by default)',
  (policy) => {
    it('prints the stats its live blocks make, keeps their bytes, refuses freed addresses', () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
          const mems = createMems({ provider: createMockProvider(), policy });
          const live = new Map<number, number>();
          const freed: number[] = [];
          for (const s of steps) {
            const addresses = [...live.keys()];
            if (s.op === 'malloc') {
              const p = mems.malloc(s.size);
              mems.view(p).fill(p & 0xff);
              live.set(p, mems.usableSize(p));
            } else if (s.op === 'free' && addresses.length > 0) {
              const p = addresses[s.pick % addresses.length]!;
              mems.free(p);
              live.delete(p);
              freed.push(p);
            } else if (s.op === 'refree') {
              const gone = freed.filter((a) => ![...live].some(([p, n]) => a >= p && a < p + n));
              const p = gone[s.pick % Math.max(1, gone.length)];
              if (p === undefined) continue;
              for (const call of [
                () => mems.get(p),
                () => mems.view(p),
                () => mems.usableSize(p),
                () => mems.free(p),
              ])
                expect(codeOf(call)).toBe('EFAULT');
            }
          }
          const snapshot = mems.stats();
          const sorted = [...live].sort((a, b) => a[0] - b[0]);
          const nodes = snapshot.nodes.map((node) => {
            const segments: { kind: 'PROCESS' | 'HOLE'; start: number; lastAddress: number; size: number }[] =
              [];
            let at = node.start;
            const hole = (end: number) => {
              if (end > at) segments.push({ kind: 'HOLE', start: at, lastAddress: end - 1, size: end - at });
            };
            for (const [p, n] of sorted) {
              if (p < node.start || p > node.lastAddress) continue;
              hole(p);
              segments.push({ kind: 'PROCESS', start: p, lastAddress: p + n - 1, size: n });
              at = p + n;
            }
            hole(node.lastAddress + 1);
            return { ...node, segments };
          });
          let printed = '';
          mems.printStats((text) => {
            printed += text;
          });
          expect(printed).toBe(formatSeedStats({ ...snapshot, nodes }));
          for (const [p, n] of sorted) expect(mems.view(p, n).every((b) => b === (p & 0xff))).toBe(true);
          mems.validate();
          mems.finish();
        }),
        { numRuns: 150 },
      );
    });
  },
);
