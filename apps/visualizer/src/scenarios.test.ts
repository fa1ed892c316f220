import { describe, expect, it } from 'vitest';
import { parseCommand } from './command.js';
import { DEFAULT_SCENARIO_ID, EMPTY_SCENARIO_ID, findScenario, SCENARIOS } from './scenarios.js';
import { runProgram } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

const run = (id: string) =>
  runProgram(
    DEFAULT_OPTIONS,
    findScenario(id)!.lines.map((l) => parseCommand(l)!),
  );
const allChanges = (id: string) => run(id).details.flatMap((d) => d!.changes);

describe('scenarios', () => {
  it('have unique ids, and include the seed example (the default) and the empty heap labelled "Empty heap"', () => {
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    expect(SCENARIOS[0]!.id).toBe(DEFAULT_SCENARIO_ID);
    expect(findScenario(EMPTY_SCENARIO_ID)!.label).toBe('Empty heap');
    expect(findScenario(EMPTY_SCENARIO_ID)!.lines).toEqual([]);
    expect(findScenario('nope')).toBeUndefined();
  });

  it.each(SCENARIOS.map((s) => s.id))('%s: every step works and validate() passes after it', (id) => {
    const timeline = run(id);
    for (const step of timeline.steps) expect(step.ok, `${step.label}: ${step.result}`).toBe(true);
    expect(timeline.validation.checked).toBe(timeline.steps.length);
    expect(timeline.validation.failures.size).toBe(0);
  });

  it('the merge cases show each of the four cases of free', () => {
    const changes = allChanges('merge-cases').join('\n');
    expect(changes).toContain('no neighbouring hole');
    expect(changes).toContain('merged with the hole before');
    expect(changes).toContain('merged with the hole after');
    expect(changes).toContain('merged with the holes before and after');
  });

  it('exact fit shows an exact fit twice', () => {
    expect(allChanges('exact-fit').filter((c) => c.startsWith('exact fit:'))).toHaveLength(2);
  });

  it('a block larger than a page maps a node of three pages', () => {
    expect(allChanges('larger-than-page')[0]).toBe('new node MAIN[1000:13287]: 3 pages mapped');
  });

  it('fragmentation forces a new node while enough bytes are free', () => {
    const timeline = run('fragmentation');
    expect(timeline.steps.at(-2)!.counters.bytesFree).toBeGreaterThanOrEqual(1000);
    expect(timeline.details.at(-1)!.changes[0]).toMatch(/^new node MAIN\[5096:9191\]/);
  });

  it('first against best fit opens the comparison', () => {
    expect(findScenario('first-vs-best')!.compare).toBe(true);
  });
});
