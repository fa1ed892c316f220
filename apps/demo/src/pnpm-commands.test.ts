import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPECTED_EXAMPLE, MOCK_NOTICE, maskPhysical, runCli } from './test-support/run-cli.js';

// The commands as the READMEs write them, run through pnpm as a user types them. Everything is
// built already (`pnpm test` builds first), so none of them may print any build output.
const root = fileURLToPath(new URL('../../../', import.meta.url));

function run(command: string, args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  // A user's shell has no INIT_CWD; the one of the `pnpm test` around us would leak in.
  delete env.INIT_CWD;
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env });
  if (result.error) throw result.error;
  return result;
}

/** stderr without the line pnpm itself prints for a root script (`$ node scripts/start.mjs`). */
const withoutPnpmEcho = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => !line.startsWith('$ node scripts/'))
    .join('\n');

const BUILD_CHATTER = /turbo|Tasks:|Cached:|Building|Built|tsup|build/i;

describe('the pnpm commands of the READMEs', () => {
  it('scripts/build-quietly.mjs prints nothing at all when nothing needs building', () => {
    const result = run(process.execPath, ['scripts/build-quietly.mjs'], root);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('pnpm start prints the seed example and no build chatter', () => {
    const result = run('pnpm', ['start'], root);
    expect(result.status).toBe(0);
    expect(maskPhysical(result.stdout)).toBe(EXPECTED_EXAMPLE);
    expect(withoutPnpmEcho(result.stderr)).toBe('');
  });

  it('pnpm exec mems-demo works from the repository root and from a nested folder', () => {
    const expected = runCli(['--provider', 'mock', 'map']).stdout;
    const atRoot = run('pnpm', ['exec', 'mems-demo', '--provider', 'mock', 'map'], root);
    expect(atRoot.stderr).toBe(MOCK_NOTICE);
    expect(atRoot.status).toBe(0);
    expect(atRoot.stdout).toBe(expected);
    const nested = run('pnpm', ['exec', 'mems-demo', '--version'], `${root}packages/os/src`);
    expect(nested.status).toBe(0);
    expect(nested.stdout).toBe(
      `${(JSON.parse(readFileSync(`${root}apps/demo/package.json`, 'utf8')) as { version: string }).version}\n`,
    );
    expect(nested.stderr).toBe('');
  });

  it('pnpm demo works from any folder, with relative paths from that folder and no build chatter', () => {
    for (const [cwd, trace] of [
      [root, 'apps/demo/traces/sample.trace'],
      [`${root}apps/demo/traces`, 'sample.trace'],
      [`${root}packages/stats/src`, '../../../apps/demo/traces/sample.trace'],
    ] as const) {
      const result = run('pnpm', ['demo', '--provider', 'mock', 'replay', trace, '--json'], cwd);
      expect(result.status, `${cwd}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ trace, operations: 30 });
      expect(withoutPnpmEcho(result.stderr)).toBe(MOCK_NOTICE);
      expect(result.stderr).not.toMatch(BUILD_CHATTER);
    }
  });
});

describe('the root scripts on failure', () => {
  it('node scripts/demo.mjs exits with the CLI code and prints only the CLI error', () => {
    const direct = runCli(['no-such-command']);
    expect(direct.status).toBe(1);
    const result = run(process.execPath, ['scripts/demo.mjs', 'no-such-command'], root);
    expect(result.status).toBe(direct.status);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(direct.stderr);
    expect(result.stderr).toContain("error: unknown command 'no-such-command'");
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/ELIFECYCLE/);
  });

  it('node scripts/demo.mjs passes on a failing command exit code (a missing trace file)', () => {
    const direct = runCli(['--provider', 'mock', 'replay', 'no/such/file.trace']);
    expect(direct.status).not.toBe(0);
    const result = run(
      process.execPath,
      ['scripts/demo.mjs', '--provider', 'mock', 'replay', 'no/such/file.trace'],
      root,
    );
    expect(result.status).toBe(direct.status);
    expect(result.stderr).toBe(direct.stderr);
    expect(result.stderr).not.toMatch(/ELIFECYCLE/);
  });

  it('pnpm exec mems-demo fails with the CLI code and no ELIFECYCLE line', () => {
    const result = run('pnpm', ['exec', 'mems-demo', 'no-such-command'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error: unknown command 'no-such-command'");
    expect(result.stderr).not.toMatch(/ELIFECYCLE/);
  });
});
