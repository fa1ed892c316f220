/**
 * `pnpm fuzz --shared N` for N >= 2: N worker threads (each running {@link runFuzzThread}) on
 * one `createSharedMems` heap, for a time budget, in runs of a few seconds; each run takes the
 * next set of heap options ({@link pickThreadHeapOptions}: every policy, the front cache on and
 * off, both shared providers, alignments, page sizes, and `threadCache` when the build has it).
 * While the workers run, the main thread calls stats, validate, printStats and trim; after each
 * round it checks the quiet heap against what the workers hold ({@link checkQuietHeap}). At the
 * end of a run every worker frees everything and the heap must hold no block.
 *
 * A failure (a worker's check, an exception in a worker, a checkpoint's difference, a worker
 * that hangs: no worker makes progress for `hangSeconds`) ends the fuzzing with a report: the run, its
 * options, the problem and the workers' last operations.
 */
import { Worker } from 'node:worker_threads';
import { mulberry32 } from '../integrity/random.js';
import { BlockRegistry } from './block-registry.js';
import { batchSeed } from './fuzz.js';
import type { FuzzThreadCounts, FuzzThreadSetup } from './fuzz-thread.js';
import { HandOffRings } from './hand-off-rings.js';
import { checkQuietHeap } from './quiet-heap-check.js';
import type { Sabotage } from './sabotaged-heap.js';
import { ThreadBoard } from './thread-board.js';
import { detectThreadCache, type ThreadCacheSupport } from './thread-cache-support.js';
import {
  createThreadHeap,
  describeThreadHeapOptions,
  pickThreadHeapOptions,
  type ThreadHeap,
  type ThreadHeapOptions,
} from './thread-heap-options.js';
import { ThreadOpLog } from './thread-op-log.js';
import { fuzzThreadScript } from './thread-script.js';

/** What {@link fuzzSharedThreads} takes. */
export interface ThreadFuzzOptions {
  /** The run's seed (a 32-bit integer): each run's options and each worker's choices follow from it. */
  seed: number;
  /** Stop starting runs after this many seconds. */
  seconds: number;
  /** Worker threads, 2 to 64. */
  workers: number;
  /** Only this run (a replay of its options and the workers' seeds). */
  batch?: number;
  /** Seconds of one run (default 2.5; less when the budget is smaller). */
  runSeconds?: number;
  /** The most random operations of one worker in one round (default 120). */
  roundOps?: number;
  /** Blocks one worker may hold (default 96). */
  slotsPerWorker?: number;
  /** A run in which no worker makes progress (an operation or a turn) for this many seconds has hung (default 60; starting workers get at least 60). */
  hangSeconds?: number;
  /** Every run with these heap options instead of the rotation's (the threadCache field still obeys the build). */
  heapOptions?: ThreadHeapOptions;
  /** The worker entry (default {@link fuzzThreadScript}; the tests pass one checked to be fresh). */
  threadScript?: URL;
  /** Break the heap on purpose (the fuzzer's own tests). */
  sabotage?: Sabotage | null;
  /** Called with a line when a run starts and when it ends. */
  onProgress?: (line: string) => void;
}

/** Totals over the runs. */
export interface ThreadFuzzCounts extends FuzzThreadCounts {
  runs: number;
  /** Checkpoints of the quiet heap by the main thread, and the blocks they checked. */
  checkpoints: number;
  checkpointBlocks: number;
  /** stats/validate/printStats/trim calls of the main thread while the workers ran. */
  mainInspections: number;
}

/** What {@link fuzzSharedThreads} found. */
export interface ThreadFuzzResult {
  counts: ThreadFuzzCounts;
  milliseconds: number;
  /** Each run's options, as one line. */
  optionSets: string[];
  threadCache: ThreadCacheSupport;
  /** The run that failed and the report, or null. */
  failure: { batch: number; report: string } | null;
}

const ZERO: ThreadFuzzCounts = {
  runs: 0,
  operations: 0,
  mallocs: 0,
  callocs: 0,
  reallocs: 0,
  frees: 0,
  handedOn: 0,
  received: 0,
  refused: 0,
  refusedAlone: 0,
  verifiedBytes: 0,
  rawBytes: 0,
  inspections: 0,
  rounds: 0,
  checkpoints: 0,
  checkpointBlocks: 0,
  mainInspections: 0,
};

const RING_CAPACITY = 16;
/** How long workers may take to start before the run counts as hung. */
const STARTUP_MS = 60_000;
/** How long the workers of a failed run get to stop before they are terminated. */
const FAILED_RUN_GRACE_MS = 500;

/**
 * Fuzzes until the budget is spent or something fails.
 * @returns the counts, the option sets that ran, and the failure report if any.
 */
export async function fuzzSharedThreads(options: ThreadFuzzOptions): Promise<ThreadFuzzResult> {
  const threadCache = detectThreadCache();
  const counts = { ...ZERO };
  const optionSets: string[] = [];
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  for (let batch = options.batch ?? 0; ; batch++) {
    const remaining = deadline - performance.now();
    const runMs =
      options.batch !== undefined
        ? (options.runSeconds ?? 2.5) * 1000
        : Math.max(200, Math.min((options.runSeconds ?? 2.5) * 1000, remaining));
    const failure = await fuzzOneRun(batch, runMs, options, threadCache.supported, counts, optionSets);
    if (failure !== null)
      return {
        counts,
        milliseconds: performance.now() - started,
        optionSets,
        threadCache,
        failure: { batch, report: failure },
      };
    if (options.batch !== undefined || performance.now() >= deadline) break;
  }
  return { counts, milliseconds: performance.now() - started, optionSets, threadCache, failure: null };
}

/** What one worker thread ended with. */
type WorkerEnd = { ok: true; counts: FuzzThreadCounts } | { ok: false; error: string; aborted: boolean };

/** One run: one heap, one set of options. Returns the failure report, or null. */
async function fuzzOneRun(
  batch: number,
  runMs: number,
  options: ThreadFuzzOptions,
  threadCacheSupported: boolean,
  counts: ThreadFuzzCounts,
  optionSets: string[],
): Promise<string | null> {
  const workers = options.workers;
  const seed = batchSeed(options.seed, batch);
  const chosen =
    options.heapOptions === undefined
      ? pickThreadHeapOptions(batch, mulberry32(seed), threadCacheSupported)
      : { ...options.heapOptions, threadCache: options.heapOptions.threadCache && threadCacheSupported };
  let heap: ThreadHeap;
  try {
    heap = createThreadHeap(chosen);
  } catch (error) {
    return `run ${batch}: createSharedMems refused ${describeThreadHeapOptions(chosen)}: ${String(error)}`;
  }
  const described = describeThreadHeapOptions(heap.options);
  optionSets.push(described);
  options.onProgress?.(
    `run ${batch}: ${described}${heap.threadCacheRefusal === null ? '' : ` (threadCache refused: ${heap.threadCacheRefusal})`}`,
  );
  const mems = heap.mems;
  const slotsPerWorker = options.slotsPerWorker ?? 96;
  const buffers = {
    board: ThreadBoard.allocate(workers),
    registry: BlockRegistry.allocate(workers, slotsPerWorker),
    rings: HandOffRings.allocate(workers, RING_CAPACITY),
    log: ThreadOpLog.allocate(workers),
  };
  const board = new ThreadBoard(buffers.board, workers);
  const registry = new BlockRegistry(buffers.registry, workers, slotsPerWorker, -1);
  const rings = new HandOffRings(buffers.rings, workers, RING_CAPACITY);
  const log = new ThreadOpLog(buffers.log, workers);
  const script = options.threadScript ?? fuzzThreadScript();
  const threads: Worker[] = [];
  const ends: Promise<WorkerEnd>[] = [];
  /** The first failure: which worker (or -1 for the main thread) and what. */
  let failure: { worker: number; problem: string } | null = null;
  const fail = (worker: number, problem: string) => {
    failure ??= { worker, problem };
    board.fail();
  };
  for (let index = 0; index < workers; index++) {
    const setup: FuzzThreadSetup = {
      index,
      workers,
      seed: (seed ^ Math.imul(index + 1, 0x85ebca6b)) | 0,
      handle: mems.handle,
      options: heap.options,
      ...buffers,
      slotsPerWorker,
      ringCapacity: RING_CAPACITY,
      roundOps: options.roundOps ?? 120,
      sabotage: options.sabotage ?? null,
    };
    const thread = new Worker(script, { workerData: setup });
    threads.push(thread);
    ends.push(
      new Promise<WorkerEnd>((resolve) => {
        let reported = false;
        thread.on('message', (message: { done?: FuzzThreadCounts; error?: string; aborted?: boolean }) => {
          reported = true;
          if (message.done !== undefined) resolve({ ok: true, counts: message.done });
          else {
            if (!message.aborted) fail(index, String(message.error));
            resolve({ ok: false, error: String(message.error), aborted: message.aborted === true });
          }
        });
        thread.on('error', (error) => {
          reported = true;
          fail(index, `an uncaught error: ${error.stack ?? String(error)}`);
          resolve({ ok: false, error: String(error), aborted: false });
        });
        thread.on('exit', (code) => {
          if (reported) return;
          fail(index, `the worker exited with code ${code} before it reported`);
          resolve({ ok: false, error: `exited with code ${code}`, aborted: false });
        });
      }),
    );
  }
  const hangMs = (options.hangSeconds ?? 60) * 1000;
  const random = mulberry32(seed ^ 0x5bd1e995);
  const runStart = performance.now();
  /** Progress: the turn counter and every worker's count of operations. */
  const progress = (): number => {
    let sum = board.turn;
    for (let i = 0; i < workers; i++) sum += log.total(i);
    return sum;
  };
  /** Workers still loading get longer (a loaded machine starts eight threads slowly). */
  const starting = (): boolean =>
    Array.from({ length: workers }, (_, i) => board.phaseOf(i)).includes('starting');
  let lastSeen = progress();
  let lastProgress = performance.now();
  const hung = (what: string) =>
    fail(
      -1,
      `${what} for ${hangMs / 1000} s: the workers' phases are ${Array.from({ length: workers }, (_, i) => `${i} ${board.phaseOf(i)}`).join(', ')}`,
    );
  let rounds = 0;
  try {
    for (let round = 0; failure === null; round++) {
      const target = board.turnOf(round, workers);
      while (failure === null && board.turn < target) {
        const now = progress();
        if (now !== lastSeen) {
          lastSeen = now;
          lastProgress = performance.now();
        } else if (performance.now() - lastProgress > (starting() ? Math.max(hangMs, STARTUP_MS) : hangMs))
          hung(`no worker made progress (an operation or a turn) in round ${round}`);
        if (failure === null && board.beginMainCall(round)) {
          try {
            inspectWhileRunning(mems, random, counts);
          } finally {
            board.endMainCall();
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (failure !== null) break;
      const checked = checkQuietHeap(mems, [...registry.blocks(), ...rings.inFlight()]);
      counts.checkpoints++;
      counts.checkpointBlocks += checked.blocks;
      counts.verifiedBytes += checked.verifiedBytes;
      if (random() < 0.25) {
        mems.trim();
        checkQuietHeap(mems, [...registry.blocks(), ...rings.inFlight()]);
      }
      rounds++;
      const stop = performance.now() - runStart >= runMs;
      if (stop) board.requestStop();
      lastProgress = performance.now();
      board.passTurn();
      if (stop) break;
    }
  } catch (error) {
    fail(-1, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  // Wait for every worker to end, but not for ever (after a failure the others stop within
  // a wait's 50 ms slice, or are terminated with the stuck one).
  const patience = failure === null ? hangMs : Math.min(hangMs, FAILED_RUN_GRACE_MS);
  const settled = await Promise.race([
    Promise.all(ends),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), patience).unref()),
  ]);
  if (settled === null) hung('not every worker ended');
  await Promise.all(threads.map((thread) => thread.terminate()));
  if (failure === null && settled !== null) {
    for (const end of settled) if (end.ok) addCounts(counts, end.counts);
    try {
      checkEmptyHeap(heap);
    } catch (error) {
      fail(-1, error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
  counts.runs++;
  if (failure === null) {
    options.onProgress?.(`  ${rounds} rounds, every block freed at the end, heap empty`);
    return null;
  }
  const report = failureReport(batch, described, failure, log, board);
  try {
    mems.recover();
  } catch {
    // the heap is lost: finish it anyway
  }
  try {
    mems.finish();
  } catch {
    // reported above
  }
  return report;
}

/** The main thread's calls while the workers run. */
function inspectWhileRunning(mems: ThreadHeap['mems'], random: () => number, counts: ThreadFuzzCounts): void {
  counts.mainInspections++;
  const r = random();
  if (r < 0.4) {
    const c = mems.stats().counters;
    if (c.bytesInUse + c.bytesFree !== c.bytesMapped)
      throw new Error(
        `stats(): bytesInUse ${c.bytesInUse} + bytesFree ${c.bytesFree} is not bytesMapped ${c.bytesMapped}`,
      );
  } else if (r < 0.7) mems.validate();
  else if (r < 0.9) mems.printStats(() => {});
  else mems.trim();
}

/** After every worker freed everything: no block, valid, and (own provider) nothing mapped after finish. */
function checkEmptyHeap(heap: ThreadHeap): void {
  const mems = heap.mems;
  mems.validate();
  const c = mems.stats().counters;
  if (c.liveBlocks !== 0 || c.bytesInUse !== 0)
    throw new Error(
      `after every worker freed everything, stats() says ${c.liveBlocks} live blocks, ${c.bytesInUse} bytes in use`,
    );
  mems.printStats(() => {});
  mems.trim();
  mems.finish();
  const left = heap.providerBytes();
  if (left !== null && left !== 0) throw new Error(`after finish() the provider still maps ${left} bytes`);
}

function addCounts(total: ThreadFuzzCounts, worker: FuzzThreadCounts): void {
  for (const key of Object.keys(worker) as (keyof FuzzThreadCounts)[]) total[key] += worker[key];
}

/** The report of a failed run: the options, the problem, the workers' last operations. */
function failureReport(
  batch: number,
  described: string,
  failure: { worker: number; problem: string },
  log: ThreadOpLog,
  board: ThreadBoard,
): string {
  const lines = [
    `run ${batch}, options: ${described}`,
    failure.worker >= 0 ? `worker ${failure.worker} failed:` : 'the main thread found:',
    failure.problem,
  ];
  const order = failure.worker >= 0 ? [failure.worker] : Array.from({ length: board.workers }, (_, i) => i);
  for (const worker of order) {
    lines.push('', `worker ${worker}'s last operations (phase ${board.phaseOf(worker)}), oldest first:`);
    lines.push(...log.recent(worker, 50));
  }
  if (failure.worker >= 0)
    for (let worker = 0; worker < board.workers; worker++)
      if (worker !== failure.worker) {
        lines.push('', `worker ${worker}'s last operations (phase ${board.phaseOf(worker)}):`);
        lines.push(...log.recent(worker, 8));
      }
  return lines.join('\n');
}
