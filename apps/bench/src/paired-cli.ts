import { writeFileSync } from 'node:fs';
import { createHeap } from '@mems/core';
import { errorMessage } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';
import { Command, InvalidArgumentError, Option } from 'commander';
import { numberLibc } from './allocators/libc-koffi.js';
import { TRACES_DIR } from './bench-paths.js';
import { nowNs } from './measure.js';
import { PAIRED_CONFIGS, type PairedConfig } from './paired/paired-configs.js';
import { PAIRED_TARGET, pairedRow } from './paired/paired-row.js';
import { type PairedTraceResult, runPairedTrace } from './paired/paired-trace.js';
import { traceFilesIn } from './trace-files.js';
import { loadTraceScript } from './traces/trace-script.js';

// `pnpm bench:paired`: MeMS against glibc through koffi on real programs' traces, the two
// replays alternated (ABBA) in one process, so that a machine that changes speed from minute to
// minute weighs on both alike. See apps/bench/README.md.

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`${value} is not a non-negative integer`);
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${value} is not a positive integer`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('bench:paired')
    .description(
      "Replays real programs' traces on MeMS and on glibc through koffi in one process, alternating the two round by round (ABBA), each with its own compiled copy of the replay loop; prints each trace's median ns per operation and the per-round speed-up of MeMS over koffi.",
    )
    .addOption(
      new Option('--config <name>', 'the MeMS configuration')
        .choices(Object.keys(PAIRED_CONFIGS))
        .default('tlsf+slabs8k'),
    )
    .option(
      '--rounds <n>',
      'timed rounds per trace (each replays the trace once per side)',
      positiveInteger,
      20,
    )
    .option('--warmups <n>', 'untimed replays per side first', nonNegativeInteger, 3)
    .option(
      '--trace-dir <dir>',
      "replay this folder's *.trace.gz and *.trace instead of the committed traces",
    )
    .option('--json <file>', 'also write the results as JSON to this file')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
    return;
  }
  const options = program.opts<{
    config: PairedConfig;
    rounds: number;
    warmups: number;
    traceDir?: string;
    json?: string;
  }>();
  const config = PAIRED_CONFIGS[options.config];
  const { files, duplicates } = traceFilesIn(options.traceDir ?? TRACES_DIR);
  for (const file of duplicates)
    console.log(`(left out ${file}: the .trace.gz of the same name is replayed)`);
  if (files.length === 0) throw new Error(`no *.trace.gz or *.trace in ${options.traceDir ?? TRACES_DIR}`);
  const libc = numberLibc();
  console.log(
    `${config.label} against libc malloc through koffi; ${options.rounds} round${options.rounds === 1 ? '' : 's'} (ABBA), ${options.warmups} warm-up${options.warmups === 1 ? '' : 's'} per side`,
  );
  console.log(
    `${'trace'.padEnd(16)} ${'MeMS ns'.padStart(8)} ${'koffi ns'.padStart(8)}   MeMS speed-up [quartiles] (range)   target ${PAIRED_TARGET}×`,
  );
  const results: PairedTraceResult[] = [];
  for (const file of files) {
    const script = loadTraceScript(file);
    const heap = createHeap({
      provider: createMmapProvider(),
      policy: 'tlsf',
      frontCache: config.frontCache,
      slabs: config.slabs,
    });
    try {
      const result = runPairedTrace(
        script,
        [
          {
            label: config.label,
            target: heap,
            methods: { malloc: 'allocate', free: 'free', realloc: 'realloc' },
          },
          {
            label: 'libc via koffi',
            target: libc,
            methods: { malloc: 'malloc', free: 'free', realloc: 'realloc' },
          },
        ],
        { rounds: options.rounds, warmups: options.warmups },
        nowNs,
      );
      results.push(result);
      console.log(pairedRow(result));
    } finally {
      heap.destroy();
    }
  }
  if (options.json !== undefined)
    writeFileSync(
      options.json,
      `${JSON.stringify({ config: options.config, rounds: options.rounds, results }, null, 2)}\n`,
    );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`bench:paired: ${errorMessage(error)}`);
  process.exitCode = 1;
});
