import { createMockProvider } from '@mems/os';
import { policyStyle } from '@mems/stats';
import { parseTrace } from '@mems/traces';
import { describe, expect, it } from 'vitest';
import type { HeapSetup } from '../heap-setup.js';
import {
  type Comparison,
  comparePolicies,
  comparisonJson,
  formatComparison,
  renderUtilisationSvg,
} from './compare.js';

// First fit puts c in the 2000-byte hole at the start; the others in the 596-byte hole at the end.
const TRACE = 'a b1 2000\na b2 1500\nf b1\na c 500\na d 1400\n';
const mock = (): HeapSetup => {
  const provider = createMockProvider();
  return { options: { provider }, provider };
};

describe('comparePolicies', () => {
  const comparison = comparePolicies('t.trace', parseTrace(TRACE), mock, 4);

  it('replays under the four policies in order, each on its own heap', () => {
    expect(comparison.policies.map((p) => p.summary.policy)).toEqual([
      'first-fit',
      'next-fit',
      'best-fit',
      'tlsf',
    ]);
    expect(comparison.operations).toBe(5);
    for (const { summary } of comparison.policies) {
      expect(summary).toMatchObject({ operations: 5, peakPagesMapped: 1, peakLiveBytes: 3500 });
      expect(summary.peakUtilisation).toBeCloseTo(3500 / 4096);
    }
    expect(comparison.policies[0]!.summary.final.largestHole).toBe(596);
    expect(comparison.policies[2]!.summary.final.largestHole).toBe(600);
    expect(comparison.policies[0]!.summary.fragmentation).toBeCloseTo(1 - 596 / 696);
  });

  it('samples utilisation over the replay, ending at the last operation', () => {
    const curve = comparison.policies[0]!.curve;
    expect(curve.operations).toEqual([2, 4, 5]);
    expect(curve.utilisation[0]).toBeCloseTo(3500 / 4096);
    expect(curve.utilisation[2]).toBeCloseTo(3400 / 4096);
    expect(comparePolicies('t', parseTrace(TRACE), mock, 0).policies[0]!.curve.operations).toEqual([]);
  });

  it('names the line and the policy of an operation that cannot run', () => {
    expect(() => comparePolicies('t.trace', parseTrace('a x 1\nf y\n'), mock, 0)).toThrow(
      'compare: t.trace:2: first-fit: block "y" is not allocated',
    );
  });
});

describe('output', () => {
  const comparison: Comparison = comparePolicies('t.trace', parseTrace(TRACE), mock, 4);

  it('prints one table row per policy', () => {
    const lines = formatComparison(comparison).split('\n');
    expect(lines[0]).toBe('Trace: t.trace (5 operations, provider mock, page size 4096)');
    expect(lines[1]).toMatch(/^policy +time \(ms\) +ns\/op +peak pages +peak utilisation +fragmentation$/);
    expect(lines[2]).toMatch(/^first-fit +\d+\.\d\d +\d+ +1 +85\.4% +14\.4%$/);
    // Best fit has the front cache on by default: `a c 500` takes 512 bytes (sizes up to 1024 round to 16).
    expect(lines[4]).toMatch(/^best-fit +\d+\.\d\d +\d+ +1 +85\.4% +12\.3%$/);
    expect(lines[7]).toBe('time and ns/op: one cold pass (JIT warm-up included); for speed run pnpm bench');
    expect(lines).toHaveLength(9);
  });

  it('gives JSON with the summaries and the curves', () => {
    const json = JSON.parse(JSON.stringify(comparisonJson(comparison)));
    expect(json.trace).toBe('t.trace');
    expect(json.policies).toHaveLength(4);
    expect(json.policies[3]).toMatchObject({ policy: 'tlsf', peakPagesMapped: 1 });
    expect(json.policies[3].utilisationOverTime.operations).toEqual([2, 4, 5]);
    const noCurve = comparePolicies('t', parseTrace(TRACE), mock, 0);
    expect(
      JSON.parse(JSON.stringify(comparisonJson(noCurve))).policies[0].utilisationOverTime,
    ).toBeUndefined();
  });

  it('draws one line per policy on one chart, escaping the file name', () => {
    const svg = renderUtilisationSvg({ ...comparison, trace: 'a<b>.trace' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('a&lt;b&gt;.trace');
    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'])
      expect(svg).toContain(`<title>${policy}</title>`);
    expect(svg).toContain('peak 85.4%');
  });

  it("draws each policy in its colour and dash pattern from @mems/stats, the visualiser's and the bench chart's", () => {
    const svg = renderUtilisationSvg(comparison);
    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const) {
      const { color, dash } = policyStyle(policy);
      const line = svg.match(new RegExp(`<polyline [^>]*><title>${policy}</title>`))![0];
      expect(line).toContain(`stroke="${color}"`);
      if (dash === '') expect(line).not.toContain('stroke-dasharray');
      else expect(line).toContain(`stroke-dasharray="${dash}"`);
      // The legend's swatch is drawn the same way.
      expect(svg).toContain(
        `stroke="${color}" stroke-width="3"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
      );
    }
  });
});
