import { el } from './dom.js';
import type { Session } from './session.js';

/** What the timeline's controls ask the page to do. */
export interface TimelineActions {
  /** Moves by a number of steps (`-Infinity` and `Infinity` to the ends). */
  move(delta: number): void;
  /** Goes to a step. */
  goTo(step: number): void;
  /** Plays, or pauses. */
  togglePlay(): void;
}

/** The timeline bar: `◀ prev`, `play`/`pause`, `next ▶`, the slider and `step k / n`. */
export class TimelineNav {
  /** The `<nav class="timeline">`. */
  readonly element: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly play: HTMLButtonElement;
  private readonly slider: HTMLInputElement;
  private readonly stepText = el('span', {
    class: 'step-count',
    'data-testid': 'step',
    'aria-live': 'polite',
  });

  /** @param actions what the buttons and the slider do. */
  constructor(actions: TimelineActions) {
    this.prev = el('button', {
      type: 'button',
      'data-testid': 'prev',
      'aria-label': 'previous step',
      text: '◀ prev',
      onclick: () => actions.move(-1),
    });
    this.next = el('button', {
      type: 'button',
      'data-testid': 'next',
      'aria-label': 'next step',
      text: 'next ▶',
      onclick: () => actions.move(1),
    });
    this.play = el('button', {
      type: 'button',
      'data-testid': 'play',
      text: 'play',
      onclick: () => actions.togglePlay(),
    });
    const slider = el('input', {
      type: 'range',
      min: 0,
      'data-testid': 'slider',
      'aria-label': 'step',
      oninput: () => actions.goTo(Number(slider.value)),
    });
    this.slider = slider;
    this.element = el(
      'nav',
      { class: 'timeline', 'aria-label': 'timeline' },
      this.prev,
      this.play,
      this.next,
      slider,
      el('span', { class: 'step-label' }, 'step ', this.stepText),
    );
  }

  /**
   * Shows the session's step and whether it is playing.
   * @param session the page's session.
   * @param playing whether the timeline is playing.
   */
  sync(session: Session, playing: boolean): void {
    this.stepText.textContent = `${session.step} / ${session.lastStep}`;
    this.slider.max = String(session.lastStep);
    this.slider.value = String(session.step);
    this.slider.setAttribute('aria-valuetext', `step ${session.step} of ${session.lastStep}`);
    this.prev.disabled = session.step === 0;
    this.next.disabled = session.step === session.lastStep;
    this.play.textContent = playing ? 'pause' : 'play';
    this.play.setAttribute('aria-pressed', String(playing));
  }
}
