import { chartLineStyle } from './chart-line-style.js';
import type { BenchReport } from './results.js';
import { renderLogLogChart } from './svg-chart.js';

/**
 * The churn chart: ns per free+malloc pair against live blocks, log-log, one line per
 * contender, min–max bars, the two speed targets as guides. Every line has its own colour and
 * dash ({@link chartLineStyle}): a MeMS row the colour of its policy (as everywhere in MeMS),
 * solid on real pages, long dashes with the front cache, short dashes on the mock provider.
 * @param report the run.
 * @returns the SVG text.
 */
export function renderChurnChart(report: BenchReport): string {
  const series = report.contenders
    .filter((c) => report.results.some((r) => r.workload === 'churn' && r.contender === c.id))
    .map((c) => ({
      label: c.label,
      ...chartLineStyle(c.id),
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
