import { describe, expect, it } from 'vitest';
import { renderChurnChart } from './churn-chart.js';
import { SAMPLE_REPORT } from './fixtures/sample-report.js';
import { formatNs, formatPoint, formatRatio, markdownTable, textTable } from './format.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import {
  bestAgainst,
  checkTargets,
  memoryTable,
  pointsOf,
  ratioTable,
  scalingTable,
  speedup,
  standings,
  timingTable,
  traceMemoryTable,
} from './report.js';
import type { BenchReport, PointResult } from './results.js';

describe('formatting', () => {
  it('formats ns, points and ratios', () => {
    expect(formatNs(3.456)).toBe('3.5');
    expect(formatNs(95)).toBe('95.0');
    expect(formatNs(30000.4)).toBe('30,000');
    expect(formatPoint('1000000')).toBe('1M');
    expect(formatPoint('10000')).toBe('10k');
    expect(formatPoint('25×16')).toBe('25×16');
    expect(formatRatio(200)).toBe('200×');
    expect(formatRatio(2.49)).toBe('2.5×');
    expect(formatRatio(0.5)).toBe('0.50×');
  });

  it('lays out text and Markdown tables', () => {
    expect(textTable(['a', 'bb'], [['xyz', '1']])).toBe('a    bb\n---  --\nxyz   1');
    expect(markdownTable(['a', 'b'], [['x|y', '2']])).toBe('| a | b |\n|:---|---:|\n| x\\|y | 2 |');
  });
});

describe('report tables', () => {
  it('orders points numerically and lists every contender that ran or was skipped', () => {
    expect(pointsOf(SAMPLE_REPORT, 'churn')).toEqual(['1000', '10000', '1000000']);
    const t = timingTable(SAMPLE_REPORT, 'churn');
    expect(t.header).toEqual(['contender', '1k', '10k', '1M']);
    expect(t.rows[0]).toEqual(['MeMS first-fit · mmap', '100 [90.0–120]', '150 [135–180]', '400 [360–480]']);
    expect(t.rows.find((r) => r[0] === '@thi.ng/malloc MemPool')).toEqual([
      '@thi.ng/malloc MemPool',
      '2,000 [1,800–2,400]',
      '30,000 [27,000–36,000]',
      'skipped',
    ]);
    expect(t.rows.find((r) => r[0] === 'harness loop, no allocator')).toEqual([
      'harness loop, no allocator',
      '3.5 [3.1–4.2]',
      '—',
      '—',
    ]);
  });

  it('computes ratios as peer time over MeMS time', () => {
    expect(speedup(SAMPLE_REPORT, 'churn', 'first-fit/mmap', 'thi.ng', '10000')).toBe(200);
    const r = ratioTable(SAMPLE_REPORT, 'churn', 'koffi-libc');
    expect(r.rows).toEqual([
      ['MeMS first-fit · mmap', '0.95×', '0.79×', '0.75×'],
      ['MeMS tlsf · mmap', '2.4×', '2.4×', '3.3×'],
    ]);
  });

  it('lists memory figures per measured point', () => {
    const m = memoryTable(SAMPLE_REPORT, 'churn');
    expect(m.rows[0]).toEqual(['MeMS first-fit · mmap', '1k', '+4.0 KiB', '1.0M', '40.0', '1.25', '0.50']);
    expect(m.rows.find((r) => r[0] === 'native C, glibc malloc')?.[2]).toBe('n/a');
  });
});

describe('traces tables', () => {
  it('keeps the traces in the order they ran, with a ratio per trace', () => {
    expect(pointsOf(SAMPLE_REPORT, 'traces')).toEqual(['git-log', 'gcc-cc1']);
    expect(ratioTable(SAMPLE_REPORT, 'traces', 'native-c').rows).toEqual([
      ['MeMS tlsf · mmap', '0.33×', '0.20×'],
    ]);
  });

  it('gives utilisation, peak mapped and RSS per trace and contender', () => {
    const t = traceMemoryTable(SAMPLE_REPORT);
    expect(t.header).toEqual([
      'trace',
      'contender',
      'ns/op',
      'utilisation',
      'peak mapped',
      'peak RSS',
      'RSS before replay',
      'RSS added',
    ]);
    expect(t.rows[0]).toEqual([
      'git-log',
      'MeMS tlsf · mmap',
      '150',
      '80.0%',
      '5.00 MiB',
      '80.00 MiB',
      '70.00 MiB',
      '10.00 MiB',
    ]);
    expect(t.rows[1]).toEqual([
      'git-log',
      'native C, glibc malloc',
      '50.0',
      '90.9%',
      '4.00 MiB',
      '9.00 MiB',
      '2.00 MiB',
      '7.00 MiB',
    ]);
    expect(t.rows[2]![3]).toBe('—');
    expect(t.rows).toHaveLength(4);
  });
});

describe('standings', () => {
  it('finds the fastest MeMS row against a peer at each point', () => {
    expect(
      bestAgainst(SAMPLE_REPORT, 'churn', 'koffi-libc').map((r) => [r.point, r.mems.id, r.ratio]),
    ).toEqual([
      ['1000', 'tlsf/mmap', 95 / 40],
      ['10000', 'tlsf/mmap', 119 / 50],
      ['1000000', 'tlsf/mmap', 300 / 90],
    ]);
  });

  it('says where MeMS is ahead and where behind, per peer', () => {
    expect(standings(SAMPLE_REPORT, 'traces')).toEqual([
      'against native C, glibc malloc: behind at git-log (0.33×, MeMS tlsf · mmap), gcc-cc1 (0.20×, MeMS tlsf · mmap)',
    ]);
    expect(standings(SAMPLE_REPORT, 'churn')[2]).toBe(
      'against native C, glibc malloc: ahead at 1M (2.5×, MeMS tlsf · mmap); behind at 1k (0.40×, MeMS tlsf · mmap), 10k (0.42×, MeMS tlsf · mmap)',
    );
  });
});

describe('targets', () => {
  const checks = checkTargets(SAMPLE_REPORT);
  const find = (target: RegExp, subject: string) =>
    checks.find((c) => target.test(c.target) && c.subject === subject)!;

  it('checks the 10k speed targets', () => {
    expect(find(/first-fit ≤ 200/, 'MeMS first-fit · mmap')).toMatchObject({
      met: true,
      measured: '150 ns [135–180]',
    });
    expect(find(/tlsf ≤ 90/, 'MeMS tlsf · mmap').met).toBe(true);
  });

  it('checks growth from 1k to 1M', () => {
    expect(find(/≤ 3×/, 'MeMS first-fit · mmap')).toMatchObject({
      met: false,
      measured: '100 → 400 ns (4.0×)',
    });
    expect(find(/≤ 3×/, 'MeMS tlsf · mmap').met).toBe(true);
  });

  it('checks the peers', () => {
    expect(find(/100× faster/, 'MeMS first-fit · mmap')).toMatchObject({
      met: true,
      measured: '200× faster',
    });
    expect(find(/koffi/, 'MeMS first-fit · mmap').met).toBe(false);
    expect(find(/koffi/, 'MeMS tlsf · mmap').met).toBe(true);
  });

  it('checks the traces against 4× native glibc', () => {
    expect(find(/traces/, 'MeMS tlsf · mmap')).toMatchObject({
      met: false,
      measured: 'git-log 3.0×, gcc-cc1 5.0×',
    });
    expect(checks.some((c) => /traces/.test(c.target) && c.subject === 'MeMS first-fit · mmap')).toBe(false);
  });

  it('checks heap growth and metadata', () => {
    expect(find(/heap growth/, 'MeMS first-fit · mmap').met).toBe(false);
    expect(find(/heap growth/, 'MeMS tlsf · mmap').met).toBe(true);
    expect(find(/metadata/, 'MeMS first-fit · mmap')).toMatchObject({
      met: true,
      measured: 'worst 47.5 B at 1M live',
    });
    expect(find(/metadata/, 'MeMS tlsf · mmap').met).toBe(false);
  });
});

describe('renderers', () => {
  it('prints the headline table, the ratios and the targets as text', () => {
    const text = renderText(SAMPLE_REPORT);
    expect(text).toContain('Churn (the headline): ns per free+malloc pair');
    expect(text).toMatch(
      /MeMS tlsf · mmap\s+40\.0 \[36\.0–48\.0\]\s+50\.0 \[45\.0–60\.0\]\s+90\.0 \[81\.0–108\]/,
    );
    expect(text).toContain('how many times faster than libc malloc via koffi');
    expect(text).toContain('MISSED');
    expect(text).toContain('churn · thi.ng · 1000000: too slow <here>');
    expect(text).toContain('Traces: utilisation (peak live ÷ peak mapped) and peak RSS');
    expect(text).toMatch(/git-log\s+native C, glibc malloc\s+50\.0\s+90\.9%/);
  });

  it('writes Markdown with the chart, the tables, the targets and the skips', () => {
    const md = renderMarkdown(SAMPLE_REPORT, { chart: 'chart.svg', source: 'x.json' });
    expect(md.startsWith('# MeMS benchmarks\n')).toBe(true);
    expect(md).toContain('Generated by `pnpm bench` from x.json');
    expect(md).toContain('![Churn: ns per pair against live blocks, log-log](chart.svg)');
    expect(md).toContain('| contender | 1k | 10k | 1M |');
    expect(md).toContain('| MeMS first-fit · mmap | 100 [90.0–120] | 150 [135–180] | 400 [360–480] |');
    expect(md).toContain('## glibc-simple');
    expect(md).toContain(
      '| grows ≤ 3× from 1k to 1M live | MeMS first-fit · mmap | 100 → 400 ns (4.0×) | **missed** |',
    );
    expect(md).toContain('- churn · thi.ng · 1000000: too slow <here>');
    expect(md).toContain("## Real programs' allocation traces");
    expect(md).toContain('| contender | git-log | gcc-cc1 |');
    expect(md).toContain(
      '| git-log | MeMS tlsf · mmap | 150 | 80.0% | 5.00 MiB | 80.00 MiB | 70.00 MiB | 10.00 MiB |',
    );
    expect(md.endsWith('\n')).toBe(true);
    expect(renderMarkdown(SAMPLE_REPORT)).toBe(renderMarkdown(SAMPLE_REPORT));
    expect(md).toContain(
      '- against native C, glibc malloc: behind at git-log (0.33×, MeMS tlsf · mmap), gcc-cc1 (0.20×, MeMS tlsf · mmap)',
    );
  });

  it('prints the findings under their workload, and says when they were written for another run', () => {
    const findings = { run: SAMPLE_REPORT.startedAt, byWorkload: { traces: 'Behind: the hash probe.' } };
    const md = renderMarkdown(SAMPLE_REPORT, { findings });
    expect(md).toContain('**Ahead, behind, and why**: Behind: the hash probe.');
    expect(md.indexOf('Behind: the hash probe.')).toBeGreaterThan(
      md.indexOf("## Real programs' allocation traces"),
    );
    const stale = renderMarkdown(SAMPLE_REPORT, {
      findings: { ...findings, run: '2025-01-01T00:00:00.000Z' },
    });
    expect(stale).toContain(
      '**Ahead, behind, and why** (written for the run of 2025-01-01T00:00:00.000Z, not this one: check it against the tables): Behind',
    );
    expect(renderMarkdown(SAMPLE_REPORT)).not.toContain('Ahead, behind, and why');
  });

  it('warns when the run was made on a loaded machine', () => {
    expect(renderMarkdown(SAMPLE_REPORT)).not.toContain('loaded machine');
    const loaded = {
      ...SAMPLE_REPORT,
      machine: { ...SAMPLE_REPORT.machine, loadAverage: [0.9, 19.8] as const },
    };
    expect(renderMarkdown(loaded)).toContain(
      '**This run was made on a loaded machine**: the 1-minute load average reached 19.8 on 2 cores',
    );
  });

  it('draws the churn chart with one line per contender that ran churn', () => {
    const svg = renderChurnChart(SAMPLE_REPORT);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // first-fit, tlsf, koffi, native: 3 points; thi.ng: 2; the baseline has a single point (no line).
    expect(svg.match(/<polyline/g)).toHaveLength(5);
    expect(svg).toContain('harness loop, no allocator');
    expect(svg).toContain('first-fit target 200 ns');
  });
});

describe('the access targets and tables (issue 20)', () => {
  const at = (
    workload: PointResult['workload'],
    contender: string,
    live: number,
    median: number,
  ): PointResult => ({
    ...SAMPLE_REPORT.results[0]!,
    workload,
    contender,
    point: String(live),
    ns: { median, min: median, max: median, n: 5 },
  });
  const report: BenchReport = {
    ...SAMPLE_REPORT,
    contenders: [
      ...SAMPLE_REPORT.contenders,
      { id: 'tlsf+cache/mmap/a8/memoryOf', label: 'MeMS memoryOf per access', group: 'mems' },
      { id: 'tlsf+cache/mmap/a8/memoryOf-hoisted', label: 'MeMS memoryOf kept', group: 'mems' },
      { id: 'tlsf+cache/mmap/memoryOf', label: 'MeMS churn-touch memoryOf', group: 'mems' },
      { id: 'typed-array', label: 'plain Float64Array', group: 'baseline' },
    ],
    results: [
      ...SAMPLE_REPORT.results,
      at('access', 'tlsf+cache/mmap/a8/memoryOf', 10_000, 20),
      at('access', 'tlsf+cache/mmap/a8/memoryOf-hoisted', 10_000, 12),
      at('access', 'typed-array', 10_000, 3),
      at('access', 'koffi-libc', 10_000, 200),
      at('churn-touch', 'tlsf+cache/mmap/memoryOf', 1_000, 100),
      at('churn-touch', 'tlsf+cache/mmap/memoryOf', 10_000, 100),
      at('churn-touch', 'tlsf+cache/mmap/memoryOf', 100_000, 200),
      at('churn-touch', 'koffi-libc', 1_000, 400),
      at('churn-touch', 'koffi-libc', 10_000, 400),
      at('churn-touch', 'koffi-libc', 100_000, 500),
    ],
  };
  const checks = checkTargets(report);
  const find = (target: RegExp) => checks.find((c) => target.test(c.target))!;

  it('checks memoryOf per access, the hoisted object against the typed array, and churn-touch against koffi', () => {
    expect(find(/memoryOf \+ one 8-byte write and read ≤ 25 ns/)).toMatchObject({
      subject: 'MeMS memoryOf per access',
      measured: '20.0 ns [20.0–20.0]',
      met: true,
    });
    expect(find(/memoryOf hoisted ≤ 3×/)).toMatchObject({
      measured: '12.0 against 3.0 ns (4.0×)',
      met: false,
    });
    expect(find(/churn-touch through memoryOf/)).toMatchObject({
      subject: 'MeMS churn-touch memoryOf',
      measured: '1k 4.0×, 10k 4.0×, 100k 2.5×',
      met: false,
    });
  });

  it('lists no access target in a run without those rows', () => {
    expect(checkTargets(SAMPLE_REPORT).some((c) => /memoryOf/.test(c.target))).toBe(false);
  });

  it('prints the access table, its ratios to koffi and to the typed array, in text and Markdown', () => {
    const text = renderText(report);
    expect(text).toContain('Random reads and writes of live blocks: ns per 8-byte write+read');
    expect(text).toMatch(
      /Access: how many times faster than libc malloc via koffi[^\n]*\n[^\n]*\n[^\n]*\nMeMS memoryOf per access\s+10×/,
    );
    expect(text).toMatch(
      /Access: the plain typed array's ns ÷ ours[^\n]*\n[^\n]*\n[^\n]*\nMeMS memoryOf per access\s+0\.15×/,
    );
    expect(text).toMatch(/Churn-touch: how many times faster than libc malloc via koffi/);
    const md = renderMarkdown(report);
    expect(md).toContain('## Random reads and writes of live blocks');
    expect(md).toContain("**the plain typed array's ns ÷ ours**");
    expect(md).toContain('memoryOf hoisted ≤ 3×');
  });

  it('lists the targets in Markdown when the run has no churn', () => {
    const partial: BenchReport = { ...report, results: report.results.filter((r) => r.workload !== 'churn') };
    const md = renderMarkdown(partial);
    expect(md).toContain('## Targets');
    expect(md).toContain('churn-touch through memoryOf');
  });
});

describe("the slabs' trace targets (issue 20)", () => {
  const trace = (contender: string, point: string, median: number): PointResult => ({
    ...SAMPLE_REPORT.results[0]!,
    workload: 'traces',
    contender,
    point,
    ns: { median, min: median, max: median, n: 3 },
  });
  const report: BenchReport = {
    ...SAMPLE_REPORT,
    contenders: [...SAMPLE_REPORT.contenders, { id: 'tlsf+slabs/mmap', label: 'MeMS slabs', group: 'mems' }],
    results: [
      ...SAMPLE_REPORT.results,
      trace('tlsf+slabs/mmap', 'a', 20),
      trace('koffi-libc', 'a', 40),
      trace('native-c', 'a', 10),
      trace('tlsf+slabs/mmap', 'b', 50),
      trace('koffi-libc', 'b', 50),
      trace('native-c', 'b', 10),
    ],
  };
  const checks = checkTargets(report);

  it('asks for 1.5× libc through koffi and 3× native on every trace, and says which traces miss', () => {
    expect(checks.find((c) => /1\.5× faster than libc/.test(c.target))).toMatchObject({
      subject: 'MeMS slabs',
      measured: 'a 2.0×, b 1.0×',
      met: false,
    });
    expect(checks.find((c) => /within 3× of native glibc on every trace/.test(c.target))).toMatchObject({
      measured: 'a 2.0×, b 5.0×',
      met: false,
    });
  });

  it('lists neither in a run without the slabs row', () => {
    expect(checkTargets(SAMPLE_REPORT).some((c) => /on every trace \(paired/.test(c.target))).toBe(false);
  });
});

describe('the larson and xmalloc targets and tables (issue 21)', () => {
  // Two rounds each, so that every ratio is paired round by round.
  const at = (
    workload: 'larson' | 'xmalloc' | 'shared-churn',
    contender: string,
    workers: number,
    medians: readonly [number, number],
  ): PointResult => ({
    ...SAMPLE_REPORT.results[0]!,
    workload,
    contender,
    point: workers === 1 ? '1 worker' : `${workers} workers`,
    ns: {
      median: (medians[0] + medians[1]) / 2,
      min: Math.min(...medians),
      max: Math.max(...medians),
      n: 2,
    },
    roundMedians: medians,
  });
  const report: BenchReport = {
    ...SAMPLE_REPORT,
    rounds: { larson: 2, xmalloc: 2 },
    contenders: [
      ...SAMPLE_REPORT.contenders,
      { id: 'tlsf/shared', label: 'MeMS tlsf · createSharedMems', group: 'mems' },
      { id: 'tlsf/shared+threadCache', label: 'MeMS tlsf · thread caches', group: 'mems' },
    ],
    results: [
      ...SAMPLE_REPORT.results,
      at('larson', 'tlsf/shared', 1, [100, 100]),
      at('larson', 'tlsf/shared', 2, [50, 60]), // 2× and 1.67× the pairs per second
      at('larson', 'tlsf/shared', 4, [80, 80]),
      at('larson', 'tlsf/shared+threadCache', 1, [40, 40]),
      at('larson', 'koffi-libc', 1, [300, 200]), // 3× and 2×
      at('larson', 'koffi-libc', 2, [120, 90]), // 2.4× and 1.5×
      at('xmalloc', 'tlsf/shared', 1, [100, 100]),
      at('xmalloc', 'tlsf/shared', 2, [300, 300]),
      at('xmalloc', 'koffi-libc', 1, [100, 90]),
      at('xmalloc', 'koffi-libc', 2, [100, 100]),
    ],
  };
  const checks = checkTargets(report);
  const find = (target: RegExp) => checks.filter((c) => target.test(c.target));

  it('checks larson scaling from 1 to 2 workers on the paired per-round ratios', () => {
    expect(find(/larson: 2 workers ≥ 1\.7×/)).toEqual([
      {
        target: 'larson: 2 workers ≥ 1.7× the pairs per second of 1 worker',
        subject: 'MeMS tlsf · createSharedMems',
        measured: '10M → 18M pairs/s (1.8× [1.7–2.0])',
        met: true,
      },
      {
        target: 'larson: 2 workers ≥ 1.7× the pairs per second of 1 worker',
        subject: 'MeMS tlsf · thread caches',
        measured: 'not measured at both 1 and 2 workers',
        met: null,
      },
    ]);
  });

  it('checks larson against libc through koffi at 1 and 2 workers, and xmalloc at every count', () => {
    expect(find(/larson: ≥ 2× faster than libc/)).toMatchObject([
      { measured: '1 worker 2.5× [2.0–3.0], 2 workers 1.9× [1.5–2.4]', met: false },
      { subject: 'MeMS tlsf · thread caches', measured: '1 worker 6.3× [5.0–7.5]', met: null },
    ]);
    expect(find(/xmalloc: no worse than 1\.2×/)).toMatchObject([
      {
        subject: 'MeMS tlsf · createSharedMems',
        measured: '1 worker 1.1× [1.0–1.1], 2 workers 3.0× [3.0–3.0]',
        met: false,
      },
    ]);
  });

  it('checks shared-churn: scaling, libc through koffi, and thread caches against createMems with the same policy', () => {
    const churn: BenchReport = {
      ...report,
      rounds: { 'shared-churn': 2 },
      contenders: [
        ...report.contenders,
        { id: 'api-tlsf', label: "createMems({ policy: 'tlsf' })", group: 'mems' },
      ],
      results: [
        ...SAMPLE_REPORT.results,
        at('shared-churn', 'tlsf/shared+threadCache', 1, [60, 60]),
        at('shared-churn', 'tlsf/shared+threadCache', 2, [30, 40]), // 2× and 1.5×
        at('shared-churn', 'api-tlsf', 1, [50, 60]), // 1.2× and 1.0×
        at('shared-churn', 'koffi-libc', 1, [120, 150]), // 2× and 2.5×
        at('shared-churn', 'koffi-libc', 2, [60, 120]), // 2× and 3×
      ],
    };
    const all = checkTargets(churn);
    const of = (target: RegExp) => all.filter((c) => target.test(c.target));
    expect(of(/shared-churn: 2 workers ≥ 1\.7×/)).toEqual([
      {
        target: 'shared-churn: 2 workers ≥ 1.7× the pairs per second of 1 worker',
        subject: 'MeMS tlsf · thread caches',
        measured: '17M → 29M pairs/s (1.8× [1.5–2.0])',
        met: true,
      },
    ]);
    expect(of(/shared-churn: ≥ 2× faster than libc/)).toMatchObject([
      { measured: '1 worker 2.3× [2.0–2.5], 2 workers 2.5× [2.0–3.0]', met: true },
    ]);
    expect(of(/thread caches from 1 worker ≤ 1\.2×/)).toMatchObject([
      { subject: 'MeMS tlsf · thread caches', measured: '60.0 against 55.0 ns (1.1× [1.0–1.2])', met: true },
    ]);
  });

  it('lists no larson or xmalloc target for a run without these workloads', () => {
    expect(checkTargets(SAMPLE_REPORT).some((c) => /larson|xmalloc/.test(c.target))).toBe(false);
  });

  it('tabulates pairs per second and the scaling over 1 worker', () => {
    const t = scalingTable(report, 'larson');
    expect(t.header).toEqual(['contender', '1 worker', '2 workers', '4 workers']);
    expect(t.rows.find((r) => r[0] === 'MeMS tlsf · createSharedMems')).toEqual([
      'MeMS tlsf · createSharedMems',
      '10M/s',
      '18M/s (1.8× [1.7–2.0])',
      '13M/s (1.3× [1.3–1.3])',
    ]);
    expect(t.rows.find((r) => r[0] === 'libc malloc via koffi')![3]).toBe('—');
  });

  it('prints both workloads, their ratios to koffi, scaling and targets in text and Markdown', () => {
    const text = renderText(report);
    expect(text).toContain('Larson: a server pattern across worker threads: ns per free+malloc pair');
    expect(text).toContain('xmalloc: producer and consumer threads: ns per malloc+free pair');
    expect(text).toMatch(/Larson: how many times faster than libc malloc via koffi/);
    expect(text).toMatch(/Larson: pairs per second of the whole process/);
    expect(text).toContain('larson: 2 workers ≥ 1.7× the pairs per second of 1 worker');
    const md = renderMarkdown(report);
    expect(md).toContain('## Larson: a server pattern across worker threads');
    expect(md).toContain('## xmalloc: producer and consumer threads');
    expect(md).toContain("mimalloc-bench's larson");
    expect(md).toContain('How it scales: **pairs per second of the whole process**');
    expect(md).toContain('xmalloc: no worse than 1.2× of libc via koffi');
  });
});
