import { createMems } from '@mems/api';
import { formatSvg } from '@mems/stats';
import { parseTrace, type Trace, TraceError } from '@mems/traces';
import { SingleBar } from 'cli-progress';
import { CliError } from '../cli-error.js';
import type { HeapSetup } from '../heap-setup.js';
import { formatReplaySummary, summarizeReplay } from '../replay-summary.js';
import { replayTrace } from '../replay-trace.js';
import { readTraceInput, STDIN_TRACE } from '../trace-input.js';
import { writeOutputFile } from '../write-output-file.js';

/** Options of `mems-demo replay`. */
export interface ReplayOptions {
  /** Print the summary as JSON instead of text (and no stats text). */
  json?: boolean;
  /** Print the seed's stats text of the heap at the end, after the summary. */
  stats?: boolean;
  /** Write an SVG picture of the heap at the end to this file. */
  svg?: string;
  /** Print the stats text every this many operations, during the replay. */
  every?: number;
}

/** Traces with at least this many operations get a progress bar (when stderr is a terminal). */
export const PROGRESS_THRESHOLD = 10_000;

/**
 * `mems-demo replay <trace-file>`: reads the trace, plain or gzip-compressed (from stdin when
 * the file is `-`), parses it (a malformed line stops everything before the heap exists; so
 * does a trace with no operations), replays it on a fresh heap, and prints a summary (or, with
 * `--json`, the summary as JSON), then, with `--stats`, the seed's stats text of the heap at
 * the end. A line that cannot run (a block allocated twice, freed while not allocated, a
 * MemsError) stops the replay; the heap is then finished. An SVG that cannot be written is
 * reported after the summary is printed.
 * @param file the trace file, or `-` for stdin.
 * @param setup the heap options and provider.
 * @param options `--json`, `--stats`, `--svg`, `--every`.
 * @throws CliError for an unreadable file, an empty trace, a malformed or failing line (with its
 *   number), `--json` with `--every` or `--stats`, or an SVG that cannot be written; MemsError
 *   for bad heap options.
 */
export async function runReplay(file: string, setup: HeapSetup, options: ReplayOptions): Promise<void> {
  if (options.json && options.every !== undefined)
    throw new CliError('replay: --every prints stats text, so it cannot be combined with --json');
  if (options.json && options.stats)
    throw new CliError('replay: --stats prints stats text, so it cannot be combined with --json');
  const text = await readTraceInput('replay', file);
  const name = file === STDIN_TRACE ? '<stdin>' : file;
  let trace: Trace;
  try {
    trace = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceError) throw new CliError(`replay: ${name}:${error.line}: ${error.reason}`);
    throw error;
  }
  if (trace.length === 0)
    throw new CliError(
      text.trim() === ''
        ? `replay: ${name} is empty: a trace needs at least one operation (a <id> <size>, f <id>, r <id> <size>)`
        : `replay: ${name} has no operations, only comments and blank lines`,
    );

  const heap = createMems(setup.options);
  const bar =
    process.stderr.isTTY === true && trace.length >= PROGRESS_THRESHOLD
      ? new SingleBar({
          stream: process.stderr,
          format: 'replaying [{bar}] {percentage}% | {value}/{total} operations | {eta_formatted} left',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
  let svgFailure: string | undefined;
  try {
    bar?.start(trace.length, 0);
    const result = replayTrace(trace, heap, setup.provider, {
      every: options.every,
      onEvery: (done) => {
        if (done === trace.length) return; // the heap at the end is --stats
        process.stdout.write(`----- after ${done} operations -----\n`);
        heap.printStats();
      },
      progressStep: bar === undefined ? undefined : Math.max(1, Math.floor(trace.length / 200)),
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    const snapshot = heap.stats();
    const summary = summarizeReplay(name, result, snapshot);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      process.stdout.write(formatReplaySummary(summary));
      if (options.stats) heap.printStats();
    }
    if (options.svg !== undefined)
      svgFailure = writeOutputFile(
        options.svg,
        formatSvg(snapshot, { title: `MeMS: ${name} replayed (${result.operations} operations)` }),
      );
  } catch (error) {
    bar?.stop();
    if (error instanceof TraceError) throw new CliError(`replay: ${name}:${error.line}: ${error.reason}`);
    throw error;
  } finally {
    heap.finish();
  }
  if (svgFailure !== undefined) throw new CliError(`replay: --svg: ${svgFailure}`);
}
