import { describe, expect, it } from 'vitest';
import { MOCK_NOTICE, runCli } from './test-support/run-cli.js';

describe('mems-demo map', () => {
  it("draws the example's three nodes before mems_finish, in plain text on a pipe", () => {
    const run = runCli(['--provider', 'mock', 'map']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(MOCK_NOTICE);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^\[1000:5095\] +\|[#=.]{64}\| +97\.7%$/);
    expect(lines[1]).toMatch(/^\[5096:9191\] +\|[#=.]{64}\| +97\.7%$/);
    expect(lines[2]).toMatch(/^\[9192:13287\] \|[#=]{31}\.{33}\| +48\.8%$/);
    expect(run.stdout).toContain('Legend:');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('takes --width and colours with FORCE_COLOR', () => {
    const narrow = runCli(['--provider', 'mock', 'map', '--width', '16']);
    expect(narrow.stdout.split('\n')[0]).toMatch(/^\[1000:5095\] +\|[#=.]{16}\|/);
    const coloured = runCli(['--provider', 'mock', 'map'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
  });

  it('refuses a width that is not a positive integer', () => {
    const run = runCli(['map', '--width', 'wide']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("error: option '--width <cells>' argument 'wide' is invalid.");
  });
});
