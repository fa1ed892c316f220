// Runs the demo CLI (apps/demo/dist/cli.js) with the given arguments after a quiet build
// (nothing is printed when nothing needs building; see build-quietly.mjs), so stdout carries
// only what the demo prints. Relative paths in the arguments (trace files, --svg) resolve from
// the directory pnpm was started in.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildQuietly } from './build-quietly.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds quietly, then runs `mems-demo` with `args`, and exits with its exit code (or its
 * signal), printing nothing of its own.
 * @param {string[]} args the arguments for mems-demo.
 */
export async function runDemo(args) {
  const status = await buildQuietly();
  if (status !== 0) process.exit(status);
  const demo = spawnSync(process.execPath, [resolve(root, 'apps/demo/dist/cli.js'), ...args], {
    stdio: 'inherit',
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for scripts; this is no turbo task
    cwd: process.env.INIT_CWD ?? process.cwd(),
  });
  if (demo.error) {
    process.stderr.write(`could not run mems-demo: ${demo.error.message}\n`);
    process.exit(1);
  }
  // A demo killed by a signal ends this process by the same signal, so the caller sees it.
  if (demo.signal) process.kill(process.pid, demo.signal);
  // Only the CLI's own output and its exit code: nothing is added here. (pnpm itself prints
  // `[ELIFECYCLE] Command failed with exit code N.` after any root script that exits non-zero,
  // whatever `--silent`; `pnpm exec mems-demo` and `node scripts/demo.mjs` do not.)
  process.exit(demo.status ?? 1);
}
