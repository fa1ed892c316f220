import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createMockProvider } from '@mems/os';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import type { HeapSetup } from '../heap-setup.js';
import { parseTrace } from '../trace.js';
import {
  type Comparison,
  comparePolicies,
  comparisonJson,
  formatComparison,
  readTraceText,
  renderUtilisationSvg,
} from './compare.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-demo-compare-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// First fit puts c in the 2000-byte hole at the start; the others in the 596-byte hole at the end.
const TRACE = 'a b1 2000\na b2 1500\nf b1\na c 500\na d 1400\n';
const mock = (): HeapSetup => {
  const provider = createMockProvider();
  return { options: { provider }, provider };
};

describe('readTraceText', () => {
  it('reads plain and gzip-compressed traces alike, whatever the name', () => {
    const plain = join(dir, 'p.trace');
    const packed = join(dir, 'p.trace.gz');
    const unnamed = join(dir, 'p.bin');
    writeFileSync(plain, TRACE);
    writeFileSync(packed, gzipSync(TRACE));
    writeFileSync(unnamed, gzipSync(TRACE));
    expect(readTraceText(plain)).toBe(TRACE);
    expect(readTraceText(packed)).toBe(TRACE);
    expect(readTraceText(unnamed)).toBe(TRACE);
  });

  it('reports a missing file and a broken gzip as CliErrors', () => {
    expect(() => readTraceText(join(dir, 'missing'))).toThrow(CliError);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(() => readTraceText(broken)).toThrow(/looks gzip-compressed but does not decompress/);
  });
});

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
    expect(lines).toHaveLength(8);
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
});
