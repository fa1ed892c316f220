import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OP_ALLOCATE, OP_FREE, OP_REALLOCATE, parseTrace } from '@mems/traces';
import { describe, expect, it } from 'vitest';
import { TRACES_DIR } from '../bench-paths.js';
import { MAX_TRACE_OPERATIONS, TRACE_RECIPES } from './recipes.js';
import {
  encodeTraceScript,
  firstOperations,
  loadTraceScript,
  MAX_SCRIPT_SIZE,
  parseTraceScript,
  traceLiveBytes,
  traceScriptOf,
} from './trace-script.js';

describe('parseTraceScript', () => {
  it('reads a/f/r lines into slots, skipping comments and blank lines', () => {
    const s = parseTraceScript('t', '# header\na x 10\na y 5 # note\n\nr x 20\nf y\nf x\na y 7\n');
    expect(s.length).toBe(6);
    expect([...s.ops]).toEqual([OP_ALLOCATE, OP_ALLOCATE, OP_REALLOCATE, OP_FREE, OP_FREE, OP_ALLOCATE]);
    expect([...s.slots]).toEqual([0, 1, 0, 1, 0, 1]);
    expect([...s.sizes]).toEqual([10, 5, 20, 0, 0, 7]);
    expect(s.blocks).toBe(2);
  });

  it('refuses a trace that cannot replay, naming the line', () => {
    expect(() => parseTraceScript('t', 'a x 1\na x 2\n')).toThrow('t: line 2: block x is already allocated');
    expect(() => parseTraceScript('t', 'f x\n')).toThrow('t: line 1: block x is not allocated');
    expect(() => parseTraceScript('t', 'a x 1\nf x\nr x 3\n')).toThrow('line 3: block x is not allocated');
    expect(() => parseTraceScript('t', `a x ${MAX_SCRIPT_SIZE}\na y ${MAX_SCRIPT_SIZE + 1}\n`)).toThrow(
      "t: line 2: size 4294967296 is too large for the benchmark's replay (at most 4294967295)",
    );
  });

  it('names the trace and the line of a malformed line (the syntax is @mems/traces, tested there)', () => {
    expect(() => parseTraceScript('t', '# x\na x 0\n')).toThrow(
      't: line 2: size "0" is not a positive integer',
    );
    expect(() => parseTraceScript('t', 'm x 1\n')).toThrow('t: line 1: unknown operation "m"');
  });

  it("uses the parsed trace's block numbers as slots", () => {
    const trace = parseTrace('a x 1\na y 2\nf x\na x 3\n');
    const script = traceScriptOf('t', trace);
    expect([...script.slots]).toEqual([...trace.ids]);
    expect(script.blocks).toBe(2);
    expect(script.sizes).toBeInstanceOf(Uint32Array);
  });

  it('follows the live bytes of requested sizes', () => {
    const live = traceLiveBytes(parseTraceScript('t', 'a x 10\na y 5\nr x 20\nf y\nf x\n'));
    expect([...live.after]).toEqual([10, 15, 25, 20, 0]);
    expect(live.peak).toBe(25);
  });

  it('encodes the script for the C replayer', () => {
    const bytes = encodeTraceScript(parseTraceScript('t', 'a x 10\nr x 300\nf x\n'));
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(8 + 3 + 12 + 12);
    expect([view.getUint32(0, true), view.getUint32(4, true)]).toEqual([3, 1]);
    expect([...bytes.subarray(8, 11)]).toEqual([0, 2, 1]);
    expect(view.getUint32(8 + 3 + 12 + 4, true)).toBe(300);
  });
});

describe('the committed traces', () => {
  const files = readdirSync(TRACES_DIR).filter((f) => f.endsWith('.trace.gz'));

  it('are the recipes, at least three real programs', () => {
    expect(files.sort()).toEqual(TRACE_RECIPES.map((r) => `${r.name}.trace.gz`).sort());
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays: every free and realloc names a live block, within the size cap', (file) => {
    const script = loadTraceScript(join(TRACES_DIR, file));
    expect(script.name).toBe(file.replace('.trace.gz', ''));
    expect(script.length).toBeGreaterThan(10_000);
    expect(script.length).toBeLessThanOrEqual(MAX_TRACE_OPERATIONS);
    expect(traceLiveBytes(script).peak).toBeGreaterThan(100_000);
  });
});

describe('a prefix of a trace', () => {
  it('keeps the first operations, not counting comments and blank lines', () => {
    const text = '# header\na 0 16\n\n# note\na 1 32\nf 0\nf 1\n';
    expect(firstOperations(text, 2)).toBe('# header\na 0 16\n\n# note\na 1 32\n');
    expect(firstOperations(text, 10)).toBe(text);
    expect(parseTraceScript('p', firstOperations(text, 3)).length).toBe(3);
  });
});
