import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Session, TRACE_SCENARIO_ID } from './session.js';
import { decodeHash, encodeHash } from './url-state.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

const statsNow = (s: Session) => s.current().statsText;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('Session', () => {
  it('opens on the seed example at its last step', () => {
    const s = new Session();
    expect(s.scenario).toBe('seed');
    expect(s.step).toBe(14);
    expect(s.lastStep).toBe(14);
    expect(s.error).toBe('');
  });

  it('runs a typed command as the next step', () => {
    const s = new Session();
    s.chooseScenario('empty');
    expect(s.lastStep).toBe(0);
    expect(s.run('malloc 1000')).toBe(true);
    expect(s.run('# a comment')).toBe(false);
    expect(s.lastStep).toBe(1);
    expect(s.timeline.steps[1]!.result).toBe('Virtual address: 1000');
  });

  it('changes nothing for a bad command and says why', () => {
    const s = new Session();
    const before = { timeline: s.timeline, step: s.step, text: statsNow(s) };
    expect(s.run('free 1234')).toBe(false);
    expect(s.error).toMatch(/^EFAULT: free\(1234\)/);
    expect(s.run('frobnicate')).toBe(false);
    expect(s.error).toMatch(/^unknown command "frobnicate"/);
    expect(s.timeline).toBe(before.timeline);
    expect(s.step).toBe(before.step);
    expect(statsNow(s)).toBe(before.text);
    expect(s.run('malloc 8')).toBe(true);
    expect(s.error).toBe('');
  });

  it('drops the steps after the current one when a command is typed there', () => {
    const s = new Session();
    s.goTo(3);
    expect(s.run('malloc 77')).toBe(true);
    expect(s.lastStep).toBe(4);
    expect(s.commands.map((c) => c.op)).toEqual(['malloc', 'malloc', 'malloc', 'malloc']);
    expect(s.timeline.steps[4]!.label).toBe('malloc 77');
  });

  it('clamps moves to the timeline', () => {
    const s = new Session();
    s.goTo(-5);
    expect(s.step).toBe(0);
    s.goTo(Number.POSITIVE_INFINITY);
    expect(s.step).toBe(14);
    s.goTo(Number.NaN);
    expect(s.step).toBe(0);
    s.goTo(2.7);
    expect(s.step).toBe(2);
  });

  it('re-runs the program with new options, and refuses invalid ones without change', () => {
    const s = new Session();
    s.goTo(5);
    expect(s.setPolicy('best-fit')).toBe(true);
    expect(s.step).toBe(5);
    expect(s.current().snapshot.policy).toBe('best-fit');
    const timeline = s.timeline;
    expect(s.setOptions({ pageSize: 1000 })).toBe(false);
    expect(s.error).toMatch(/^EINVAL: createHeap: option pageSize = 1000/);
    expect(s.timeline).toBe(timeline);
    expect(s.options.pageSize).toBe(4096);
  });

  it('loads a trace file, and refuses a bad one without change', async () => {
    const s = new Session();
    expect(await s.loadTrace('t.trace', bytes('a x 10\na y 20\nf x\n'))).toBe(true);
    expect(s.scenario).toBe(TRACE_SCENARIO_ID);
    expect(s.traceName).toBe('t.trace');
    expect(s.lastStep).toBe(3);
    expect(await s.loadTrace('bad.rep', bytes('nonsense'))).toBe(false);
    expect(s.error).toMatch(/^bad.rep, line 1: a .rep trace starts with four numbers/);
    expect(s.traceName).toBe('t.trace');
    expect(s.lastStep).toBe(3);
  });

  it('loads a gzip-compressed trace file, and refuses one that does not decompress without change', async () => {
    const s = new Session();
    expect(await s.loadTrace('t.trace.gz', gzipSync('a x 10\na y 20\nf x\nf y\n'))).toBe(true);
    expect(s.traceName).toBe('t.trace.gz');
    expect(s.lastStep).toBe(4);
    expect(await s.loadTrace('cut.trace.gz', gzipSync('a z 1\n').subarray(0, 12))).toBe(false);
    expect(s.error).toMatch(/^cut\.trace\.gz: looks gzip-compressed but does not decompress: /);
    expect(s.traceName).toBe('t.trace.gz');
    expect(s.lastStep).toBe(4);
  });

  it('restores what its page state says, through the URL hash', () => {
    const s = new Session();
    s.chooseScenario('merge-cases');
    s.setOptions({ policy: 'tlsf', alignment: 8 });
    s.run('calloc 3 7');
    s.goTo(4);
    const hash = encodeHash(s.pageState());
    const t = new Session();
    expect(t.restore(decodeHash(hash).state)).toEqual([]);
    expect(t.scenario).toBe('merge-cases');
    expect(t.options).toEqual({ ...DEFAULT_OPTIONS, policy: 'tlsf', alignment: 8 });
    expect(t.step).toBe(4);
    expect(t.lastStep).toBe(s.lastStep);
    expect(statsNow(t)).toBe(statsNow(s));
  });

  it('leaves a scenario’s own program out of the page state', () => {
    const s = new Session();
    expect(s.pageState().program).toBeNull();
    s.run('malloc 5');
    expect(s.pageState().program).toHaveLength(15);
  });

  it('restores a trace with its name', async () => {
    const s = new Session();
    await s.loadTrace('x.trace', bytes('a x 10\n'));
    const t = new Session();
    t.restore(decodeHash(encodeHash(s.pageState())).state);
    expect(t.scenario).toBe(TRACE_SCENARIO_ID);
    expect(t.traceName).toBe('x.trace');
    expect(t.commands).toEqual([{ op: 'a', id: 'x', size: 10 }]);
  });

  it('reports what it cannot restore and falls back', () => {
    const s = new Session();
    expect(
      s.restore({ ...decodeHash('').state, options: { ...DEFAULT_OPTIONS, pageSize: 3 }, step: 99 }),
    ).toEqual([
      expect.stringMatching(
        /^URL options: EINVAL: createHeap: option pageSize = 3.*; using the seed's options$/,
      ),
      'URL: step 99 is beyond the last step 14',
    ]);
    expect(s.options).toEqual(DEFAULT_OPTIONS);
    expect(s.step).toBe(14);
    expect(s.error).toContain('URL options');
    expect(s.restore({ ...decodeHash('').state, scenario: 'nope' })).toEqual([
      'URL: unknown scenario "nope"; opening the empty heap',
    ]);
    expect(s.scenario).toBe('empty');
    expect(s.restore({ ...decodeHash('').state, program: ['malloc 5', 'bogus'] })[0]).toMatch(
      /^URL program: unknown command "bogus"/,
    );
  });

  it('keeps one live heap, which walks forwards and starts again to go back', () => {
    const s = new Session();
    const first = s.current();
    expect(s.current()).toBe(first);
    s.goTo(3);
    expect(s.current().index).toBe(3);
    expect(first.heap.isDestroyed).toBe(true);
    // Forwards, the same heap walks on.
    const third = s.current();
    s.goTo(9);
    expect(s.current().heap).toBe(third.heap);
    expect(third.heap.isDestroyed).toBe(false);
  });
});
