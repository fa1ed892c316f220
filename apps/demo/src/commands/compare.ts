import { writeFileSync } from 'node:fs';
import { createMems, type PolicyName } from '@mems/api';
import { POLICY_NAMES } from '@mems/core';
import { errorMessage } from '@mems/os';
import { policyStyle } from '@mems/stats';
import { parseTrace, type Trace, TraceError } from '@mems/traces';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { type GlobalOptions, type HeapSetup, heapSetupFrom } from '../heap-setup.js';
import { parseInteger } from '../parse-integer.js';
import { COLD_PASS, type ReplaySummary, summarizeReplay } from '../replay-summary.js';
import { replayTrace } from '../replay-trace.js';
import { readTraceText } from '../trace-input.js';

/** Options of `mems-demo compare`. */
export interface CompareOptions {
  /** Print the comparison as JSON instead of a table. */
  json?: boolean;
  /** Write an SVG chart of utilisation over time, one line per policy, to this file. */
  svg?: string;
  /** How many points each policy's utilisation curve has (default {@link DEFAULT_SAMPLES}). */
  samples?: number;
}

/** Points per utilisation curve, unless `--samples` says otherwise. */
export const DEFAULT_SAMPLES = 100;

/** One policy's replay of the trace. */
export interface PolicyRun {
  /** The replay's summary, as `mems-demo replay --json` prints it. */
  readonly summary: ReplaySummary;
  /**
   * Utilisation over the replay: after `operations[i]` operations, bytes in live blocks ÷ bytes
   * mapped was `utilisation[i]` (0 while nothing is mapped). Empty unless asked for.
   */
  readonly curve: { readonly operations: number[]; readonly utilisation: number[] };
}

/** What `mems-demo compare --json` prints. */
export interface Comparison {
  /** The trace file as given. */
  readonly trace: string;
  /** Operations in the trace. */
  readonly operations: number;
  /** One run per policy, in the order first-fit, next-fit, best-fit, tlsf. */
  readonly policies: readonly PolicyRun[];
}

/**
 * Replays a parsed trace once per placement policy, each on a fresh heap with its own provider.
 * @param file the trace file's name (for the summaries).
 * @param trace the parsed trace.
 * @param setupFor the heap options and a fresh provider for a policy.
 * @param samples points per utilisation curve (0: no curve).
 * @returns the comparison.
 * @throws CliError naming the line of an operation that cannot run under some policy; MemsError for bad heap options.
 */
export function comparePolicies(
  file: string,
  trace: Trace,
  setupFor: (policy: PolicyName) => HeapSetup,
  samples: number,
): Comparison {
  const policies = POLICY_NAMES.map((policy): PolicyRun => {
    const setup = setupFor(policy);
    const heap = createMems({ ...setup.options, policy });
    try {
      const operations: number[] = [];
      const utilisation: number[] = [];
      const sample = (done: number): void => {
        const mapped = setup.provider.mappedBytes;
        operations.push(done);
        utilisation.push(mapped === 0 ? 0 : heap.stats().counters.bytesInUse / mapped);
      };
      const every = samples > 0 ? Math.max(1, Math.ceil(trace.length / samples)) : undefined;
      const result = replayTrace(trace, heap, setup.provider, { every, onEvery: sample });
      if (every !== undefined && operations.at(-1) !== trace.length) sample(trace.length);
      return { summary: summarizeReplay(file, result, heap.stats()), curve: { operations, utilisation } };
    } catch (error) {
      if (error instanceof TraceError)
        throw new CliError(`compare: ${file}:${error.line}: ${policy}: ${error.reason}`);
      throw error;
    } finally {
      heap.finish();
    }
  });
  return { trace: file, operations: trace.length, policies };
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

/**
 * The comparison as a table for people:
 *
 * ```text
 * Trace: git-log.trace.gz (74227 operations, provider mmap, page size 4096)
 * policy     time (ms)  ns/op  peak pages  peak utilisation  fragmentation
 * first-fit      21.30    287        1562        92.3%          41.0%
 * ...
 * ```
 * Utilisation is peak bytes in live blocks ÷ peak bytes mapped; fragmentation is 1 − largest
 * hole ÷ free bytes at the end. The times come from one cold pass, as the last line says
 * ({@link COLD_PASS}).
 * @param comparison the comparison.
 * @returns the text, each line ending with `\n`.
 */
export function formatComparison(comparison: Comparison): string {
  const first = comparison.policies[0]!.summary;
  const header = ['policy', 'time (ms)', 'ns/op', 'peak pages', 'peak utilisation', 'fragmentation'];
  const rows = comparison.policies.map(({ summary: s }) => [
    s.policy,
    s.timeMs.toFixed(2),
    String(Math.round(s.nsPerOperation)),
    String(s.peakPagesMapped),
    percent(s.peakUtilisation),
    percent(s.fragmentation),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    `${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`;
  return (
    `Trace: ${comparison.trace} (${comparison.operations} operations, provider ${first.provider}, page size ${first.pageSize})\n` +
    line(header) +
    rows.map(line).join('') +
    'peak utilisation: peak live bytes / peak bytes mapped; fragmentation: 1 - largest hole / free bytes, at the end\n' +
    `time and ns/op: ${COLD_PASS}\n`
  );
}

/** Comparison as `--json` prints it: the summaries, with each policy's curve when one was taken. */
export function comparisonJson(comparison: Comparison): object {
  return {
    trace: comparison.trace,
    operations: comparison.operations,
    policies: comparison.policies.map((p) =>
      p.curve.operations.length > 0 ? { ...p.summary, utilisationOverTime: p.curve } : p.summary,
    ),
  };
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An SVG line chart of utilisation (bytes in live blocks ÷ bytes mapped, 0–100%) against
 * operations replayed, one line per policy in its colour and dash pattern (`policyStyle` of
 * `@mems/stats`, the same as in the visualiser and the benchmark chart), with a legend giving
 * each policy's peak utilisation and time.
 * @param comparison a comparison whose runs have curves.
 * @returns the SVG document (ends with a newline).
 */
export function renderUtilisationSvg(comparison: Comparison): string {
  const width = 820;
  const height = 420;
  const left = 60;
  const right = 230;
  const top = 40;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxOps = Math.max(1, comparison.operations);
  const x = (ops: number): number => left + (ops / maxOps) * plotW;
  const y = (u: number): number => top + (1 - Math.min(1, Math.max(0, u))) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14" font-weight="bold">${escapeXml(`Utilisation over time: ${comparison.trace}`)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const u = i / 4;
    out.push(
      `<line x1="${left}" y1="${y(u).toFixed(1)}" x2="${left + plotW}" y2="${y(u).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${(y(u) + 4).toFixed(1)}" text-anchor="end">${u * 100}%</text>`,
    );
    const ops = Math.round((maxOps * i) / 4);
    out.push(`<text x="${x(ops).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle">${ops}</text>`);
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${left + plotW / 2}" y="${height - 12}" text-anchor="middle">operations replayed</text>`,
    `<text x="16" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotH / 2})">live bytes / mapped bytes</text>`,
  );
  comparison.policies.forEach((run, i) => {
    const { color: colour, dash } = policyStyle(run.summary.policy as PolicyName);
    const dashed = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
    const points = run.curve.operations
      .map((ops, k) => `${x(ops).toFixed(1)},${y(run.curve.utilisation[k]!).toFixed(1)}`)
      .join(' ');
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dashed} points="${points}"><title>${escapeXml(run.summary.policy)}</title></polyline>`,
    );
    const ly = top + 16 + i * 34;
    out.push(
      `<line x1="${left + plotW + 14}" y1="${ly - 4}" x2="${left + plotW + 34}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"${dashed}/>`,
      `<text x="${left + plotW + 40}" y="${ly}">${escapeXml(run.summary.policy)}</text>`,
      `<text x="${left + plotW + 40}" y="${ly + 14}" fill="#555">peak ${percent(run.summary.peakUtilisation)}, ${Math.round(run.summary.nsPerOperation)} ns/op</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * `mems-demo compare <trace-file>`: replays a trace (plain or gzip) under each placement policy,
 * each on a fresh heap with the global options, and prints a table (or `--json`); `--svg FILE`
 * writes utilisation over time for every policy on one chart.
 * @param file the trace file.
 * @param setupFor the heap options and a fresh provider for a policy.
 * @param options `--json`, `--svg`, `--samples`.
 * @throws CliError for an unreadable or malformed trace, an operation that cannot run (its line
 *   and policy), or an SVG file that cannot be written; MemsError for bad heap options.
 */
export function runCompare(
  file: string,
  setupFor: (policy: PolicyName) => HeapSetup,
  options: CompareOptions,
): void {
  let trace: Trace;
  try {
    trace = parseTrace(readTraceText('compare', file));
  } catch (error) {
    if (error instanceof TraceError) throw new CliError(`compare: ${file}:${error.line}: ${error.reason}`);
    throw error;
  }
  const wantCurve = options.svg !== undefined || options.json === true;
  const comparison = comparePolicies(
    file,
    trace,
    setupFor,
    wantCurve ? (options.samples ?? DEFAULT_SAMPLES) : 0,
  );
  if (options.svg !== undefined) {
    try {
      writeFileSync(options.svg, renderUtilisationSvg(comparison));
    } catch (error) {
      throw new CliError(`compare: cannot write ${options.svg}: ${errorMessage(error)}`);
    }
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(comparisonJson(comparison), null, 2)}\n` : formatComparison(comparison),
  );
}

/**
 * Adds `compare <trace-file> [--json] [--svg FILE] [--samples N]` to the `mems-demo` program.
 * The global heap options apply to every policy's heap; `--policy` is refused (compare runs all).
 * @param program the `mems-demo` program.
 * @returns the program.
 */
export function registerCompare(program: Command): Command {
  program
    .command('compare')
    .description(
      'replay a trace (plain or .gz) under every placement policy: time, peak pages, utilisation, fragmentation',
    )
    .argument('<trace-file>', 'the trace file (a <id> <size>, f <id>, r <id> <size>; gzip accepted)')
    .option('--json', "print the comparison as JSON (with each policy's utilisation curve)")
    .option('--svg <file>', 'write utilisation over time, one line per policy, as an SVG chart')
    .addOption(
      new Option('--samples <n>', `points per utilisation curve (default: ${DEFAULT_SAMPLES})`).argParser(
        (text: string) => {
          const n = parseInteger(text);
          if (!Number.isSafeInteger(n) || n <= 0)
            throw new InvalidArgumentError(`${text} is not a positive integer`);
          return n;
        },
      ),
    )
    .action((file: string, options: CompareOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (globals.policy !== undefined)
        throw new CliError('compare: it replays the trace under every policy, so --policy does not apply');
      runCompare(file, (policy) => heapSetupFrom({ ...globals, policy }), options);
    });
  return program;
}
