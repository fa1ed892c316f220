import { el } from './dom.js';
import { stepsText } from './format-text.js';
import type { Session } from './session.js';
import type { ValidationProgress } from './timeline.js';

/** Milliseconds of background `validate()` work per slice (the page stays responsive in between). */
const VALIDATION_SLICE_MS = 25;

/**
 * What the page says about `validate()`: at this step, and over the whole run (or how far the
 * background check has got). Step 0 is the fresh heap (the start, before any command), and the
 * run's steps are its commands, 1 to `steps`: the same count as the timeline's `k / n`.
 * @param validation how far `validate()` has run over the timeline's states (step 0 included), and where it failed.
 * @param steps the timeline's number of steps (its commands; its last step).
 * @param step the current step.
 * @param invalid `validate()`'s message at the current step, `null` when it passed.
 * @returns whether everything checked so far passed, and the sentence.
 */
export function validationSummary(
  validation: ValidationProgress,
  steps: number,
  step: number,
  invalid: string | null,
): { readonly ok: boolean; readonly text: string } {
  const { checked, failures } = validation;
  const where = step === 0 ? 'on the fresh heap' : 'after this step';
  const here = invalid === null ? `✓ validate() passed ${where}` : `✗ validate() failed ${where}: ${invalid}`;
  const failed = [...failures.keys()].sort((a, b) => a - b);
  const others = failed.filter((k) => k !== step);
  let overall: string;
  if (checked > steps) {
    if (others.length > 0) overall = `it failed ${stepsText(others)}`;
    else if (steps === 0) overall = 'no steps yet';
    else
      overall = `it ran on the fresh heap and after ${
        steps === 1 ? 'the one step' : `every one of the ${steps} steps`
      }${failures.size === 0 ? ', all passed' : ''}`;
  } else {
    // `checked` counts states: the fresh heap, then steps 1, 2, ...
    const done = Math.max(0, checked - 1);
    overall = `checking every step in the background: ${done} of ${steps} so far, ${
      failed.length === 0 ? 'all passed' : `failed ${stepsText(failed)}`
    }`;
  }
  return { ok: invalid === null && failures.size === 0, text: `${here}; ${overall}` };
}

/**
 * The line that says whether `validate()` passed. While a long program's steps are not all
 * validated yet, it goes on validating them in slices in the background and redraws itself.
 */
export class ValidationLine {
  /** The `<p data-testid="validate">`. */
  readonly element = el('p', { class: 'validate', 'data-testid': 'validate' });
  private pending: ReturnType<typeof setTimeout> | null = null;

  /** @param session the page's session (its current timeline is the one validated). */
  constructor(private readonly session: Session) {}

  /** Shows the current step's and the run's validation, and schedules more background work when some is left. */
  draw(): void {
    const timeline = this.session.timeline;
    const { ok, text } = validationSummary(
      timeline.validation,
      this.session.lastStep,
      this.session.step,
      this.session.current().details.invalid,
    );
    this.element.className = ok ? 'validate ok' : 'validate failed';
    this.element.textContent = text;
    if (timeline.validation.checked < timeline.steps.length && this.pending === null)
      this.pending = setTimeout(() => {
        this.pending = null;
        this.session.validateMore(VALIDATION_SLICE_MS);
        this.draw();
      }, 0);
  }
}
