import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrialPlan } from './measure.js';
import type { PointResult } from './results.js';
import { summarize } from './stats.js';
import { encodeTraceScript, type TraceScript, traceLiveBytes } from './traces/trace-script.js';

/**
 * Runs the C trace replayer (`native/trace-replay.c`, glibc malloc) on a trace.
 * @param binary the compiled replayer.
 * @param script the trace (the same one the JavaScript contenders replay).
 * @param plan trials.
 * @returns the point, contender `native-c`, workload `traces`.
 * @throws Error when the program fails or prints something unexpected.
 */
export function runNativeTraceReplay(binary: string, script: TraceScript, plan: TrialPlan): PointResult {
  const dir = mkdtempSync(join(tmpdir(), 'mems-bench-trace-'));
  try {
    const file = join(dir, 'trace.bin');
    writeFileSync(file, encodeTraceScript(script));
    const out = spawnSync(
      binary,
      [file, String(plan.trials), String(plan.targetTrialMs), String(plan.warmupMs)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (out.status !== 0) throw new Error(`native trace replay failed: ${out.stderr || String(out.error)}`);
    const parsed = JSON.parse(out.stdout) as {
      samples: number[];
      opsPerTrial: number;
      totalOps: number;
      peakMappedBytes: number;
      peakRssBytes: number;
      baseRssBytes: number;
    };
    const peakLive = traceLiveBytes(script).peak;
    return {
      workload: 'traces',
      contender: 'native-c',
      point: script.name,
      ns: summarize(parsed.samples),
      opsPerTrial: parsed.opsPerTrial,
      totalOps: parsed.totalOps,
      heapGrowthBytes: null,
      heapOps: 0,
      metadataPerBlock: null,
      mappedOverLive: parsed.peakMappedBytes > 0 && peakLive > 0 ? parsed.peakMappedBytes / peakLive : null,
      fragmentation: null,
      peakLiveBytes: peakLive,
      peakMappedBytes: parsed.peakMappedBytes > 0 ? parsed.peakMappedBytes : null,
      peakRssBytes: parsed.peakRssBytes,
      baseRssBytes: parsed.baseRssBytes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
