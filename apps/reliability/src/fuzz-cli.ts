/**
 * `pnpm fuzz [--seconds N] [--seed S] [--batch K]`: differential fuzzing of `@mems/api`
 * against the reference model for a time budget. Prints the seed first, so that any failure can
 * be replayed, and at the end the counts. Exit code 1 on a difference, 2 on a usage error.
 */
import { count, readCommandLine } from './cli-args.js';
import { BATCH_RUNS, fuzz } from './fuzz/fuzz.js';

const OPTIONS = {
  seconds: 'time budget in seconds, default 60',
  seed: 'a 32-bit integer; default random. Replays a run',
  batch: 'replay only this batch of a run (with --seed)',
  'max-length': 'most commands of the long sequences (one in five), default 400; short ones have 60',
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
    },
  );
  if (typeof options === 'number') return options;
  const seed = options.seed ?? (Math.random() * 2 ** 32) | 0;
  const seconds = options.seconds ?? 60;
  process.stdout.write(`seed: ${seed}\n`);
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

process.exitCode = main();
