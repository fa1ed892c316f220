import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI (the root `pnpm test` builds everything first). */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The seed's expected output: the source of truth, which CI compares `pnpm start` with. */
export const EXPECTED_EXAMPLE = readFileSync(
  fileURLToPath(new URL('../fixtures/seed-example-output.txt', import.meta.url)),
  'utf8',
);

/** A `node --require` preload that makes loading koffi fail (see block-koffi.cjs). */
export const BLOCK_KOFFI = fileURLToPath(new URL('./block-koffi.cjs', import.meta.url));

/** The sample trace shipped with the demo. */
export const SAMPLE_TRACE = fileURLToPath(new URL('../../traces/sample.trace', import.meta.url));

/** What `mems-demo` prints on stderr first whenever the heap runs on the mock provider. */
export const MOCK_NOTICE =
  'mems-demo: using the mock page provider: physical addresses are not real memory addresses (real pages: --provider mmap)\n';

/** What a CLI run produced. */
export interface CliRun {
  /** The exit code. */
  status: number | null;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/**
 * Runs `node apps/demo/dist/cli.js ...args` as a user would, stdin from `input` (a pipe).
 * @param args the arguments.
 * @param options stdin text or bytes, working directory, extra environment, node's own arguments.
 * @returns the exit code and the output.
 */
export function runCli(
  args: string[],
  options: { input?: string | Uint8Array; cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): CliRun {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI_PATH, ...args], {
    input: options.input ?? '',
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Replaces the physical address of the example's `mems_get` line with `{PHYSICAL}`, as the
 * expected output has it.
 * @param text the example's output.
 * @returns the text with the address masked.
 */
export function maskPhysical(text: string): string {
  return text.replace(/^(Virtual address: \d+\tPhysical Address: )\d+$/m, '$1{PHYSICAL}');
}

/**
 * The physical address the example printed.
 * @param text the example's output.
 * @returns the address, or undefined when the line is missing.
 */
export function physicalAddressOf(text: string): bigint | undefined {
  const match = /^Virtual address: \d+\tPhysical Address: (\d+)$/m.exec(text);
  return match === null ? undefined : BigInt(match[1]!);
}
