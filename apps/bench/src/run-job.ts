import { sharedMemsForWorkers } from './allocators/mems-api.js';
import { sharedMemoryObjectsForWorkers } from './allocators/shared-memory-objects.js';
import { type BenchConfig, FULL, QUICK } from './config.js';
import { type ContenderSpec, contenderById, type JobWorkload } from './contenders.js';
import { heapUsedAfterGc } from './measure.js';
import { runNativeAccess, runNativeChurn } from './native-churn.js';
import { runNativeTraceReplay } from './native-trace.js';
import type { PointResult, SkipResult, WorkerOutput, WorkloadId } from './results.js';
import { makeChurnSequence } from './sequence.js';
import { loadTraceScript, type TraceScript } from './traces/trace-script.js';
import { makeAccessScript, runAccess } from './workloads/access.js';
import { runChurn } from './workloads/churn.js';
import { runChurnTouch } from './workloads/churn-touch.js';
import { runGlibcSimple } from './workloads/glibc-simple.js';
import { type LarsonPlan, larsonBytesAtMost, runLarson } from './workloads/larson.js';
import { runReallocWithHole, runReallocWithLiveNeighbour } from './workloads/realloc-growth.js';
import { runSeedFill, SEED_BLOCK_BYTES } from './workloads/seed-fill.js';
import {
  runSharedChurn,
  type SharedChurnPlan,
  sharedChurnThreadScript,
  workersPoint,
} from './workloads/shared-churn.js';
import { runTraceReplay } from './workloads/trace-replay.js';
import { runTranslate } from './workloads/translate.js';
import { runXmalloc, type XmallocPlan, xmallocBytesAtMost } from './workloads/xmalloc.js';

/** What one benchmark process is asked to do. */
export interface JobRequest {
  readonly contender: string;
  readonly workload: JobWorkload;
  readonly mode: 'full' | 'quick';
  /** The compiled C references (for `native-c`): churn, the trace replayer, or why there are none. */
  readonly native?: { readonly binary?: string; readonly traceBinary?: string; readonly reason?: string };
  /**
   * Traces: the trace files this process replays, in turn. The full run gives one per process,
   * so that each trace's peak RSS is its own; the quick run gives them all to one process.
   */
  readonly traces?: readonly string[];
  /** Run churn, churn-touch, access, seed and translate only at these live-block counts (`--live`, profiling). */
  readonly only?: readonly number[];
  /**
   * Which interleaved round this is (0 first). The report keeps the first round's memory
   * figures, so later rounds skip the extra untimed churn steps of the JS-heap check.
   */
  readonly round?: number;
}

const MiB = 2 ** 20;

/** Primed hand-offs of a shared-churn worker (see shared-churn-thread-body.ts). */
const SHARED_CHURN_PRIMED = 2048;

/** The thread workloads, and the plan each runs from. */
export type ThreadJob =
  | { readonly workload: 'shared-churn'; readonly plan: SharedChurnPlan }
  | { readonly workload: 'larson'; readonly plan: LarsonPlan }
  | { readonly workload: 'xmalloc'; readonly plan: XmallocPlan };

/**
 * Runs a thread workload (shared-churn, larson, xmalloc) for a contender that worker threads can
 * reach: makes the shared heap first when the contender is one (checked and finished after the
 * workers end), and scales the pairs down for a contender whose calls are slow.
 * @param spec the contender (prepared).
 * @param workers how many worker threads.
 * @param job the workload and its plan.
 * @returns the point.
 * @throws Error when the contender has no thread support, a worker fails, or the final check fails.
 */
export async function runThreadWorkloadFor(
  spec: ContenderSpec,
  workers: number,
  job: ThreadJob,
): Promise<PointResult> {
  const threads = spec.threads;
  if (!threads) throw new Error(`${spec.id} does not run in worker threads`);
  const bytesAtMost =
    job.workload === 'larson'
      ? larsonBytesAtMost(workers, job.plan)
      : job.workload === 'xmalloc'
        ? xmallocBytesAtMost(workers, job.plan)
        : workers * (job.plan.live + (workers > 1 ? SHARED_CHURN_PRIMED : 0)) * 512;
  const shared =
    threads.kind === 'mems-shared'
      ? sharedMemsForWorkers(threads.policy!, threads.threadCache === true)
      : threads.kind === 'smo'
        ? await sharedMemoryObjectsForWorkers(bytesAtMost)
        : null;
  const allocator =
    shared?.allocator ??
    (threads.kind === 'mems-private'
      ? { kind: 'mems-private' as const, policy: threads.policy }
      : { kind: threads.kind as 'koffi-libc' });
  const share = threads.pairsShare ?? 1;
  const scale = <P extends { pairsPerRound: number; warmupPairs: number }>(plan: P): P =>
    share === 1
      ? plan
      : {
          ...plan,
          pairsPerRound: Math.max(100, Math.round(plan.pairsPerRound * share)),
          warmupPairs: Math.max(100, Math.round(plan.warmupPairs * share)),
        };
  const script = sharedChurnThreadScript();
  const run =
    job.workload === 'larson'
      ? await runLarson(spec.id, script, workers, allocator, scale(job.plan), shared)
      : job.workload === 'xmalloc'
        ? await runXmalloc(spec.id, script, workers, allocator, scale(job.plan), shared)
        : await runSharedChurn(spec.id, script, workers, allocator, scale(job.plan), shared);
  return run.point;
}

/**
 * Runs the shared-churn workload for a contender that worker threads can reach (see
 * {@link runThreadWorkloadFor}).
 * @param spec the contender (prepared).
 * @param workers how many worker threads.
 * @param plan sizes and rounds.
 * @returns the point.
 */
export function runSharedChurnFor(
  spec: ContenderSpec,
  workers: number,
  plan: SharedChurnPlan,
): Promise<PointResult> {
  return runThreadWorkloadFor(spec, workers, { workload: 'shared-churn', plan });
}

/** Pool bytes for @thi.ng/malloc: the live set twice over plus a MiB. */
function poolFor(liveBytes: number): number {
  return Math.ceil((2 * liveBytes + MiB) / 8) * 8;
}

/**
 * Runs one contender on one workload at every size the config names.
 * @param request the job.
 * @param log progress lines (to stderr in the worker).
 * @returns the points and the skipped points.
 */
export async function runJob(
  request: JobRequest,
  log: (line: string) => void = () => {},
): Promise<WorkerOutput> {
  const base: BenchConfig = request.mode === 'quick' ? QUICK : FULL;
  const config: BenchConfig =
    (request.round ?? 0) === 0
      ? base
      : { ...base, plans: { ...base.plans, churn: { ...base.plans.churn, minHeapOps: 0 } } };
  const spec = contenderById(request.contender);
  const steps = config.scriptSteps === undefined ? {} : { steps: config.scriptSteps };
  const results: PointResult[] = [];
  const skips: SkipResult[] = [];
  const skip = (workload: WorkloadId, point: string, reason: string): void => {
    skips.push({ workload, contender: spec.id, point, reason });
  };
  const pick = (sizes: readonly number[]): readonly number[] =>
    request.only ? sizes.filter((s) => request.only!.includes(s)) : sizes;
  const done = (r: PointResult): void => {
    results.push(r);
    log(
      `  ${r.workload} ${spec.id} ${r.point}: ${r.ns.median.toFixed(1)} ns (${r.ns.min.toFixed(1)}–${r.ns.max.toFixed(1)})`,
    );
    heapUsedAfterGc();
  };

  const unavailable = spec.native
    ? request.native?.binary
      ? null
      : (request.native?.reason ?? 'not compiled')
    : await spec.prepare();
  const reported = reportedWorkloads(request.workload);
  if (unavailable !== null) {
    for (const w of reported) skip(w, '*', unavailable);
    return { results, skips };
  }
  const cap =
    (request.mode === 'quick' ? spec.quickMaxPoint?.[request.workload] : undefined) ??
    spec.maxPoint?.[request.workload];
  const tooBig = (workload: WorkloadId, point: number): boolean => {
    if (cap === undefined || point <= cap) return false;
    skip(
      workload,
      String(point),
      request.mode === 'quick' && spec.quickMaxPoint?.[request.workload] !== undefined
        ? 'not run at this size in the quick run (too slow for a smoke test)'
        : (spec.maxPointReason ?? 'too slow at this size'),
    );
    return true;
  };

  switch (request.workload) {
    case 'churn':
      for (const live of pick(config.churnLive)) {
        if (tooBig('churn', live)) continue;
        const seq = makeChurnSequence(live, steps);
        if (spec.native) done(runNativeChurn(request.native!.binary!, seq, config.plans.churn));
        else if (spec.program) done(spec.program(seq, config.plans.churn));
        else done(runChurn(spec.create(poolFor(live * 512)), seq, config.plans.churn));
      }
      break;
    case 'churn-touch':
      for (const live of pick(config.churnTouchLive)) {
        if (tooBig('churn-touch', live)) continue;
        const seq = makeChurnSequence(live, steps);
        if (spec.native)
          done(runNativeChurn(request.native!.binary!, seq, config.plans.churn, 'churn-touch'));
        else done(runChurnTouch(spec.create(poolFor(live * 512)), seq, config.plans.churn));
      }
      break;
    case 'access':
      for (const live of pick(config.accessLive)) {
        if (tooBig('access', live)) continue;
        const seq = makeChurnSequence(live, steps);
        const script = makeAccessScript(seq.fillSizes, config.accessSteps);
        if (spec.native) done(runNativeAccess(request.native!.binary!, seq, script, config.plans.access));
        else done(runAccess(spec.access!(live), seq, script, config.plans.access));
      }
      break;
    case 'traces':
      if (!request.traces?.length) throw new Error('a traces job needs its trace files');
      for (const file of request.traces) {
        // Parse only the operations replayed (the quick run's prefix), then cut to them.
        const script = truncateTrace(loadTraceScript(file, config.traceOperations), config.traceOperations);
        if (spec.native)
          done(runNativeTraceReplay(request.native!.traceBinary!, script, config.plans.traces));
        else done(runTraceReplay(spec.create(0), script, config.plans.traces));
      }
      break;
    case 'glibc-simple':
      for (const size of config.simpleSizes) {
        for (const count of config.simpleCounts) {
          done(runGlibcSimple(spec.create(poolFor(count * (size + 16))), count, size, config.plans.simple));
        }
      }
      break;
    case 'seed':
      for (const live of pick(config.seedLive)) {
        const fillTooBig = tooBig('seed-fill', live);
        if (tooBig('seed-churn', live) || fillTooBig) continue;
        const pool = poolFor(live * (SEED_BLOCK_BYTES + 16));
        done(runSeedFill(() => spec.create(pool), live, config.plans.seed));
        const seq = makeChurnSequence(live, {
          ...steps,
          minSize: SEED_BLOCK_BYTES,
          maxSize: SEED_BLOCK_BYTES,
        });
        done(runChurn(spec.create(pool), seq, config.plans.seed, 'seed-churn'));
      }
      break;
    case 'shared-churn':
    case 'larson':
    case 'xmalloc': {
      const job: ThreadJob =
        request.workload === 'larson'
          ? { workload: 'larson', plan: config.larson.plan }
          : request.workload === 'xmalloc'
            ? { workload: 'xmalloc', plan: config.xmalloc.plan }
            : { workload: 'shared-churn', plan: config.sharedChurn.plan };
      const counts =
        request.workload === 'larson'
          ? config.larson.workers
          : request.workload === 'xmalloc'
            ? config.xmalloc.workers
            : config.sharedChurn.workers;
      for (const workers of counts) {
        if (workers > (spec.threads?.maxWorkers ?? 0)) {
          skip(
            request.workload,
            workersPoint(workers),
            'a heap of its own per thread: run with one worker only, as the single-threaded reference',
          );
          continue;
        }
        done(await runThreadWorkloadFor(spec, workers, job));
      }
      break;
    }
    case 'realloc': {
      // @thi.ng/malloc's realloc moves rather than grow into a following hole: a roomy pool.
      const pool = 64 * MiB;
      if (spec.create(pool).realloc === null) {
        for (const w of reported) skip(w, '*', 'no realloc');
        break;
      }
      for (const blocks of config.reallocBlocks) {
        const holeTooBig = tooBig('realloc-hole', blocks);
        if (tooBig('realloc-live', blocks) || holeTooBig) continue;
        done(runReallocWithHole(() => spec.create(pool), blocks, config.plans.realloc));
        done(runReallocWithLiveNeighbour(() => spec.create(pool), blocks, config.plans.realloc));
      }
      break;
    }
    case 'translate':
      for (const live of pick(config.translateLive)) {
        const allocator = spec.create(poolFor(live * 512));
        if (allocator.translate === null) {
          skip('translate', String(live), 'no address translation (addresses are already real)');
          continue;
        }
        done(
          runTranslate(
            allocator,
            makeChurnSequence(live, steps),
            config.translateProbes,
            config.plans.translate,
          ),
        );
      }
      break;
  }
  return { results, skips };
}

/**
 * The workload ids a job reports under.
 * @param workload the job's workload.
 * @returns one id, or two for seed and realloc.
 */
export function reportedWorkloads(workload: JobWorkload): WorkloadId[] {
  if (workload === 'seed') return ['seed-fill', 'seed-churn'];
  if (workload === 'realloc') return ['realloc-hole', 'realloc-live'];
  return [workload];
}

/**
 * The first operations of a trace (a prefix of a trace replays as well as the whole).
 * @param script the trace.
 * @param operations how many to keep; null keeps all.
 * @returns the trace, or its prefix.
 */
export function truncateTrace(script: TraceScript, operations: number | null): TraceScript {
  if (operations === null || operations >= script.length) return script;
  return {
    ...script,
    length: operations,
    ops: script.ops.subarray(0, operations),
    slots: script.slots.subarray(0, operations),
    sizes: script.sizes.subarray(0, operations),
  };
}

/** For tests and jobs that want a spec without running it. */
export type { ContenderSpec };
