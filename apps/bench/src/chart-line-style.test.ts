import { POLICY_NAMES } from '@mems/core';
import { isMemsError } from '@mems/os';
import { policyColor } from '@mems/stats';
import { describe, expect, it } from 'vitest';
import { chartLineStyle, VARIANT_DASHES } from './chart-line-style.js';
import { renderChurnChart } from './churn-chart.js';
import { CONTENDERS } from './contenders.js';
import type { BenchReport } from './results.js';

const CHURN = CONTENDERS.filter((c) => c.workloads.includes('churn'));

describe('chartLineStyle', () => {
  it('gives every contender of the churn chart its own colour and dash', () => {
    const styles = CHURN.map((c) => chartLineStyle(c.id));
    expect(new Set(styles.map((s) => `${s.color} ${s.dash}`)).size).toBe(CHURN.length);
    // The two recommended rows (the front cache on) used to be both solid black.
    expect(chartLineStyle('tlsf+cache/mmap')).not.toEqual(chartLineStyle('best-fit+cache/mmap'));
  });

  it('draws a MeMS row in its policy’s colour (the visualiser’s and mems-demo compare’s), its variant as the dash', () => {
    for (const policy of POLICY_NAMES) {
      expect(chartLineStyle(`${policy}/mmap`)).toEqual({
        color: policyColor(policy),
        dash: VARIANT_DASHES.mmap,
      });
      expect(chartLineStyle(`${policy}/mock`)).toEqual({
        color: policyColor(policy),
        dash: VARIANT_DASHES.mock,
      });
      expect(chartLineStyle(`${policy}+cache/mmap`)).toEqual({
        color: policyColor(policy),
        dash: VARIANT_DASHES.cache,
      });
    }
    expect(chartLineStyle('tlsf+slabs/mmap')).toEqual({
      color: policyColor('tlsf'),
      dash: VARIANT_DASHES.slabs,
    });
    expect(chartLineStyle('tlsf+slabs8k/mmap')).toEqual({
      color: policyColor('tlsf'),
      dash: VARIANT_DASHES.slabs8k,
    });
    expect(new Set(Object.values(VARIANT_DASHES)).size).toBe(6);
    const peers = CHURN.filter((c) => !/\/(mmap|mock)$/.test(c.id)).map((c) => chartLineStyle(c.id).color);
    for (const policy of POLICY_NAMES) expect(peers).not.toContain(policyColor(policy));
  });

  it('refuses an id that is not a string with EINVAL', () => {
    let error: unknown;
    try {
      chartLineStyle(7 as never);
    } catch (e) {
      error = e;
    }
    expect(isMemsError(error)).toBe(true);
    expect((error as Error).message).toBe('chartLineStyle(id): expected a contender id, got 7');
  });
});

describe('the churn chart', () => {
  it('strokes each row with its style: no two rows alike, none of the recommended rows black', () => {
    const contenders = CHURN.map((c) => ({ id: c.id, label: c.label, group: c.group }));
    const report = {
      mode: 'quick',
      startedAt: '2026-01-01T00:00:00Z',
      contenders,
      results: contenders.flatMap((c) =>
        [1000, 10000].map((point, k) => ({
          workload: 'churn',
          contender: c.id,
          point: String(point),
          ns: { median: 100 + k, min: 90, max: 120 },
        })),
      ),
    } as unknown as BenchReport;
    const svg = renderChurnChart(report);
    const lines = [
      ...svg.matchAll(
        /<polyline fill="none" stroke="([^"]+)" stroke-width="2"( stroke-dasharray="([^"]+)")?/g,
      ),
    ].map((m) => `${m[1]} ${m[3] ?? ''}`);
    expect(lines).toHaveLength(contenders.length);
    expect(new Set(lines).size).toBe(contenders.length);
    expect(lines).toContain(`${policyColor('tlsf')} ${VARIANT_DASHES.cache}`);
    expect(lines).toContain(`${policyColor('best-fit')} ${VARIANT_DASHES.cache}`);
  });
});
