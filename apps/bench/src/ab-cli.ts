import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@mems/os';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  AB_CONFIGS,
  type AbConfig,
  type AbConfigResult,
  type AbResult,
  poolRuns,
  runAb,
} from './ab/ab-run.js';
import { type BuiltSide, buildRef, buildWorkingTree, loadSide } from './ab/build-core.js';

// `pnpm bench:ab [ref]`: the working tree's allocator against a git ref's, churn trials
// alternated in one process, new ÷ old per configuration. See apps/bench/README.md.

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const root = join(benchDir, '..', '..');

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${value} is not a positive integer`);
  return n;
}

function configList(value: string): AbConfig[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names)
    if (!(AB_CONFIGS as readonly string[]).includes(name))
      throw new InvalidArgumentError(`${name} is not one of ${AB_CONFIGS.join(', ')}`);
  return names as AbConfig[];
}

function row(r: AbConfigResult): string {
  const f = (x: number): string => x.toFixed(3);
  return `${r.config.padEnd(15)} ${r.oldNs.toFixed(1).padStart(9)} ${r.newNs.toFixed(1).padStart(9)}   ${f(r.ratios.median)} [${f(r.ratios.min)}-${f(r.ratios.max)}]`;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('bench:ab')
    .description(
      "Compares the working tree's allocator with a git ref's: both built from source with the same esbuild settings, their churn trials alternated (ABBA) in one process.",
    )
    .argument('[ref]', 'the git ref to compare against', 'main')
    .option('--live <n>', 'live blocks during the churn', positiveInteger, 10000)
    .option('--rounds <n>', 'timed rounds per configuration', positiveInteger, 7)
    .option('--steps <n>', 'free+malloc pairs per timed trial', positiveInteger, 200000)
    .option('--configs <list>', `comma-separated, from ${AB_CONFIGS.join(',')}`, configList, [...AB_CONFIGS])
    .option(
      '--processes <n>',
      'separate processes, one after another, whose rounds are pooled',
      positiveInteger,
      3,
    )
    .addOption(new Option('--child <sides>').hideHelp())
    .showHelpAfterError();
  program.parse(argv, { from: 'user' });
  const options = program.opts<{
    live: number;
    rounds: number;
    steps: number;
    configs: AbConfig[];
    processes: number;
    child?: string;
  }>();
  if (options.child !== undefined) {
    // One process's run, for the parent to pool: the two built sides are given, as JSON.
    const [older, newer] = JSON.parse(options.child) as [BuiltSide, BuiltSide];
    const run = runAb(await loadSide(older), await loadSide(newer), options);
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return;
  }
  const ref = program.args[0] ?? 'main';
  const cacheDir = join(benchDir, '.ab');
  const older = await buildRef(root, ref, cacheDir);
  const newer = await buildWorkingTree(root, cacheDir);
  console.log(`A/B: ${ref} (${older.commit!.slice(0, 12)}) against the working tree`);
  console.log(
    `churn 16-511 B at ${options.live} live blocks, ${options.processes} processes × ${options.rounds} rounds of ${options.steps} pairs, mock provider`,
  );
  const runs: AbResult[] = [];
  for (let k = 0; k < options.processes; k++) {
    const args = [
      fileURLToPath(import.meta.url),
      '--live',
      String(options.live),
      '--rounds',
      String(options.rounds),
      '--steps',
      String(options.steps),
      '--configs',
      options.configs.join(','),
      '--child',
      JSON.stringify([older, newer]),
    ];
    runs.push(
      JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 })) as AbResult,
    );
    console.log(`process ${k + 1} of ${options.processes} done`);
  }
  const result = poolRuns(runs);
  console.log(
    `${'config'.padEnd(15)} ${'old ns'.padStart(9)} ${'new ns'.padStart(9)}   new ÷ old median [range] over ${options.processes * options.rounds} rounds`,
  );
  for (const r of result.results) console.log(row(r));
  console.log(
    `load average (1 min): ${result.loadBefore.toFixed(2)} before, ${result.loadAfter.toFixed(2)} after`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exitCode = 1;
});
