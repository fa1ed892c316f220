import type { PairedTraceResult } from './paired-trace.js';

/** The speed-up over libc through koffi that issue 20 asks of every trace (its verdict column). */
export const PAIRED_TARGET = 1.5;

/**
 * One result as a line of the table.
 * @param r the result.
 * @returns `trace  ns  ns  speed-up [q1–q3] (min–max)  verdict`.
 */
export function pairedRow(r: PairedTraceResult): string {
  const s = r.speedup;
  const f = (x: number): string => x.toFixed(2);
  const verdict =
    s.median >= PAIRED_TARGET ? 'met' : `missed by ${((1 - s.median / PAIRED_TARGET) * 100).toFixed(0)}%`;
  return `${r.trace.padEnd(16)} ${r.ns[0].toFixed(1).padStart(8)} ${r.ns[1].toFixed(1).padStart(8)}   ${f(s.median)}× [${f(s.q1)}–${f(s.q3)}] (${f(s.min)}–${f(s.max)})   ${verdict}`;
}
