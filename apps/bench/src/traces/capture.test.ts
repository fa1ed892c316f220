import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { findCompiler } from '../native-churn.js';
import { captureTrace, compileTracer, headerText } from './capture.js';
import { parseTraceScript } from './trace-script.js';

// A program whose allocations we know: the tracer must see each call, in order, through the
// real glibc (the program checks its own memory, so a tracer that broke malloc would fail it).
const PROGRAM = `
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
static void *worker(void *arg) {
  for (int i = 0; i < 1000; i++) free(malloc(24 + i % 50));
  return arg;
}
int main(void) {
  char *p = malloc(100);
  int *q = calloc(3, 10);
  memset(p, 7, 100);
  p = realloc(p, 200);
  if (p[99] != 7 || q[2] != 0) return 1;
  free(q);
  free(p);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  for (int i = 0; i < 1000; i++) free(malloc(40 + i % 30));
  pthread_join(t, 0);
  return 0;
}
`;

describe('the LD_PRELOAD tracer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mems-tracer-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records malloc, calloc, realloc and free of a program, in order, across threads', (ctx) => {
    if (findCompiler() === null) ctx.skip('no C compiler');
    const tracer = compileTracer(dir);
    writeFileSync(join(dir, 'program.c'), PROGRAM);
    const built = spawnSync('cc', ['-O0', '-o', join(dir, 'program'), join(dir, 'program.c'), '-pthread']);
    expect(built.status).toBe(0);
    const result = captureTrace(
      {
        name: 'known',
        description: 'a test program',
        argv: [join(dir, 'program')],
        maxOperations: 100_000,
        outDir: dir,
      },
      tracer,
    );
    const text = gunzipSync(readFileSync(result.file)).toString('utf8');
    expect(text.startsWith('# known: a test program\n')).toBe(true);
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    // The program's own five calls, whatever libc did around them.
    const at = lines.findIndex((l) => /^a \S+ 100$/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
    const p = lines[at]!.split(' ')[1];
    const q = lines[at + 1]!.split(' ')[1];
    expect(lines.slice(at, at + 5)).toEqual([`a ${p} 100`, `a ${q} 30`, `r ${p} 200`, `f ${q}`, `f ${p}`]);
    // 2000 malloc+free pairs from two threads: every free names a live block (the trace replays).
    const script = parseTraceScript('known', text);
    expect(result.stats.allocations).toBeGreaterThanOrEqual(2002);
    expect(result.stats.frees).toBeGreaterThanOrEqual(2002);
    expect(result.stats.missedFrees).toBe(0);
    expect(script.length).toBe(result.stats.operations);
  });

  it('keeps the header on comment lines when the command or description has line breaks', (ctx) => {
    if (findCompiler() === null) ctx.skip('no C compiler');
    const tracer = compileTracer(dir);
    const script = 'import sys\nfor i in range(3): sys.stdout.write(str(i))';
    const result = captureTrace(
      {
        name: 'multi-line',
        description: 'a script\r\nin two lines',
        argv: ['sh', '-c', 'x=1\ny=$x; true'],
        shownCommand: `python3 -c ${script}`,
        maxOperations: 1000,
        outDir: dir,
      },
      tracer,
    );
    const text = gunzipSync(readFileSync(result.file)).toString('utf8');
    expect(text.split('\n').slice(0, 2)).toEqual([
      '# multi-line: a script\\nin two lines',
      '# command: python3 -c import sys\\nfor i in range(3): sys.stdout.write(str(i))',
    ]);
    expect(parseTraceScript('multi-line', text).length).toBe(result.stats.operations);
  });

  it('writes line breaks in header text as \\n', () => {
    expect(headerText('a\nb\r\nc\rd\u2028e')).toBe('a\\nb\\nc\\nd\\ne');
    expect(headerText('one line')).toBe('one line');
  });

  it('fails clearly when the program fails', (ctx) => {
    if (findCompiler() === null) ctx.skip('no C compiler');
    const tracer = compileTracer(dir);
    expect(() =>
      captureTrace({ name: 'bad', description: '', argv: ['false'], maxOperations: 10, outDir: dir }, tracer),
    ).toThrow(/false exited with 1/);
    expect(() =>
      captureTrace(
        {
          name: 'bad',
          description: '',
          argv: [join(dir, 'no-such-program')],
          maxOperations: 10,
          outDir: dir,
        },
        tracer,
      ),
    ).toThrow(/cannot run/);
  });
});
