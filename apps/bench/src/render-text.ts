import { textTable } from './format.js';
import {
  ACCESS_FLOOR,
  checkTargets,
  memoryTable,
  peersOf,
  pointsOf,
  ran,
  ratioTable,
  roundRatioTable,
  roundsPhrase,
  scalingTable,
  THREAD_WORKLOAD_IDS,
  timingTable,
  traceMemoryTable,
  verdict,
} from './report.js';
import type { BenchReport, WorkloadId } from './results.js';
import { WORKLOADS } from './workloads/catalog.js';

/** The short name of a workload in the text's ratio headings. */
const SHORT: Partial<Record<WorkloadId, string>> = {
  churn: 'Churn',
  'churn-touch': 'Churn-touch',
  access: 'Access',
  'shared-churn': 'Shared churn',
  larson: 'Larson',
  xmalloc: 'xmalloc',
};

/**
 * The report as plain text for stdout: every workload's timing table, the churn ratios and
 * memory figures, the targets, skips and notes.
 * @param report the run.
 * @returns the text (ends with a newline).
 */
export function renderText(report: BenchReport): string {
  const out: string[] = [];
  const load = report.machine.loadAverage;
  out.push(
    `MeMS benchmark (${report.mode}), ${report.startedAt}, ${report.durationSeconds.toFixed(0)} s, node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}${report.revision ? `, commit ${report.revision}` : ''}`,
  );
  if (load)
    out.push(`1-minute load average: ${load[0].toFixed(2)} at the start, ${load[1].toFixed(2)} at the end`);
  const rounds = roundsPhrase(report);
  if (rounds !== null)
    out.push(
      `${rounds}: with several rounds, cells are the median [min–max] of the rounds' medians, ratios the median [range] of the per-round ratios`,
    );
  for (const w of WORKLOADS) {
    if (pointsOf(report, w.id).length === 0) continue;
    const t = timingTable(report, w.id);
    out.push('', `${w.title}: ns per ${w.unit}, median [min–max] over trials; columns: ${w.pointLabel}`);
    out.push(textTable(t.header, t.rows));
    if (w.id === 'traces') {
      const m = traceMemoryTable(report);
      out.push('', 'Traces: utilisation (peak live ÷ peak mapped) and peak RSS');
      out.push(textTable(m.header, m.rows, 2));
    }
    const short = SHORT[w.id];
    if (short !== undefined) {
      for (const peer of peersOf(report, w.id)) {
        const r = ratioTable(report, w.id, peer.id);
        if (r.rows.length === 0) continue;
        out.push('', `${short}: how many times faster than ${peer.label} (its ns ÷ ours)`);
        out.push(textTable(r.header, r.rows));
      }
    }
    if (THREAD_WORKLOAD_IDS.includes(w.id)) {
      const scaling = scalingTable(report, w.id);
      if (scaling.rows.length > 0) {
        out.push('', `${short}: pairs per second of the whole process (× the pairs per second of 1 worker)`);
        out.push(textTable(scaling.header, scaling.rows));
      }
    }
    if (w.id === 'access' && ran(report, 'access', ACCESS_FLOOR)) {
      const floor = ratioTable(report, w.id, ACCESS_FLOOR);
      out.push('', "Access: the plain typed array's ns ÷ ours (below 1×: slower than the JavaScript floor)");
      out.push(textTable(floor.header, floor.rows));
    }
    if (w.id === 'churn') {
      const harness = roundRatioTable(report, 'churn', 'koffi-libc', ['koffi-libc-minimal']);
      if (harness.rows.length > 0) {
        out.push('', 'Churn: libc via koffi in the harness ÷ the minimal loop, per round (1× = agreement)');
        out.push(textTable(harness.header, harness.rows, 2));
      }
      const m = memoryTable(report, w.id);
      out.push('', 'Churn: memory');
      out.push(textTable(m.header, m.rows, 2));
    }
  }
  out.push('', 'Targets (DESIGN.md)');
  out.push(
    textTable(
      ['target', 'subject', 'measured', 'verdict'],
      checkTargets(report).map((c) => [c.target, c.subject, c.measured, verdict(c.met)]),
      4,
    ),
  );
  if (report.skips.length) {
    out.push('', 'Skipped');
    for (const s of report.skips) out.push(`  ${s.workload} · ${s.contender} · ${s.point}: ${s.reason}`);
  }
  if (report.notes.length) {
    out.push('', 'Notes');
    for (const n of report.notes) out.push(`  ${n}`);
  }
  return `${out.join('\n')}\n`;
}
