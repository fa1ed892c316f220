// `pnpm bench [--quick] [--out DIR] [--workloads a,b] [--contenders a,b] [--from-json FILE]`
// Runs every contender on every workload, each (contender, workload) in its own Node process,
// then prints the tables and writes results JSON, docs/benchmarks.md and docs/benchmark-churn.svg.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRACES_DIR } from './bench-paths.js';
import { renderChurnChart } from './churn-chart.js';
import { type BenchArgs, BenchUsageError, parseBenchArgs } from './cli-args.js';
import { FULL, QUICK } from './config.js';
import { CONTENDERS, JOB_WORKLOADS, type JobWorkload } from './contenders.js';
import { compileNative, type NativeBuild } from './native-churn.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import type { BenchReport, Findings, PointResult, SkipResult, WorkerOutput } from './results.js';
import { type JobRequest, reportedWorkloads } from './run-job.js';
import { TRACE_RECIPES } from './traces/recipes.js';

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
  const hasChurn = report.results.some((r) => r.workload === 'churn');
  if (hasChurn) writeFileSync(paths.svg, renderChurnChart(report));
  process.stderr.write(
    `wrote ${paths.json}\nwrote ${paths.markdown}\n${hasChurn ? `wrote ${paths.svg}\n` : ''}`,
  );
  formatInRepo([paths.json, paths.markdown]);
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

/** The committed traces (`apps/bench/traces/*.trace.gz`): the recipes' order, then any others by name. */
function traceFiles(): string[] {
  const names = readdirSync(TRACES_DIR)
    .filter((f) => f.endsWith('.trace.gz'))
    .map((f) => f.slice(0, -'.trace.gz'.length));
  const order = (name: string): number => {
    const i = TRACE_RECIPES.findIndex((r) => r.name === name);
    return i < 0 ? TRACE_RECIPES.length : i;
  };
  names.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return names.map((name) => join(TRACES_DIR, `${name}.trace.gz`));
}

/** A trace's name: its file name without `.trace.gz`. */
function traceNameOf(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.trace\.gz$/, '');
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
    `${request.contender.replace(/\W/g, '_')}-${request.workload}${traceName}.json`,
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
  const partial = args.workloads !== undefined || args.contenders !== undefined || args.live !== undefined;
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
    const workloads = JOB_WORKLOADS.filter((w) => !args.workloads || args.workloads.includes(w));
    const contenders = CONTENDERS.filter((c) => !args.contenders || args.contenders.includes(c.id));
    const jobs: JobRequest[] = [];
    const traces = workloads.includes('traces') ? traceFiles() : [];
    if (workloads.includes('traces') && traces.length === 0)
      notes.push(`traces not run: no *.trace.gz in ${TRACES_DIR}`);
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
    const results: PointResult[] = [];
    const skips: SkipResult[] = [];
    let failedJobs = 0;
    jobs.forEach((job, i) => {
      const label = CONTENDERS.find((c) => c.id === job.contender)!.label;
      const trace = job.traces?.length === 1 ? ` · ${traceNameOf(job.traces[0]!)}` : '';
      process.stderr.write(`[${i + 1}/${jobs.length}] ${job.workload}${trace} · ${label}\n`);
      const t0 = process.hrtime.bigint();
      const out = runWorker(job, config.jobTimeoutMs, scratch);
      process.stderr.write(`  (${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s)\n`);
      if (out.failed) failedJobs++;
      results.push(...out.results);
      skips.push(...out.skips);
    });
    if (config.seedLive.at(-1)! < 1_000_000)
      notes.push(
        `seed pattern run up to ${config.seedLive.at(-1)!.toLocaleString('en-US')} live blocks only: 1M blocks of 1000 B is 1 GB per contender and trial.`,
      );
    if (config.mode === 'quick')
      notes.push(
        'quick run: fewer trials, shorter trials, no 1M points, the first 20k operations of each trace (all traces of a contender in one process, so its peak RSS is cumulative); a smoke test, not a measurement.',
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
