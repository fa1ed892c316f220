import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRESS_THRESHOLD } from './commands/replay.js';
import { CLI_PATH, MOCK_NOTICE, runCli, SAMPLE_TRACE } from './test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mems-demo-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trace(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const replay = (args: string[]) => runCli(['--provider', 'mock', 'replay', ...args]);

const SAMPLE_FINAL_STATS = `----- MeMS SYSTEM STATS -----
MAIN[1000:5095]-> H[1000:1999] <-> P[2000:2999] <-> H[3000:3999] <-> P[4000:4999] <-> H[5000:5095] <-> NULL
MAIN[5096:9191]-> P[5096:6095] <-> H[6096:7095] <-> P[7096:8095] <-> H[8096:9191] <-> NULL
MAIN[9192:13287]-> P[9192:10191] <-> P[10192:11191] <-> P[11192:11291] <-> H[11292:13287] <-> NULL
MAIN[13288:21479]-> P[13288:19287] <-> H[19288:21479] <-> NULL
MAIN[21480:25575]-> P[21480:24479] <-> H[24480:25575] <-> NULL
Pages used:\t6
Space unused:\t9476
Main Chain Length:\t5
Sub-chain Length array: [5, 4, 4, 2, 2, ]
-----------------------------
`;

describe('mems-demo replay', () => {
  it('replays the sample trace and prints a summary, and no stats text', () => {
    const run = replay([SAMPLE_TRACE]);
    expect(run.stderr).toBe(MOCK_NOTICE);
    expect(run.status).toBe(0);
    const summary = run.stdout;
    expect(summary).toMatch(/^----- Replay summary -----\n/);
    expect(summary).not.toContain('MeMS SYSTEM STATS');
    expect(summary.split('\n')).toHaveLength(10);
    expect(summary).toMatch(/^Operations: +30$/m);
    expect(summary).toMatch(
      /^Time: +\d+\.\d\d ms, \d+ ns per operation: one cold pass \(JIT warm-up included\); for speed run pnpm bench$/m,
    );
    expect(summary).toMatch(/^Peak pages mapped: +6$/m);
    expect(summary).toMatch(/^Peak live bytes: +16256$/m);
    expect(summary).toMatch(/^Peak utilisation: +66\.1% \(peak live bytes \/ peak bytes mapped\)$/m);
    expect(summary).toMatch(/^At the end: .*, 6 pages in 5 nodes, utilisation now 61\.4%$/m);
    expect(summary).not.toMatch(/^Utilisation:/m);
    expect(summary).toMatch(/^Fragmentation: +76\.9% /m);
  });

  it("prints the seed's stats text of the heap at the end after the summary with --stats", () => {
    const plain = replay([SAMPLE_TRACE]);
    const run = replay([SAMPLE_TRACE, '--stats']);
    expect(run.stderr).toBe(MOCK_NOTICE);
    expect(run.status).toBe(0);
    expect(run.stdout.endsWith(SAMPLE_FINAL_STATS)).toBe(true);
    const summary = run.stdout.slice(0, -SAMPLE_FINAL_STATS.length);
    const mask = (text: string) => text.replace(/^Time: .*$/m, 'Time: ...');
    expect(mask(summary)).toBe(mask(plain.stdout));
    const both = replay([SAMPLE_TRACE, '--stats', '--json']);
    expect(both.status).toBe(1);
    expect(both.stdout).toBe('');
    expect(both.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: --stats prints stats text, so it cannot be combined with --json\n`,
    );
  });

  it('reads a gzip-compressed trace, from a file whatever its name and from stdin', () => {
    const expected = JSON.parse(replay([SAMPLE_TRACE, '--json']).stdout);
    const packed = gzipSync(readFileSync(SAMPLE_TRACE));
    const same = (summary: { trace: string; timeMs: number; nsPerOperation: number }) => ({
      ...summary,
      trace: '',
      timeMs: 0,
      nsPerOperation: 0,
    });
    for (const name of ['sample.trace.gz', 'sample.bin']) {
      const file = join(dir, name);
      writeFileSync(file, packed);
      const run = replay([file, '--json']);
      expect(run.stderr).toBe(MOCK_NOTICE);
      expect(run.status).toBe(0);
      expect(same(JSON.parse(run.stdout))).toEqual(same(expected));
    }
    const text = replay([join(dir, 'sample.trace.gz')]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Operations: +30$/m);
    const fromStdin = runCli(['--provider', 'mock', 'replay', '-', '--json'], { input: packed });
    expect(fromStdin.stderr).toBe(MOCK_NOTICE);
    expect(same(JSON.parse(fromStdin.stdout))).toEqual(same(expected));
  });

  it('reports a gzip-compressed trace that does not decompress, and a malformed line in one that does', () => {
    const broken = join(dir, 'broken.trace.gz');
    writeFileSync(broken, gzipSync(readFileSync(SAMPLE_TRACE)).subarray(0, 30));
    const run = replay([broken]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(`${MOCK_NOTICE}mems-demo: replay: ${broken} looks gzip-compressed`)).toBe(
      true,
    );
    expect(run.stderr.slice(MOCK_NOTICE.length)).toMatch(/^[^\n]* but does not decompress: \w[^\n]*\n$/);
    const bad = join(dir, 'bad.trace.gz');
    writeFileSync(bad, gzipSync('a x 1\n# two\nfree x\n'));
    expect(replay([bad]).stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: ${bad}:3: unknown operation "free"; expected a <id> <size>, f <id> or r <id> <size>\n`,
    );
  });

  it('prints only JSON with --json', () => {
    const run = replay([SAMPLE_TRACE, '--json']);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      trace: SAMPLE_TRACE,
      provider: 'mock',
      policy: 'first-fit',
      pageSize: 4096,
      operations: 30,
      peakPagesMapped: 6,
      peakLiveBytes: 16256,
      final: {
        pagesMapped: 6,
        nodes: 5,
        liveBlocks: 9,
        bytesInUse: 15100,
        bytesFree: 9476,
        holes: 8,
        largestHole: 2192,
      },
    });
    expect(summary.peakUtilisation).toBeCloseTo(16256 / (6 * 4096));
    expect(summary.final.utilisation).toBeCloseTo(15100 / (6 * 4096));
    expect(summary).not.toHaveProperty('utilisation');
    expect(summary.fragmentation).toBeCloseTo(1 - 2192 / 9476);
    expect(summary.timeMs).toBeGreaterThan(0);
  });

  it('writes the final heap as SVG with --svg', () => {
    const file = join(dir, 'sample.svg');
    expect(replay([SAMPLE_TRACE, '--svg', file]).status).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(svg).toContain('MAIN[21480:25575]');
  });

  it('prints the stats every N operations with --every', () => {
    const file = trace('five.trace', 'a x 10\na y 10\nf x\na z 20\nf y\n');
    const run = replay([file, '--every', '2']);
    expect(run.status).toBe(0);
    const headers = run.stdout.match(/^----- after \d+ operations -----$/gm);
    expect(headers).toEqual(['----- after 2 operations -----', '----- after 4 operations -----']);
    expect(run.stdout).toContain(
      '----- after 2 operations -----\n----- MeMS SYSTEM STATS -----\nMAIN[1000:5095]-> P[1000:1009] <-> P[1010:1019] <-> H[1020:5095] <-> NULL\n',
    );
    expect(run.stdout.match(/MeMS SYSTEM STATS/g)).toHaveLength(2);
    expect(replay([file, '--every', '2', '--stats']).stdout.match(/MeMS SYSTEM STATS/g)).toHaveLength(3);
    expect(replay([file, '--every', '0']).status).toBe(1);
    const both = replay([file, '--every', '2', '--json']);
    expect(both.status).toBe(1);
    expect(both.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: --every prints stats text, so it cannot be combined with --json\n`,
    );
  });

  it.each([
    ['x 1 2', 'unknown operation "x"; expected a <id> <size>, f <id> or r <id> <size>'],
    ['a 1', 'expected "a <id> <size>", got 1 argument(s)'],
    ['f 1 2', 'expected "f <id>", got 2 argument(s)'],
    ['r 1 two', 'size "two" is not a positive integer'],
    ['a 1 0', 'size "0" is not a positive integer'],
    ['a 1 -5', 'size "-5" is not a positive integer'],
    ['a 1 1.5', 'size "1.5" is not a positive integer'],
  ])('stops at a malformed line (%j) with its number, before replaying anything', (line, reason) => {
    const file = trace('bad.trace', `# header\na ok 10\n\n${line}   # comment\na later 10\n`);
    const run = replay([file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${MOCK_NOTICE}mems-demo: replay: ${file}:4: ${reason}\n`);
  });

  it.each([
    ['a x 10\na x 20', 2, 'block "x" is already allocated (at 1000); free it first'],
    ['a x 10\nf y', 2, 'block "y" is not allocated'],
    ['a x 10\nf x\nf x', 3, 'block "x" is not allocated'],
    ['a x 10\nr y 20', 2, 'block "y" is not allocated'],
    [
      'a x 10\na y 99999999999',
      2,
      'EINVAL: malloc(99999999999): size is too large; the largest block is 4294963200 bytes',
    ],
  ])('stops at an operation that cannot run (%j), naming its line', (text, line, reason) => {
    const file = trace('semantic.trace', text);
    const run = replay([file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${MOCK_NOTICE}mems-demo: replay: ${file}:${line}: ${reason}\n`);
  });

  it('reports a missing file', () => {
    const run = replay([join(dir, 'missing.trace')]);
    expect(run.status).toBe(1);
    expect(run.stderr.slice(MOCK_NOTICE.length)).toMatch(
      /^mems-demo: replay: cannot read .*missing\.trace: ENOENT/,
    );
  });

  it('replays a long trace with reallocs, without a progress bar when stderr is not a terminal', () => {
    let text = '';
    for (let i = 0; i < 5000; i++) {
      text += `a b${i} ${16 + ((i * 37) % 500)}\n`;
      if (i % 3 === 0) text += `r b${i} ${32 + ((i * 11) % 700)}\n`;
      if (i % 2 === 1) text += `f b${i - 1}\n`;
    }
    const file = trace('long.trace', text);
    const run = replay([file, '--json']);
    expect(run.stderr).toBe(MOCK_NOTICE);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.operations).toBe(5000 + 1667 + 2500);
    expect(summary.final.liveBlocks).toBe(2500);
  });

  it('says so when the trace is empty or holds only comments, and replays nothing', () => {
    const empty = trace('empty.trace', '');
    const run = replay([empty, '--json']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: ${empty} is empty: a trace needs at least one operation (a <id> <size>, f <id>, r <id> <size>)\n`,
    );
    const comments = trace('comments.trace', '# nothing\n\n   # still nothing\n');
    const onlyComments = replay([comments]);
    expect(onlyComments.status).toBe(1);
    expect(onlyComments.stdout).toBe('');
    expect(onlyComments.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: ${comments} has no operations, only comments and blank lines\n`,
    );
  });

  it('reads the trace from stdin for -', () => {
    const fromStdin = runCli(['--provider', 'mock', 'replay', '-', '--json'], {
      input: readFileSync(SAMPLE_TRACE, 'utf8'),
    });
    expect(fromStdin.stderr).toBe(MOCK_NOTICE);
    expect(fromStdin.status).toBe(0);
    const fromFile = JSON.parse(replay([SAMPLE_TRACE, '--json']).stdout);
    const summary = JSON.parse(fromStdin.stdout);
    expect(summary.trace).toBe('<stdin>');
    expect({ ...summary, trace: '', timeMs: 0, nsPerOperation: 0 }).toEqual({
      ...fromFile,
      trace: '',
      timeMs: 0,
      nsPerOperation: 0,
    });
    const empty = runCli(['--provider', 'mock', 'replay', '-'], { input: '' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: <stdin> is empty: a trace needs at least one operation (a <id> <size>, f <id>, r <id> <size>)\n`,
    );
    const bad = runCli(['--provider', 'mock', 'replay', '-'], { input: 'a x 1\nf y\n' });
    expect(bad.stderr).toBe(`${MOCK_NOTICE}mems-demo: replay: <stdin>:2: block "y" is not allocated\n`);
  });

  it('calls a size past 2^53 - 1 too large, in the trace and in --every', () => {
    const run = replay([trace('huge.trace', 'a x 10\na y 99999999999999999999\n')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: ${join(dir, 'huge.trace')}:2: size 99999999999999999999 is too large (the largest a trace can hold is 9007199254740991)\n`,
    );
    const every = replay([SAMPLE_TRACE, '--every', '99999999999999999999']);
    expect(every.status).toBe(1);
    expect(every.stderr).toContain('99999999999999999999 is too large (the largest is 9007199254740991)');
    expect(every.stderr).not.toContain('not a positive integer');
  });

  it('reports an unwritable --svg in one line, exit 1, after printing the summary and the stats', () => {
    const file = join(dir, 'no-such-dir', 'out.svg');
    const run = replay([SAMPLE_TRACE, '--svg', file, '--stats']);
    expect(run.status).toBe(1);
    expect(run.stdout.endsWith(SAMPLE_FINAL_STATS)).toBe(true);
    expect(run.stdout).toMatch(/^----- Replay summary -----\n/);
    expect(run.stdout).toMatch(/^At the end: +9 live blocks/m);
    expect(run.stderr).toBe(
      `${MOCK_NOTICE}mems-demo: replay: --svg: cannot write ${file}: ENOENT: no such file or directory, open '${file}'\n`,
    );
    const json = replay([SAMPLE_TRACE, '--json', '--svg', file]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).operations).toBe(30);
  });
});

// stderr on a real terminal, through script(1) where it exists: the progress bar shows.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasScript && process.platform === 'linux')('mems-demo replay on a terminal', () => {
  it(`shows a progress bar for a trace of ${PROGRESS_THRESHOLD} operations or more`, () => {
    let text = '';
    for (let i = 0; i < PROGRESS_THRESHOLD; i++) text += i % 2 === 0 ? `a b${i} 64\n` : `f b${i - 1}\n`;
    const file = trace('progress.trace', text);
    const run = spawnSync(
      'script',
      ['-qec', `${process.execPath} ${CLI_PATH} --provider mock replay ${file} --json`, '/dev/null'],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TERM: 'xterm' },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`replaying [`);
    expect(run.stdout).toContain(`${PROGRESS_THRESHOLD}/${PROGRESS_THRESHOLD} operations`);
    expect(run.stdout).toContain(`"operations": ${PROGRESS_THRESHOLD}`);
  });
});
