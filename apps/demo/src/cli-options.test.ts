import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MOCK_NOTICE, runCli } from './test-support/run-cli.js';

describe('mems-demo options', () => {
  it('lists the commands and global options in --help', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const word of [
      'example',
      'map',
      'repl',
      'replay',
      '--provider',
      '--policy',
      '--page-size',
      '--start',
      '--alignment',
    ])
      expect(run.stdout).toContain(word);
  });

  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(runCli(['--version']).stdout).toBe(`${version}\n`);
  });

  it('refuses an unknown provider, policy or command, and a non-integer number', () => {
    const provider = runCli(['--provider', 'sbrk', 'example']);
    expect(provider.status).toBe(1);
    expect(provider.stderr).toContain(
      "error: option '--provider <name>' argument 'sbrk' is invalid. Allowed choices are mmap, mock.",
    );
    expect(runCli(['--policy', 'worst-fit', 'example']).stderr).toContain(
      'Allowed choices are first-fit, next-fit, best-fit, tlsf.',
    );
    expect(runCli(['frobnicate']).stderr).toContain("error: unknown command 'frobnicate'");
    expect(runCli(['--page-size', 'big', 'example']).stderr).toContain('"big" is not an integer');
    for (const run of [runCli(['frobnicate']), runCli(['--page-size', 'big', 'example'])]) {
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
    }
  });

  it('passes range checking to MeMS, whose message names the option', () => {
    const run = runCli(['--provider', 'mock', '--alignment', '3', 'repl'], { input: 'malloc 1\n' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: EINVAL: createMems: option alignment = 3: must be a power of two from 1 to 4096\n`,
    );
  });
});
