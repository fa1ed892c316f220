import { describe, expect, it } from 'vitest';
import { koffiAccessTarget, memsAccessTarget, typedArrayAccessTarget } from '../allocators/access-targets.js';
import type { TrialPlan } from '../measure.js';
import { makeChurnSequence } from '../sequence.js';
import { type AccessTarget, makeAccessScript, runAccess } from './access.js';

const TINY: TrialPlan = { trials: 2, targetTrialMs: 0.2, warmupMs: 0 };

describe('makeAccessScript', () => {
  const sizes = makeChurnSequence(200, { steps: 10 }).fillSizes;

  it('is the same for every caller (fixed seed)', () => {
    const a = makeAccessScript(sizes, 5000);
    const b = makeAccessScript(sizes, 5000);
    expect(a.blocks).toEqual(b.blocks);
    expect(a.offsets).toEqual(b.offsets);
    expect(makeAccessScript(sizes, 5000, 7).blocks).not.toEqual(a.blocks);
  });

  it('names live blocks and 8-aligned offsets with 8 bytes left in the block', () => {
    const { blocks, offsets } = makeAccessScript(sizes, 20_000);
    expect(blocks).toHaveLength(20_000);
    const outside = [...blocks.keys()].filter((k) => {
      const i = blocks[k]!;
      return i >= 200 || offsets[k]! % 8 !== 0 || offsets[k]! + 8 > sizes[i]!;
    });
    expect(outside).toEqual([]);
    // Every block is reached, and both the first and the last word of some block.
    expect(new Set(blocks).size).toBe(200);
    expect(offsets).toContain(0);
    expect([...blocks.keys()].some((k) => offsets[k]! + 16 > sizes[blocks[k]!]!)).toBe(true);
  });

  it('refuses blocks smaller than 8 bytes', () => {
    expect(() => makeAccessScript([16, 4], 10)).toThrow(/at least 8 bytes/);
  });
});

describe('runAccess', () => {
  const seq = makeChurnSequence(64, { steps: 10 });
  const script = makeAccessScript(seq.fillSizes, 1000);
  const targets: [string, () => AccessTarget][] = [
    ['viewAs', () => memsAccessTarget('viewAs', 'viewAs', 64)],
    ['memoryOf', () => memsAccessTarget('memoryOf', 'memoryOf', 64)],
    ['memoryOf-interior', () => memsAccessTarget('memoryOf-interior', 'memoryOf-interior', 64)],
    ['memoryOf-hoisted', () => memsAccessTarget('memoryOf-hoisted', 'memoryOf-hoisted', 64)],
    ['koffi', () => koffiAccessTarget('koffi', 64)],
    ['typed array', () => typedArrayAccessTarget('typed array', 64)],
  ];

  it.each(targets)('%s: every value read back is the one written, and the point says so', (_name, make) => {
    const r = runAccess(make(), seq, script, TINY);
    expect(r).toMatchObject({ workload: 'access', point: '64' });
    expect(r.ns.n).toBe(2);
    expect(r.ns.median).toBeGreaterThan(0);
    expect(r.totalOps).toBeGreaterThan(2 * r.opsPerTrial - 1);
  });

  it.each(['viewAs', 'memoryOf', 'memoryOf-interior', 'memoryOf-hoisted'] as const)(
    'MeMS %s writes into the block itself (seen through heap.view)',
    (path) => {
      const t = memsAccessTarget(path, path, 2);
      t.allocate(0, 40);
      t.allocate(1, 24);
      expect(t.access(0, 32, 1.5)).toBe(1.5);
      expect(t.access(1, 8, -2.25)).toBe(-2.25);
      const at = (i: number, offset: number): number =>
        new DataView(t.heap.view(t.addressOf(i) + offset, 8).slice().buffer).getFloat64(0, true);
      expect(at(0, 32)).toBe(1.5);
      expect(at(1, 8)).toBe(-2.25);
      t.destroy();
    },
  );

  it('stops when a value read back is not the one written', () => {
    const real = typedArrayAccessTarget('broken', 64);
    const broken: AccessTarget = { ...real, access: (i, offset, value) => real.access(i, offset, value) + 1 };
    expect(() => runAccess(broken, seq, script, TINY)).toThrow(/read back/);
  });
});
