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
  /** The heap's counters after the step. */
  readonly counters: HeapCounters;
  /** Bytes in use / bytes mapped after the step, 0..1. */
  readonly utilisation: number;
  /**
   * The addresses of the block this step placed, grew or moved (a malloc, calloc or realloc
   * that worked), as it is after the step; `null` for every other step. Together they are
   * every byte any block has held (see `holeHistory`).
   */
  readonly placed: { readonly start: number; readonly lastAddress: number } | null;
}

/** The commands that place a block (or grow or move one). */
const PLACING: ReadonlySet<Command['op']> = new Set(['malloc', 'calloc', 'realloc', 'a', 'r']);

/** What a step changed and what the heap walk said after it (each needs the whole heap). */
export interface StepDetails {
  /** What changed, one sentence each (see `describeChange`). */
  readonly changes: readonly string[];
  /** `null` when `validate()` passed after the step, else its error message. */
  readonly invalid: string | null;
  /** External fragmentation after the step, 1 - largest hole / free bytes, 0..1. */
  readonly fragmentation: number;
}

/** How far `validate()` has been run over a timeline's states. */
export interface ValidationProgress {
  /** How many states (from step 0 on) have been validated. */
  checked: number;
  /** The steps where `validate()` failed, with its message. */
  readonly failures: Map<number, string>;
}

/** A program run on a fresh heap: one record per step. */
export interface Timeline {
  /** The options the heap was made with. */
  readonly options: VisualOptions;
  /** The program. */
  readonly commands: readonly Command[];
  /** `steps[0]` is the fresh heap, `steps[k]` the state after `commands[k - 1]`. */
  readonly steps: readonly StepRecord[];
  /**
   * Each step's details: all filled by {@link runProgram} for programs of up to
   * {@link EAGER_STEP_LIMIT} commands, else filled when a step is first shown.
   */
  readonly details: (StepDetails | undefined)[];
  /** `validate()` after every step: complete for short programs, continued by {@link validateMore} for long ones. */
  readonly validation: ValidationProgress;
}

/**
 * Programs up to this many commands get every step's details and `validate()` during
 * {@link runProgram}; longer ones (big trace files) get them as they are shown and validated in
 * the background ({@link validateMore}), so that loading stays fast.
 */
export const EAGER_STEP_LIMIT = 2000;

/**
 * Runs the heap walk and says what it found.
 * @param heap a heap (anything with `validate()`).
 * @returns `null` when `validate()` passed, else its error as the page shows it (never swallowed).
 */
export function validationError(heap: Pick<Heap, 'validate'>): string | null {
  try {
    heap.validate();
    return null;
  } catch (error) {
    return errorText(error);
  }
}

function details(before: HeapSnapshot, after: HeapSnapshot, heap: Heap, ok: boolean): StepDetails {
  const changes = describeChange(before, after);
  if (!ok && changes.length > 0) changes.unshift('the failed call changed the heap (a MeMS bug)');
  return {
    changes,
    invalid: validationError(heap),
    fragmentation: computeMetrics(after).externalFragmentation,
  };
}

const utilisationOf = (c: HeapCounters) => (c.bytesMapped > 0 ? c.bytesInUse / c.bytesMapped : 0);

/**
 * Runs a program on a fresh heap (the real `@mems/core` on the mock provider), one step per
 * command: each command's result or error, and (for programs up to {@link EAGER_STEP_LIMIT}
 * commands) what it changed and `validate()` after it. A command that fails is a step too (its
 * result is the error message) and changes nothing.
 * @param options the heap's options.
 * @param commands the program.
 * @returns the timeline.
 * @throws MemsError `EINVAL` when the options are invalid (nothing is run).
 */
export function runProgram(options: VisualOptions, commands: readonly Command[]): Timeline {
  const { heap } = createVisualHeap(options);
  const names = new BlockNames();
  const eager = commands.length <= EAGER_STEP_LIMIT;
  const all: (StepDetails | undefined)[] = new Array(commands.length + 1);
  const validation: ValidationProgress = { checked: 0, failures: new Map() };
  try {
    let before = heap.snapshot();
    const invalid = validationError(heap);
    all[0] = { changes: [], invalid, fragmentation: 0 };
    validation.checked = 1;
    if (invalid !== null) validation.failures.set(0, invalid);
    const steps: StepRecord[] = [
      {
        index: 0,
        command: null,
        label: 'start',
        ok: true,
        result: 'a fresh heap: nothing mapped',
        address: null,
        counters: heap.counters(),
        utilisation: 0,
        placed: null,
      },
    ];
    for (let i = 0; i < commands.length; i++) {
      const command = commands[i]!;
      let ok = true;
      let result: string;
      let address: number | null = null;
      let placed: StepRecord['placed'] = null;
      try {
        const outcome = executeCommand(heap, names, command);
        result = outcome.text;
        address = outcome.address;
        if (address !== null && PLACING.has(command.op))
          placed = { start: address, lastAddress: address + heap.usableSize(address) - 1 };
      } catch (error) {
        ok = false;
        result = errorText(error);
      }
      const counters = heap.counters();
      steps.push({
        index: i + 1,
        command,
        label: formatCommand(command),
        ok,
        result,
        address,
        counters,
        utilisation: utilisationOf(counters),
        placed,
      });
      if (eager) {
        const after = heap.snapshot();
        const d = details(before, after, heap, ok);
        all[i + 1] = d;
        validation.checked++;
        if (d.invalid !== null) validation.failures.set(i + 1, d.invalid);
        before = after;
      }
    }
    return { options, commands, steps, details: all, validation };
  } finally {
    heap.destroy();
  }
}

/**
 * A heap that walks a timeline forwards: moving to a later step runs only the commands in
 * between; moving back starts again from a fresh heap. The allocator and the mock provider are
 * deterministic, so every visit of a step gives the same state (the browser tests check the
 * stats text both ways).
 */
export class TimelineCursor {
  private heap: Heap | null = null;
  private names = new BlockNames();
  private position = 0;
  private cursorOf: () => number | null = () => null;

  /** @param timeline the timeline to walk. */
  constructor(readonly timeline: Timeline) {}

  /** The step the heap is at. */
  get index(): number {
    return this.position;
  }

  /**
   * Moves the heap to a step.
   * @param index 0 to `timeline.steps.length - 1`.
   * @returns the heap in that state (owned by the cursor; do not destroy it).
   * @throws RangeError for a step outside the timeline.
   */
  moveTo(index: number): Heap {
    const steps = this.timeline.steps.length;
    if (!Number.isInteger(index) || index < 0 || index >= steps)
      throw new RangeError(`moveTo: step ${index} is not in 0..${steps - 1}`);
    if (this.heap === null || index < this.position) {
      this.release();
      const made = createVisualHeap(this.timeline.options);
      this.heap = made.heap;
      this.cursorOf = made.cursor;
      this.names = new BlockNames();
      this.position = 0;
    }
    while (this.position < index) {
      try {
        executeCommand(this.heap, this.names, this.timeline.commands[this.position]!);
      } catch {
        // A failed step changed nothing; the timeline shows its error.
      }
      this.position++;
    }
    return this.heap;
  }

  /** Next fit's cursor in the current state (where the last placement ended), `null` before any. */
  get placementCursor(): number | null {
    return this.cursorOf();
  }

  /** Unmaps the heap's pages. */
  release(): void {
    if (this.heap !== null && !this.heap.isDestroyed) this.heap.destroy();
    this.heap = null;
  }
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
  /** What the step changed and what `validate()` said after it. */
  readonly details: StepDetails;
  /** The live heap in this state (for `mems_get` and byte views), valid until the cursor moves. */
  readonly heap: Heap;
}

/**
 * The state of one step, through a cursor: computes (and keeps in the timeline) the step's
 * details when they were not computed yet.
 * @param cursor the timeline's cursor.
 * @param index the step.
 * @returns the state.
 * @throws RangeError for a step outside the timeline.
 */
export function stateThrough(cursor: TimelineCursor, index: number): StepState {
  const timeline = cursor.timeline;
  let d = index >= 0 ? timeline.details[index] : undefined;
  let heap: Heap;
  let snapshot: HeapSnapshot;
  if (d === undefined && index > 0) {
    const before = cursor.moveTo(index - 1).snapshot();
    heap = cursor.moveTo(index);
    snapshot = heap.snapshot();
    d = details(before, snapshot, heap, timeline.steps[index]!.ok);
    timeline.details[index] = d;
  } else {
    heap = cursor.moveTo(index);
    snapshot = heap.snapshot();
  }
  return {
    index,
    snapshot,
    statsText: formatSeedStats(snapshot),
    cursor: cursor.placementCursor,
    details: d!,
    heap,
  };
}

/**
 * Rebuilds the state of one step on a fresh heap (a convenience over {@link TimelineCursor}).
 * @param timeline the timeline.
 * @param index the step.
 * @returns the state and a function that unmaps its heap.
 * @throws RangeError for a step outside the timeline.
 */
export function stateAt(timeline: Timeline, index: number): StepState & { release: () => void } {
  const cursor = new TimelineCursor(timeline);
  return { ...stateThrough(cursor, index), release: () => cursor.release() };
}

/**
 * Continues `validate()` after every step of a long timeline, for about `budgetMs`
 * milliseconds, on a heap of its own; call again until it returns `true`.
 * @param timeline the timeline (its `validation` is updated).
 * @param walker a cursor used only for this (keep it between calls, so that each call goes on where the last stopped).
 * @param budgetMs how long to work, in milliseconds.
 * @param now the clock (tests pass a fake).
 * @returns whether every state has been validated.
 */
export function validateMore(
  timeline: Timeline,
  walker: TimelineCursor,
  budgetMs: number,
  now: () => number = () => performance.now(),
): boolean {
  const total = timeline.steps.length;
  const v = timeline.validation;
  const end = now() + budgetMs;
  while (v.checked < total) {
    const heap = walker.moveTo(v.checked);
    const invalid = validationError(heap);
    if (invalid !== null) v.failures.set(v.checked, invalid);
    v.checked++;
    if (now() >= end) break;
  }
  if (v.checked >= total) walker.release();
  return v.checked >= total;
}
