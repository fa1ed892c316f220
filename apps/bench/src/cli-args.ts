import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** What `pnpm bench` was asked to do. */
export interface BenchArgs {
  /** Smaller counts, fewer and shorter trials, no 1M point; outputs go to a scratch folder. */
  quick: boolean;
  /** Folder for latest.json, benchmarks.md and benchmark-churn.svg. */
  out?: string;
  /** Run only these workloads. */
  workloads?: string[];
  /** Run only these contender ids. */
  contenders?: string[];
  /** No run: regenerate the Markdown and the chart from this results file. */
  fromJson?: string;
  /** Run churn, churn-touch, access, seed and translate only at these live-block counts. */
  live?: number[];
  /** Replay the traces of this folder (`*.trace.gz` and `*.trace`) instead of the committed ones. */
  traceDir?: string;
  /** Interleaved rounds per workload, instead of the mode's own. */
  rounds?: number;
}

/** A command-line mistake, already described for the user; `exitCode` 0 for `--help`. */
export class BenchUsageError extends Error {
  /** The process exit code: 0 after `--help`, 1 for a mistake. */
  readonly exitCode: number;
  /**
   * @param message what was wrong (or the help text).
   * @param exitCode 0 after `--help`, 1 for a mistake.
   */
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'BenchUsageError';
    this.exitCode = exitCode;
  }
}

/** Parses a comma-separated list whose every item must be one of `known`. */
function listOf(what: string, known: readonly string[]): (text: string) => string[] {
  return (text) => {
    const items = text.split(',').filter((item) => item !== '');
    const unknown = items.filter((item) => !known.includes(item));
    if (items.length === 0 || unknown.length > 0)
      throw new InvalidArgumentError(
        `${unknown.length > 0 ? `unknown ${what} ${unknown.join(', ')}` : `no ${what} given`}; choose from ${known.join(', ')}`,
      );
    return items;
  };
}

/**
 * Parses the `pnpm bench` command line with commander.
 * @param argv the arguments after the script (a leading `--`, as pnpm may pass, is skipped).
 * @param workloads the workload names `--workloads` accepts.
 * @param contenders the contender ids `--contenders` accepts.
 * @returns the parsed options.
 * @throws BenchUsageError for `--help` (exit code 0, the help text as message) or for an
 *   unknown option, a missing value or an unknown workload or contender (exit code 1).
 */
export function parseBenchArgs(
  argv: readonly string[],
  workloads: readonly string[],
  contenders: readonly string[],
): BenchArgs {
  let output = '';
  const program = new Command('bench')
    .description(
      'Benchmarks MeMS against @thi.ng/malloc, libc malloc through koffi and native glibc; prints the tables and writes apps/bench/results/latest.json, docs/benchmarks.md and docs/benchmark-churn.svg.',
    )
    .option(
      '--quick',
      'smoke test (a few minutes): smaller counts, fewer trials, no 1M point, 20k operations per trace; writes to $TMPDIR/mems-bench-quick/',
    )
    .option(
      '--out <dir>',
      'write the three outputs to this folder (a partial run defaults to $TMPDIR/mems-bench-partial/)',
    )
    .option(
      '--workloads <list>',
      `run only these, comma-separated: ${workloads.join(', ')}`,
      listOf('workload', workloads),
    )
    .option(
      '--contenders <list>',
      `run only these contender ids, comma-separated: ${contenders.join(', ')}`,
      listOf('contender', contenders),
    )
    .option(
      '--live <counts>',
      'run churn, churn-touch, access, seed and translate only at these live-block counts, comma-separated (e.g. 10000)',
      (text: string) => {
        const counts = text.split(',').map((item) => Number(item));
        if (counts.length === 0 || counts.some((n) => !Number.isSafeInteger(n) || n <= 0))
          throw new InvalidArgumentError(`${text} is not a list of positive integers`);
        return counts;
      },
    )
    .option(
      '--trace-dir <dir>',
      'replay every *.trace.gz and *.trace of this folder with the traces workload (only that workload unless --workloads names others); a partial run',
    )
    .option(
      '--rounds <n>',
      'interleaved rounds per workload (every contender once per round, each in a fresh process); default 5, --quick 2 for churn and 1 for the rest',
      (text: string) => {
        const n = Number(text);
        if (!Number.isSafeInteger(n) || n <= 0 || n > 100)
          throw new InvalidArgumentError(`${text} is not an integer from 1 to 100`);
        return n;
      },
    )
    .option('--from-json <file>', 'no run: regenerate the Markdown and the chart from a results file')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (text) => (output += text), writeErr: (text) => (output += text) });
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  try {
    program.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      throw new BenchUsageError(
        output.trim() || error.message,
        error.code === 'commander.helpDisplayed' ? 0 : 1,
      );
    throw error;
  }
  const options = program.opts<{
    quick?: boolean;
    out?: string;
    workloads?: string[];
    contenders?: string[];
    fromJson?: string;
    live?: number[];
    traceDir?: string;
    rounds?: number;
  }>();
  const result: BenchArgs = { quick: options.quick === true };
  if (options.out !== undefined) result.out = options.out;
  if (options.workloads !== undefined) result.workloads = options.workloads;
  if (options.contenders !== undefined) result.contenders = options.contenders;
  if (options.fromJson !== undefined) result.fromJson = options.fromJson;
  if (options.live !== undefined) result.live = options.live;
  if (options.traceDir !== undefined) result.traceDir = options.traceDir;
  if (options.rounds !== undefined) result.rounds = options.rounds;
  return result;
}
