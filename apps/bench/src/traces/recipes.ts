import { existsSync } from 'node:fs';
import { NATIVE_DIR, REPO_ROOT, TRACES_DIR } from '../bench-paths.js';

export { TRACES_DIR };

/** The most operations a committed trace keeps (the first ones of the program's run). */
export const MAX_TRACE_OPERATIONS = 200_000;

/** How one committed trace is captured. */
export interface TraceRecipe {
  /** The trace's name: the file is `<name>.trace.gz`. */
  readonly name: string;
  /** What the program does, for the trace's header and the README. */
  readonly description: string;
  /**
   * The command and its arguments.
   * @param scratch a temporary folder the command may write to.
   * @returns argv.
   */
  command(scratch: string): string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory (default: the repository root). */
  readonly cwd?: string;
}

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The committed traces, in report order. */
export const TRACE_RECIPES: readonly TraceRecipe[] = [
  {
    name: 'python-json',
    description:
      'CPython 3 with PYTHONMALLOC=malloc building 420 records, dumping them to JSON and parsing them back (traces/programs/json-roundtrip.py): the whole run, start-up included',
    command: () => [python, `${TRACES_DIR}programs/json-roundtrip.py`],
    env: { PYTHONMALLOC: 'malloc' },
  },
  {
    name: 'git-log',
    description: "`git --no-pager log -p` over this repository's history (output discarded): the whole run",
    command: () => ['git', '--no-pager', 'log', '-p'],
    cwd: REPO_ROOT,
  },
  {
    name: 'gcc-cc1',
    description:
      '`gcc -O2 -c apps/bench/native/trace-replay.c`: the trace of cc1, the compiler proper (the process with the most calls; the driver and the assembler are left out)',
    command: (scratch) => [
      'gcc',
      '-O2',
      '-c',
      '-o',
      `${scratch}/trace-replay.o`,
      `${NATIVE_DIR}trace-replay.c`,
    ],
  },
  {
    name: 'node-json',
    description:
      'Node running traces/programs/json-zlib.js (JSON and gzip of 2,000 records): the first 200,000 calls, which are Node start-up (V8, ICU, the module loader) and the start of the script',
    command: () => [process.execPath, `${TRACES_DIR}programs/json-zlib.js`],
  },
];
