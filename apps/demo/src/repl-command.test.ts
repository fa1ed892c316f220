import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPL_HELP } from './repl-session.js';
import { CLI_PATH, MOCK_NOTICE, runCli } from './test-support/run-cli.js';

const repl = (script: string, args: string[] = []) =>
  runCli(['--provider', 'mock', ...args, 'repl'], { input: script });

describe('mems-demo repl on a pipe', () => {
  it('runs a script: results on stdout without prompts, exit code 0', () => {
    const run = repl(
      [
        '# a comment, then a blank line',
        '',
        'malloc 1000',
        'malloc 0x10',
        'get 1000',
        'write 1000 hi there',
        'read 1000 8',
        'free 1000',
        'calloc 4 4',
        'realloc 2000 32',
        'stats',
        'trim',
        'quit',
      ].join('\n'),
    );
    expect(run.stderr).toBe(MOCK_NOTICE);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'Virtual address: 1000',
      'Virtual address: 2000',
      'Physical address: 268435456',
      'Wrote 8 bytes at 1000',
      '1000  68 69 20 74 68 65 72 65                           |hi there|',
      'Freed 1000',
      'Virtual address: 1000',
    ]);
    expect(lines[7]).toBe('Virtual address: 2000');
    expect(run.stdout).toContain(
      '----- MeMS SYSTEM STATS -----\nMAIN[1000:5095]-> P[1000:1015] <-> H[1016:1999] <-> P[2000:2031] <-> H[2032:5095] <-> NULL\nPages used:\t1\nSpace unused:\t4048\nMain Chain Length:\t1\nSub-chain Length array: [4, ]\n-----------------------------\n',
    );
    expect(run.stdout.endsWith('Released 0 bytes\n')).toBe(true);
    expect(run.stdout).not.toContain('mems>');
  });

  it('reports bad commands and MemsErrors with their line number, goes on, and exits 1', () => {
    const run = repl(
      [
        'malloc 100',
        'free 1050',
        'bogus 1',
        'malloc',
        'malloc ten',
        'malloc -4',
        'free 1000',
        'free 1000',
        'stats',
      ].join('\n'),
    );
    expect(run.status).toBe(1);
    expect(run.stderr.startsWith(MOCK_NOTICE)).toBe(true);
    expect(run.stderr.slice(MOCK_NOTICE.length).split('\n')).toEqual([
      'line 2: error: EFAULT free(1050): 1050 is an interior address of the block at 1000, not its start',
      'line 3: error: unknown command "bogus"; type help for the list',
      'line 4: error: usage: malloc <size>',
      'line 5: error: malloc: size "ten" is not an integer',
      'line 6: error: EINVAL malloc(-4): size must be a positive safe integer',
      'line 8: error: EFAULT free(1000): 1000 is inside a free hole [1000:5095] (already freed?)',
      '',
    ]);
    expect(run.stdout).toBe(
      'Virtual address: 1000\nFreed 1000\n----- MeMS SYSTEM STATS -----\nMAIN[1000:5095]-> H[1000:5095] <-> NULL\nPages used:\t1\nSpace unused:\t4096\nMain Chain Length:\t1\nSub-chain Length array: [1, ]\n-----------------------------\n',
    );
  });

  it('stops at quit and ignores what follows; end of input ends the session too', () => {
    expect(repl('malloc 1\nquit\nmalloc 1\n').stdout).toBe('Virtual address: 1000\n');
    expect(repl('malloc 1\nexit').stdout).toBe('Virtual address: 1000\n');
    const eof = repl('malloc 1');
    expect(eof.status).toBe(0);
    expect(eof.stdout).toBe('Virtual address: 1000\n');
  });

  it('writes JSON-string text with escapes, refuses writes past the block, and reads to the block end', () => {
    const run = repl(
      ['malloc 4', 'write 1000 "a\\u0000\\n"', 'read 1000', 'write 1000 too long', 'read 1000 5'].join('\n'),
    );
    expect(run.stdout).toBe(
      'Virtual address: 1000\nWrote 3 bytes at 1000\n1000  61 00 0a 00                                       |a...|\n',
    );
    expect(run.stderr).toBe(
      MOCK_NOTICE +
        "line 4: error: EINVAL write 1000: the text's length (8 bytes) must be an integer from 0 to 4, the bytes left in the block\n" +
        'line 5: error: EINVAL read 1000 5: length must be an integer from 0 to 4, the bytes left in the block\n',
    );
  });

  it('names the read or write command typed in its errors, never the view() call behind it', () => {
    const run = repl(
      ['malloc 4', 'read 0x1388', 'write 9000 x', 'read 1000 0x10', 'read 1000 -1'].join('\n'),
    );
    expect(run.stderr.slice(MOCK_NOTICE.length).split('\n')).toEqual([
      'line 2: error: EFAULT read 0x1388: 5000 is inside a free hole [1004:5095] (already freed?)',
      'line 3: error: EFAULT write 9000: 9000 is not inside any mapped node (never allocated, or its node was unmapped)',
      'line 4: error: EINVAL read 1000 0x10: length must be an integer from 0 to 4, the bytes left in the block',
      'line 5: error: EINVAL read 1000 -1: length must be an integer from 0 to 4, the bytes left in the block',
      '',
    ]);
    expect(run.stderr).not.toMatch(/view\(/);
  });

  it('prints help, the table and the map', () => {
    const run = repl('help\nmalloc 1000\ntable\nmap\n');
    expect(run.stdout).toContain('malloc <size>');
    expect(run.stdout).toContain('quit');
    expect(run.stdout).toMatch(/^ node {2}range/m);
    expect(run.stdout).toMatch(/^total {2}\[1000:5095\]/m);
    expect(run.stdout).toMatch(/^\[1000:5095\] \|#{16}\.{48}\| +24\.4%$/m);
  });

  it('repl --help lists every REPL command', () => {
    const run = runCli(['repl', '--help']);
    expect(run.status).toBe(0);
    const commands = [...REPL_HELP.matchAll(/^ {2}(\w+)/gm)].map((match) => match[1]);
    expect(commands).toEqual(expect.arrayContaining(['malloc', 'free', 'stats', 'help', 'quit']));
    for (const command of commands) expect(run.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    expect(run.stdout).toContain(REPL_HELP);
  });

  it('uses the global options', () => {
    const run = repl('malloc 3\nmalloc 3\n', ['--alignment', '8', '--start', '0']);
    expect(run.stdout).toBe('Virtual address: 0\nVirtual address: 8\n');
  });
});

// A real terminal through script(1), where it exists: a banner, prompts, and coloured errors.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasScript && process.platform === 'linux')('mems-demo repl on a terminal', () => {
  it('shows a banner and a prompt', () => {
    const run = spawnSync(
      'script',
      ['-qec', `${process.execPath} ${CLI_PATH} --provider mock repl`, '/dev/null'],
      {
        input: 'malloc 10\nquit\n',
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('MeMS REPL: provider mock, page size 4096, first address 1000, first-fit.');
    expect(run.stdout).toContain('mems> ');
    expect(run.stdout).toContain('Virtual address: 1000');
  });
});
