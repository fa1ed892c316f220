/**
 * `pnpm fuzz [--seconds N] [--seed S] [--batch K] [--shared 1]`: differential fuzzing of
 * `@mems/api` against the reference model for a time budget (with `--shared 1`: a heap from
 * `createSharedMems`, driven from one thread through two objects, against `createMems`). Prints the seed first, so that any failure can
 * be replayed, and at the end the counts. Exit code 1 on a difference, 2 on a usage error.
 */
import { count, readCommandLine } from './cli-args.js';
import { BATCH_RUNS, fuzz } from './fuzz/fuzz.js';
import { fuzzShared } from './fuzz/shared-differential.js';

const OPTIONS = {
  seconds: 'time budget in seconds, default 60',
  seed: 'a 32-bit integer; default random. Replays a run',
  batch: 'replay only this batch of a run (with --seed)',
  'max-length': 'most commands of the long sequences (one in five), default 400; short ones have 60',
  shared:
    '1: fuzz a heap shared by threads (createSharedMems, two objects, one thread) against createMems instead',
};

function main(): number {
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
      if (options.shared !== undefined && options.shared !== 0 && options.shared !== 1)
        throw new Error('--shared must be 0 or 1');
    },
  );
  if (typeof options === 'number') return options;
  const seed = options.seed ?? (Math.random() * 2 ** 32) | 0;
  const seconds = options.seconds ?? 60;
  process.stdout.write(`seed: ${seed}\n`);
  if (options.shared === 1) return fuzzSharedHeap(seed, seconds, options.batch, options['max-length']);
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

process.exitCode = main();
