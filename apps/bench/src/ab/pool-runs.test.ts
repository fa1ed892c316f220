import { describe, expect, it } from 'vitest';
import { type AbResult, configResult, poolRuns } from './ab-run.js';

const run = (oldTimes: number[], newTimes: number[], load = 1): AbResult => ({
  results: [configResult('tlsf', oldTimes, newTimes)],
  loadBefore: load,
  loadAfter: load + 1,
});

describe('poolRuns', () => {
  it("pools every process's rounds, still in pairs", () => {
    const pooled = poolRuns([run([100, 100], [110, 90], 1), run([200], [200], 3)]);
    const r = pooled.results[0]!;
    expect(r.oldTimes).toEqual([100, 100, 200]);
    expect(r.newTimes).toEqual([110, 90, 200]);
    expect(r.ratios.perRound).toEqual([1.1, 0.9, 1]);
    expect(r.ratios.median).toBe(1);
    expect([pooled.loadBefore, pooled.loadAfter]).toEqual([1, 4]);
  });

  it('refuses no runs, and runs over different configurations', () => {
    expect(() => poolRuns([])).toThrow(RangeError);
    const other: AbResult = { results: [configResult('api', [1], [1])], loadBefore: 0, loadAfter: 0 };
    expect(() => poolRuns([run([1], [1]), other])).toThrow(/different configurations/);
  });
});
