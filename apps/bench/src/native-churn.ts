import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrialPlan } from './measure.js';
import type { PointResult } from './results.js';
import { type ChurnSequence, encodeChurnSequence, liveBytesOver } from './sequence.js';
import { summarize } from './stats.js';
import { type AccessScript, encodeAccessScript } from './workloads/access.js';

/** The C sources, next to this package's `dist/` and `src/`. */
export const NATIVE_SOURCES = {
  /** The churn reference (churn, churn-touch and access). */
  churn: fileURLToPath(new URL('../native/churn.c', import.meta.url)),
  /** The trace replayer (traces). */
  traceReplay: fileURLToPath(new URL('../native/trace-replay.c', import.meta.url)),
} as const;

/** The compiled references, or why there are none. */
export type NativeBuild =
  | {
      /** The churn reference's binary (kept under this name for the jobs that run it). */
      readonly binary: string;
      /** The trace replayer's binary. */
      readonly traceBinary: string;
      /** The compiler's first version line. */
      readonly compiler: string;
    }
  | { readonly reason: string };

/**
 * Whether `cc` runs here.
 * @returns its first version line, or null when there is no C compiler.
 */
export function findCompiler(): string | null {
  const version = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return null;
  return version.stdout.split('\n')[0]!.trim();
}

/**
 * Compiles the C references (churn and the trace replayer) with `cc -O2` into `outDir`.
 * @param outDir a writable directory.
 * @returns the binaries and the compiler's first version line, or the reason they could not be built.
 */
export function compileNative(outDir: string): NativeBuild {
  const compiler = findCompiler();
  if (compiler === null) return { reason: 'no C compiler (`cc`) on this machine' };
  const build = (source: string, name: string): string | { reason: string } => {
    const binary = join(outDir, name);
    const built = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
    if (built.status !== 0)
      return { reason: `cc -O2 ${source} failed: ${(built.stderr || String(built.error)).trim()}` };
    return binary;
  };
  const churn = build(NATIVE_SOURCES.churn, 'mems-bench-churn');
  if (typeof churn !== 'string') return churn;
  const traceBinary = build(NATIVE_SOURCES.traceReplay, 'mems-bench-trace-replay');
  if (typeof traceBinary !== 'string') return traceBinary;
  return { binary: churn, traceBinary, compiler };
}

/**
 * Runs the C reference on a churn script.
 * @param binary the compiled reference.
 * @param seq the script (the same one the JavaScript contenders replay).
 * @param plan trials.
 * @param workload `churn`, or `churn-touch` to stamp and check both ends of every block.
 * @returns the point, contender `native-c`.
 * @throws Error when the program fails or prints something unexpected.
 */
export function runNativeChurn(
  binary: string,
  seq: ChurnSequence,
  plan: TrialPlan,
  workload: 'churn' | 'churn-touch' = 'churn',
): PointResult {
  return runChurnProgram([binary], 'native-c', seq, plan, workload);
}

/**
 * Runs a churn program of its own (the C reference, or the minimal koffi loop): writes the
 * script to a file, runs `command SCRIPT TRIALS TARGET_MS WARMUP_MS [touch]` and reads the one
 * JSON line it prints (`samples`, `pairsPerTrial`, `totalPairs`, `peakMappedBytes`; 0 when it
 * cannot tell).
 * @param command the program and its leading arguments, e.g. `[node, script.js]`.
 * @param contender the id the point is reported under.
 * @param seq the script (the same one the JavaScript contenders replay).
 * @param plan trials.
 * @param workload `churn`, or `churn-touch` (the C reference only) to stamp and check both ends.
 * @returns the point.
 * @throws Error when the program fails or prints something unexpected.
 */
export function runChurnProgram(
  command: readonly [string, ...string[]],
  contender: string,
  seq: ChurnSequence,
  plan: TrialPlan,
  workload: 'churn' | 'churn-touch' = 'churn',
): PointResult {
  const parsed = runScriptProgram(
    command,
    contender,
    encodeChurnSequence(seq),
    plan,
    workload === 'churn-touch' ? 'touch' : null,
  );
  const live = liveBytesOver(seq, parsed.totalPairs);
  return {
    workload,
    contender,
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
}

/**
 * Runs the C reference on the access workload: allocates the churn script's fill with glibc,
 * then writes and reads back one double per access of the script (through a volatile pointer).
 * @param binary the compiled reference.
 * @param seq the churn script (only its fill sizes are used).
 * @param script the accesses, built over `seq.fillSizes`.
 * @param plan trials.
 * @returns the point, workload `access`, contender `native-c`.
 * @throws Error when the program fails (a value read back differs, or malloc fails).
 */
export function runNativeAccess(
  binary: string,
  seq: ChurnSequence,
  script: AccessScript,
  plan: TrialPlan,
): PointResult {
  const churn = encodeChurnSequence(seq);
  const accesses = encodeAccessScript(script);
  const bytes = new Uint8Array(churn.length + accesses.length);
  bytes.set(churn);
  bytes.set(accesses, churn.length);
  const parsed = runScriptProgram([binary], 'native-c', bytes, plan, 'access');
  let liveBytes = 0;
  for (const size of seq.fillSizes) liveBytes += size;
  return {
    workload: 'access',
    contender: 'native-c',
    point: String(seq.live),
    ns: summarize(parsed.samples),
    opsPerTrial: parsed.pairsPerTrial,
    totalOps: parsed.totalPairs,
    heapGrowthBytes: null,
    heapOps: 0,
    metadataPerBlock: null,
    mappedOverLive: parsed.peakMappedBytes > 0 ? parsed.peakMappedBytes / liveBytes : null,
    fragmentation: null,
    peakLiveBytes: liveBytes,
    peakMappedBytes: parsed.peakMappedBytes > 0 ? parsed.peakMappedBytes : null,
  };
}

/** What a script program prints: its trials, in ns per step, and its counts. */
interface ProgramOutput {
  samples: number[];
  pairsPerTrial: number;
  totalPairs: number;
  peakMappedBytes: number;
}

/**
 * Writes a script to a file, runs `command SCRIPT TRIALS TARGET_MS WARMUP_MS [mode]` and parses
 * the one JSON line it prints.
 * @returns the program's output.
 * @throws Error when the program fails.
 */
function runScriptProgram(
  command: readonly [string, ...string[]],
  contender: string,
  bytes: Uint8Array,
  plan: TrialPlan,
  mode: 'touch' | 'access' | null,
): ProgramOutput {
  const dir = mkdtempSync(join(tmpdir(), 'mems-bench-script-'));
  try {
    const script = join(dir, 'script.bin');
    writeFileSync(script, bytes);
    const [program, ...leading] = command;
    const out = spawnSync(
      program,
      [
        ...leading,
        script,
        String(plan.trials),
        String(plan.targetTrialMs),
        String(plan.warmupMs),
        ...(mode === null ? [] : [mode]),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (out.status !== 0)
      throw new Error(`${contender} ${mode ?? 'churn'} failed: ${out.stderr || String(out.error)}`);
    return JSON.parse(out.stdout) as ProgramOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
