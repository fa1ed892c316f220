import type { BenchReport } from './results.js';
import { renderLogLogChart } from './svg-chart.js';

/** One colour per policy (mmap solid, mock dashed) and per peer. */
const COLORS: Readonly<Record<string, string>> = {
  'first-fit': '#1f77b4',
  'next-fit': '#ff7f0e',
  'best-fit': '#2ca02c',
  tlsf: '#d62728',
  api: '#9467bd',
  'thi.ng': '#17becf',
  'koffi-libc': '#393b79',
  'koffi-libc-bigint': '#8c6d31',
  'native-c': '#637939',
  baseline: '#7f7f7f',
};

/**
 * The churn chart: ns per free+malloc pair against live blocks, log-log, one line per
 * contender (mock-provider MeMS lines dashed), min–max bars, the two speed targets as guides.
 * @param report the run.
 * @returns the SVG text.
 */
export function renderChurnChart(report: BenchReport): string {
  const series = report.contenders
    .filter((c) => report.results.some((r) => r.workload === 'churn' && r.contender === c.id))
    .map((c) => ({
      label: c.label,
      dashed: c.id.endsWith('/mock') || c.group === 'baseline',
      color: COLORS[c.id.split('/')[0]!] ?? '#000000',
      points: report.results
        .filter((r) => r.workload === 'churn' && r.contender === c.id)
        .map((r) => ({ x: Number(r.point), y: r.ns.median, min: r.ns.min, max: r.ns.max })),
    }));
  return renderLogLogChart(series, {
    title: `Churn: ns per free+malloc pair (${report.mode} run, ${report.startedAt.slice(0, 10)})`,
    xLabel: 'live blocks',
    yLabel: 'ns per free+malloc pair (median, min–max bars)',
    guides: [
      { y: 200, label: 'first-fit target 200 ns' },
      { y: 90, label: 'tlsf target 90 ns' },
    ],
  });
}
