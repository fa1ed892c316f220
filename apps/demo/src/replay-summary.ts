import type { HeapSnapshot } from '@mems/api';
import { computeMetrics } from '@mems/stats';
import type { ReplayResult } from './replay-trace.js';

/** The summary of a replay, as `--json` prints it. */
export interface ReplaySummary {
  /** The trace file as given on the command line. */
  readonly trace: string;
  /** The provider's name (`mmap` or `mock`). */
  readonly provider: string;
  /** The placement policy. */
  readonly policy: string;
  /** The MeMS page size in bytes. */
  readonly pageSize: number;
  /** Operations replayed. */
  readonly operations: number;
  /** Time in MeMS calls, in milliseconds. */
  readonly timeMs: number;
  /**
   * Average time per operation, in nanoseconds (0 for an empty trace), from one cold pass: JIT
   * warm-up included, so not a speed figure (`pnpm bench` measures speed).
   */
  readonly nsPerOperation: number;
  /** The most MeMS pages mapped at once. */
  readonly peakPagesMapped: number;
  /** The most bytes in live blocks at once. */
  readonly peakLiveBytes: number;
  /**
   * Peak utilisation: peak live bytes / peak bytes mapped (0 when nothing was mapped). Not the
   * utilisation at the end, which is `final.utilisation` (what the SVG calls "utilisation now").
   */
  readonly peakUtilisation: number;
  /** External fragmentation at the end: 1 - largest hole / free bytes (0 with no free bytes). */
  readonly fragmentation: number;
  /** The heap at the end, before `finish`. */
  readonly final: {
    readonly pagesMapped: number;
    readonly nodes: number;
    readonly liveBlocks: number;
    readonly bytesInUse: number;
    readonly bytesFree: number;
    readonly holes: number;
    readonly largestHole: number;
    /** Utilisation at the end: bytes in use / bytes mapped ("utilisation now" in the SVG). */
    readonly utilisation: number;
  };
}

/**
 * Builds the summary of a replay.
 * @param trace the trace file's name.
 * @param result what the replay measured.
 * @param snapshot the heap at the end.
 * @returns the summary.
 */
export function summarizeReplay(trace: string, result: ReplayResult, snapshot: HeapSnapshot): ReplaySummary {
  const metrics = computeMetrics(snapshot);
  const { counters } = snapshot;
  return {
    trace,
    provider: snapshot.provider,
    policy: snapshot.policy,
    pageSize: snapshot.pageSize,
    operations: result.operations,
    timeMs: result.timeMs,
    nsPerOperation: result.operations === 0 ? 0 : (result.timeMs * 1e6) / result.operations,
    peakPagesMapped: result.peakBytesMapped / snapshot.pageSize,
    peakLiveBytes: result.peakLiveBytes,
    peakUtilisation: result.peakBytesMapped === 0 ? 0 : result.peakLiveBytes / result.peakBytesMapped,
    fragmentation: metrics.externalFragmentation,
    final: {
      pagesMapped: counters.pagesMapped,
      nodes: counters.nodes,
      liveBlocks: counters.liveBlocks,
      bytesInUse: counters.bytesInUse,
      bytesFree: counters.bytesFree,
      holes: metrics.holeCount,
      largestHole: metrics.largestHole,
      utilisation: metrics.utilisation,
    },
  };
}

/**
 * What the time of a replay is: one pass over the trace, from a cold start. Said wherever replay
 * or compare print a time.
 */
export const COLD_PASS = 'one cold pass (JIT warm-up included); for speed run pnpm bench';

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

/**
 * Formats the summary for people:
 *
 * ```text
 * ----- Replay summary -----
 * Operations:         1200
 * Time:               0.84 ms, 700 ns per operation: one cold pass (JIT warm-up included); for speed run pnpm bench
 * ...
 * ```
 * @param summary the summary.
 * @returns the text, each line ending with `\n`.
 */
export function formatReplaySummary(summary: ReplaySummary): string {
  const rows: [string, string][] = [
    ['Trace', `${summary.trace} (${summary.provider}, ${summary.policy}, page size ${summary.pageSize})`],
    ['Operations', String(summary.operations)],
    [
      'Time',
      `${summary.timeMs.toFixed(2)} ms, ${Math.round(summary.nsPerOperation)} ns per operation: ${COLD_PASS}`,
    ],
    ['Peak pages mapped', String(summary.peakPagesMapped)],
    ['Peak live bytes', String(summary.peakLiveBytes)],
    ['Peak utilisation', `${percent(summary.peakUtilisation)} (peak live bytes / peak bytes mapped)`],
    ['Fragmentation', `${percent(summary.fragmentation)} (at the end: 1 - largest hole / free bytes)`],
    [
      'At the end',
      `${summary.final.liveBlocks} live blocks, ${summary.final.bytesInUse} bytes in use, ${summary.final.bytesFree} free in ${summary.final.holes} holes, ${summary.final.pagesMapped} pages in ${summary.final.nodes} nodes, utilisation now ${percent(summary.final.utilisation)}`,
    ],
  ];
  let out = '----- Replay summary -----\n';
  for (const [label, value] of rows) out += `${`${label}:`.padEnd(20)}${value}\n`;
  return out;
}
