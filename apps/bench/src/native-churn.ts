import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrialPlan } from './measure.js';
import type { PointResult } from './results.js';
import { type ChurnSequence, encodeChurnSequence, liveBytesOver } from './sequence.js';
import { summarize } from './stats.js';

/** The C source of the reference, next to this package's `dist/` and `src/`. */
export const NATIVE_SOURCE = fileURLToPath(new URL('../native/churn.c', import.meta.url));

/** The compiled reference, or why there is none. */
export type NativeBuild =
  | { readonly binary: string; readonly compiler: string }
  | { readonly reason: string };

/**
 * Compiles the C churn reference with `cc -O2` into `outDir`.
 * @param outDir a writable directory.
 * @returns the binary and the compiler's first version line, or the reason it could not be built.
 */
export function compileNative(outDir: string): NativeBuild {
  const version = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { reason: 'no C compiler (`cc`) on this machine' };
  const binary = join(outDir, 'mems-bench-churn');
  const built = spawnSync('cc', ['-O2', '-o', binary, NATIVE_SOURCE], { encoding: 'utf8' });
  if (built.status !== 0) return { reason: `cc -O2 failed: ${(built.stderr || String(built.error)).trim()}` };
  return { binary, compiler: version.stdout.split('\n')[0]!.trim() };
}

/**
 * Runs the C reference on a churn script.
 * @param binary the compiled reference.
 * @param seq the script (the same one the JavaScript contenders replay).
 * @param plan trials.
 * @returns the point, contender `native-c`.
 * @throws Error when the program fails or prints something unexpected.
 */
export function runNativeChurn(binary: string, seq: ChurnSequence, plan: TrialPlan): PointResult {
  const dir = mkdtempSync(join(tmpdir(), 'mems-bench-script-'));
  try {
    const script = join(dir, 'script.bin');
    writeFileSync(script, encodeChurnSequence(seq));
    const out = spawnSync(
      binary,
      [script, String(plan.trials), String(plan.targetTrialMs), String(plan.warmupMs)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (out.status !== 0) throw new Error(`native churn failed: ${out.stderr || String(out.error)}`);
    const parsed = JSON.parse(out.stdout) as {
      samples: number[];
      pairsPerTrial: number;
      totalPairs: number;
      peakMappedBytes: number;
    };
    const live = liveBytesOver(seq, parsed.totalPairs);
    return {
      workload: 'churn',
      contender: 'native-c',
      point: String(seq.live),
      ns: summarize(parsed.samples),
      opsPerTrial: parsed.pairsPerTrial,
      totalOps: parsed.totalPairs,
      heapGrowthBytes: null,
      heapOps: 0,
      metadataPerBlock: null,
      mappedOverLive: parsed.peakMappedBytes > 0 ? parsed.peakMappedBytes / live.peak : null,
      fragmentation: null,
      peakLiveBytes: live.peak,
      peakMappedBytes: parsed.peakMappedBytes > 0 ? parsed.peakMappedBytes : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
