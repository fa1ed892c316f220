/**
 * `pnpm soak [--ops N] [--seed S]`: N operations (default one million) of malloc, calloc,
 * realloc and free on real mmap pages, a quarter under each placement policy, with every live
 * block filled with its pattern and verified (see `integrity/integrity-workload.ts`). Prints
 * the seed first, then counts and time. Exit code 1 on damage or any error, 2 on a usage error.
 */
import { createMems } from '@mems/api';
import { createMmapProvider, readByteAt } from '@mems/os/mmap';
import { count, readCommandLine } from './cli-args.js';
import { type IntegrityCounts, runIntegrityWorkload } from './integrity/integrity-workload.js';

const OPTIONS = {
  ops: 'operations in all, default 1000000',
  seed: 'a 32-bit integer; default random',
  batch: 'operations between full checks of every live block, default 1000',
  'max-live': 'the most live blocks at once, default 2000',
};

const POLICIES = ['first-fit', 'next-fit', 'best-fit', 'tlsf'] as const;

function main(): number {
  const options = readCommandLine(
    process.argv.slice(2),
    OPTIONS,
    {
      name: 'mems-soak',
      description:
        'Malloc, calloc, realloc and free on real mmap pages, every live block filled and verified.',
    },
    (options) => {
      for (const [name, value] of Object.entries(options))
        if (name !== 'seed' && value <= 0) throw new Error(`--${name} must be positive`);
    },
  );
  if (typeof options === 'number') return options;
  const seed = options.seed ?? (Math.random() * 2 ** 32) | 0;
  const ops = options.ops ?? 1_000_000;
  const batch = options.batch ?? 1000;
  const maxLive = options['max-live'] ?? 2000;
  process.stdout.write(`seed: ${seed}\n`);
  process.stdout.write(
    `soak: ${count(ops)} operations on real pages (mmap), fill + verify, full check every ${count(batch)} operations, at most ${count(maxLive)} live blocks\n`,
  );
  const started = performance.now();
  const totals: IntegrityCounts[] = [];
  let done = 0;
  for (const [i, policy] of POLICIES.entries()) {
    const share = Math.floor(ops / POLICIES.length) + (i < ops % POLICIES.length ? 1 : 0);
    if (share === 0) continue;
    const provider = createMmapProvider();
    const mems = createMems({ provider, policy });
    const t0 = performance.now();
    let counts: IntegrityCounts;
    try {
      counts = runIntegrityWorkload(mems, {
        ops: share,
        seed: (seed + i) | 0,
        batch,
        verifyAllAfterRealloc: false,
        maxLive,
        pageSize: 4096,
        readRaw: readByteAt,
        onBatch: (c) => {
          if ((done + c.ops) % 100_000 < batch) process.stderr.write(`  ${count(done + c.ops)} operations\n`);
        },
      });
      mems.finish();
    } catch (error) {
      process.stdout.write(
        `\nFAILED under ${policy} (seed ${seed}): ${(error as Error).stack ?? String(error)}\n`,
      );
      process.stdout.write(`replay: pnpm soak --ops ${ops} --seed ${seed}\n`);
      return 1;
    }
    if (provider.mappedBytes !== 0 || provider.mappingCount !== 0) {
      process.stdout.write(
        `\nFAILED under ${policy}: after finish the provider still has ${provider.mappedBytes} bytes in ${provider.mappingCount} mappings\n`,
      );
      return 1;
    }
    done += counts.ops;
    totals.push(counts);
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      `${policy.padEnd(10)} ${count(counts.ops)} ops (${count(counts.mallocs)} malloc, ${count(counts.callocs)} calloc, ${count(counts.reallocs)} realloc of which ${count(counts.moves)} moved, ${count(counts.frees)} free), peak ${count(counts.peakLive)} live blocks, ${seconds.toFixed(1)} s\n`,
    );
  }
  const sum = (key: keyof IntegrityCounts) => totals.reduce((s, c) => s + c[key], 0);
  const seconds = (performance.now() - started) / 1000;
  const report = [
    `operations: ${count(sum('ops'))}`,
    `bytes filled: ${count(sum('bytesFilled'))}, bytes verified: ${count(sum('bytesVerified'))}`,
    `full checks of every live block: ${count(sum('fullChecks'))}, raw reads at physical addresses: ${count(sum('rawChecks'))}`,
    `time: ${seconds.toFixed(1)} s (${count(Math.round(sum('ops') / seconds))} operations/s)`,
    'no damage, nothing left mapped',
  ];
  process.stdout.write(`${report.join('\n')}\n`);
  return 0;
}

process.exitCode = main();
