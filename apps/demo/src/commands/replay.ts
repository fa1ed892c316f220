import { readFileSync, writeFileSync } from 'node:fs';
import { createMems } from '@mems/api';
import { formatSvg } from '@mems/stats';
import { SingleBar } from 'cli-progress';
import { CliError } from '../cli-error.js';
import type { HeapSetup } from '../heap-setup.js';
import { formatReplaySummary, summarizeReplay } from '../replay-summary.js';
import { replayTrace } from '../replay-trace.js';
import { parseTrace, type Trace, TraceError } from '../trace.js';

/** Options of `mems-demo replay`. */
export interface ReplayOptions {
  /** Print the summary as JSON instead of text (and no stats text). */
  json?: boolean;
  /** Write an SVG picture of the heap at the end to this file. */
  svg?: string;
  /** Print the stats text every this many operations. */
  every?: number;
}

/** Traces with at least this many operations get a progress bar (when stderr is a terminal). */
export const PROGRESS_THRESHOLD = 10_000;

/**
 * `mems-demo replay <trace-file>`: parses the trace (a malformed line stops everything before
 * the heap exists), replays it on a fresh heap, and prints the seed's stats text and a summary
 * (or, with `--json`, only the summary as JSON). A line that cannot run (a block allocated
 * twice, freed while not allocated, a MemsError) stops the replay; the heap is then finished.
 * @param file the trace file.
 * @param setup the heap options and provider.
 * @param options `--json`, `--svg`, `--every`.
 * @throws CliError for an unreadable file, a malformed or failing line (with its number), or
 *   `--json` with `--every`; MemsError for bad heap options.
 */
export function runReplay(file: string, setup: HeapSetup, options: ReplayOptions): void {
  if (options.json && options.every !== undefined)
    throw new CliError('replay: --every prints stats text, so it cannot be combined with --json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `replay: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let trace: Trace;
  try {
    trace = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceError) throw new CliError(`replay: ${file}:${error.line}: ${error.reason}`);
    throw error;
  }

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
  try {
    bar?.start(trace.length, 0);
    const result = replayTrace(trace, heap, setup.provider, {
      every: options.every,
      onEvery: (done) => {
        if (done === trace.length) return; // the final stats follow anyway
        process.stdout.write(`----- after ${done} operations -----\n`);
        heap.printStats();
      },
      progressStep: bar === undefined ? undefined : Math.max(1, Math.floor(trace.length / 200)),
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    const snapshot = heap.stats();
    if (options.svg !== undefined)
      writeFileSync(
        options.svg,
        formatSvg(snapshot, { title: `MeMS: ${file} replayed (${result.operations} operations)` }),
      );
    const summary = summarizeReplay(file, result, snapshot);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      heap.printStats();
      process.stdout.write(formatReplaySummary(summary));
    }
  } catch (error) {
    bar?.stop();
    if (error instanceof TraceError) throw new CliError(`replay: ${file}:${error.line}: ${error.reason}`);
    throw error;
  } finally {
    heap.finish();
  }
}
