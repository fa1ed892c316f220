// `pnpm bench [--quick] [--out DIR] [--workloads a,b] [--contenders a,b] [--from-json FILE]`
// Runs every contender on every workload, each (contender, workload) in its own Node process,
// then prints the tables and writes results JSON, docs/benchmarks.md and docs/benchmark-churn.svg.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@mems/os';
import { TRACES_DIR } from './bench-paths.js';
import { renderChurnChart } from './churn-chart.js';
import { type BenchArgs, BenchUsageError, parseBenchArgs } from './cli-args.js';
import { FULL, QUICK } from './config.js';
import { CONTENDERS, JOB_WORKLOADS, type JobWorkload } from './contenders.js';
import { compileNative, type NativeBuild } from './native-churn.js';
import { updateReadmeSpeed } from './readme-speed.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import type { BenchReport, Findings, PointResult, SkipResult, WorkerOutput, WorkloadId } from './results.js';
import { mergeRounds, mergeSkips } from './rounds.js';
import { type JobRequest, reportedWorkloads } from './run-job.js';
import { traceFilesIn, traceNameOf } from './trace-files.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Where the three outputs go. */
function outputPaths(args: BenchArgs, partial: boolean): { json: string; markdown: string; svg: string } {
  const dir =
    args.out ??
    (args.quick || partial
      ? join(tmpdir(), args.quick ? 'mems-bench-quick' : 'mems-bench-partial')
      : undefined);
  if (dir !== undefined)
    return {
      json: join(dir, 'latest.json'),
      markdown: join(dir, 'benchmarks.md'),
      svg: join(dir, 'benchmark-churn.svg'),
    };
  return {
    json: join(ROOT, 'apps/bench/results/latest.json'),
    markdown: join(ROOT, 'docs/benchmarks.md'),
    svg: join(ROOT, 'docs/benchmark-churn.svg'),
  };
}

function writeOutputs(report: BenchReport, paths: { json: string; markdown: string; svg: string }): void {
  for (const p of Object.values(paths)) mkdirSync(dirname(p), { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  const chart = relative(dirname(paths.markdown), paths.svg) || 'benchmark-churn.svg';
  const source = paths.json.startsWith(ROOT) ? relative(ROOT, paths.json) : paths.json;
  const findingsFile = join(ROOT, 'apps/bench/results/findings.json');
  const findings = existsSync(findingsFile)
    ? (JSON.parse(readFileSync(findingsFile, 'utf8')) as Findings)
    : null;
  writeFileSync(paths.markdown, renderMarkdown(report, { chart, source, findings }));
  // The root README's Speed tables come from the committed results only, never from a partial run.
  const readme = join(ROOT, 'README.md');
  const toRepo = paths.json === join(ROOT, 'apps/bench/results/latest.json');
  if (toRepo) writeFileSync(readme, updateReadmeSpeed(readFileSync(readme, 'utf8'), report));
  const hasChurn = report.results.some((r) => r.workload === 'churn');
  if (hasChurn) writeFileSync(paths.svg, renderChurnChart(report));
  process.stderr.write(
    `wrote ${paths.json}\nwrote ${paths.markdown}\n${hasChurn ? `wrote ${paths.svg}\n` : ''}${toRepo ? `wrote ${readme} (Speed tables)\n` : ''}`,
  );
  formatInRepo([paths.json, paths.markdown, ...(toRepo ? [readme] : [])]);
}

/**
 * Files written inside the repository are committed, and `pnpm lint` checks their format:
 * let the repository's own biome lay them out (tables padded, short arrays on one line).
 */
function formatInRepo(files: readonly string[]): void {
  const inside = files.filter((f) => !relative(ROOT, f).startsWith('..'));
  if (inside.length === 0) return;
  const biome = join(ROOT, 'node_modules/.bin/biome');
  const done = spawnSync(biome, ['format', '--write', ...inside], { cwd: ROOT, encoding: 'utf8' });
  if (done.status !== 0)
    process.stderr.write(
      `bench: could not format ${inside.join(', ')} with biome: ${done.stderr || String(done.error)}\n`,
    );
}

/** The commit being measured, and whether the measured packages differ from it. */
function revision(): string | null {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'packages'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const changed = dirty.status === 0 && dirty.stdout.trim() !== '';
  return `${head.stdout.trim()}${changed ? ' (with uncommitted changes in packages/)' : ''}`;
}

function runWorker(
  request: JobRequest,
  timeoutMs: number,
  scratch: string,
): WorkerOutput & { failed?: true } {
  const traceName =
    request.traces?.length === 1 ? `-${traceNameOf(request.traces[0]!).replace(/\W/g, '_')}` : '';
  const outFile = join(
    scratch,
    `${request.contender.replace(/\W/g, '_')}-${request.workload}${traceName}-r${request.round ?? 0}.json`,
  );
  const child = spawnSync(process.execPath, ['--expose-gc', WORKER, JSON.stringify(request), outFile], {
    stdio: ['ignore', 2, 2],
    timeout: timeoutMs,
  });
  const failed = (reason: string): WorkerOutput & { failed: true } => ({
    failed: true,
    results: [],
    skips: reportedWorkloads(request.workload).map((workload) => ({
      workload,
      contender: request.contender,
      point: request.traces?.length === 1 ? traceNameOf(request.traces[0]!) : '*',
      reason,
    })),
  });
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return failed(`stopped after ${timeoutMs / 1000} s (time limit of one benchmark process)`);
  if (child.status !== 0)
    return failed(`the benchmark process failed (exit ${child.status ?? child.signal})`);
  return JSON.parse(readFileSync(outFile, 'utf8')) as WorkerOutput;
}

async function main(): Promise<void> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    JOB_WORKLOADS,
    CONTENDERS.map((c) => c.id),
  );
  const partial =
    args.workloads !== undefined ||
    args.contenders !== undefined ||
    args.live !== undefined ||
    args.traceDir !== undefined;
  // Before anything is measured: a --trace-dir that is no folder, or holds no trace, is a mistake.
  const traceSource = args.traceDir ?? TRACES_DIR;
  let found: { files: string[]; duplicates: string[] };
  try {
    found = traceFilesIn(traceSource);
  } catch (error) {
    if (args.traceDir === undefined) found = { files: [], duplicates: [] };
    else throw new BenchUsageError(`bench: --trace-dir ${args.traceDir}: ${errorMessage(error)}`, 1);
  }
  if (args.traceDir !== undefined && found.files.length === 0)
    throw new BenchUsageError(`bench: --trace-dir ${args.traceDir}: no *.trace.gz or *.trace in it`, 1);
  const paths = outputPaths(args, partial);
  if (args.fromJson) {
    writeOutputs(JSON.parse(readFileSync(args.fromJson, 'utf8')) as BenchReport, paths);
    return;
  }
  const config = args.quick ? QUICK : FULL;
  const startedAt = new Date();
  const loadAtStart = loadavg()[0]!;
  const started = process.hrtime.bigint();
  const scratch = mkdtempSync(join(tmpdir(), 'mems-bench-'));
  const notes: string[] = [];
  try {
    const native: NativeBuild = compileNative(scratch);
    if ('reason' in native) notes.push(`native C reference not run: ${native.reason}`);
    // --trace-dir alone replays those traces only; with --workloads, what that names.
    const wanted = args.workloads ?? (args.traceDir !== undefined ? ['traces'] : undefined);
    const workloads = JOB_WORKLOADS.filter((w) => !wanted || wanted.includes(w));
    const contenders = CONTENDERS.filter(
      (c) =>
        (!args.contenders || args.contenders.includes(c.id)) &&
        (args.contenders !== undefined || !config.skipContender?.(c.id)),
    );
    const jobs: JobRequest[] = [];
    const traces = workloads.includes('traces') ? found.files : [];
    if (workloads.includes('traces') && traces.length === 0)
      notes.push(`traces not run: no *.trace.gz or *.trace in ${traceSource}`);
    if (workloads.includes('traces') && args.traceDir !== undefined)
      notes.push(`traces replayed from ${args.traceDir}: ${traces.map(traceNameOf).join(', ')}`);
    for (const d of workloads.includes('traces') ? found.duplicates : [])
      notes.push(
        `${d} not replayed: the folder also holds ${traceNameOf(d)}.trace.gz, replayed as ${traceNameOf(d)}`,
      );
    for (const workload of workloads) {
      for (const c of contenders) {
        if (!c.workloads.includes(workload as JobWorkload)) continue;
        const job: JobRequest = {
          contender: c.id,
          workload,
          mode: config.mode,
          ...(args.live ? { only: args.live } : {}),
          ...(c.native
            ? {
                native:
                  'reason' in native
                    ? { reason: native.reason }
                    : { binary: native.binary, traceBinary: native.traceBinary },
              }
            : {}),
        };
        // Full run: one process per trace, so that each trace's peak RSS is its own. Quick run:
        // one process per contender (a smoke test; its RSS figures are cumulative).
        if (workload !== 'traces') jobs.push(job);
        else if (config.mode === 'full') for (const trace of traces) jobs.push({ ...job, traces: [trace] });
        else if (traces.length > 0) jobs.push({ ...job, traces });
      }
    }
    // Interleaved rounds, workload by workload: every contender of the workload once (a fresh
    // process each), then all of them again, so each round pairs contenders measured side by side.
    const roundsOf = (w: JobWorkload): number => args.rounds ?? config.rounds[w];
    const total = jobs.reduce((n, job) => n + roundsOf(job.workload), 0);
    const results: PointResult[] = [];
    const skips: SkipResult[] = [];
    const roundCounts: Partial<Record<WorkloadId, number>> = {};
    let failedJobs = 0;
    let done = 0;
    for (const workload of workloads) {
      const ofWorkload = jobs.filter((j) => j.workload === workload);
      if (ofWorkload.length === 0) continue;
      const rounds = roundsOf(workload);
      const perRound: PointResult[][] = [];
      const skipsPerRound: SkipResult[][] = [];
      for (let round = 0; round < rounds; round++) {
        const got: PointResult[] = [];
        const skipped: SkipResult[] = [];
        for (const job of ofWorkload) {
          const label = CONTENDERS.find((c) => c.id === job.contender)!.label;
          const trace = job.traces?.length === 1 ? ` · ${traceNameOf(job.traces[0]!)}` : '';
          const roundNote = rounds > 1 ? ` · round ${round + 1}/${rounds}` : '';
          process.stderr.write(`[${++done}/${total}] ${job.workload}${trace} · ${label}${roundNote}\n`);
          const t0 = process.hrtime.bigint();
          const out = runWorker({ ...job, round }, config.jobTimeoutMs, scratch);
          process.stderr.write(`  (${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s)\n`);
          if (out.failed) failedJobs++;
          got.push(...out.results);
          skipped.push(...out.skips);
        }
        perRound.push(got);
        skipsPerRound.push(skipped);
      }
      results.push(...mergeRounds(perRound));
      const merged = mergeSkips(skipsPerRound);
      skips.push(...merged);
      for (const id of reportedWorkloads(workload)) roundCounts[id] = rounds;
    }
    if (workloads.includes('seed') && config.seedLive.at(-1)! < 1_000_000)
      notes.push(
        `seed pattern run up to ${config.seedLive.at(-1)!.toLocaleString('en-US')} live blocks only: 1M blocks of 1000 B is 1 GB per contender and trial.`,
      );
    if (config.mode === 'quick')
      notes.push(
        'quick run: fewer and shorter trials, 1k and 10k live blocks on churn and access (1k elsewhere), short scripts, no mock-provider rows, churn in 2 rounds and the rest in 1, the first 5k operations of each trace (all traces of a contender in one process, so its peak RSS is cumulative); a smoke test, not a measurement.',
      );
    const report: BenchReport = {
      version: 1,
      startedAt: startedAt.toISOString(),
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      mode: config.mode,
      machine: {
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        cc: 'binary' in native ? native.compiler : null,
        loadAverage: [loadAtStart, loadavg()[0]!],
      },
      revision: revision(),
      rounds: roundCounts,
      contenders: CONTENDERS.map(({ id, label, group }) => ({ id, label, group })),
      results,
      skips,
      notes,
    };
    process.stdout.write(renderText(report));
    writeOutputs(report, paths);
    if (failedJobs > 0) {
      process.stderr.write(`bench: ${failedJobs} benchmark process(es) failed or timed out; see "Skipped"\n`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    (error.exitCode === 0 ? process.stdout : process.stderr).write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
