import { type Child, el, replace } from './dom.js';
import { earlierStepsText, laterStepsText } from './format-text.js';
import type { Session } from './session.js';

/** How many steps the step list shows around the current one. */
export const STEP_LIST_WINDOW = 40;

/**
 * Draws the current step: its number and operation, its result (address or error message) and
 * what it changed.
 * @param target the element to fill (its children are replaced).
 * @param session the page's session.
 */
export function drawStepPanel(target: HTMLElement, session: Session): void {
  const step = session.timeline.steps[session.step]!;
  const changes = session.current().details.changes;
  replace(
    target,
    el('h2', {}, `Step ${session.step}: `, el('code', { 'data-testid': 'operation', text: step.label })),
    el(
      'p',
      { class: step.ok ? 'result ok' : 'result failed', 'data-testid': 'result' },
      step.ok ? '→ ' : '✗ ',
      step.result,
    ),
    el(
      'ul',
      { class: 'changes', 'data-testid': 'changes' },
      ...(changes.length > 0
        ? changes.map((c) => el('li', { text: c }))
        : [el('li', { class: 'muted', text: session.step === 0 ? 'the heap is empty' : 'nothing changed' })]),
    ),
  );
}

/**
 * Draws the list of steps around the current one (at most {@link STEP_LIST_WINDOW}), each a
 * button that goes to it, and scrolls the current one into the list's view.
 * @param list the `<ol>` to fill (its children are replaced).
 * @param session the page's session.
 * @param goTo called with a step's index when its button is pressed.
 */
export function drawStepList(list: HTMLElement, session: Session, goTo: (step: number) => void): void {
  const steps = session.timeline.steps;
  const from = Math.max(0, session.step - STEP_LIST_WINDOW / 2);
  const to = Math.min(steps.length, from + STEP_LIST_WINDOW);
  const items: Child[] = [];
  if (from > 0) items.push(el('li', { class: 'muted', text: earlierStepsText(from) }));
  for (let i = from; i < to; i++) {
    const s = steps[i]!;
    items.push(
      el(
        'li',
        { value: i },
        el(
          'button',
          {
            type: 'button',
            class: `step-item${i === session.step ? ' current' : ''}${s.ok ? '' : ' failed'}`,
            'aria-current': i === session.step ? 'step' : undefined,
            onclick: () => goTo(i),
          },
          el('code', { text: s.label }),
          ` ${s.ok ? '→' : '✗'} ${s.result}`,
        ),
      ),
    );
  }
  if (to < steps.length) items.push(el('li', { class: 'muted', text: laterStepsText(to, steps.length - 1) }));
  replace(list, ...items);
  const current = list.querySelector<HTMLElement>('.current');
  if (current !== null) {
    const top = current.parentElement!.offsetTop;
    if (top < list.scrollTop || top + current.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = top - list.clientHeight / 2;
  }
}
