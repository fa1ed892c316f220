import type { Heap, HeapCounters, HeapSnapshot } from '@mems/core';
import { computeMetrics, formatSeedStats } from '@mems/stats';
import { type Command, formatCommand } from './command.js';
import { describeChange } from './describe-change.js';
import { BlockNames, errorText, executeCommand } from './execute-command.js';
import { createVisualHeap, type VisualOptions } from './visual-heap.js';

/** One step of a timeline: the state after a command (step 0: the fresh heap, no command). */
export interface StepRecord {
  /** 0 for the fresh heap, then 1, 2, ... */
  readonly index: number;
  /** The command of this step (`null` for step 0). */
  readonly command: Command | null;
  /** The command as a line (`'start'` for step 0). */
  readonly label: string;
  /** Whether the command worked. */
  readonly ok: boolean;
  /** Its result line, or its error message (`CODE: message` for a MemsError). */
  readonly result: string;
  /** The block the step made, resized, freed or touched; `null` when none. */
  readonly address: number | null;
  /** What changed, one sentence each (see `describeChange`). */
  readonly changes: readonly string[];
  /** `null` when `validate()` passed after the step, else its error message. */
  readonly invalid: string | null;
  /** The heap's counters after the step. */
  readonly counters: HeapCounters;
  /** Bytes in use / bytes mapped, 0..1. */
  readonly utilisation: number;
  /** External fragmentation, 1 - largest hole / free bytes, 0..1. */
  readonly fragmentation: number;
}

/** A program run on a fresh heap: one record per step. */
export interface Timeline {
  /** The options the heap was made with. */
  readonly options: VisualOptions;
  /** The program. */
  readonly commands: readonly Command[];
  /** `steps[0]` is the fresh heap, `steps[k]` the state after `commands[k - 1]`. */
  readonly steps: readonly StepRecord[];
}

/** The heap in the state of one step, with what the views need of it. */
export interface StepState {
  /** The step. */
  readonly index: number;
  /** The heap's snapshot. */
  readonly snapshot: HeapSnapshot;
  /** Exactly what `mems_print_stats` prints for this state (`formatSeedStats` of `@mems/stats`). */
  readonly statsText: string;
  /** Next fit's cursor (where the last placement ended), `null` before any. */
  readonly cursor: number | null;
  /** The live heap in this state (for `mems_get` and byte views); call {@link StepState.release} when done. */
  readonly heap: Heap;
  /** Unmaps the heap's pages (the state's snapshot stays usable). */
  readonly release: () => void;
}

function check(heap: Heap): string | null {
  try {
    heap.validate();
    return null;
  } catch (error) {
    return errorText(error);
  }
}

function figures(snapshot: HeapSnapshot): { utilisation: number; fragmentation: number } {
  const metrics = computeMetrics(snapshot);
  return { utilisation: metrics.utilisation, fragmentation: metrics.externalFragmentation };
}

/**
 * Runs a program on a fresh heap (the real `@mems/core` on the mock provider), one step per
 * command: each command's result or error, what it changed, and `validate()` after it. A command
 * that fails is a step too (its result is the error message) and changes nothing.
 * @param options the heap's options.
 * @param commands the program.
 * @returns the timeline.
 * @throws MemsError `EINVAL` when the options are invalid (nothing is run).
 */
export function runProgram(options: VisualOptions, commands: readonly Command[]): Timeline {
  const { heap } = createVisualHeap(options);
  const names = new BlockNames();
  try {
    let before = heap.snapshot();
    const steps: StepRecord[] = [
      {
        index: 0,
        command: null,
        label: 'start',
        ok: true,
        result: 'a fresh heap: nothing mapped',
        address: null,
        changes: [],
        invalid: check(heap),
        counters: heap.counters(),
        ...figures(before),
      },
    ];
    for (let i = 0; i < commands.length; i++) {
      const command = commands[i]!;
      let ok = true;
      let result: string;
      let address: number | null = null;
      try {
        const outcome = executeCommand(heap, names, command);
        result = outcome.text;
        address = outcome.address;
      } catch (error) {
        ok = false;
        result = errorText(error);
      }
      const after = heap.snapshot();
      const changes = describeChange(before, after);
      if (!ok && changes.length > 0) changes.unshift('the failed call changed the heap (a MeMS bug)');
      steps.push({
        index: i + 1,
        command,
        label: formatCommand(command),
        ok,
        result,
        address,
        changes,
        invalid: check(heap),
        counters: heap.counters(),
        ...figures(after),
      });
      before = after;
    }
    return { options, commands, steps };
  } finally {
    heap.destroy();
  }
}

/**
 * Rebuilds the heap of one step by running the program's first `index` commands on a fresh
 * heap. The allocator and the mock provider are deterministic, so this is the same state the
 * timeline recorded (the browser tests check the stats text both ways).
 * @param timeline the timeline.
 * @param index the step, 0 to `timeline.steps.length - 1`.
 * @returns the state; release its heap when done with it.
 * @throws RangeError for a step outside the timeline.
 */
export function stateAt(timeline: Timeline, index: number): StepState {
  if (!Number.isInteger(index) || index < 0 || index >= timeline.steps.length)
    throw new RangeError(`stateAt: step ${index} is not in 0..${timeline.steps.length - 1}`);
  const { heap, cursor } = createVisualHeap(timeline.options);
  const names = new BlockNames();
  for (let i = 0; i < index; i++) {
    try {
      executeCommand(heap, names, timeline.commands[i]!);
    } catch {
      // A failed step changed nothing; the timeline shows its error.
    }
  }
  const snapshot = heap.snapshot();
  return {
    index,
    snapshot,
    statsText: formatSeedStats(snapshot),
    cursor: cursor(),
    heap,
    release: () => {
      if (!heap.isDestroyed) heap.destroy();
    },
  };
}
