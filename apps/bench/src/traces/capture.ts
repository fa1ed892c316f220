import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { NATIVE_DIR } from '../bench-paths.js';
import { findCompiler } from '../native-churn.js';
import { type ConversionStats, convertRawLog } from './raw-log.js';

/** The tracer's C source. */
export const TRACER_SOURCE = join(NATIVE_DIR, 'malloc-tracer.c');

/**
 * Compiles the LD_PRELOAD tracer.
 * @param outDir a writable folder.
 * @returns the shared object's path.
 * @throws Error when there is no `cc` or the build fails.
 */
export function compileTracer(outDir: string): string {
  if (findCompiler() === null)
    throw new Error('capturing a trace needs a C compiler (`cc`), and there is none');
  const library = join(outDir, 'malloc-tracer.so');
  const built = spawnSync(
    'cc',
    ['-O2', '-shared', '-fPIC', '-o', library, TRACER_SOURCE, '-ldl', '-pthread'],
    {
      encoding: 'utf8',
    },
  );
  if (built.status !== 0)
    throw new Error(`cc failed on ${TRACER_SOURCE}: ${(built.stderr || String(built.error)).trim()}`);
  return library;
}

/** What to capture. */
export interface CaptureRequest {
  /** The trace's name (the output is `<outDir>/<name>.trace.gz`). */
  readonly name: string;
  /** One line on what the program does (goes into the trace's header). */
  readonly description: string;
  /** The command and its arguments. */
  readonly argv: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory. */
  readonly cwd?: string;
  /** The command as the header shows it (default: argv joined). */
  readonly shownCommand?: string;
  /** The most operations to keep. */
  readonly maxOperations: number;
  /** Where the `.trace.gz` goes. */
  readonly outDir: string;
}

/** What a capture produced. */
export interface CaptureResult {
  /** The written file. */
  readonly file: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** How many processes logged calls, and how many calls the chosen one made. */
  readonly processes: number;
  readonly calls: number;
  readonly stats: ConversionStats;
}

/**
 * Text for one `#` line of a trace's header: each line break (a `-c` script's, a description's)
 * written as the two characters `\\n`, since a raw one would start a line that is neither a
 * comment nor an operation, and the trace would not load.
 * @param text any text.
 * @returns the text on one line.
 */
export function headerText(text: string): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029]/g, '\\n');
}

/**
 * Runs a program under the tracer, picks the process that made the most calls (a compiler
 * driver's cc1, not the driver), converts its log to the replay format (the first
 * `maxOperations` operations) and writes it gzip-compressed with a header of `#` comments.
 * @param request what to run and where to write.
 * @param tracer the compiled tracer (see {@link compileTracer}).
 * @returns the file and the conversion's figures.
 * @throws Error when the program cannot start, exits with a failure, or logs nothing.
 */
export function captureTrace(request: CaptureRequest, tracer: string): CaptureResult {
  const logs = mkdtempSync(join(tmpdir(), 'mems-trace-logs-'));
  try {
    const [command, ...args] = request.argv;
    if (command === undefined) throw new Error('no command to trace');
    const run = spawnSync(command, args, {
      cwd: request.cwd,
      env: { ...process.env, ...request.env, MEMS_TRACE_DIR: logs, LD_PRELOAD: tracer },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (run.error) throw new Error(`cannot run ${command}: ${run.error.message}`);
    if (run.status !== 0)
      throw new Error(
        `${request.argv.join(' ')} exited with ${run.status ?? run.signal}: ${run.stderr.trim()}`,
      );
    const files = readdirSync(logs).filter((f) => f.endsWith('.log'));
    if (files.length === 0) throw new Error(`${command} logged no allocation (is it a static binary?)`);
    const largest = files.reduce((a, b) =>
      statSync(join(logs, b)).size > statSync(join(logs, a)).size ? b : a,
    );
    const log = readFileSync(join(logs, largest), 'utf8');
    const calls = log.length === 0 ? 0 : log.split('\n').length - 1;
    const { trace, stats } = convertRawLog(log, request.maxOperations);
    const header = [
      `# ${request.name}: ${headerText(request.description)}`,
      `# command: ${headerText(request.shownCommand ?? request.argv.join(' '))}${
        request.env
          ? ` (env ${Object.entries(request.env)
              .map(([k, v]) => `${k}=${headerText(v)}`)
              .join(' ')})`
          : ''
      }`,
      `# captured ${new Date().toISOString().slice(0, 10)} with apps/bench/native/malloc-tracer.c; ${calls} calls logged by the process, ${stats.operations} operations kept${stats.truncated ? ' (the first ones)' : ''}`,
      `# ${stats.allocations} a, ${stats.frees} f, ${stats.reallocs} r; ${stats.liveAtEnd} blocks live at the end; peak live ${stats.peakLiveBytes} bytes; ${stats.zeroSizes} zero sizes written as 1; ${stats.unknownPointers} frees/reallocs of pointers allocated before tracing; ${stats.missedFrees} missed frees`,
      '',
    ].join('\n');
    const file = join(request.outDir, `${request.name}.trace.gz`);
    const gz = gzipSync(header + trace, { level: 9 });
    writeFileSync(file, gz);
    return { file, bytes: gz.length, processes: files.length, calls, stats };
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}
