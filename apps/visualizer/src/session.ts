import type { PolicyName } from '@mems/core';
import { type Command, formatCommand, parseCommand } from './command.js';
import { errorText, StepError } from './execute-command.js';
import { readTraceFile } from './read-trace-file.js';
import { DEFAULT_SCENARIO_ID, EMPTY_SCENARIO_ID, findScenario } from './scenarios.js';
import {
  runProgram,
  type StepState,
  stateThrough,
  type Timeline,
  TimelineCursor,
  validateMore,
} from './timeline.js';
import type { PageState } from './url-state.js';
import { DEFAULT_OPTIONS, type VisualOptions } from './visual-heap.js';

/** The scenario id of a loaded trace file. */
export const TRACE_SCENARIO_ID = 'trace';

function parseLines(lines: readonly string[]): Command[] {
  const commands: Command[] = [];
  for (const line of lines) {
    const command = parseCommand(line);
    if (command !== null) commands.push(command);
  }
  return commands;
}

/**
 * The page's model, apart from any drawing: the options, the program (a scenario's, a trace's,
 * or typed), its timeline and the current step, and the last error. Every action either works
 * or leaves the session exactly as it was and sets {@link Session.error}.
 */
export class Session {
  /** The heap options. */
  options: VisualOptions = DEFAULT_OPTIONS;
  /** The scenario id (or {@link TRACE_SCENARIO_ID}). */
  scenario: string = DEFAULT_SCENARIO_ID;
  /** The loaded trace file's name. */
  traceName: string | null = null;
  /** The timeline of the current program. */
  timeline: Timeline;
  /** The current step, 0 to `timeline.steps.length - 1`. */
  step = 0;
  /** The last action's error message; `''` when it worked. */
  error = '';
  /** Whether the policy comparison is open. */
  compare = false;
  private state: StepState | null = null;

  /** Opens the seed's example at its last step. */
  constructor() {
    this.timeline = runProgram(this.options, parseLines(findScenario(DEFAULT_SCENARIO_ID)!.lines));
    this.step = this.lastStep;
  }

  /** The last step's index (the number of commands). */
  get lastStep(): number {
    return this.timeline.steps.length - 1;
  }

  /** The commands of the program. */
  get commands(): readonly Command[] {
    return this.timeline.commands;
  }

  private commit(timeline: Timeline, step: number): void {
    this.timeline = timeline;
    this.goTo(step);
    this.error = '';
  }

  private attempt(action: () => void): boolean {
    try {
      action();
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    }
  }

  /**
   * Starts a built-in scenario with the current options, at its last step (at step 0 for the
   * empty heap, which is also its last).
   * @param id the scenario id.
   * @returns whether it worked (else {@link Session.error} says why and nothing changed).
   */
  chooseScenario(id: string): boolean {
    return this.attempt(() => {
      const scenario = findScenario(id);
      if (scenario === undefined) throw new StepError(`unknown scenario ${JSON.stringify(id)}`);
      const timeline = runProgram(this.options, parseLines(scenario.lines));
      this.scenario = id;
      this.traceName = null;
      if (scenario.compare) this.compare = true;
      this.commit(timeline, timeline.steps.length - 1);
    });
  }

  /**
   * Runs a typed command as the next step after the current one (steps after the current one
   * are dropped, as typing in an editor after an undo). A blank line does nothing; a line that
   * is not a command, or a command that MeMS refuses, changes nothing and sets the error.
   * @param line the typed line.
   * @returns whether a step was added.
   */
  run(line: string): boolean {
    let added = false;
    const ok = this.attempt(() => {
      const command = parseCommand(line);
      if (command === null) return;
      const timeline = runProgram(this.options, [...this.commands.slice(0, this.step), command]);
      const last = timeline.steps[timeline.steps.length - 1]!;
      if (!last.ok) throw new StepError(last.result);
      this.commit(timeline, timeline.steps.length - 1);
      added = true;
    });
    return ok && added;
  }

  /**
   * Re-runs the program with other options, staying at the same step.
   * @param change the options to change.
   * @returns whether it worked (invalid options change nothing and set the error).
   */
  setOptions(change: Partial<VisualOptions>): boolean {
    return this.attempt(() => {
      const options = { ...this.options, ...change };
      const timeline = runProgram(options, this.commands);
      this.options = options;
      this.commit(timeline, Math.min(this.step, timeline.steps.length - 1));
    });
  }

  /**
   * Sets the placement policy.
   * @param policy the policy.
   * @returns whether it worked.
   */
  setPolicy(policy: PolicyName): boolean {
    return this.setOptions({ policy });
  }

  /**
   * Loads a trace file (the replay format, or a CS:APP `.rep`; plain or gzip-compressed) as the
   * program, at its last step. A file that cannot be read changes nothing and sets the error.
   * @param name the file's name (`.rep` or `.rep.gz` selects the malloc-lab format).
   * @param bytes its bytes.
   * @returns whether it worked.
   */
  async loadTrace(name: string, bytes: Uint8Array): Promise<boolean> {
    let commands: Command[];
    try {
      commands = await readTraceFile(name, bytes);
    } catch (error) {
      this.error = errorText(error);
      return false;
    }
    return this.attempt(() => {
      const timeline = runProgram(this.options, commands);
      this.scenario = TRACE_SCENARIO_ID;
      this.traceName = name;
      this.commit(timeline, timeline.steps.length - 1);
    });
  }

  /**
   * Moves to a step (clamped to the timeline).
   * @param step the step index.
   */
  goTo(step: number): void {
    this.step = Math.max(0, Math.min(this.lastStep, Math.trunc(Number.isNaN(step) ? 0 : step)));
  }

  private cursor: TimelineCursor | null = null;
  private walker: TimelineCursor | null = null;

  /**
   * The heap at the current step: the heap walks forwards from the last step shown (and starts
   * again from a fresh heap to go back), and the state is kept until the step or the program
   * changes.
   * @returns the state (its heap is valid until the next call that changes the step).
   */
  current(): StepState {
    if (this.state !== null && this.state.index === this.step && this.cursor?.timeline === this.timeline)
      return this.state;
    if (this.cursor === null || this.cursor.timeline !== this.timeline) {
      this.cursor?.release();
      this.cursor = new TimelineCursor(this.timeline);
    }
    this.state = stateThrough(this.cursor, this.step);
    return this.state;
  }

  /**
   * Goes on running `validate()` after every step of a long program (short ones are validated
   * when they run), for about `budgetMs` milliseconds.
   * @param budgetMs how long to work.
   * @returns whether every step has been validated.
   */
  validateMore(budgetMs: number): boolean {
    const timeline = this.timeline;
    if (timeline.validation.checked >= timeline.steps.length) return true;
    if (this.walker === null || this.walker.timeline !== timeline) {
      this.walker?.release();
      this.walker = new TimelineCursor(timeline);
    }
    return validateMore(timeline, this.walker, budgetMs);
  }

  /** Whether the program is the chosen scenario's own (so the URL need not carry it). */
  private isScenarioProgram(): boolean {
    const scenario = findScenario(this.scenario);
    if (scenario === undefined) return false;
    const own = parseLines(scenario.lines).map(formatCommand);
    const mine = this.commands.map(formatCommand);
    return own.length === mine.length && own.every((line, i) => line === mine[i]);
  }

  /**
   * What the URL hash must carry to restore this view.
   * @returns the page state.
   */
  pageState(): PageState {
    return {
      scenario: this.scenario,
      program: this.isScenarioProgram() ? null : this.commands.map(formatCommand),
      traceName: this.scenario === TRACE_SCENARIO_ID ? this.traceName : null,
      options: this.options,
      step: this.step === this.lastStep ? null : this.step,
      compare: this.compare,
    };
  }

  /**
   * Restores a page state (from a URL). What cannot be restored is reported and replaced by
   * the default: unreadable program lines fall back to the scenario's, invalid options to the
   * seed's.
   * @param state the state.
   * @returns the problems (empty when everything was restored).
   */
  restore(state: PageState): string[] {
    const problems: string[] = [];
    let commands: Command[];
    const scenario = findScenario(state.scenario);
    let scenarioId = state.scenario;
    if (state.program !== null) {
      try {
        commands = parseLines(state.program);
      } catch (error) {
        problems.push(`URL program: ${errorText(error)}`);
        commands = parseLines(scenario?.lines ?? []);
      }
    } else if (scenario !== undefined) {
      commands = parseLines(scenario.lines);
    } else {
      problems.push(`URL: unknown scenario ${JSON.stringify(state.scenario)}; opening the empty heap`);
      scenarioId = EMPTY_SCENARIO_ID;
      commands = [];
    }
    if (scenario === undefined && scenarioId !== TRACE_SCENARIO_ID && scenarioId !== EMPTY_SCENARIO_ID)
      scenarioId = state.program !== null ? EMPTY_SCENARIO_ID : scenarioId;
    let options = state.options;
    let timeline: Timeline;
    try {
      timeline = runProgram(options, commands);
    } catch (error) {
      problems.push(`URL options: ${errorText(error)}; using the seed's options`);
      options = DEFAULT_OPTIONS;
      timeline = runProgram(options, commands);
    }
    this.options = options;
    this.scenario = scenarioId;
    this.traceName = scenarioId === TRACE_SCENARIO_ID ? (state.traceName ?? 'trace') : null;
    this.compare = state.compare;
    this.timeline = timeline;
    if (state.step !== null && state.step > timeline.steps.length - 1)
      problems.push(`URL: step ${state.step} is beyond the last step ${timeline.steps.length - 1}`);
    this.goTo(state.step ?? timeline.steps.length - 1);
    this.error = problems.join('; ');
    return problems;
  }
}
