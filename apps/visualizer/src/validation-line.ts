import { el } from './dom.js';
import type { Session } from './session.js';
import type { ValidationProgress } from './timeline.js';

/** Milliseconds of background `validate()` work per slice (the page stays responsive in between). */
const VALIDATION_SLICE_MS = 25;

/**
 * What the page says about `validate()`: after this step, and over the whole run (or how far the
 * background check has got).
 * @param validation how far `validate()` has run over the timeline, and where it failed.
 * @param total the timeline's number of states (steps, step 0 included).
 * @param step the current step.
 * @param invalid `validate()`'s message after the current step, `null` when it passed.
 * @returns whether everything checked so far passed, and the sentence.
 */
export function validationSummary(
  validation: ValidationProgress,
  total: number,
  step: number,
  invalid: string | null,
): { readonly ok: boolean; readonly text: string } {
  const { checked, failures } = validation;
  const here =
    invalid === null
      ? '✓ validate() passed after this step'
      : `✗ validate() failed after this step: ${invalid}`;
  const others = [...failures.keys()].filter((k) => k !== step);
  const overall =
    checked >= total
      ? others.length === 0
        ? `it ran after every one of the ${total} steps${failures.size === 0 ? ', all passed' : ''}`
        : `it failed after step(s) ${others.slice(0, 10).join(', ')}${others.length > 10 ? ', …' : ''}`
      : `checking every step in the background: ${checked} of ${total} so far, ${
          failures.size === 0
            ? 'all passed'
            : `failed after step(s) ${[...failures.keys()].slice(0, 10).join(', ')}`
        }`;
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
      timeline.steps.length,
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
