import { describe, expect, it } from 'vitest';
import { parseCommand } from './command.js';
import { comparePolicies, portableSnapshotAt, sampleSteps, toPortableProgram } from './compare.js';
import { findScenario } from './scenarios.js';
import { runProgram } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

const lines = (l: readonly string[]) => l.map((x) => parseCommand(x)!);

describe('toPortableProgram', () => {
  it('names blocks by the step that made them, and drops steps that change no heap', () => {
    const timeline = runProgram(
      DEFAULT_OPTIONS,
      lines([
        'malloc 100',
        'calloc 2 50',
        'realloc 1000 300',
        'get 1100',
        'write 1100 hi',
        'free 1100',
        'free 9',
        'trim',
        'a t 5',
        'r t 6',
        'f t',
      ]),
    );
    expect(toPortableProgram(timeline)).toEqual([
      { op: 'a', id: '@1', size: 100 },
      { op: 'a', id: '@2', size: 100 },
      { op: 'r', id: '@1', size: 300 },
      null,
      null,
      { op: 'f', id: '@2' },
      null,
      { op: 'trim' },
      { op: 'a', id: 't', size: 5 },
      { op: 'r', id: 't', size: 6 },
      { op: 'f', id: 't' },
    ]);
  });
});

describe('comparePolicies', () => {
  it('runs the same program under the four policies: first fit maps a second page where best fit does not', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, lines(findScenario('first-vs-best')!.lines));
    const program = toPortableProgram(timeline);
    const runs = comparePolicies(DEFAULT_OPTIONS, program);
    expect(runs.map((r) => r.policy)).toEqual(['first-fit', 'next-fit', 'best-fit', 'tlsf']);
    for (const run of runs) {
      expect(run.steps).toEqual(sampleSteps(program.length, 300));
      expect(run.utilisation).toHaveLength(program.length + 1);
      expect(run.fragmentation).toHaveLength(program.length + 1);
      expect(run.failures).toEqual({ count: 0, first: [] });
    }
    const byPolicy = Object.fromEntries(runs.map((r) => [r.policy, r]));
    expect(byPolicy['first-fit']!.pages.at(-1)).toBe(2);
    expect(byPolicy['best-fit']!.pages.at(-1)).toBe(1);
    expect(byPolicy['best-fit']!.utilisation.at(-1)).toBe(1);
    expect(byPolicy['best-fit']!.fragmentation.at(-1)).toBe(0);
    // The first-fit run is the page's own timeline.
    expect(byPolicy['first-fit']!.utilisation).toEqual(timeline.steps.map((s) => s.utilisation));
    const snapshot = portableSnapshotAt(DEFAULT_OPTIONS, 'best-fit', program, program.length);
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.policy).toBe('best-fit');
  });

  it('counts and names the steps that fail under a policy', () => {
    const runs = comparePolicies(DEFAULT_OPTIONS, [
      { op: 'f', id: 'x' },
      null,
      { op: 'a', id: 'y', size: 0 },
    ]);
    expect(runs[0]!.failures.count).toBe(2);
    expect(runs[0]!.failures.first[0]).toBe('step 1: f x: block "x" is not allocated');
    expect(runs[0]!.failures.first[1]).toMatch(/^step 3: malloc\(0\)/);
  });
});

describe('sampleSteps', () => {
  it('takes every step of a short run', () => {
    expect(sampleSteps(4, 10)).toEqual([0, 1, 2, 3, 4]);
  });

  it('spreads the samples of a long run evenly, keeping the first and the last step', () => {
    expect(sampleSteps(100, 5)).toEqual([0, 25, 50, 75, 100]);
    const steps = sampleSteps(12345, 300);
    expect(steps).toHaveLength(300);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(12345);
  });

  it('records the sampled steps only', () => {
    const program = Array.from({ length: 999 }, (_, i) => ({ op: 'a', id: `x${i}`, size: 10 }) as const);
    const [run] = comparePolicies(DEFAULT_OPTIONS, program, 10);
    expect(run!.steps).toEqual(sampleSteps(999, 10));
    expect(run!.utilisation).toHaveLength(10);
    expect(run!.pages.at(-1)).toBe(3);
  });
});
