import { createMems, type Mems } from '@mems/api';
import { HeapInvariantError } from '@mems/core';
import { createMockProvider } from '@mems/os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { parseCommand } from './command.js';
import { findScenario } from './scenarios.js';
import {
  EAGER_STEP_LIMIT,
  runProgram,
  stateAt,
  stateThrough,
  TimelineCursor,
  validateMore,
  validationError,
} from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

const printed = (heap: Mems) => {
  let text = '';
  heap.printStats((t) => {
    text += t;
  });
  return text;
};

const seedCommands = findScenario('seed')!.lines.map((l) => parseCommand(l)!);

describe('runProgram and stateAt', () => {
  it('give, at every step of the seed example, the stats text @mems/api prints for the same calls', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, seedCommands);
    expect(timeline.steps).toHaveLength(15);
    const api = createMems({ provider: createMockProvider() });
    const calls = [
      ...Array.from({ length: 10 }, () => () => api.malloc(1000)),
      () => api.get(1004),
      () => api.get(1000),
      () => api.free(4000),
      () => api.malloc(1000),
    ];
    for (let k = 0; k <= 14; k++) {
      if (k > 0) calls[k - 1]!();
      const state = stateAt(timeline, k);
      expect(state.statsText).toBe(printed(api));
      expect(timeline.steps[k]!.counters).toEqual(state.snapshot.counters);
      state.release();
    }
    api.finish();
  });

  it('records each step: its line, its result, what changed and validate()', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, seedCommands);
    expect(timeline.steps[0]).toMatchObject({
      index: 0,
      command: null,
      label: 'start',
      ok: true,
    });
    expect(timeline.steps[1]).toMatchObject({
      label: 'malloc 1000',
      ok: true,
      result: 'Virtual address: 1000',
      address: 1000,
    });
    expect(timeline.details[1]).toEqual({
      changes: [
        'new node MAIN[1000:5095]: 1 page mapped',
        'placed P[1000:1999] in the new node; the rest is H[2000:5095]',
      ],
      invalid: null,
      fragmentation: 0,
    });
    expect(timeline.steps[11]!.result).toMatch(/^Physical address: \d+$/);
    expect(timeline.validation).toEqual({ checked: 15, failures: new Map() });
    expect(timeline.steps[14]!.utilisation).toBeCloseTo(10000 / 12288);
  });

  it('keeps a failed command as a step whose result is the error, and which changes nothing', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, [
      { op: 'malloc', size: 100 },
      { op: 'free', address: 1050 },
      { op: 'f', id: 'nobody' },
    ]);
    expect(timeline.steps[2]).toMatchObject({ ok: false, address: null });
    expect(timeline.details[2]).toMatchObject({ changes: [], invalid: null });
    expect(timeline.steps[2]!.result).toMatch(/^EFAULT: free\(1050\)/);
    expect(timeline.steps[3]!.result).toBe('f nobody: block "nobody" is not allocated');
    expect(stateAt(timeline, 3).statsText).toBe(stateAt(timeline, 1).statsText);
  });

  it('refuses invalid options with MeMS’s error', () => {
    expect(() => runProgram({ ...DEFAULT_OPTIONS, pageSize: 1000 }, [])).toThrow(/option pageSize = 1000/);
    expect(() => runProgram({ ...DEFAULT_OPTIONS, alignment: 3 }, [])).toThrow(/option alignment = 3/);
  });

  it('refuses a step outside the timeline', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, []);
    expect(() => stateAt(timeline, 1)).toThrow('moveTo: step 1 is not in 0..0');
    expect(() => stateAt(timeline, -1)).toThrow(RangeError);
  });

  it('rebuilds every step of any program exactly as @mems/api runs it (stateAt replays deterministically)', () => {
    const command: fc.Arbitrary<Command> = fc.oneof(
      fc.record({
        op: fc.constant('a' as const),
        id: fc.constantFrom('p', 'q', 'r', 's'),
        size: fc.integer({ min: 1, max: 9000 }),
      }),
      fc.record({ op: fc.constant('f' as const), id: fc.constantFrom('p', 'q', 'r', 's') }),
      fc.record({
        op: fc.constant('r' as const),
        id: fc.constantFrom('p', 'q', 'r', 's'),
        size: fc.integer({ min: 1, max: 9000 }),
      }),
      fc.record({ op: fc.constant('trim' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 25 }),
        fc.constantFrom('first-fit', 'next-fit', 'best-fit', 'tlsf' as const),
        (commands, policy) => {
          const options = { ...DEFAULT_OPTIONS, policy };
          const timeline = runProgram(options, commands);
          // The page runs every policy without the front cache (on by default for tlsf and best-fit).
          const api = createMems({ provider: createMockProvider(), policy, frontCache: false });
          const blocks = new Map<string, number>();
          commands.forEach((c, i) => {
            try {
              if (c.op === 'a') {
                if (!blocks.has(c.id)) blocks.set(c.id, api.malloc(c.size));
              } else if (c.op === 'f') {
                if (blocks.has(c.id)) api.free(blocks.get(c.id)!);
                blocks.delete(c.id);
              } else if (c.op === 'r') {
                if (blocks.has(c.id)) blocks.set(c.id, api.realloc(blocks.get(c.id)!, c.size));
              } else api.trim();
            } catch {
              // Same failures as the page's.
            }
            const state = stateAt(timeline, i + 1);
            expect(state.statsText).toBe(printed(api));
            expect(timeline.details[i + 1]!.invalid).toBeNull();
            state.release();
          });
          api.finish();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('long programs', () => {
  const long: Command[] = [];
  for (let i = 0; i < EAGER_STEP_LIMIT; i++) long.push({ op: 'a', id: `b${i}`, size: 10 + (i % 50) });
  long.push({ op: 'f', id: 'b7' });

  it('run without details and validation, which are made when a step is shown and in the background', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, long);
    expect(timeline.steps).toHaveLength(long.length + 1);
    expect(timeline.details[5]).toBeUndefined();
    expect(timeline.validation.checked).toBe(1);
    const cursor = new TimelineCursor(timeline);
    const state = stateThrough(cursor, long.length);
    expect(state.details.changes).toEqual([
      expect.stringMatching(/^freed P\[\d+:\d+\]: no neighbouring hole/),
    ]);
    expect(timeline.details[long.length]).toBe(state.details);
    let clock = 0;
    let calls = 0;
    const walker = new TimelineCursor(timeline);
    while (!validateMore(timeline, walker, 5, () => (clock += 1))) calls++;
    expect(calls).toBeGreaterThan(10);
    expect(timeline.validation.checked).toBe(long.length + 1);
    expect(timeline.validation.failures.size).toBe(0);
    cursor.release();
  });

  it('give the same state by walking forwards as by starting again', () => {
    const timeline = runProgram(DEFAULT_OPTIONS, long);
    const cursor = new TimelineCursor(timeline);
    const forwards = [10, 500, 1500, long.length].map((k) => stateThrough(cursor, k).statsText);
    const fresh = [10, 500, 1500, long.length].map((k) => {
      const state = stateAt(timeline, k);
      state.release();
      return state.statsText;
    });
    expect(forwards).toEqual(fresh);
    expect(stateThrough(cursor, 10).statsText).toBe(fresh[0]);
    expect(cursor.index).toBe(10);
    cursor.release();
    expect(() => cursor.moveTo(long.length + 1)).toThrow(RangeError);
  });
});

describe('validationError', () => {
  it('is null when validate() passes, and the error text when it throws', () => {
    expect(validationError({ validate: () => {} })).toBeNull();
    expect(
      validationError({
        validate: () => {
          throw new HeapInvariantError('segment 3 overlaps segment 4');
        },
      }),
    ).toBe('HeapInvariantError: segment 3 overlaps segment 4');
  });
});
