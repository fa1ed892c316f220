/**
 * `pnpm fuzz [--seconds N] [--seed S] [--batch K] [--shared N]`: differential fuzzing of
 * `@mems/api` against the reference model for a time budget (with `--shared 1`: a heap from
 * `createSharedMems`, driven from one thread through two objects, against `createMems`; with
 * `--shared N`, N >= 2: N worker threads on one `createSharedMems` heap, every block's bytes
 * and every refusal checked, no two live blocks overlapping). Prints the seed first, so that any
 * failure can be replayed, and at the end the counts. Exit code 1 on a difference, 2 on a usage
 * error.
 */
import { count, readCommandLine } from './cli-args.js';
import { BATCH_RUNS, fuzz } from './fuzz/fuzz.js';
import { fuzzShared } from './fuzz/shared-differential.js';
import { fuzzSharedThreads } from './fuzz/shared-threads.js';
import { MAX_THREAD_WORKERS } from './fuzz/thread-block-patterns.js';

const OPTIONS = {
  seconds: 'time budget in seconds, default 60',
  seed: 'a 32-bit integer; default random. Replays a run',
  batch: 'replay only this batch of a run (with --seed)',
  'max-length': 'most commands of the long sequences (one in five), default 400; short ones have 60',
  shared:
    '1: fuzz a heap shared by threads (createSharedMems, two objects, one thread) against createMems instead; N >= 2: N worker threads on one createSharedMems heap, checked for damaged bytes, overlapping blocks and wrong refusals (--batch K replays run K)',
};

function main(): number | Promise<number> {
  const options = readCommandLine(
    process.argv.slice(2),
    OPTIONS,
    {
      name: 'mems-fuzz',
      description: 'Differential fuzzing of @mems/api against the reference model, for a time budget.',
    },
    (options) => {
      if ((options.seconds ?? 60) < 0) throw new Error('--seconds must be >= 0');
      if (options.batch !== undefined && (options.seed === undefined || options.batch < 0))
        throw new Error('--batch needs --seed, and must be >= 0');
      if (options.shared !== undefined && (options.shared < 0 || options.shared > MAX_THREAD_WORKERS))
        throw new Error(
          `--shared must be 0, 1, or a number of worker threads from 2 to ${MAX_THREAD_WORKERS}`,
        );
    },
  );
  if (typeof options === 'number') return options;
  const seed = options.seed ?? (Math.random() * 2 ** 32) | 0;
  const seconds = options.seconds ?? 60;
  process.stdout.write(`seed: ${seed}\n`);
  if (options.shared === 1) return fuzzSharedHeap(seed, seconds, options.batch, options['max-length']);
  if (options.shared !== undefined && options.shared >= 2)
    return fuzzThreads(seed, seconds, options.shared, options.batch);
  process.stdout.write(
    options.batch === undefined
      ? `fuzzing @mems/api against the reference model for ${seconds} s (batches of ${BATCH_RUNS} sequences)\n`
      : `replaying batch ${options.batch} of seed ${seed}\n`,
  );
  const result = fuzz({
    seed,
    seconds,
    batch: options.batch,
    maxLength: options['max-length'],
  });
  const c = result.counters;
  const failed = c.failedCalls;
  const lines = [
    `sequences: ${count(c.sequences)}`,
    `operations: ${count(c.operations)}`,
    `calls that had to fail: ${count(failed.EINVAL + failed.EFAULT + failed.ENOMEM + failed.ESTATE)} (EINVAL ${count(failed.EINVAL)}, EFAULT ${count(failed.EFAULT)}, ENOMEM ${count(failed.ENOMEM)}, ESTATE ${count(failed.ESTATE)})`,
    `faults injected: ${count(c.faultsInjected)}`,
    `most segments in one heap: ${count(c.peakSegments)}`,
    `front-cache reuses (a malloc given the block freed just before): ${count(c.cacheReuses)}`,
    `time: ${(result.milliseconds / 1000).toFixed(1)} s`,
  ];
  if (result.failure !== null) {
    process.stdout.write(`\nFAILED in batch ${result.failure.batch}:\n${result.failure.report}\n\n`);
    process.stdout.write(`replay: pnpm fuzz --seed ${seed} --batch ${result.failure.batch}\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${lines.join('\n')}\nno differences\n`);
  return 0;
}

/** The `--shared 1` run: prints the counts, or the failure and how to replay it. */
function fuzzSharedHeap(seed: number, seconds: number, batch?: number, maxLength?: number): number {
  process.stdout.write(
    batch === undefined
      ? `fuzzing a shared heap (createSharedMems, two objects, one thread) against createMems for ${seconds} s\n`
      : `replaying batch ${batch} of seed ${seed} (shared heap)\n`,
  );
  const result = fuzzShared({ seed, seconds, batch, maxLength });
  const c = result.counters;
  const lines = [
    `sequences: ${count(c.sequences)}`,
    `operations: ${count(c.operations)}`,
    `calls that had to fail: ${count(c.failedCalls)}`,
    `time: ${(result.milliseconds / 1000).toFixed(1)} s`,
  ];
  if (result.failure !== null) {
    process.stdout.write(`\nFAILED in batch ${result.failure.batch}:\n${result.failure.report}\n\n`);
    process.stdout.write(`replay: pnpm fuzz --shared 1 --seed ${seed} --batch ${result.failure.batch}\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${lines.join('\n')}\nno differences\n`);
  return 0;
}

/** The `--shared N` run (N >= 2 worker threads): the option sets as they run, then the counts, or the failure. */
async function fuzzThreads(seed: number, seconds: number, workers: number, batch?: number): Promise<number> {
  process.stdout.write(
    batch === undefined
      ? `fuzzing one createSharedMems heap from ${workers} worker threads for ${seconds} s (a new heap and option set every few seconds)\n`
      : `replaying run ${batch} of seed ${seed} (${workers} worker threads)\n`,
  );
  const result = await fuzzSharedThreads({
    seed,
    seconds,
    workers,
    batch,
    onProgress: (line) => process.stdout.write(`${line}\n`),
  });
  const c = result.counts;
  const lines = [
    `threadCache: ${result.threadCache.supported ? 'in the rotation' : 'not in this build'} (${result.threadCache.note})`,
    `runs (option sets): ${count(c.runs)}; rounds: ${count(c.rounds / workers)}`,
    `operations: ${count(c.operations)} (malloc ${count(c.mallocs)}, calloc ${count(c.callocs)}, realloc ${count(c.reallocs)}, free ${count(c.frees)}; ${count(c.handedOn)} blocks handed to another worker, ${count(c.received)} received)`,
    `misuse refused as expected: ${count(c.refused)} while the others ran, ${count(c.refusedAlone)} alone on the heap (second frees)`,
    `bytes verified: ${count(c.verifiedBytes)}; bytes through get() and raw memory: ${count(c.rawBytes)}`,
    `checkpoints of the quiet heap: ${count(c.checkpoints)} (${count(c.checkpointBlocks)} blocks); inspections: ${count(c.inspections)} by workers, ${count(c.mainInspections)} by the main thread`,
    `time: ${(result.milliseconds / 1000).toFixed(1)} s`,
  ];
  if (result.failure !== null) {
    process.stdout.write(
      `\nFAILED in run ${result.failure.batch} (seed ${seed}):\n${result.failure.report}\n\n`,
    );
    process.stdout.write(
      `replay: pnpm fuzz --shared ${workers} --seed ${seed} --batch ${result.failure.batch} (the same options and each worker's same choices; the threads' interleaving differs from run to run)\n`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${lines.join('\n')}\nno damaged byte, overlap, wrong refusal or leak\n`);
  return 0;
}

const code = main();
if (typeof code === 'number') process.exitCode = code;
else
  code.then(
    (value) => {
      process.exitCode = value;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
