// Builds every workspace package with turbo, quietly: turbo's output is captured and shown (on
// stderr) only when the build fails. When nothing needs building (every task a cache hit),
// nothing at all is printed, so stdout and stderr stay clean for the command that follows
// (`pnpm start`, `pnpm demo`, ...). When a package does need building, one line on stderr says
// so as soon as turbo starts it, and one line says what was built.
// Usable as a script (`node scripts/build-quietly.mjs`) or as a module (`buildQuietly()`).
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs `turbo run build` at the repository root with its output captured.
 * @returns {Promise<number>} the exit code: 0 when the build succeeded.
 */
export function buildQuietly() {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=new-only'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    let built = 0;
    const collect = (chunk) => {
      output += chunk;
      // turbo prints `<package>:build: cache miss, executing <hash>` when it starts a task that
      // is not cached (and `cache hit, suppressing logs` when it is).
      const misses = output.match(/: cache miss, executing /g)?.length ?? 0;
      if (misses > 0 && built === 0)
        process.stderr.write(
          'Building the MeMS packages (their output is shown only if the build fails)...\n',
        );
      built = misses;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      process.stderr.write(`build failed: could not run turbo: ${error.message}\n`);
      resolvePromise(1);
    });
    child.on('close', (code) => {
      if (code !== 0) {
        process.stderr.write(output);
        process.stderr.write('build failed\n');
        resolvePromise(code ?? 1);
        return;
      }
      if (built > 0) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`Built ${built} package${built === 1 ? '' : 's'} in ${seconds} s.\n`);
      }
      resolvePromise(0);
    });
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await buildQuietly();
}
