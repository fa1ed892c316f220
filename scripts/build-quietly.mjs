// Builds every workspace package with turbo, sending all build chatter to stderr so that
// stdout stays clean for the command that follows (for example `pnpm --silent start`).
import { spawnSync } from 'node:child_process';

const result = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  stdio: ['ignore', process.stderr, process.stderr],
  shell: process.platform === 'win32',
});
if (result.status !== 0) {
  process.stderr.write('build failed\n');
  process.exit(result.status ?? 1);
}
