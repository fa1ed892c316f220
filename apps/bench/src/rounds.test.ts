import { describe, expect, it } from 'vitest';
import { SAMPLE_REPORT } from './fixtures/sample-report.js';
import { pairedSpeedup, ratioCell, ratioTable, roundRatioTable, roundsPhrase, standings } from './report.js';
import type { BenchReport, PointResult } from './results.js';
import { mergeRounds, mergeSkips, pairedRatio } from './rounds.js';

function pt(contender: string, median: number, extra: Partial<PointResult> = {}): PointResult {
  return {
    workload: 'churn',
    contender,
    point: '10000',
    ns: { median, min: median - 1, max: median + 1, n: 3 },
    opsPerTrial: 1000,
    totalOps: 10_000,
    heapGrowthBytes: 100,
    heapOps: 1000,
    metadataPerBlock: null,
    mappedOverLive: null,
    fragmentation: null,
    peakLiveBytes: 1,
    peakMappedBytes: null,
    ...extra,
  };
}

describe('interleaved rounds', () => {
  it('merges rounds into one point: round medians, their summary, the first round memory figures', () => {
    const merged = mergeRounds([
      [pt('a', 100, { heapGrowthBytes: 7 }), pt('b', 50)],
      [pt('a', 300, { heapGrowthBytes: 9 }), pt('b', 60)],
      [pt('a', 200), pt('b', 40)],
    ]);
    expect(merged.map((p) => p.contender)).toEqual(['a', 'b']);
    expect(merged[0]!.roundMedians).toEqual([100, 300, 200]);
    expect(merged[0]!.ns).toEqual({ median: 200, min: 100, max: 300, n: 3 });
    expect(merged[0]!.heapGrowthBytes).toBe(7);
  });

  it('marks a round without the point as null, and keeps one round as it was', () => {
    const merged = mergeRounds([[pt('a', 100)], [], [pt('a', 120)]]);
    expect(merged[0]!.roundMedians).toEqual([100, null, 120]);
    expect(merged[0]!.ns.n).toBe(2);
    const single = mergeRounds([[pt('a', 100)]]);
    expect(single[0]!.ns).toEqual({ median: 100, min: 99, max: 101, n: 3 });
    expect(() => mergeRounds([])).toThrow(RangeError);
  });

  it('reports each skip once', () => {
    const s = { workload: 'churn' as const, contender: 'a', point: '*', reason: 'r' };
    expect(mergeSkips([[s], [{ ...s }], [{ ...s, reason: 'other' }]])).toHaveLength(2);
  });

  it('pairs ratios round by round, not medians of separate rounds', () => {
    // a is slow in round 2 and so is b: the paired ratios stay at 2, the ratio of medians would not.
    const a = pt('a', 0, { roundMedians: [100, 400, 110] });
    const b = pt('b', 0, { roundMedians: [50, 200, 55] });
    const r = pairedRatio(a, b)!;
    expect(r.perRound).toEqual([2, 2, 2]);
    expect(r).toMatchObject({ median: 2, min: 2, max: 2, n: 3 });
    expect(
      pairedRatio(pt('a', 0, { roundMedians: [100, null] }), pt('b', 0, { roundMedians: [null, 5] })),
    ).toBe(undefined);
    // Runs before rounds: one ratio of the two medians.
    expect(pairedRatio(pt('a', 90), pt('b', 30))).toMatchObject({ median: 3, n: 1, perRound: [3] });
  });

  it('bases the report ratio tables, standings and per-round tables on the paired ratios', () => {
    const report: BenchReport = {
      version: 1,
      startedAt: 'x',
      durationSeconds: 1,
      mode: 'full',
      machine: { node: '20', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'c', cc: null },
      rounds: { churn: 3 },
      contenders: [
        { id: 'tlsf/mmap', label: 'MeMS tlsf', group: 'mems' },
        { id: 'koffi-libc', label: 'koffi', group: 'peer' },
        { id: 'koffi-libc-minimal', label: 'koffi minimal', group: 'peer' },
      ],
      results: [
        pt('tlsf/mmap', 60, { roundMedians: [50, 60, 200] }),
        pt('koffi-libc', 100, { roundMedians: [100, 90, 300] }),
        pt('koffi-libc-minimal', 100, { roundMedians: [95, 100, 280] }),
      ],
      skips: [],
      notes: [],
    };
    const paired = pairedSpeedup(report, 'churn', 'tlsf/mmap', 'koffi-libc', '10000')!;
    expect(paired.perRound).toEqual([2, 1.5, 1.5]);
    expect(ratioCell(paired)).toBe('1.5× [1.5–2.0]');
    // The ratio of the merged medians (100 ÷ 60) would say 1.7×.
    expect(ratioTable(report, 'churn', 'koffi-libc').rows).toEqual([['MeMS tlsf', '1.5× [1.5–2.0]']]);
    expect(standings(report, 'churn')[0]).toBe('against koffi: ahead at 10k (1.5× [1.5–2.0], MeMS tlsf)');
    const t = roundRatioTable(report, 'churn', 'koffi-libc', ['koffi-libc-minimal']);
    expect(t.header).toEqual(['contender', 'point', 'round 1', 'round 2', 'round 3', 'median', 'range']);
    expect(t.rows).toEqual([['koffi minimal', '10k', '1.1×', '0.90×', '1.1×', '1.1×', '0.90×–1.1×']]);
  });
});

describe('the rounds in words', () => {
  const base = { ...SAMPLE_REPORT };
  it('names one count, or the exceptions and the common count', () => {
    expect(roundsPhrase(base)).toBeNull();
    expect(roundsPhrase({ ...base, rounds: { churn: 1, traces: 1 } })).toBeNull();
    expect(roundsPhrase({ ...base, rounds: { churn: 5, traces: 5 } })).toBe(
      '5 interleaved rounds per workload',
    );
    expect(roundsPhrase({ ...base, rounds: { churn: 2, traces: 1, 'seed-fill': 1 } })).toBe(
      '2 interleaved rounds for churn, 1 for the other workloads',
    );
  });
});
